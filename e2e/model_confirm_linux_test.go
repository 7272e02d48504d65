//go:build linux

package e2e_test

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// On a real terminal, a changing command asks, naming what will change;
// "y" goes ahead, Ctrl-C at the question changes nothing (exit 130).
func TestConfirmationOnATerminal(t *testing.T) {
	env := serveWithStepDelay(t, "0")
	ask := func(answer string, interrupt bool) (*exec.Cmd, *sandboxtest.Buffer) {
		ptmx, pts := openPTY(t)
		cmd := exec.Command(binary, "model", "deployment", "deactivate", "--model-name", "llama-chat", "--deployment-id", sandbox.SeedProductionID)
		cmd.Env = env
		stderr := &sandboxtest.Buffer{}
		cmd.Stdin, cmd.Stderr = pts, stderr
		assert.NilError(t, cmd.Start())
		t.Cleanup(func() { cmd.Process.Kill() })
		waitFor(t, stderr, "[y/N] ")
		if interrupt {
			assert.NilError(t, cmd.Process.Signal(syscall.SIGINT))
		} else {
			_, err := ptmx.Write([]byte(answer + "\n"))
			assert.NilError(t, err)
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("still running: %s", stderr)
		}
		return cmd, stderr
	}

	cmd, stderr := ask("", true)
	assert.Equal(t, cmd.ProcessState.ExitCode(), 130, stderr.String())
	assert.Equal(t, stderr.String(), "Deactivate deployment d7v3n8q1 (model llama-chat, production)? [y/N] \nError: interrupted; nothing was changed\n")

	cmd, stderr = ask("y", false)
	assert.Equal(t, cmd.ProcessState.ExitCode(), 0, stderr.String())
	assert.Assert(t, strings.HasSuffix(stderr.String(), "Deactivated deployment d7v3n8q1\n"), stderr.String())
}
