package commands_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// Commands that only read (list, status, whoami, completion) create no
// config directory and no lock file: the config directory is made by the
// first command that stores something.
func TestReadOnlyCommandsCreateNothing(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	dir := filepath.Join(t.TempDir(), "config", "baseten")
	r.env["BASETEN_CONFIG_DIR"] = dir
	readOnly := func() {
		t.Helper()
		r.run("auth", "status")
		r.run("auth", "status", "-o", "json")
		r.run("org", "api-key", "list")
		r.run("org", "team", "list")
		r.run("whoami")
		r.complete("baseten auth switch --user ")
		r.complete("baseten org api-key delete --prefix ")
	}
	readOnly()
	_, err := os.Stat(filepath.Dir(dir))
	assert.Assert(t, os.IsNotExist(err), "the config directory was created: %v", err)

	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--insecure-storage").Code, 0)
	names := func() []string {
		entries, err := os.ReadDir(dir)
		assert.NilError(t, err)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	for _, name := range names() {
		if strings.HasSuffix(name, ".lock") {
			assert.NilError(t, os.Remove(filepath.Join(dir, name)))
		}
	}
	before := names()
	readOnly()
	assert.DeepEqual(t, names(), before)
	assert.Assert(t, !slices.ContainsFunc(before, func(n string) bool { return strings.HasSuffix(n, ".lock") }))
}
