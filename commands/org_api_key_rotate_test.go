package commands_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// rotationSandbox has the key to rotate: "ci", an invoke key of two models
// in Research, with prefix ci000001.
func rotationSandbox(t *testing.T, extra ...sandbox.SeedKey) (*api, *sandbox.Server) {
	keys := append([]sandbox.SeedKey{{Prefix: "ci000001", Secret: "oldsecretoldsecret", Name: strptr("ci"), Type: sandbox.TypeWorkspaceInvoke, ModelIDs: []string{"m1", "m2"}, TeamName: strptr("Research")}}, extra...)
	return sandboxAPI(t, sandbox.Options{Teams: seededTeams(), Keys: keys})
}

func TestRotate(t *testing.T) {
	a, sb := rotationSandbox(t)
	r := newRunner(a)
	got := r.run("org", "api-key", "rotate", "--name", "ci", "--yes")
	assert.Equal(t, got.Code, 0, got.Stderr)
	key, prefix := createdKey(t, got.Stdout)
	assert.Equal(t, got.Stderr, "Save this key now. It will not be shown again.\nRotated: "+prefix+" replaces ci000001, which is deleted.\n")
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/api_keys", "GET /v1/teams", "POST /v1/teams/t-research/api_keys", "DELETE /v1/api_keys/ci000001"})
	assert.Equal(t, a.requests[2].Body, `{"name":"ci","type":"WORKSPACE_INVOKE","model_ids":["m1","m2"]}`)
	assert.DeepEqual(t, sb.Keys(), []sandbox.KeyInfo{{Prefix: prefix, Name: strptr("ci"), Type: sandbox.TypeWorkspaceInvoke, ModelIDs: []string{"m1", "m2"}, TeamName: strptr("Research")}})
	assertNoSecret(t, got, key)

	// By prefix (stars pasted from the list are fine), as JSON, keeping the old key.
	a.Reset()
	got = r.run("org", "api-key", "rotate", "--prefix", prefix+"****", "--keep-old", "--jq", ".api_key")
	assert.Equal(t, got.Code, 0, got.Stderr)
	_, newest := createdKey(t, got.Stdout)
	assert.Equal(t, got.Stderr, "Kept the old key "+prefix+": both keys work. Delete it when the grace period is over: baseten org api-key delete --prefix "+prefix+"\n")
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/api_keys", "GET /v1/teams", "POST /v1/teams/t-research/api_keys"})
	assert.Equal(t, len(sb.Keys()), 2)
	assert.Equal(t, sb.Keys()[1].Prefix, newest)
}

// Refused before anything is created: output that would lose the key, an
// ambiguous name, a team that is not one team, no --yes without a terminal.
func TestRotateRefusals(t *testing.T) {
	a, sb := rotationSandbox(t,
		sandbox.SeedKey{Prefix: "dup00001", Name: strptr("dup"), TeamName: strptr("Default")},
		sandbox.SeedKey{Prefix: "dup00002", Name: strptr("dup"), TeamName: strptr("Default")},
		sandbox.SeedKey{Prefix: "ops00001", Name: strptr("ops"), TeamName: strptr("Ops")},
		sandbox.SeedKey{Prefix: "gone0001", Name: strptr("gone"), TeamName: strptr("Nowhere")},
	)
	r := newRunner(a)
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"--name", "ci", "--yes", "-o", "none"}, 2, "Error: --output none would discard the new key, which is shown only once\n"},
		{[]string{"--name", "ci"}, 2, "Error: baseten org api-key rotate needs --yes when stdin is not a terminal: there is nobody to confirm it\n"},
		{[]string{"--name", "dup", "--yes"}, 2, "Error: 2 API keys are named \"dup\": dup00001, dup00002\nNothing was created or deleted. Pass --prefix with one of these prefixes.\n"},
		{[]string{"--name", "nope", "--yes"}, 4, "Error: no API key named \"nope\"\n"},
		{[]string{"--prefix", "nope0001", "--yes"}, 4, "Error: no API key has the prefix \"nope0001\"\n"},
		{[]string{"--name", "ops", "--yes"}, 1, "Error: key ops00001 belongs to team \"Ops\", which names 2 teams, not one; nothing was created or deleted\n"},
		{[]string{"--name", "gone", "--keep-old"}, 1, "Error: key gone0001 belongs to team \"Nowhere\", which names 0 teams, not one; nothing was created or deleted\n"},
		{[]string{"--name", "ci", "--prefix", "ci000001"}, 2, "Error: --name and --prefix can't be used together\n"},
	} {
		got := r.run(append([]string{"org", "api-key", "rotate"}, tc.args...)...)
		assert.Equal(t, got.Code, tc.code, "%v: %s", tc.args, got.Stderr)
		assert.Assert(t, strings.HasPrefix(got.Stderr, tc.stderr), "%v: %s", tc.args, got.Stderr)
	}
	r.discarded = true
	got := r.run("org", "api-key", "rotate", "--name", "ci", "--yes")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: stdout is /dev/null"), got.Stderr)
	for _, req := range a.Requests() {
		assert.Assert(t, strings.HasPrefix(req, "GET "), "nothing created or deleted: %v", a.Requests())
	}
	assert.Equal(t, len(sb.Keys()), 5)
}

// On a terminal it asks, naming the key; no is exit 2 with nothing done.
func TestRotateAsks(t *testing.T) {
	a, sb := rotationSandbox(t)
	r := newRunner(a)
	r.typed = []string{"no"}
	got := r.run("org", "api-key", "rotate", "--name", "ci")
	assertResult(t, got, "", "Rotate API key ci000001 (named \"ci\", workspace-invoke, team Research)? A replacement is created and the old key deleted. [y/N] Error: not confirmed; nothing was changed\n", 2)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/api_keys", "GET /v1/teams"})
	r.typed = []string{"y"}
	got = r.run("org", "api-key", "rotate", "--name", "ci")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, len(sb.Keys()), 1)
}

// The new key cannot be written: the old one is kept, and the new one's
// revoke command is printed.
func TestRotateWriteFails(t *testing.T) {
	a, sb := rotationSandbox(t)
	r := newRunner(a)
	r.stdout = brokenWriter{}
	got := r.run("org", "api-key", "rotate", "--name", "ci", "--yes")
	assert.Equal(t, got.Code, 1)
	keys := sb.Keys()
	assert.Equal(t, len(keys), 2, "the old key is kept")
	newPrefix := keys[1].Prefix
	assert.Equal(t, got.Stderr, "Error: the new API key "+newPrefix+"... was created but not shown: write /dev/stdout: broken pipe; the old key ci000001 was kept and still works\n"+
		"Revoke it with: baseten org api-key delete --prefix "+newPrefix+"\n")
	assert.Assert(t, !strings.Contains(strings.Join(a.Requests(), " "), "DELETE"))

	// A filter that drops the key: the same.
	r.stdout = nil
	got = r.run("org", "api-key", "rotate", "--prefix", "ci000001", "--yes", "--jq", ".nothing")
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, is.Contains(got.Stderr, "was created but not shown: the --jq filter's output does not contain it; the old key ci000001 was kept and still works\n"), got.Stderr)
	assert.Equal(t, got.Stdout, "")
	assert.Equal(t, len(sb.Keys()), 3)
}

// failingDeletes answers every DELETE with status; the rest goes to next.
func failingDeletes(next http.Handler, status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write([]byte(`{"detail":"nope"}`))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// The delete fails: the new key is printed, the old one is live, and the
// command to delete it is printed, with the status's exit code.
func TestRotateDeleteFails(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   int
		state  string
	}{
		{http.StatusForbidden, 3, "is still live"},
		{http.StatusInternalServerError, 6, "may still be live"},
	} {
		sb := sandbox.New(sandbox.Options{APIKey: testKey, Teams: seededTeams(), Keys: []sandbox.SeedKey{{Prefix: "ci000001", Name: strptr("ci"), Type: sandbox.TypePersonal, TeamName: strptr("Default")}}})
		a := newAPI(t, failingDeletes(sandboxtest.Contract(t, sb), tc.status))
		r := newRunner(a)
		r.env["BASETEN_HTTP_TIMEOUT"] = "2s" // a 500 is retried within it
		got := r.run("org", "api-key", "rotate", "--name", "ci", "--yes", "--remote-url", "http://127.0.0.1:9")
		assert.Equal(t, got.Code, tc.code, got.Stderr)
		key, prefix := createdKey(t, got.Stdout)
		assert.Assert(t, is.Contains(got.Stderr, "Error: the new key "+prefix+" is printed above, but deleting the old key ci000001 failed (API request failed ("), got.Stderr)
		assert.Assert(t, is.Contains(got.Stderr, "; the old key "+tc.state+"\nDelete it with: baseten org api-key delete --prefix ci000001 --remote-url http://127.0.0.1:9\n"), got.Stderr)
		assertNoSecret(t, got, key)
		assert.Equal(t, len(sb.Keys()), 2)
	}
}

// cancelOnWrite is a stdout that takes what is written, then cancels:
// a Ctrl-C that lands just after the new key was shown.
type cancelOnWrite struct {
	strings.Builder
	cancel context.CancelFunc
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	defer w.cancel()
	return w.Builder.Write(p)
}

// A Ctrl-C after the new key exists: the key is still shown, nothing is
// deleted, and the error says both keys work, with the command that
// finishes the rotation and the one that undoes it.
func TestRotateInterruptedBeforeDelete(t *testing.T) {
	a, sb := rotationSandbox(t)
	r := newRunner(a)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &cancelOnWrite{cancel: cancel}
	r.ctx, r.stdout = ctx, out
	got := r.run("org", "api-key", "rotate", "--name", "ci", "--yes")
	assert.Equal(t, got.Code, 130, got.Stderr)
	key, prefix := createdKey(t, out.String())
	assert.Equal(t, got.Stderr, "Save this key now. It will not be shown again.\n"+
		"Error: interrupted: the new key "+prefix+" is printed above, and the old key ci000001 was not deleted; both keys work\n"+
		"Finish the rotation with: baseten org api-key delete --prefix ci000001 (or undo it with: baseten org api-key delete --prefix "+prefix+")\n")
	assertNoSecret(t, got, key)
	assert.Assert(t, !strings.Contains(strings.Join(a.Requests(), " "), "DELETE"), "%v", a.Requests())
	assert.Equal(t, len(sb.Keys()), 2)
}

// sameKeyPrefix answers a key create with a key of the prefix given (the
// old key's); the rest goes to next.
func sameKeyPrefix(next http.Handler, prefix string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/api_keys") {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"api_key":"` + prefix + `.newsecretnewsecretnewsecret"}`))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// A server that gives the replacement the old key's prefix: deleting the
// old key by prefix could delete the new one, so nothing is deleted.
func TestRotateNewKeyWithTheOldPrefix(t *testing.T) {
	sb := sandbox.New(sandbox.Options{APIKey: testKey, Teams: seededTeams(), Keys: []sandbox.SeedKey{{Prefix: "ci000001", Name: strptr("ci"), Type: sandbox.TypePersonal, TeamName: strptr("Default")}}})
	a := newAPI(t, sameKeyPrefix(sb, "ci000001"))
	r := newRunner(a)
	got := r.run("org", "api-key", "rotate", "--name", "ci", "--yes")
	assert.Equal(t, got.Code, 1, got.Stderr)
	assert.Equal(t, got.Stdout, "ci000001.newsecretnewsecretnewsecret\n")
	assert.Equal(t, got.Stderr, "Save this key now. It will not be shown again.\n"+
		"Error: the API gave the new key printed above the old key's prefix ci000001, so nothing was deleted (a delete by that prefix could delete the new key); both keys may be live\n"+
		"Check which keys there are with: baseten org api-key list\n")
	assert.Assert(t, !strings.Contains(strings.Join(a.Requests(), " "), "DELETE"), "%v", a.Requests())
}

// Rotating the key the command runs with: once it is deleted, the note
// says that key no longer works and how to replace it, instead of every
// later command failing with a 401 and no word of why.
func TestRotateTheKeyInUse(t *testing.T) {
	a, _ := rotationSandbox(t, sandbox.SeedKey{Prefix: "me000001", Secret: "mysecretmysecretmysecret", Name: strptr("me"), Type: sandbox.TypePersonal, TeamName: strptr("Default")})
	r := newRunner(a)
	r.env["BASETEN_API_KEY"] = "me000001.mysecretmysecretmysecret"
	got := r.run("org", "api-key", "rotate", "--name", "me", "--yes")
	assert.Equal(t, got.Code, 0, got.Stderr)
	_, prefix := createdKey(t, got.Stdout)
	assert.Equal(t, got.Stderr, "Save this key now. It will not be shown again.\nRotated: "+prefix+" replaces me000001, which is deleted.\n"+
		"This command ran with the old key, from BASETEN_API_KEY, which no longer works: set it to the new one.\n")
}

func TestRotateTheStoredKeyInUse(t *testing.T) {
	a, _ := rotationSandbox(t, sandbox.SeedKey{Prefix: "me000001", Secret: "mysecretmysecretmysecret", Name: strptr("me"), Type: sandbox.TypePersonal, TeamName: strptr("Default")})
	r := loginRunner(a)
	r.stdin = "me000001.mysecretmysecretmysecret"
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "work").Code, 0)
	r.stdin = ""
	got := r.run("org", "api-key", "rotate", "--prefix", "me000001", "--yes")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, strings.HasSuffix(got.Stderr, "This command ran with the old key, stored as \"work\", which no longer works. Store the new one under that label: baseten auth login --with-api-key --label work\n"), got.Stderr)
}
