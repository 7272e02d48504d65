package commands_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

var keyPattern = regexp.MustCompile(`^([a-z0-9]{8})\.[A-Za-z0-9]{32}$`)

// createdKey checks stdout holds exactly one key line and returns key and prefix.
func createdKey(t *testing.T, stdout string) (key, prefix string) {
	t.Helper()
	key = strings.TrimSuffix(stdout, "\n")
	m := keyPattern.FindStringSubmatch(key)
	assert.Assert(t, m != nil, "stdout is not one key: %q", stdout)
	return key, m[1]
}

func TestCreateTextMode(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	got := newRunner(a).run("org", "api-key", "create", "--type", "personal", "--name", "laptop")
	assert.Equal(t, got.Code, 0, got.Stderr)
	key, prefix := createdKey(t, got.Stdout)
	assert.Equal(t, got.Stderr, "Save this key now. It will not be shown again.\n")

	// The create, then the list that checks whether the name is taken.
	assert.DeepEqual(t, a.Requests(), []string{"POST /v1/api_keys", "GET /v1/api_keys"})
	req := a.requests[0]
	assert.Equal(t, req.Body, `{"name":"laptop","type":"PERSONAL"}`)
	assert.Equal(t, req.ContentType, "application/json")
	assert.Equal(t, req.Authorization, "Bearer "+testKey)

	keys := sb.Keys()
	assert.Equal(t, len(keys), 1)
	assert.Equal(t, keys[0].Prefix, prefix)
	assert.Equal(t, *keys[0].Name, "laptop")
	assertNoSecret(t, got, key, testKey)
}

func TestCreateSendsOnlyGivenFields(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	cases := []struct{ args, body string }{
		{"--type personal", `{"type":"PERSONAL"}`},
		{"--type workspace-manage-all", `{"type":"WORKSPACE_MANAGE_ALL"}`},
		{"--type workspace-invoke --model-id m1 --model-id m2", `{"type":"WORKSPACE_INVOKE","model_ids":["m1","m2"]}`},
		// A comma is part of an ID, not a separator.
		{"--type workspace-export-metrics --model-id a,b", `{"type":"WORKSPACE_EXPORT_METRICS","model_ids":["a,b"]}`},
	}
	for _, tc := range cases {
		got := r.run(append([]string{"org", "api-key", "create"}, strings.Fields(tc.args)...)...)
		assert.Equal(t, got.Code, 0, got.Stderr)
		assert.Equal(t, a.Last().Body, tc.body, tc.args)
	}
}

func TestCreateJSONAndJQ(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)

	got := r.run("org", "api-key", "create", "--type", "personal", "-o", "json")
	assert.Equal(t, got.Code, 0)
	assert.Assert(t, is.Regexp(`^\{\n  "api_key": "[a-z0-9]{8}\.[A-Za-z0-9]{32}"\n\}\n$`, got.Stdout))
	assert.Equal(t, got.Stderr, "")

	got = r.run("org", "api-key", "create", "--type", "personal", "-o", "jsonl")
	assert.Assert(t, is.Regexp(`^\{"api_key":"[a-z0-9]{8}\.[A-Za-z0-9]{32}"\}\n$`, got.Stdout))

	// The reference's jq example prints the bare key.
	got = r.run("org", "api-key", "create", "--type", "personal", "--jq", ".api_key")
	assert.Equal(t, got.Code, 0)
	createdKey(t, got.Stdout)
	assert.Equal(t, got.Stderr, "")
}

func TestCreateJQRuntimeErrorNamesTheKey(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	got := newRunner(a).run("org", "api-key", "create", "--type", "personal", "--jq", ".api_key | tonumber")
	assert.Equal(t, got.Code, 1)
	assert.Equal(t, got.Stdout, "")
	prefix := sb.Keys()[0].Prefix
	assert.Assert(t, is.Regexp(`^Error: the new API key `+prefix+`\.\.\. was created but not shown: jq: tonumber cannot be applied to "`+prefix+`\.\[redacted\] \.\.\.": invalid number\n`+
		`Revoke it with: baseten org api-key delete --prefix `+prefix+`\n$`, got.Stderr))
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) {
	return 0, errors.New("write /dev/stdout: broken pipe")
}

func TestCreateUnwritableStdoutNamesTheKey(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	r.stdout = brokenWriter{}
	got := r.run("org", "api-key", "create", "--type", "personal", "--remote-url", "http://127.0.0.1:1")
	assert.Equal(t, got.Code, 1)
	prefix := sb.Keys()[0].Prefix
	assert.Equal(t, got.Stderr, "Error: the new API key "+prefix+"... was created but not shown: write /dev/stdout: broken pipe\n"+
		"Revoke it with: baseten org api-key delete --prefix "+prefix+" --remote-url http://127.0.0.1:1\n")
}

// A --jq filter whose output lacks the new key fails: the key would be lost.
func TestCreateFailsWhenJQDropsTheKey(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	for _, filter := range []string{"keys", ".prefix"} {
		got := newRunner(a).run("org", "api-key", "create", "--type", "personal", "--jq", filter)
		keys := sb.Keys()
		prefix := keys[len(keys)-1].Prefix
		assertResult(t, got, "", "Error: the new API key "+prefix+"... was created but not shown: the --jq filter's output does not contain it\n"+
			"Revoke it with: baseten org api-key delete --prefix "+prefix+"\n", 1)
	}
}

func TestCreateInTeam(t *testing.T) {
	teams := []sandbox.Team{
		{ID: "team-default", Name: "Default", Default: true, CreatedAt: "2024-01-01T00:00:00Z"},
		{ID: "t-research", Name: "Research", CreatedAt: "2024-02-01T00:00:00Z"},
		{ID: "t-ops1", Name: "Ops", CreatedAt: "2024-03-01T00:00:00Z"},
		{ID: "t-ops2", Name: "Ops", CreatedAt: "2024-03-02T00:00:00Z"},
		{ID: "Research", Name: "Named like an ID", CreatedAt: "2024-04-01T00:00:00Z"},
	}
	a, sb := sandboxAPI(t, sandbox.Options{Teams: teams})
	r := newRunner(a)

	t.Run("by ID", func(t *testing.T) {
		a.Reset()
		got := r.run("org", "api-key", "create", "--type", "personal", "--team", "t-ops1")
		assert.Equal(t, got.Code, 0, got.Stderr)
		assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams", "POST /v1/teams/t-ops1/api_keys"})
		assert.Equal(t, *sb.Keys()[len(sb.Keys())-1].TeamName, "Ops")
	})
	t.Run("an exact ID wins over a name", func(t *testing.T) {
		a.Reset()
		got := r.run("org", "api-key", "create", "--type", "personal", "--team", "Research")
		assert.Equal(t, got.Code, 0, got.Stderr)
		assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams", "POST /v1/teams/Research/api_keys"})
	})
	t.Run("a unique name", func(t *testing.T) {
		a.Reset()
		got := r.run("org", "api-key", "create", "--type", "personal", "--team", "Named like an ID")
		assert.Equal(t, got.Code, 0, got.Stderr)
		assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams", "POST /v1/teams/Research/api_keys"})
	})
	t.Run("ambiguous name", func(t *testing.T) {
		a.Reset()
		got := r.run("org", "api-key", "create", "--type", "personal", "--team", "Ops")
		assertResult(t, got, "", "Error: 2 teams are named \"Ops\": t-ops1, t-ops2\nPass --team with one of these IDs.\n", 2)
		assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams"})
	})
	t.Run("no match", func(t *testing.T) {
		a.Reset()
		got := r.run("org", "api-key", "create", "--type", "personal", "--team", "Nope")
		assert.Equal(t, got.Code, 4)
		assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: no team with ID or name \"Nope\"\nTeams you can use: Default (team-default), Research (t-research)"), got.Stderr)
		assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams"})
	})
}

func TestCreateRejectedKey(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	r.env["BASETEN_API_KEY"] = "wrong.key"
	got := r.run("org", "api-key", "create", "--type", "personal")
	assert.Equal(t, got.Code, 3)
	assert.Equal(t, got.Stdout, "")
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: API request failed (401 Unauthorized): "), got.Stderr)
	assertNoSecret(t, got, "wrong.key")
}

func TestCreateVerboseNeverShowsSecrets(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	for _, mode := range [][]string{{"-o", "text"}, {"-o", "json"}, {"--jq", ".api_key"}} {
		got := newRunner(a).run(append([]string{"org", "api-key", "create", "--type", "personal", "-v"}, mode...)...)
		assert.Equal(t, got.Code, 0)
		key := regexp.MustCompile(`[a-z0-9]{8}\.[A-Za-z0-9]{32}`).FindString(got.Stdout)
		assert.Assert(t, key != "", got.Stdout)
		assert.Assert(t, is.Regexp(`^POST `+a.URL+`/v1/api_keys 200 \S+\n`, got.Stderr))
		assertNoSecret(t, got, key, testKey, "Bearer", "Authorization")
	}
}

// Names are not unique in the API: creating a key with a name other keys
// have succeeds, and says so, since delete --name would then refuse.
func TestCreateWarnsWhenTheNameIsTaken(t *testing.T) {
	keys := append(seededKeys(), sandbox.SeedKey{Prefix: "0000aaaa", Name: strptr("laptop"), Type: sandbox.TypePersonal})
	a, sb := sandboxAPI(t, sandbox.Options{Keys: keys})
	r := newRunner(a)

	got := r.run("org", "api-key", "create", "--type", "personal", "--name", "ci metrics")
	assert.Equal(t, got.Code, 0, got.Stderr)
	createdKey(t, got.Stdout)
	assert.Equal(t, got.Stderr, "Save this key now. It will not be shown again.\n"+
		"Warning: another API key is already named \"ci metrics\" (prefix cccc3333). Names are not unique: delete one of them with --prefix, not --name.\n")
	assert.DeepEqual(t, a.Requests(), []string{"POST /v1/api_keys", "GET /v1/api_keys"})

	got = r.run("org", "api-key", "create", "--type", "personal", "--name", "laptop", "--jq", ".api_key")
	assert.Equal(t, got.Code, 0, got.Stderr)
	createdKey(t, got.Stdout)
	assert.Equal(t, got.Stderr, "Warning: 2 other API keys are already named \"laptop\" (prefixes 0000aaaa, aaaa1111). Names are not unique: delete one of them with --prefix, not --name.\n")
	assert.Equal(t, len(sb.Keys()), 6, "both keys were created")

	// A name no other key has: no warning. Without --name: no check either.
	a.Reset()
	got = r.run("org", "api-key", "create", "--type", "personal", "--name", "Laptop")
	assert.Equal(t, got.Stderr, "Save this key now. It will not be shown again.\n")
	got = r.run("org", "api-key", "create", "--type", "personal")
	assert.Equal(t, got.Stderr, "Save this key now. It will not be shown again.\n")
	assert.DeepEqual(t, a.Requests(), []string{"POST /v1/api_keys", "GET /v1/api_keys", "POST /v1/api_keys"})
}

// The key is created and shown before the check: a list that fails
// afterwards costs the warning, not the key or the exit code.
func TestCreateNameCheckFailureIsQuiet(t *testing.T) {
	a := newAPI(t, sequence(ok(`{"api_key":"abcd1234.S3CRETS3CRETS3CRETxx"}`), status(500)))
	got := newRunner(a).run("org", "api-key", "create", "--type", "personal", "--name", "laptop")
	assertResult(t, got, "abcd1234.S3CRETS3CRETS3CRETxx\n", "Save this key now. It will not be shown again.\n", 0)
	assert.DeepEqual(t, a.Requests(), []string{"POST /v1/api_keys", "GET /v1/api_keys"})
}
