//go:build unix

package e2e_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"

	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// Tests that need process groups, which Windows does not have: there
// they would not even compile.

// Ctrl-C reaches COMMAND from the terminal, and COMMAND decides how to
// end: the sandbox stays up while it cleans up, however many Ctrl-Cs come,
// and exec exits with COMMAND's code.
func TestExecOutlivesRepeatedCtrlC(t *testing.T) {
	cmd := exec.Command(binary, "sandbox", "exec", "--state", "", "--", "sh", "-c",
		`n=0; trap 'n=$((n+1)); echo "int $n"' INT; echo ready; while [ $n -lt 2 ]; do sleep 0.05; done; baseten org api-key list --jq '.keys[].name'; exit 7`)
	cmd.Env = processEnv(t)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a group of its own, like a terminal's job
	out, errOut := &sandboxtest.Buffer{}, &sandboxtest.Buffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	assert.NilError(t, cmd.Start())
	waitFor(t, out, "ready\n")
	assert.NilError(t, syscall.Kill(-cmd.Process.Pid, syscall.SIGINT))
	waitFor(t, out, "int 1\n")
	assert.NilError(t, syscall.Kill(-cmd.Process.Pid, syscall.SIGINT))
	err := cmd.Wait()
	exitErr, ok := err.(*exec.ExitError)
	assert.Assert(t, ok, "%v; stderr: %s", err, errOut)
	assert.Equal(t, exitErr.ExitCode(), 7, "%v; stderr: %s", err, errOut)
	assert.Equal(t, out.String(), "ready\nint 1\nint 2\nsandbox-admin\n")
}

// With no PATH (unset, or empty), COMMAND still finds sh and the like:
// after this baseten's directory comes the system's usual PATH, not
// nothing.
func TestExecWithoutPATH(t *testing.T) {
	env := processEnv(t)
	assert.Assert(t, strings.HasPrefix(env[0], "PATH="))
	for _, path := range [][]string{nil, {"PATH="}} {
		cmd := icmd.Command(binary, "sandbox", "exec", "--state", "", "--", "sh", "-c", `echo "$PATH"; baseten --version >/dev/null`)
		cmd.Env = append(path, env[1:]...)
		res := icmd.RunCmd(cmd)
		res.Assert(t, icmd.Expected{ExitCode: 0, Out: filepath.Dir(binary) + ":/usr/local/bin:/usr/bin:/bin\n"})
	}
}
