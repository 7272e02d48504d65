package sandbox_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// Remove deletes a state no sandbox owns, refuses one a sandbox owns and a
// file that is not a state, and follows a link to its target.
func TestRemove(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sandbox.json")
	removed, err := sandbox.Remove(path)
	assert.NilError(t, err)
	assert.Assert(t, !removed, "nothing there")

	sb, err := sandbox.Open(path, "")
	assert.NilError(t, err)
	_, err = sandbox.Remove(path)
	_, busy := errors.AsType[*sandbox.InUseError](err)
	assert.Assert(t, busy, "owned by a running sandbox: %v", err)
	assert.NilError(t, sb.Close())

	link := filepath.Join(dir, "link.json")
	assert.NilError(t, os.Symlink(path, link))
	removed, err = sandbox.Remove(link)
	assert.NilError(t, err)
	assert.Assert(t, removed)
	_, err = os.Stat(path)
	assert.Assert(t, os.IsNotExist(err), "the target goes")
	_, err = os.Lstat(link)
	assert.NilError(t, err, "the link stays")

	other := filepath.Join(dir, "notes.json")
	assert.NilError(t, os.WriteFile(other, []byte(`{"todo": 1}`), 0o600))
	_, err = sandbox.Remove(other)
	_, bad := errors.AsType[*sandbox.StateError](err)
	assert.Assert(t, bad, "not a state: %v", err)
	_, err = os.Stat(other)
	assert.NilError(t, err, "left alone")
}
