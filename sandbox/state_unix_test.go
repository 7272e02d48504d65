//go:build unix

package sandbox_test

import (
	"path/filepath"
	"syscall"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// A state file that is a FIFO (or another special file) is refused at
// once: opening a FIFO to read waits for a writer, and sandbox exec would
// hang there, deaf to signals.
func TestOpenRefusesAFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	_, err := sandbox.Open(path, "")
	assert.Error(t, err, "state file "+path+" is not a sandbox state (not a regular file but a named pipe (FIFO)); it was left as it is")
}
