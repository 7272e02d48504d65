package commands_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
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

// The variables COMMAND inherits unchanged are those of the environment
// Main was given (its Environ), not the process's: one the runner sets
// arrives, one only the test process has does not.
func TestExecInheritsTheInjectedEnvironment(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh here")
	}
	t.Setenv("ONLY_IN_THE_TEST_PROCESS", "leaked")
	r := newRunner(nil)
	r.env["GIVEN_TO_MAIN"] = "inherited"
	r.env["PATH"] = "/usr/bin:/bin"
	got := r.run("sandbox", "exec", "--state", "", "--", sh, "-c", `echo "$GIVEN_TO_MAIN ${ONLY_IN_THE_TEST_PROCESS-unset}"`)
	assertResult(t, got, "inherited unset\n", "", 0)
}

// A signal that comes while exec starts (a large state loading) ends exec
// before COMMAND starts: exit 130, and COMMAND never runs.
func TestExecInterruptedBeforeCommandStarts(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as main's context is once SIGTERM or Ctrl-C came
	r := newRunner(nil)
	r.ctx = ctx
	got := r.run("sandbox", "exec", "--state", filepath.Join(t.TempDir(), "sandbox.json"), "--", "touch", marker)
	assertResult(t, got, "", "Error: interrupted\n", 130)
	_, err := os.Stat(marker)
	assert.Assert(t, os.IsNotExist(err), "COMMAND ran: %v", err)
}
