package commands_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

// Every rule the input alone can break fails with exit 2, one "Error:" line
// (plus at most one hint line), nothing on stdout, and no request sent.
func TestUsageErrorsSendNoRequest(t *testing.T) {
	cases := []struct {
		name  string
		args  string
		error string // substring of the first stderr line
	}{
		{"unknown flag", "org api-key list --bogus", "unknown flag --bogus"},
		{"unknown command", "org api-key revoke", `unknown command "revoke" for baseten org api-key`},
		{"bad output enum", "org api-key list -o yaml", `--output must be one of text, json, jsonl, none, not "yaml"`},
		{"missing type", "org api-key create", "--type is required"},
		{"bad type enum", "org api-key create --type admin", `--type must be one of personal, workspace-export-metrics, workspace-invoke, workspace-manage-all, not "admin"`},
		{"model-id with personal", "org api-key create --type personal --model-id m1", "--model-id is only valid with --type workspace-export-metrics or workspace-invoke"},
		{"model-id with manage-all", "org api-key create --type workspace-manage-all --model-id m1", "--model-id is only valid"},
		{"empty model-id", "org api-key create --type workspace-invoke --model-id=", "--model-id must not be empty"},
		{"empty name on create", "org api-key create --type personal --name=", "--name must not be empty"},
		{"empty team", "org api-key create --type personal --team=", "--team must not be empty"},
		{"create output none", "org api-key create --type personal -o none", "--output none would discard the new key"},
		{"delete without identifier", "org api-key delete", "one of --name or --prefix is required"},
		{"delete with both", "org api-key delete --name a --prefix b", "--name and --prefix can't be used together"},
		{"delete empty name", "org api-key delete --name=", "--name must not be empty"},
		{"delete empty prefix", "org api-key delete --prefix=", "--prefix must not be empty"},
		{"delete dot prefix", "org api-key delete --prefix ..", "not a whole key"},
		{"delete slash prefix", "org api-key delete --prefix a/b", "contains characters a prefix never has"},
		{"jq syntax error", "org api-key list --jq .keys[", `invalid --jq expression ".keys[": unexpected EOF at position 6`},
		{"jq unknown function", "org api-key list --jq nosuchfn", "function not defined: nosuchfn/0"},
		{"jq empty", "org api-key list --jq=", "--jq needs an expression"},
		{"jq with text", "org api-key list --jq .keys -o text", "--jq cannot be combined with --output text"},
		{"jq with none", "org api-key delete --prefix p --jq .prefix -o none", "--jq cannot be combined with --output none"},
		{"remote url without scheme", "org api-key list --remote-url app.baseten.co", "invalid --remote-url"},
		{"remote url with path", "org api-key list --remote-url https://app.baseten.co/v1", "must not have a path"},
		{"remote url with query", "org api-key list --remote-url https://app.baseten.co?x=1", "must not have a query"},
		{"remote url with fragment", "org api-key list --remote-url https://app.baseten.co#top", "must not have a fragment"},
		{"remote url unparsable", "org api-key list --remote-url http://[::1", "is not a URL"},
		{"remote url without host", "org api-key list --remote-url https://", "has no host"},
	}
	a, _ := sandboxAPI(t, sandbox.Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a.Reset()
			got := newRunner(a).run(strings.Fields(tc.args)...)
			assert.Equal(t, got.Code, 2, "stderr: %s", got.Stderr)
			assert.Equal(t, got.Stdout, "")
			lines := strings.Split(strings.TrimSuffix(got.Stderr, "\n"), "\n")
			assert.Assert(t, len(lines) == 3 || len(lines) == 4, "error, optional hint, usage, pointer: %q", got.Stderr)
			assert.Assert(t, strings.HasPrefix(lines[0], "Error: "), lines[0])
			assert.Assert(t, is.Contains(lines[0], tc.error))
			leaf := "baseten " + strings.Join(strings.Fields(tc.args)[:3], " ")
			if strings.HasPrefix(tc.name, "unknown command") {
				leaf = "baseten org api-key"
			}
			assert.Assert(t, is.Regexp(`^Usage: `+leaf+` (<command> )?\[OPTIONS\]$`, lines[len(lines)-2]))
			assert.Equal(t, lines[len(lines)-1], "Run '"+leaf+" --help' for more information.")
			assert.DeepEqual(t, a.Requests(), []string{})
		})
	}
}

// A usage error wins over a missing key: the input alone shows it is wrong.
func TestUsageErrorBeforeAuthError(t *testing.T) {
	r := newRunner(nil)
	delete(r.env, "BASETEN_API_KEY")
	got := r.run("org", "api-key", "create", "--type", "nope")
	assert.Equal(t, got.Code, 2)
}

func TestInvalidRemoteURLFromEnvironment(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	delete(r.env, "BASETEN_MANAGEMENT_API_URL_OVERRIDE")
	r.env["BASETEN_REMOTE_URL"] = "https://app.baseten.co/path"
	got := r.run("org", "api-key", "list")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, is.Contains(got.Stderr, "Error: invalid BASETEN_REMOTE_URL"))

	r.env["BASETEN_REMOTE_URL"] = ""
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = "not a url"
	got = r.run("org", "api-key", "list")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, is.Contains(got.Stderr, "Error: invalid BASETEN_MANAGEMENT_API_URL_OVERRIDE"))
	assert.DeepEqual(t, a.Requests(), []string{})
}

func TestMissingAPIKey(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	for _, args := range [][]string{
		{"org", "api-key", "list"},
		{"org", "api-key", "create", "--type", "personal"},
		{"org", "api-key", "delete", "--prefix", "abc"},
	} {
		r := newRunner(a)
		r.env["BASETEN_API_KEY"] = "  "
		got := r.run(args...)
		assert.Equal(t, got.Code, 3)
		assert.Assert(t, is.Contains(got.Stderr, "Error: no API key: BASETEN_API_KEY is not set and no stored credential is active\n"))
	}
	assert.DeepEqual(t, a.Requests(), []string{})
}

// Enum values are matched in any case and with "_" for "-", as the API's
// JSON spells them, and become the canonical value; a near miss gets a
// suggestion, like a mistyped flag does.
func TestEnumValuesFoldCase(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	for given, body := range map[string]string{
		"PERSONAL":                 `{"type":"PERSONAL"}`,
		"Personal":                 `{"type":"PERSONAL"}`,
		"WORKSPACE_MANAGE_ALL":     `{"type":"WORKSPACE_MANAGE_ALL"}`,
		"Workspace-Manage_All":     `{"type":"WORKSPACE_MANAGE_ALL"}`,
		"workspace-export-metrics": `{"type":"WORKSPACE_EXPORT_METRICS"}`,
	} {
		got := r.run("org", "api-key", "create", "--type", given, "-o", "JSONL")
		assert.Equal(t, got.Code, 0, "%s: %s", given, got.Stderr)
		assert.Assert(t, strings.HasPrefix(got.Stdout, `{"api_key":"`), got.Stdout)
		assert.Equal(t, a.Last().Body, body, given)
	}
	assertResult(t, r.run("org", "api-key", "list", "-o", "Json", "--jq", ".keys | length"), "5\n", "", 0)
	// Messages name the canonical value.
	got := r.run("org", "api-key", "list", "--jq", ".", "-o", "TEXT")
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --jq cannot be combined with --output text\n"), got.Stderr)
}

func TestEnumValueSuggestions(t *testing.T) {
	r := newRunner(nil)
	const typeValues = "Error: --type must be one of personal, workspace-export-metrics, workspace-invoke, workspace-manage-all, not "
	const createUsage = "Usage: baseten org api-key create [OPTIONS]\nRun 'baseten org api-key create --help' for more information.\n"
	assertResult(t, r.run("org", "api-key", "create", "--type", "personl"), "",
		typeValues+"\"personl\"\nDid you mean \"personal\"?\n"+createUsage, 2)
	assertResult(t, r.run("org", "api-key", "create", "--type", "WORKSPACE_INVOK"), "",
		typeValues+"\"WORKSPACE_INVOK\"\nDid you mean \"workspace-invoke\"?\n"+createUsage, 2)
	assertResult(t, r.run("org", "api-key", "create", "--type", "workspace"), "",
		typeValues+"\"workspace\"\nDid you mean one of \"workspace-export-metrics\", \"workspace-invoke\", \"workspace-manage-all\"?\n"+createUsage, 2)
	assertResult(t, r.run("org", "api-key", "create", "--type", "admin"), "", typeValues+"\"admin\"\n"+createUsage, 2)
	assertResult(t, r.run("org", "api-key", "list", "-o", "txet"), "",
		"Error: --output must be one of text, json, jsonl, none, not \"txet\"\nDid you mean \"text\"?\n"+
			"Usage: baseten org api-key list [OPTIONS]\nRun 'baseten org api-key list --help' for more information.\n", 2)
}

// Only ASCII folds: Unicode lowers the Kelvin sign to "k", and fullwidth
// letters are letters too, but neither spells a --type value.
func TestEnumValuesFoldOnlyASCII(t *testing.T) {
	a := newAPI(t, reply(http.StatusInternalServerError, "text/plain", "no request expected"))
	r := newRunner(a)
	const typeValues = "Error: --type must be one of personal, workspace-export-metrics, workspace-invoke, workspace-manage-all, not "
	const createUsage = "Usage: baseten org api-key create [OPTIONS]\nRun 'baseten org api-key create --help' for more information.\n"
	assertResult(t, r.run("org", "api-key", "create", "--type", "WORKSPACE_INVO\u212aE"), "",
		typeValues+"\"WORKSPACE_INVO\u212aE\"\nDid you mean \"workspace-invoke\"?\n"+createUsage, 2)
	assertResult(t, r.run("org", "api-key", "create", "--type", "\uff30ERSONAL"), "",
		typeValues+"\"\uff30ERSONAL\"\nDid you mean \"personal\"?\n"+createUsage, 2)
	assert.DeepEqual(t, a.Requests(), []string{})
}

// One shape for every error: an "Error:" line, then a hint line when there
// is something to do. Only a mistake on the command line is followed by
// the usage block; a bad environment variable, a stdout that would lose
// the key or help that cannot be written is not one.
func TestErrorShape(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	cases := []struct {
		name   string
		env    map[string]string
		args   []string
		stderr string
		code   int
	}{
		{"a flag", nil, []string{"org", "api-key", "list", "--remote-url", "ftp://x"},
			"Error: invalid --remote-url: \"ftp://x\" must start with https:// or http://\nPass an origin such as https://app.baseten.co.\n" +
				"Usage: baseten org api-key list [OPTIONS]\nRun 'baseten org api-key list --help' for more information.\n", 2},
		{"BASETEN_REMOTE_URL", map[string]string{"BASETEN_REMOTE_URL": "ftp://x", "BASETEN_MANAGEMENT_API_URL_OVERRIDE": ""}, []string{"org", "api-key", "list"},
			"Error: invalid BASETEN_REMOTE_URL: \"ftp://x\" must start with https:// or http://\nPass an origin such as https://app.baseten.co.\n", 2},
		{"BASETEN_MANAGEMENT_API_URL_OVERRIDE", map[string]string{"BASETEN_MANAGEMENT_API_URL_OVERRIDE": "not a url"}, []string{"org", "team", "list"},
			"Error: invalid BASETEN_MANAGEMENT_API_URL_OVERRIDE: \"not a url\" is not an http(s) URL\n", 2},
		{"BASETEN_HTTP_TIMEOUT", map[string]string{"BASETEN_HTTP_TIMEOUT": "-1s"}, []string{"org", "api-key", "delete", "--prefix", "aaaa1111"},
			"Error: invalid BASETEN_HTTP_TIMEOUT \"-1s\": want a positive duration such as 500ms, 30s or 2m\n", 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRunner(a)
			for k, v := range tc.env {
				r.env[k] = v
			}
			assertResult(t, r.run(tc.args...), "", tc.stderr, tc.code)
		})
	}

	r := newRunner(a)
	r.discarded = true
	assertResult(t, r.run("org", "api-key", "create", "--type", "personal"), "",
		"Error: stdout is /dev/null, which would discard the new key, shown only once\nRedirect stdout to a file or a pipe that keeps it.\n", 2)

	// Help that cannot be written is an unwritable output, exit 1.
	r = newRunner(nil)
	r.stdout = failingWriter{}
	for _, args := range [][]string{{"--help"}, {"org", "team", "describe", "-h"}, {"org"}, {"help", "org"}} {
		assertResult(t, r.run(args...), "", "Error: disk full\n", 1)
	}
	assert.DeepEqual(t, a.Requests(), []string{})
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
