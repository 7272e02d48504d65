package commands

import (
	"archive/tar"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
)

// Ctrl-C during an extraction stops it, leaving nothing behind: the
// process is not left to run on until a second Ctrl-C kills it with the
// staging directory half-written.
func TestExtractionStopsAtCtrlC(t *testing.T) {
	parent := t.TempDir()
	archive := filepath.Join(parent, "t.tar")
	f, err := os.Create(archive)
	assert.NilError(t, err)
	tw := tar.NewWriter(f)
	for _, name := range []string{"a", "b", "c"} {
		assert.NilError(t, tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Size: 1, Mode: 0o644}))
		_, err = tw.Write([]byte("x"))
		assert.NilError(t, err)
	}
	assert.NilError(t, tw.Close())
	assert.NilError(t, f.Close())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = extractInto(ctx, archive, filepath.Join(parent, "out"), false)
	assert.Assert(t, errors.Is(err, context.Canceled), "%v", err)
	entries, err := os.ReadDir(parent)
	assert.NilError(t, err)
	assert.Equal(t, len(entries), 1, "only the archive is left: %v", entries)
}
