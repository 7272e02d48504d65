package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

// open opens the sandbox of path and serves it until the test ends, or
// until close: a sandbox opened again on the same path must be closed
// first.
func open(t *testing.T, path, adminKey string) *env {
	t.Helper()
	s, err := sandbox.Open(path, adminKey)
	assert.NilError(t, err)
	t.Cleanup(func() { assert.Check(t, s.Close()) }) // after the HTTP server's
	return serve(t, s)
}

// close closes the sandbox, which saves and gives up its state file; it
// still answers, but changes are no longer saved.
func (e *env) close() {
	e.t.Helper()
	assert.NilError(e.t, e.srv.Close())
}

// The first start seeds two teams, a user and an admin key, and saves
// them; later starts find the same state and print the same key.
func TestOpenSeedsOnceAndKeepsTheAdminKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config", "sandbox.json")
	e := open(t, path, "")
	admin := e.srv.AdminKey()
	assert.Assert(t, keyFormat.MatchString(admin), admin)

	teams := decode[struct{ Teams []sandbox.Team }](t, e.call("GET", "/v1/teams", admin, "")).Teams
	assert.Equal(t, len(teams), 2)
	assert.Assert(t, teams[0].Default && !teams[1].Default)
	assert.Equal(t, teams[0].Name, "Default")
	for _, team := range teams {
		_, err := time.Parse(time.RFC3339, team.CreatedAt)
		assert.NilError(t, err, team.CreatedAt)
	}
	user := decode[sandbox.User](t, e.call("GET", "/v1/users/me", admin, ""))
	assert.Assert(t, user.UserID != "" && user.Email != nil && user.Name != nil && user.WorkspaceName != nil)

	prefix, _, _ := strings.Cut(admin, ".")
	assert.DeepEqual(t, e.list(admin), []sandbox.KeyInfo{{Prefix: prefix, Name: ptr("sandbox-admin"), Type: sandbox.TypeWorkspaceManageAll, TeamName: ptr("Default")}})

	created := e.create("/v1/teams/"+teams[1].ID+"/api_keys", `{"type":"WORKSPACE_INVOKE","name":"ci","model_ids":["m1"]}`)
	info, err := os.Stat(path)
	assert.NilError(t, err)
	assert.Equal(t, info.Mode().Perm(), os.FileMode(0o600))
	raw, err := os.ReadFile(path)
	assert.NilError(t, err)
	_, secret, _ := strings.Cut(created, ".")
	assert.Assert(t, !strings.Contains(string(raw), secret), "only a digest of a created key's secret is stored")

	e.close()
	again := open(t, path, "")
	assert.Equal(t, again.srv.AdminKey(), admin)
	assert.DeepEqual(t, again.srv.Keys(), e.srv.Keys())
	assert.DeepEqual(t, again.srv.Teams(), teams)
	assert.DeepEqual(t, decode[sandbox.User](t, again.call("GET", "/v1/users/me", admin, "")), user)
	// The created key still authenticates after the restart (it is an
	// invoke key, so it may read teams but not list keys).
	assert.Equal(t, again.call("GET", "/v1/teams", created, "").status, http.StatusOK)
	assert.Equal(t, again.call("GET", "/v1/api_keys", created, "").status, http.StatusForbidden)
}

// Deleting the admin key through the API works like deleting any key; the
// next start makes a new one, since serve must print a key that works.
func TestOpenReplacesADeletedAdminKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e := open(t, path, "")
	old := e.srv.AdminKey()
	prefix, _, _ := strings.Cut(old, ".")
	assert.Equal(t, e.call("DELETE", "/v1/api_keys/"+prefix, old, "").status, http.StatusOK)
	assert.Equal(t, e.call("GET", "/v1/teams", old, "").status, http.StatusUnauthorized)
	e.close()

	again := open(t, path, "")
	assert.Assert(t, again.srv.AdminKey() != old)
	assert.Equal(t, len(again.list(again.srv.AdminKey())), 1)
}

// A given admin key replaces the stored one, which stops working.
func TestOpenWithAdminKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	first := open(t, path, "")
	first.close()
	const fixed = "0123abcd.fixed-secret-for-tests"
	e := open(t, path, fixed)
	assert.Equal(t, e.srv.AdminKey(), fixed)
	keys := e.list(fixed)
	assert.Equal(t, len(keys), 1)
	assert.Equal(t, keys[0].Prefix, "0123abcd")
	assert.Equal(t, e.call("GET", "/v1/teams", first.srv.AdminKey(), "").status, http.StatusUnauthorized)
	other := e.create("/v1/api_keys", `{"type":"PERSONAL"}`)
	e.close()
	next := open(t, path, "")
	assert.Equal(t, next.srv.AdminKey(), fixed, "kept for the next start")
	next.close()

	// Its prefix may not be another key's. The refused Open leaves the
	// file free for the next.
	otherPrefix, _, _ := strings.Cut(other, ".")
	_, err := sandbox.Open(path, otherPrefix+".another-secret-1234")
	assert.ErrorContains(t, err, "already another key's")
	open(t, path, "").close()

	for _, bad := range []string{"short.0123456789abcdef", "0123ABCD.0123456789abcdef", "0123abcd.short", "0123abcd", "0123abcd.0123456789 abcdef"} {
		assert.Assert(t, sandbox.CheckKey(bad) != nil, bad)
	}
}

func TestOpenInMemory(t *testing.T) {
	a, b := open(t, "", ""), open(t, "", "")
	assert.Assert(t, a.srv.AdminKey() != b.srv.AdminKey(), "every start is fresh")
	assert.Equal(t, len(a.srv.Teams()), 2)
	a.create("/v1/api_keys", `{"type":"PERSONAL"}`)
	assert.NilError(t, a.srv.Flush())
}

// A state file has one owner at a time: while one sandbox has it open,
// another is refused, or each would overwrite the keys the other created.
// Once the owner is closed, the file is free, and holds all its keys.
func TestStateFileInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e := open(t, path, "")
	_, err := sandbox.Open(path, "")
	inUse, ok := err.(*sandbox.InUseError)
	assert.Assert(t, ok, "%v", err)
	assert.DeepEqual(t, *inUse, sandbox.InUseError{Path: path, PID: os.Getpid()})
	assert.Error(t, err, fmt.Sprintf("sandbox state file %s is in use by another baseten sandbox (pid %d)", path, os.Getpid()))

	created := e.create("/v1/api_keys", `{"type":"PERSONAL"}`)
	e.close()
	// The closed sandbox still answers, but saves nothing more: its
	// changes could overwrite the next owner's.
	r := e.call("POST", "/v1/api_keys", e.srv.AdminKey(), `{"type":"PERSONAL"}`)
	assert.Equal(t, r.status, http.StatusInternalServerError)
	assert.Assert(t, is.Contains(detail(t, r), "the sandbox is closed"))
	assert.NilError(t, e.srv.Close(), "closing again does nothing")

	again := open(t, path, "")
	prefix, _, _ := strings.Cut(created, ".")
	assert.Equal(t, len(again.srv.Keys()), 2)
	assert.Equal(t, again.srv.Keys()[1].Prefix, prefix)
}

// A state file that others may read (copied, or written by hand) is made
// 0600 as soon as it is opened, not at the first change: it holds the
// admin key in clear. Its content is left as it is.
func TestOpenMakesTheStateFilePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows guards files with ACLs, not mode bits")
	}
	path := filepath.Join(t.TempDir(), "sandbox.json")
	open(t, path, "").close()
	before, err := os.ReadFile(path)
	assert.NilError(t, err)
	for _, loose := range []os.FileMode{0o644, 0o640, 0o604} {
		assert.NilError(t, os.Chmod(path, loose))
		open(t, path, "").close()
		info, err := os.Stat(path)
		assert.NilError(t, err)
		assert.Equal(t, info.Mode().Perm(), os.FileMode(0o600), "was %#o", loose)
	}
	after, err := os.ReadFile(path)
	assert.NilError(t, err)
	assert.Equal(t, string(after), string(before))

	// A file that is not a state is not the sandbox's to change.
	notState := filepath.Join(t.TempDir(), "notes.txt")
	assert.NilError(t, os.WriteFile(notState, []byte("my notes"), 0o644))
	_, err = sandbox.Open(notState, "")
	assert.ErrorContains(t, err, "is not a sandbox state")
	info, err := os.Stat(notState)
	assert.NilError(t, err)
	assert.Equal(t, info.Mode().Perm(), os.FileMode(0o644))
}

// A state file that is a symbolic link stays one: the state is written to
// the link's target, in the target's directory, and the link is left as
// it is. The link and its target are one file to own.
func TestSymlinkedStateFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "sandbox.json")
	open(t, target, "").close()
	link := filepath.Join(dir, "config", "sandbox.json")
	assert.NilError(t, os.Mkdir(filepath.Dir(link), 0o700))
	if err := os.Symlink(filepath.Join("..", "dotfiles", "sandbox.json"), link); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}

	e := open(t, link, "")
	_, err := sandbox.Open(target, "")
	assert.ErrorContains(t, err, "is in use by another baseten sandbox")
	created := e.create("/v1/api_keys", `{"type":"PERSONAL"}`)
	e.close()

	dest, err := os.Readlink(link)
	assert.NilError(t, err, "still a link")
	assert.Equal(t, dest, filepath.Join("..", "dotfiles", "sandbox.json"))
	entries, err := os.ReadDir(filepath.Dir(link))
	assert.NilError(t, err)
	assert.Equal(t, len(entries), 1, "nothing written beside the link")
	prefix, _, _ := strings.Cut(created, ".")
	assert.Assert(t, slices.ContainsFunc(open(t, target, "").srv.Keys(), func(k sandbox.KeyInfo) bool { return k.Prefix == prefix }),
		"the key is in the target")

	// A link to nothing is refused: it is not clear what it means.
	dangling := filepath.Join(dir, "dangling.json")
	assert.NilError(t, os.Symlink(filepath.Join(dir, "missing", "sandbox.json"), dangling))
	_, err = sandbox.Open(dangling, "")
	assert.ErrorContains(t, err, "state file "+dangling+" is a symbolic link that cannot be followed: ")
	_, err = os.Lstat(filepath.Join(dir, "missing"))
	assert.Assert(t, os.IsNotExist(err), "nothing created")
}

// largestCreate is the body of the create that stores the most: a name and
// model IDs as long and as many as allowed, of a character that JSON
// escapes in six bytes (\u0001), the worst case for the state file.
func largestCreate() string {
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = strings.Repeat("\x01", 128)
	}
	body, _ := json.Marshal(map[string]any{"type": "WORKSPACE_INVOKE", "name": strings.Repeat("\x01", 256), "model_ids": ids})
	return string(body)
}

// What one create may store is capped (422, in pydantic's words), and the
// state file is compact, so a key costs it no more than its request did:
// creates can no longer make the file too large to read back in a few
// hundred requests (1 MiB of model IDs doubled in the indented file).
func TestCreateLimitsKeepTheStateFileSmall(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e := open(t, path, "")
	size := func() int {
		info, err := os.Stat(path)
		assert.NilError(t, err)
		return int(info.Size())
	}
	before := size()
	largest := largestCreate()
	e.create("/v1/api_keys", largest)
	grown := size() - before
	assert.Assert(t, grown < len(largest)+200, "a request of %d bytes grew the state file by %d", len(largest), grown)

	many := func(n int, id string) string {
		return `{"type":"WORKSPACE_INVOKE","model_ids":["` + strings.Repeat(id+`","`, n-1) + id + `"]}`
	}
	for body, detail := range map[string]string{
		`{"type":"PERSONAL","name":"` + strings.Repeat("é", 257) + `"}`: `[{"loc":["body","name"],"msg":"String should have at most 256 characters","type":"string_too_long","ctx":{"max_length":256}}]`,
		many(101, "m"): `[{"loc":["body","model_ids"],"msg":"List should have at most 100 items after validation, not 101","type":"too_long","ctx":{"actual_length":101,"field_type":"List","max_length":100}}]`,
		`{"type":"WORKSPACE_INVOKE","model_ids":["m","` + strings.Repeat("m", 129) + `"]}`: `[{"loc":["body","model_ids",1],"msg":"String should have at most 128 characters","type":"string_too_long","ctx":{"max_length":128}}]`,
		// The review's request: 1 MiB of model IDs, refused in one line.
		many(250_000, "a"): `[{"loc":["body","model_ids"],"msg":"List should have at most 100 items after validation, not 250000","type":"too_long","ctx":{"actual_length":250000,"field_type":"List","max_length":100}}]`,
	} {
		r := e.call("POST", "/v1/api_keys", e.srv.AdminKey(), body)
		assert.Equal(t, r.status, http.StatusUnprocessableEntity, body[:min(len(body), 80)])
		assert.Equal(t, string(r.body), `{"detail":`+detail+"}\n")
	}
	assert.Equal(t, size(), before+grown, "nothing refused was stored")
	// At the limits, and counted in characters, not bytes.
	e.create("/v1/api_keys", `{"type":"WORKSPACE_INVOKE","name":"`+strings.Repeat("é", 256)+`","model_ids":["`+strings.Repeat("m", 128)+`"]}`)
}

// Whatever the limits, the sandbox never writes a state file it would
// refuse to read back: a change that would make it too large is answered
// 500, and the file keeps the last state that loads.
func TestStateNeverOutgrowsWhatOpenReads(t *testing.T) {
	defer sandbox.SetMaxStateBytes(1 << 20)()
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e := open(t, path, "")
	largest := largestCreate()
	stored := 1 // the admin key
	var r response
	for range 30 { // ~14 fit in 1 MiB
		if r = e.call("POST", "/v1/api_keys", e.srv.AdminKey(), largest); r.status != http.StatusOK {
			break
		}
		stored++
	}
	assert.Equal(t, r.status, http.StatusInternalServerError, "%s", r.body)
	const full = "the state would be larger than the 1 MiB a sandbox reads back; delete keys to make room"
	assert.Assert(t, is.Contains(detail(t, r), full))
	assert.Equal(t, len(e.srv.Keys()), stored, "the refused create was undone")
	assert.NilError(t, e.srv.Close()) // nothing is left unsaved

	info, err := os.Stat(path)
	assert.NilError(t, err)
	assert.Assert(t, info.Size() <= 1<<20, "%d bytes", info.Size())
	assert.Equal(t, len(open(t, path, "").srv.Keys()), stored)
}

// A state file that is not a valid state is refused, named, and never
// written over, whatever is wrong with it.
func TestOpenRefusesBadStateFiles(t *testing.T) {
	valid := func(t *testing.T) map[string]any {
		path := filepath.Join(t.TempDir(), "sandbox.json")
		open(t, path, "").create("/v1/api_keys", `{"type":"PERSONAL"}`)
		raw, err := os.ReadFile(path)
		assert.NilError(t, err)
		var st map[string]any
		assert.NilError(t, json.Unmarshal(raw, &st))
		return st
	}
	edit := func(change func(st map[string]any)) string {
		st := valid(t)
		change(st)
		raw, err := json.Marshal(st)
		assert.NilError(t, err)
		return string(raw)
	}
	keys := func(st map[string]any) []any { return st["keys"].([]any) }
	teams := func(st map[string]any) []any { return st["teams"].([]any) }
	for name, content := range map[string]string{
		"empty":             "",
		"garbage":           "\x00\x01not json",
		"truncated":         `{"version":1,"admin_key":"`,
		"an array":          `[]`,
		"two objects":       edit(func(map[string]any) {}) + "{}",
		"unknown field":     edit(func(st map[string]any) { st["extra"] = true }),
		"other version":     edit(func(st map[string]any) { st["version"] = 2 }),
		"bad admin key":     edit(func(st map[string]any) { st["admin_key"] = "nope" }),
		"no user id":        edit(func(st map[string]any) { st["user"] = map[string]any{} }),
		"no teams":          edit(func(st map[string]any) { st["teams"] = []any{} }),
		"two defaults":      edit(func(st map[string]any) { teams(st)[1].(map[string]any)["default"] = true }),
		"bad created_at":    edit(func(st map[string]any) { teams(st)[0].(map[string]any)["created_at"] = "yesterday" }),
		"duplicate team":    edit(func(st map[string]any) { teams(st)[1].(map[string]any)["id"] = teams(st)[0].(map[string]any)["id"] }),
		"duplicate prefix":  edit(func(st map[string]any) { st["keys"] = append(keys(st), keys(st)[0]) }),
		"prefix with a dot": edit(func(st map[string]any) { keys(st)[1].(map[string]any)["prefix"] = "a.b" }),
		"key without type":  edit(func(st map[string]any) { delete(keys(st)[1].(map[string]any), "type") }),
		// Listed as they are, these would break the description or
		// answer what the API never does.
		"unknown type":        edit(func(st map[string]any) { keys(st)[1].(map[string]any)["type"] = "BOGUS" }),
		"prefix with a space": edit(func(st map[string]any) { keys(st)[1].(map[string]any)["prefix"] = "ab cd" }),
		"prefix with a line":  edit(func(st map[string]any) { keys(st)[1].(map[string]any)["prefix"] = "ab\ncd" }),
		"prefix with a \\":    edit(func(st map[string]any) { keys(st)[1].(map[string]any)["prefix"] = `ab\cd` }),
		"model_ids on a personal key": edit(func(st map[string]any) {
			keys(st)[1].(map[string]any)["model_ids"] = []any{"m1"}
		}),
		"bad digest":       edit(func(st map[string]any) { keys(st)[1].(map[string]any)["secret_sha256"] = "xyz" }),
		"wrong value type": edit(func(st map[string]any) { keys(st)[1].(map[string]any)["name"] = 5 }),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sandbox.json")
			assert.NilError(t, os.WriteFile(path, []byte(content), 0o600))
			_, err := sandbox.Open(path, "")
			stateErr, ok := err.(*sandbox.StateError)
			assert.Assert(t, ok, "%v", err)
			assert.Equal(t, stateErr.Path, path)
			assert.Assert(t, is.Contains(err.Error(), "state file "+path+" is not a sandbox state ("))
			after, readErr := os.ReadFile(path)
			assert.NilError(t, readErr)
			assert.Equal(t, string(after), content, "left as it was")
		})
	}
	// Not a file at all.
	_, err := sandbox.Open(t.TempDir(), "")
	assert.ErrorContains(t, err, "is a directory")
}

// A change that cannot be saved is answered 500, with a FastAPI body.
func TestSaveFailure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	e := open(t, filepath.Join(dir, "sandbox.json"), "")
	admin := e.srv.AdminKey()
	assert.NilError(t, os.RemoveAll(dir))
	assert.NilError(t, os.WriteFile(dir, nil, 0o600)) // the directory is now a file
	r := e.call("POST", "/v1/api_keys", admin, `{"type":"PERSONAL"}`)
	assert.Equal(t, r.status, http.StatusInternalServerError)
	assert.Assert(t, is.Contains(detail(t, r), "The sandbox could not save its state: saving the sandbox state to "+dir))
	assert.Equal(t, len(e.list(admin)), 1, "the create that was not saved was undone")

	// Once the file can be written again, changes are saved again; the
	// undone one stays undone.
	assert.NilError(t, os.Remove(dir))
	assert.NilError(t, os.Mkdir(dir, 0o700))
	e.create("/v1/api_keys", `{"type":"PERSONAL","name":"after"}`)
	e.close()
	assert.Equal(t, len(open(t, filepath.Join(dir, "sandbox.json"), "").srv.Keys()), 2)
}
