//go:build linux

package e2e_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
	"gotest.tools/v3/assert"
)

// openPTY returns a new pseudo-terminal: the side a terminal emulator holds,
// and the one a program reads as its terminal.
func openPTY(t *testing.T) (ptmx, pts *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	assert.NilError(t, unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0))
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	assert.NilError(t, err)
	pts, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	assert.NilError(t, err)
	t.Cleanup(func() { pts.Close() })
	return ptmx, pts
}

func echoes(t *testing.T, pts *os.File) bool {
	t.Helper()
	termios, err := unix.IoctlGetTermios(int(pts.Fd()), unix.TCGETS)
	assert.NilError(t, err)
	return termios.Lflag&unix.ECHO != 0
}

// Ctrl-C at the login prompt ends login at once (exit 130), and leaves the
// terminal echoing as it was: the prompt had turned echo off, and a read of
// a terminal waits for Enter whatever signal comes.
func TestInterruptAtTheKeyPrompt(t *testing.T) {
	_, pts := openPTY(t) // the other side stays open until the test ends
	assert.Assert(t, echoes(t, pts))
	cmd := exec.Command(binary, "auth", "login", "--with-api-key")
	cmd.Env = []string{"BASETEN_CONFIG_DIR=" + t.TempDir(), "BASETEN_REMOTE_URL=http://127.0.0.1:1"}
	var stderr strings.Builder
	cmd.Stdin, cmd.Stderr = pts, &stderr
	assert.NilError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })

	// The prompt is up once echo is off.
	for deadline := time.Now().Add(20 * time.Second); echoes(t, pts); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no prompt: %s", stderr.String())
		}
	}
	assert.NilError(t, cmd.Process.Signal(syscall.SIGINT))
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("login still waits for the key after Ctrl-C")
	}
	assert.Equal(t, cmd.ProcessState.ExitCode(), 130, stderr.String())
	assert.Assert(t, echoes(t, pts), "the terminal was left without echo")
	assert.Equal(t, stderr.String(), "API key: \nError: interrupted\n")
}
