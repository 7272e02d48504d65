package commands_test

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// openPTY opens a pseudo-terminal and returns its controlling side and the
// path of the terminal side (what /dev/stdin is on a terminal).
func openPTY(t *testing.T) (*os.File, string) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	assert.NilError(t, err)
	assert.NilError(t, unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0))
	return master, fmt.Sprintf("/dev/pts/%d", n)
}

// --from-file naming a terminal (/dev/stdin, /dev/tty on one) is refused
// like --from-file - on a terminal: the value would show as it is typed.
func TestSecretSetFromFileRefusesATerminal(t *testing.T) {
	master, tty := openPTY(t)
	if _, err := os.Stat(tty); err != nil {
		t.Skipf("the terminal side is not reachable: %v", err)
	}
	// What a person would type, echoed on their screen without the check.
	_, err := master.WriteString("hunter2hunter2\n")
	assert.NilError(t, err)
	a, sb := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	// Without the check the read would wait on the terminal for good: a
	// deadline ends it (and the run fails on what it printed, not on time).
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r.ctx = ctx
	got := r.run("org", "secret", "set", "--name", "x", "--from-file", tty)
	assertResult(t, got, "", "Error: --from-file "+tty+" is a terminal, which would show the value as it is typed\n"+
		"Drop --from-file to be prompted without echo, or pipe the value in.\n", 2)
	assert.DeepEqual(t, a.Requests(), []string{})
	assert.Equal(t, len(sb.SecretsOf()), 0)
}
