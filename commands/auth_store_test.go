package commands_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// A server that answers users/me with a 180 KB workspace name of '<'
// (six bytes each in the config's JSON) cannot make the stored
// credentials unreadable: the name is stored shortened, and every command
// that reads the store, logout included, still works.
func TestHostileAccountDetailsKeepTheStoreReadable(t *testing.T) {
	huge := strings.Repeat("<", 180_000)
	a := newAPI(t, reply(200, "application/json", `{"user_id":"user-1","email":"ada@example.com","name":null,"workspace_name":"`+huge+`"}`))
	r := loginRunner(a)
	r.stdin = testKey
	got := r.run("auth", "login", "--with-api-key", "--label", "hostile", "-o", "json", "--jq", ".workspace_name | length")
	assertResult(t, got, "256\n", "No OS keyring here (no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)): storing the key in "+filepath.Join(r.env["BASETEN_CONFIG_DIR"], "credentials.json")+", readable by you only.\n", 0)
	info, err := os.Stat(filepath.Join(r.env["BASETEN_CONFIG_DIR"], "config.json"))
	assert.NilError(t, err)
	assert.Assert(t, info.Size() < 4<<10, info.Size())
	got = r.run("auth", "logout")
	assertResult(t, got, "Logged out hostile\n", "", 0)
	assert.Assert(t, !strings.Contains(filesOf(t, r.env["BASETEN_CONFIG_DIR"])["credentials.json"], testKey))
}

// config.json kept in a dotfiles repository and linked into the config
// directory stays linked after a login: the write goes to its target.
func TestLoginWritesThroughALinkedConfig(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges there")
	}
	a := newAPI(t, reply(200, "application/json", `{"user_id":"user-1","email":"ada@example.com","name":null,"workspace_name":"Sandbox"}`))
	r := loginRunner(a)
	dir := r.env["BASETEN_CONFIG_DIR"]
	dotfiles := t.TempDir()
	target := filepath.Join(dotfiles, "baseten-config.json")
	assert.NilError(t, os.WriteFile(target, []byte(`{"version":1,"credentials":[]}`), 0o600))
	assert.NilError(t, os.Symlink(target, filepath.Join(dir, "config.json")))
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "work").Code, 0)
	link, err := os.Readlink(filepath.Join(dir, "config.json"))
	assert.NilError(t, err)
	assert.Equal(t, link, target)
	data, err := os.ReadFile(target)
	assert.NilError(t, err)
	assert.Assert(t, is.Contains(string(data), `"label": "work"`))
	got := r.run("auth", "status", "--jq", ".active.label")
	assert.Equal(t, got.Stdout, "work\n", got.Stderr)
}
