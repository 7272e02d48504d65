package commands_test

import (
	"os/exec"
	"testing"
)

// exec's COMMAND reads the stdin and finds PATH of the environment Main
// was given, not those of the process Main runs in: a test (or any caller
// of Main) decides them as it decides every other command's.
func TestExecUsesTheInjectedStdinAndPATH(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh here")
	}
	r := newRunner(nil)
	r.stdin = "typed into exec\n"
	r.env["PATH"] = "/injected/bin:/usr/bin:/bin"
	got := r.run("sandbox", "exec", "--state", "", "--", sh, "-c", `cat; echo "${PATH#*:}"`)
	assertResult(t, got, "typed into exec\n/injected/bin:/usr/bin:/bin\n", "", 0)
}
