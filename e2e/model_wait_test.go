package e2e_test

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"

	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// serveWithStepDelay runs `baseten sandbox serve --step-delay delay` and
// returns the environment that points the CLI at it.
func serveWithStepDelay(t *testing.T, delay string) []string {
	t.Helper()
	cmd := exec.Command(binary, "sandbox", "serve", "--addr", "127.0.0.1:0", "--state", "", "--step-delay", delay)
	cmd.Env = processEnv(t)
	out, errOut := &sandboxtest.Buffer{}, &sandboxtest.Buffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	assert.NilError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	waitFor(t, out, "export BASETEN_API_KEY=")
	var env []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		env = append(env, strings.Trim(strings.TrimPrefix(line, "export "), "'"))
	}
	return processEnv(t, env...)
}

// Against `sandbox serve --step-delay`, a wait sees the statuses change
// over time; Ctrl-C stops it with exit 130, the change going on.
func TestWaitAgainstServeAndCtrlC(t *testing.T) {
	env := serveWithStepDelay(t, "300ms")
	cmd := icmd.Command(binary, "model", "deployment", "activate", "--model-id", sandbox.SeedModelID, "--deployment-id", sandbox.SeedDevelopmentID, "--wait")
	cmd.Env = env
	res := icmd.RunCmd(cmd)
	res.Assert(t, icmd.Expected{ExitCode: 0})
	assert.Assert(t, strings.HasPrefix(res.Stderr(), "Activated deployment w2k9j4hx\ndeployment w2k9j4hx: WAKING_UP\n"), res.Stderr())
	assert.Assert(t, strings.Contains(res.Stderr(), "\ndeployment w2k9j4hx: ACTIVE\nDeployment w2k9j4hx is ACTIVE (after "), res.Stderr())

	slow := serveWithStepDelay(t, "1h")
	cmd = icmd.Command(binary, "model", "deployment", "deactivate", "--model-name", "llama-chat", "--deployment-id", sandbox.SeedProductionID, "--yes", "--wait")
	cmd.Env = slow
	started := icmd.StartCmd(cmd)
	assert.NilError(t, started.Error)
	deadline := time.Now().Add(time.Minute) // a guard, not an assertion
	for !strings.Contains(started.Stderr(), "DEACTIVATING") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.NilError(t, started.Cmd.Process.Signal(syscall.SIGINT))
	res = icmd.WaitOnCmd(20*time.Second, started)
	res.Assert(t, icmd.Expected{ExitCode: 130})
	assert.Assert(t, strings.HasSuffix(res.Stderr(), "Error: stopped waiting for deployment d7v3n8q1; its last status was DEACTIVATING; the change goes on server-side\n"+
		"Check on it with: baseten model deployment describe --model-id q4o7k2zw --deployment-id d7v3n8q1\n"), res.Stderr())
}
