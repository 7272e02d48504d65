//go:build unix

package commands_test

import (
	"path/filepath"
	"syscall"
	"testing"
)

// A --state that is a FIFO is refused at once, exit 1: the open used to
// wait for a writer, deaf to Ctrl-C and SIGTERM, and COMMAND then ran.
func TestExecRefusesAFIFOState(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "state")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	marker := filepath.Join(t.TempDir(), "ran")
	got := newRunner(nil).run("sandbox", "exec", "--state", fifo, "--", "touch", marker)
	assertResult(t, got, "", "Error: state file "+fifo+" is not a sandbox state (not a regular file but a named pipe (FIFO)); it was left as it is\n"+
		"Move it away to start afresh, or pass --state with another file.\n", 1)
}
