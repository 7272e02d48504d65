package atomicfile_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/internal/atomicfile"
)

func TestWriteCreatesDirAndReplaces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "config", "baseten")
	path := filepath.Join(dir, "state.json")
	assert.NilError(t, atomicfile.Write(path, []byte("one"), 0o600))
	assert.NilError(t, atomicfile.Write(path, []byte("two"), 0o600))

	got, err := os.ReadFile(path)
	assert.NilError(t, err)
	assert.Equal(t, string(got), "two")
	entries, err := os.ReadDir(dir)
	assert.NilError(t, err)
	assert.Equal(t, len(entries), 1, "no temporary file is left behind")

	if runtime.GOOS != "windows" {
		info, err := os.Stat(path)
		assert.NilError(t, err)
		assert.Equal(t, info.Mode().Perm(), os.FileMode(0o600))
		info, err = os.Stat(dir)
		assert.NilError(t, err)
		assert.Equal(t, info.Mode().Perm(), os.FileMode(0o700))
	}
}

// A failed write leaves the old file as it was and no temporary file.
func TestFailedWriteKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	assert.NilError(t, atomicfile.Write(path, []byte("old"), 0o600))
	// A directory where the file should go makes the rename fail.
	blocked := filepath.Join(dir, "blocked")
	assert.NilError(t, os.MkdirAll(filepath.Join(blocked, "child"), 0o700))
	assert.Assert(t, atomicfile.Write(blocked, []byte("new"), 0o600) != nil)

	got, err := os.ReadFile(path)
	assert.NilError(t, err)
	assert.Equal(t, string(got), "old")
	entries, err := os.ReadDir(dir)
	assert.NilError(t, err)
	assert.Equal(t, len(entries), 2, "state.json and blocked, no temporary file")
}
