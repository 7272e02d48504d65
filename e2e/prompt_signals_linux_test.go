//go:build linux

package e2e_test

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

// Every signal that ends a command ends the key prompt the way Ctrl-C
// does: exit 130, "interrupted", the terminal echoing again. Ctrl-\
// (SIGQUIT) used to make the Go runtime dump every goroutine and leave the
// terminal without echo. A second signal while the prompt gives the
// terminal back does not cut that short.
func TestEverySignalAtTheKeyPromptRestoresTheTerminal(t *testing.T) {
	for _, tc := range []struct {
		name    string
		signals []syscall.Signal
	}{
		{"SIGQUIT", []syscall.Signal{syscall.SIGQUIT}},
		{"SIGTERM", []syscall.Signal{syscall.SIGTERM}},
		{"SIGHUP", []syscall.Signal{syscall.SIGHUP}},
		{"SIGQUIT twice", []syscall.Signal{syscall.SIGQUIT, syscall.SIGQUIT}},
		{"SIGINT twice", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, pts := openPTY(t)
			assert.Assert(t, echoes(t, pts))
			cmd := exec.Command(binary, "auth", "login", "--with-api-key")
			cmd.Env = append(cmd.Env, "BASETEN_CONFIG_DIR="+t.TempDir(), "BASETEN_REMOTE_URL=http://127.0.0.1:1")
			var stderr strings.Builder
			cmd.Stdin, cmd.Stderr = pts, &stderr
			assert.NilError(t, cmd.Start())
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			t.Cleanup(func() { cmd.Process.Kill() })
			for deadline := time.Now().Add(20 * time.Second); echoes(t, pts); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("no prompt: %s", stderr.String())
				}
			}
			for i, sig := range tc.signals {
				// A second one may come after login has ended: no matter.
				if err := cmd.Process.Signal(sig); i == 0 || !errors.Is(err, os.ErrProcessDone) {
					assert.NilError(t, err)
				}
			}
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("login still waits for the key")
			}
			assert.Assert(t, echoes(t, pts), "the terminal was left without echo")
			assert.Assert(t, !strings.Contains(stderr.String(), "goroutine"), "a goroutine dump: %s", stderr.String())
			if len(tc.signals) == 1 {
				assert.Equal(t, cmd.ProcessState.ExitCode(), 130, stderr.String())
				assert.Equal(t, stderr.String(), "API key: \nError: interrupted\n")
			}
		})
	}
}
