package commands_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// sandbox reset deletes the state file after asking (or with --yes), never
// while a sandbox owns it, and never a file that is not a sandbox state;
// the next serve starts afresh.
func TestSandboxReset(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"BASETEN_CONFIG_DIR": dir}
	state := filepath.Join(dir, "sandbox.json")
	first := serveSandbox(t, env)

	r := newRunner(nil)
	r.env = env
	got := r.run("sandbox", "reset", "--yes")
	assert.Equal(t, got.Code, 1, "a running sandbox owns it")
	assert.Assert(t, strings.HasSuffix(got.Stderr, "\nStop that sandbox first; nothing was deleted.\n"), got.Stderr)
	assert.Equal(t, first.stop(), 0)

	got = r.run("sandbox", "reset")
	assertResult(t, got, "", "Error: sandbox reset would delete "+state+", and needs --yes when stdin is not a terminal\nNothing was deleted.\n", 2)
	r.typed = []string{"n"}
	got = r.run("sandbox", "reset")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Delete the sandbox state "+state+"? Its keys and teams are lost. [y/N] Error: the sandbox state was not deleted\n"), got.Stderr)
	_, err := os.Stat(state)
	assert.NilError(t, err, "kept")

	r.typed = []string{"y"}
	got = r.run("sandbox", "reset")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, strings.HasSuffix(got.Stderr, "Deleted the sandbox state "+state+"\n"), got.Stderr)
	_, err = os.Stat(state)
	assert.Assert(t, os.IsNotExist(err))
	r.typed = nil
	assertResult(t, r.run("sandbox", "reset", "--yes"), "", "No sandbox state at "+state+"; nothing to reset.\n", 0)

	second := serveSandbox(t, env)
	assert.Assert(t, second.key != first.key, "a new admin key after a reset")
	assert.Equal(t, second.stop(), 0)

	// A file that is not a sandbox state is left alone.
	other := filepath.Join(dir, "notes.json")
	assert.NilError(t, os.WriteFile(other, []byte(`{"todo": 1}`), 0o600))
	got = r.run("sandbox", "reset", "--state", other, "--yes")
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, strings.HasSuffix(got.Stderr, "\nIt is not a sandbox state, so it was left alone.\n"), got.Stderr)
	_, err = os.Stat(other)
	assert.NilError(t, err)

	got = r.run("sandbox", "reset", "--state", "", "--yes")
	assert.Equal(t, got.Code, 2)
}
