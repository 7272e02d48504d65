//go:build unix

package e2e_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"

	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// Ctrl-\ (SIGQUIT) ends a command like Ctrl-C: the request in flight is
// cancelled, "Error: interrupted", exit 130, and no goroutine dump (the Go
// runtime's answer to a SIGQUIT nobody catches).
func TestQuitEndsACommandLikeInterrupt(t *testing.T) {
	res := signalWhileListing(t, syscall.SIGQUIT)
	res.Assert(t, icmd.Expected{ExitCode: 130, Err: "Error: interrupted"})
	assert.Assert(t, !strings.Contains(res.Stderr(), "goroutine"), res.Stderr())
}

// A signal sent to exec's own PID (kill -INT, -HUP, -TERM, -QUIT) is
// passed on to COMMAND, which decides how to end; exec exits with its
// status. SIGQUIT used to dump exec's goroutines and leave COMMAND running.
func TestExecForwardsSignalsSentToIt(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGQUIT} {
		t.Run(sig.String(), func(t *testing.T) {
			name := strings.TrimPrefix(unix.SignalName(sig), "SIG")
			cmd := exec.Command(binary, "sandbox", "exec", "--state", "", "--", "sh", "-c",
				`trap 'echo "got `+name+`"; exit 3' `+name+`; echo ready; while :; do sleep 0.05; done`)
			cmd.Env = processEnv(t)
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
			out, errOut := &sandboxtest.Buffer{}, &sandboxtest.Buffer{}
			cmd.Stdout, cmd.Stderr = out, errOut
			assert.NilError(t, cmd.Start())
			t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
			waitFor(t, out, "ready\n")
			assert.NilError(t, cmd.Process.Signal(sig)) // to exec alone, not its group
			waited := make(chan error, 1)
			go func() { waited <- cmd.Wait() }()
			var err error
			select {
			case err = <-waited:
			case <-time.After(20 * time.Second):
				t.Fatalf("COMMAND still runs: the %s was not passed on; stderr: %s", name, errOut)
			}
			exitErr, ok := err.(*exec.ExitError)
			assert.Assert(t, ok, "%v; stderr: %s", err, errOut)
			assert.Equal(t, exitErr.ExitCode(), 3, "stderr: %s", errOut)
			assert.Equal(t, out.String(), "ready\ngot "+name+"\n")
			assert.Equal(t, errOut.String(), "")
		})
	}
}

// sandbox serve takes Ctrl-\ as it takes Ctrl-C: it finishes, saves and
// exits 0, without a goroutine dump.
func TestServeEndsOnQuit(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	cmd := exec.Command(binary, "sandbox", "serve", "--addr", "127.0.0.1:0", "--state", state)
	cmd.Env = processEnv(t)
	out, errOut := &sandboxtest.Buffer{}, &sandboxtest.Buffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	assert.NilError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill() })
	waitFor(t, out, "export BASETEN_API_KEY=")
	assert.NilError(t, cmd.Process.Signal(syscall.SIGQUIT))
	assert.NilError(t, cmd.Wait(), "stderr: %s", errOut)
	assert.Equal(t, errOut.String(), "State: "+state+"\n", "where the state lives, and no dump")
	_, err := os.Stat(state)
	assert.NilError(t, err)
}
