package commands_test

import (
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// --env-file holds the two lines once the sandbox listens, written in one
// atomic step over whatever an earlier run left, private, and is gone when
// the sandbox stops.
func TestServeEnvFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sandbox.env")
	assert.NilError(t, os.WriteFile(path, []byte("export BASETEN_REMOTE_URL=http://127.0.0.1:1\n"), 0o600)) // a dead run's
	s := serveSandbox(t, map[string]string{"BASETEN_CONFIG_DIR": dir}, "--state", "", "--env-file", path)
	data, err := os.ReadFile(path)
	assert.NilError(t, err)
	assert.Equal(t, string(data), s.stdout.String())
	if runtime.GOOS != "windows" {
		info, err := os.Stat(path)
		assert.NilError(t, err)
		assert.Equal(t, info.Mode().Perm(), os.FileMode(0o600))
	}
	entries, err := os.ReadDir(dir)
	assert.NilError(t, err)
	assert.Equal(t, len(entries), 1, "no temporary file left beside it")
	assert.Assert(t, strings.HasPrefix(s.stderr.String(), "State: in memory only; nothing is kept when the sandbox stops.\n"), s.stderr.String())
	assert.Equal(t, s.stop(), 0)
	_, err = os.Stat(path)
	assert.Assert(t, os.IsNotExist(err), "removed when the sandbox stops: %v", err)
}

// A port another program holds: exit 1, and the way out.
func TestServeOnABusyPort(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	assert.NilError(t, err)
	defer busy.Close()
	got := newRunner(nil).run("sandbox", "serve", "--addr", busy.Addr().String(), "--state", "")
	assert.Equal(t, got.Code, 1)
	assert.Equal(t, got.Stdout, "")
	assert.Assert(t, strings.Contains(got.Stderr, "Error: cannot listen on "+busy.Addr().String()+": "), got.Stderr)
	assert.Assert(t, strings.HasSuffix(got.Stderr, "\nAnother program listens there. Pass --addr 127.0.0.1:0 to pick a free port.\n"), got.Stderr)
}
