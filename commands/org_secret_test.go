package commands_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

// secretDigests maps "team-id/name" to the digest the sandbox stored.
func secretDigests(sb *sandbox.Server) map[string]string {
	out := map[string]string{}
	for _, s := range sb.SecretsOf() {
		out[s.TeamID+"/"+s.Name] = s.Digest
	}
	return out
}

// echo "$TOKEN" | baseten org secret set --name x stores $TOKEN: exactly
// one line ending goes, whatever it is; the rest is the value.
func TestSecretSetFromAPipe(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Teams: seededTeams()})
	r := newRunner(a)
	for stdin, value := range map[string]string{
		"tok3n\n":        "tok3n",
		"tok3n\r\n":      "tok3n",
		"tok3n":          "tok3n",
		"two\n\n":        "two\n",
		"line1\nline2\n": "line1\nline2",
		" spaced \n":     " spaced ",
	} {
		r.stdin = stdin
		a.Reset()
		assertResult(t, r.run("org", "secret", "set", "--name", "api_token"), "", "Set secret api_token in team Default\n", 0)
		assert.Equal(t, secretDigests(sb)["team-default/api_token"], sandbox.SecretDigest(value), "%q", stdin)
		assert.DeepEqual(t, a.Requests(), []string{"POST /v1/secrets"})
		body, _ := json.Marshal(map[string]string{"name": "api_token", "value": value})
		assert.Equal(t, a.Last().Body, string(body))
	}
}

// --from-file is byte for byte: a PEM key keeps its final newline; - is
// stdin, byte for byte too.
func TestSecretSetFromFile(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Teams: seededTeams()})
	r := newRunner(a)
	pem := "-----BEGIN KEY-----\nabc\n-----END KEY-----\n"
	path := filepath.Join(t.TempDir(), "key.pem")
	assert.NilError(t, os.WriteFile(path, []byte(pem), 0o600))
	r.stdin = "ignored\n"
	got := r.run("org", "secret", "set", "--name", "tls", "--from-file", path, "--team", "Research", "-o", "json")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, got.Stderr, "")
	var secret struct {
		Name     string `json:"name"`
		TeamName string `json:"team_name"`
	}
	assert.NilError(t, json.Unmarshal([]byte(got.Stdout), &secret))
	assert.Equal(t, secret.TeamName, "Research")
	assert.Equal(t, secretDigests(sb)["t-research/tls"], sandbox.SecretDigest(pem))
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams", "POST /v1/teams/t-research/secrets"})

	r.stdin = "raw\n"
	assertResult(t, r.run("org", "secret", "set", "--name", "tls", "--from-file", "-", "--team", "t-research"), "", "Set secret tls in team Research\n", 0)
	assert.Equal(t, secretDigests(sb)["t-research/tls"], sandbox.SecretDigest("raw\n"))

	a.Reset()
	got = r.run("org", "secret", "set", "--name", "tls", "--from-file", filepath.Join(t.TempDir(), "missing"))
	assert.Equal(t, got.Code, 2)
	assert.DeepEqual(t, a.Requests(), []string{})
	assert.Assert(t, is.Contains(got.Stderr, "Error: cannot read the secret value from "), got.Stderr)
	assert.Assert(t, is.Contains(got.Stderr, ": no such file or directory\n"), got.Stderr)

	// The value given as the path by mistake: not repeated.
	got = r.run("org", "secret", "set", "--name", "tls", "--from-file", "ghp_S3CRETS3CRETS3CRETS3CRET")
	assertResult(t, got, "", "Error: cannot read the secret value from the --from-file path (not repeated here, in case it is the value): no such file or directory\n", 2)
	assert.DeepEqual(t, a.Requests(), []string{})
}

// On a terminal the value is asked twice without echo; a mismatch sets
// nothing.
func TestSecretSetPrompts(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	r.typed = []string{"hunter2hunter2", "hunter2hunter2"}
	assertResult(t, r.run("org", "secret", "set", "--name", "pw"), "", "Value of secret pw: Repeat the value: Set secret pw in team Default\n", 0)
	assert.Equal(t, secretDigests(sb)["team-default/pw"], sandbox.SecretDigest("hunter2hunter2"))

	a.Reset()
	r.typed = []string{"hunter2hunter2", "hunter3hunter3"}
	assertResult(t, r.run("org", "secret", "set", "--name", "pw"), "", "Value of secret pw: Repeat the value: Error: the two values typed differ; nothing was set\nRun the command again.\n", 2)
	r.typed = []string{""}
	got := r.run("org", "secret", "set", "--name", "pw")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, is.Contains(got.Stderr, "Error: the secret value read from the prompt is empty\n"), got.Stderr)
	got = r.run("org", "secret", "set", "--name", "pw", "--from-file", "-")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --from-file - reads stdin, which is a terminal\n"), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{})
}

// yesPipe is `yes`: a pipe that never ends.
type yesPipe struct{}

func (yesPipe) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = "y\n"[i%2]
	}
	return len(p), nil
}

// What the API cannot take, or what is surely a mistake, is refused before
// any request, with exit 2, and never repeated.
func TestSecretSetRefusesBadValues(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	for _, tc := range []struct {
		name, stdin, stderr string
	}{
		{"empty", "", "Error: the secret value read from stdin is empty\n"},
		{"only a newline", "\n", "Error: the secret value read from stdin is empty\n"},
		{"not UTF-8", "abc\xff\xfe\n", "Error: the secret value read from stdin is not UTF-8 text; the API takes a JSON string\nEncode binary data first, e.g. with base64.\n"},
		{"over 1 MiB", strings.Repeat("x", 1<<20+1), "Error: the secret value read from stdin is larger than 1 MiB\n"},
	} {
		r.stdin = tc.stdin
		got := r.run("org", "secret", "set", "--name", "x")
		assert.Equal(t, got.Code, 2, tc.name)
		assert.Assert(t, strings.HasPrefix(got.Stderr, tc.stderr), "%s: %s", tc.name, got.Stderr)
	}
	// Exactly 1 MiB passes the check (and the sandbox takes it).
	r.stdin = strings.Repeat("x", 1<<20) + "\r\n"
	assert.Equal(t, r.run("org", "secret", "set", "--name", "x").Code, 0)
	a.Reset()

	// `yes | baseten org secret set`: reading stops at the limit.
	r.stdin, r.in = "", yesPipe{}
	got := r.run("org", "secret", "set", "--name", "x")
	assert.Equal(t, got.Code, 2)
	assert.Equal(t, got.Stderr, "Error: the secret value read from stdin is larger than 1 MiB\n")
	r.in = nil
	assert.DeepEqual(t, a.Requests(), []string{})
}

// --value, the official CLI's flag, is refused without repeating the
// value, and so is a value typed as an argument.
func TestSecretSetRefusesTheValueOnTheCommandLine(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	const value = "sk_live_51HxYzVALUEVALUE"
	for _, args := range [][]string{
		{"--name", "x", "--value", value},
		{"--name", "x", "--value=" + value},
		{"--value", value, "--name", "x"},
		{"--name", "x", value},
		{"--name", "x", "--from-file", "f", value},
	} {
		got := r.run(append([]string{"org", "secret", "set"}, args...)...)
		assert.Equal(t, got.Code, 2, "%v", args)
		assert.Assert(t, !strings.Contains(got.Stderr, value), "%v: %s", args, got.Stderr)
		assert.Assert(t, !strings.Contains(got.Stderr, "VALUEVALUE"), "%v: %s", args, got.Stderr)
		assert.Assert(t, is.Contains(got.Stderr, "--from-file"), "the safe ways are named: %s", got.Stderr)
	}
	got := r.run("org", "secret", "set", "--name", "x", "--value", value)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --value is refused: a secret on the command line is kept in the shell's history"), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{})
}

// A name goes into a URL path only when it cannot change the path.
func TestSecretNames(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	for name, problem := range map[string]string{
		"":                       "is empty",
		".":                      "is not a secret name",
		"..":                     "is not a secret name",
		"a/b":                    "contains a '/', which a secret name never has",
		"a\x1b[31mb":             "contains control characters",
		"a\nb":                   "contains control characters",
		strings.Repeat("n", 257): "is longer than 256 bytes",
		"caf\xe9":                "is not valid UTF-8",
	} {
		for _, cmd := range [][]string{{"set"}, {"delete", "--yes"}} {
			r.stdin = "v\n"
			got := r.run(append(append([]string{"org", "secret"}, cmd...), "--name", name)...)
			assert.Equal(t, got.Code, 2, "%q", name)
			assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --name "), got.Stderr)
			assert.Assert(t, is.Contains(strings.Split(got.Stderr, "\n")[0], problem), got.Stderr)
			assert.Assert(t, !strings.Contains(got.Stderr, "\x1b"), "%q", got.Stderr)
		}
	}
	assert.DeepEqual(t, a.Requests(), []string{})

	// Anything else is escaped.
	r.stdin = "v\n"
	const odd = `a b%c?d#e\f`
	assertResult(t, r.run("org", "secret", "set", "--name", odd), "", "Set secret "+odd+" in team Default\n", 0)
	assert.Equal(t, len(sb.SecretsOf()), 1)
	assertResult(t, r.run("org", "secret", "delete", "--name", odd, "--yes"), "", "Deleted secret "+odd+"\n", 0)
	assert.Equal(t, a.Last().Path, "/v1/secrets/a%20b%25c%3Fd%23e%5Cf")
	assert.Equal(t, len(sb.SecretsOf()), 0)
}

// A 422 that quotes the value: the message is withheld, on every line,
// with -v too; the value appears nowhere.
func TestSecretSetNeverShowsAnEchoedValue(t *testing.T) {
	const value = "correct-horse-battery-staple"
	for name, body := range map[string]string{
		"in msg":          `{"detail":[{"loc":["body","value"],"msg":"value correct-horse-battery-staple is weak","type":"value_error"}]}`,
		"escaped":         `{"detail":[{"loc":["body","value"],"msg":"value \u0063orrect-horse-battery-staple is weak","type":"value_error"}]}`,
		"part of it":      `{"detail":"value starts with correct-horse..."}`,
		"not detail":      `{"input":"correct-horse-battery-staple"}`,
		"as a plain text": `bad value: correct-horse-battery-staple`,
	} {
		a := newAPI(t, reply(http.StatusUnprocessableEntity, "application/json", body))
		r := newRunner(a)
		r.stdin = value + "\n"
		got := r.run("org", "secret", "set", "--name", "x", "-v")
		assert.Equal(t, got.Code, 5, name)
		assert.Assert(t, !strings.Contains(got.Stderr, "horse"), "%s: %s", name, got.Stderr)
		assert.Assert(t, is.Contains(got.Stderr, "Error: API request failed (422 Unprocessable Entity): (the API's message is not shown: it quotes the secret value that was sent)\n"), "%s: %s", name, got.Stderr)
		assert.Equal(t, got.Stdout, "")
	}
	// A message that does not quote it is shown as usual.
	a := newAPI(t, reply(http.StatusUnprocessableEntity, "application/json", `{"detail":[{"loc":["body","name"],"msg":"name taken","type":"value_error"}]}`))
	r := newRunner(a)
	r.stdin = value
	got := r.run("org", "secret", "set", "--name", "x")
	assertResult(t, got, "", "Error: API request failed (422 Unprocessable Entity): body.name: name taken\n", 5)

	// A 200 that holds the value is refused, and nothing of it printed.
	a = newAPI(t, ok(`{"id":"s1","created_at":"2026-01-01T00:00:00Z","name":"x","team_name":"correct-horse-battery-staple"}`))
	r = newRunner(a)
	r.stdin = value
	got = r.run("org", "secret", "set", "--name", "x", "-o", "json")
	assertResult(t, got, "", "Error: unexpected response from the API: the upsert response holds the secret's value or a piece of it, which the API never returns; nothing of it is shown; the secret may have been set\n"+
		"Setting it again is safe: the API replaces a secret of the same name.\n", 1)

	// A 200 that holds a piece of it (cut short, cut into fields, escaped,
	// a number) is refused too, in every mode: the pieces would reach
	// stdout with -o json, and stderr's line, whose redaction knows only
	// a value's leading parts, with text. The name, sent alongside and
	// echoed by design, is no piece of it even when the value holds it.
	for name, body := range map[string]string{
		"leading part":    `{"id":"s1","created_at":"2026-01-01T00:00:00Z","name":"x","team_name":"Default","hint":"correct-hor"}`,
		"middle part":     `{"id":"s1","created_at":"2026-01-01T00:00:00Z","name":"x","team_name":"rse-battery"}`,
		"escaped part":    `{"id":"s1","created_at":"2026-01-01T00:00:00Z","name":"x","team_name":"\u0062attery-sta"}`,
		"in a field name": `{"id":"s1","created_at":"2026-01-01T00:00:00Z","name":"x","team_name":"Default","horse-battery":1}`,
	} {
		for _, mode := range []string{"text", "json"} {
			a = newAPI(t, ok(body))
			r = newRunner(a)
			r.stdin = value
			got = r.run("org", "secret", "set", "--name", "x", "-o", mode)
			assert.Equal(t, got.Code, 1, "%s, %s: %s", name, mode, got.Stderr)
			assert.Equal(t, got.Stdout, "", "%s, %s", name, mode)
			assert.Assert(t, is.Contains(got.Stderr, "the upsert response holds the secret's value or a piece of it"), "%s, %s: %s", name, mode, got.Stderr)
		}
	}
	const digits = "31415926535897932384"
	a = newAPI(t, ok(`{"id":"s1","created_at":"2026-01-01T00:00:00Z","name":"x","team_name":"Default","n":5926535897}`))
	r = newRunner(a)
	r.stdin = digits
	got = r.run("org", "secret", "set", "--name", "x", "-o", "json")
	assert.Equal(t, got.Code, 1, "a piece echoed as a number: %s", got.Stderr)
	assert.Equal(t, got.Stdout, "")
	a = newAPI(t, ok(`{"id":"s1","created_at":"2026-01-01T00:00:00Z","name":"battery-staple","team_name":"Default"}`))
	r = newRunner(a)
	r.stdin = value
	assertResult(t, r.run("org", "secret", "set", "--name", "battery-staple"), "", "Set secret battery-staple in team Default\n", 0)

	// A 500: the secret may have been set, and setting again is safe.
	a = newAPI(t, reply(http.StatusInternalServerError, "application/json", `{"detail":"boom"}`))
	r = newRunner(a)
	r.stdin = value
	assertResult(t, r.run("org", "secret", "set", "--name", "x"), "",
		"Error: API request failed (500 Internal Server Error): boom; the secret may have been set\nSetting it again is safe: the API replaces a secret of the same name.\n", 6)
	assert.Equal(t, len(a.Requests()), 1, "a POST is never retried")
}

func TestSecretList(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Teams: seededTeams(), Now: fixedNow})
	r := newRunner(a)
	assertResult(t, r.run("org", "secret", "list"), "", "No secrets found.\n", 0)
	assert.NilError(t, sb.SetSecret("", "db_url", "postgres://x"))
	assert.NilError(t, sb.SetSecret("t-research", "hf_token", "hf_abc"))
	assert.NilError(t, sb.SetSecret("t-ops1", "evil\u202ename", "v"))
	a.Reset()
	assertResult(t, r.run("org", "secret", "list"), ""+
		"NAME            TEAM      CREATED\n"+
		"db_url          Default   2026-03-04T05:06:07Z\n"+
		"hf_token        Research  2026-03-04T05:06:07Z\n"+
		"evil\\u202ename  Ops       2026-03-04T05:06:07Z\n", "", 0)
	assertResult(t, r.run("org", "secret", "list", "--team", "Research", "--jq", ".secrets[].name"), "hf_token\n", "", 0)
	assertResult(t, r.run("org", "secret", "list", "--jq", ".secrets[].name"), "db_url\nhf_token\nevil\u202ename\n", "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/secrets", "GET /v1/teams", "GET /v1/teams/t-research/secrets", "GET /v1/secrets"})
	got := r.run("org", "secret", "list", "--team", "Ops")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: 2 teams are named "Ops": t-ops1, t-ops2`), got.Stderr)
	got = r.run("org", "secret", "list", "--team", "Nope")
	assert.Equal(t, got.Code, 4)
}

func TestSecretDelete(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Teams: seededTeams()})
	r := newRunner(a)
	assert.NilError(t, sb.SetSecret("", "db_url", "v"))
	assert.NilError(t, sb.SetSecret("t-research", "db_url", "v"))

	// Without a terminal, --yes is required, before any request.
	got := r.run("org", "secret", "delete", "--name", "db_url")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: baseten org secret delete needs --yes when stdin is not a terminal"), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{})

	// On a terminal it asks, naming the secret and the team.
	r.typed = []string{"n"}
	assertResult(t, r.run("org", "secret", "delete", "--name", "db_url", "--team", "Research"), "",
		"Delete secret db_url in team Research? Its value cannot be recovered. [y/N] Error: not confirmed; nothing was changed\n", 2)
	assert.DeepEqual(t, a.Requests(), []string{})
	r.typed = []string{"y"}
	assertResult(t, r.run("org", "secret", "delete", "--name", "db_url", "--team", "Research"), "",
		"Delete secret db_url in team Research? Its value cannot be recovered. [y/N] Deleted secret db_url\n", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams", "DELETE /v1/teams/t-research/secrets/db_url"})
	r.typed = nil

	assertResult(t, r.run("org", "secret", "delete", "--name", "db_url", "--yes", "-o", "json"), "{\n  \"name\": \"db_url\"\n}\n", "", 0)
	assert.Equal(t, len(sb.SecretsOf()), 0)
	assertResult(t, r.run("org", "secret", "delete", "--name", "db_url", "--yes"), "",
		"Error: no secret named \"db_url\" in the default team\nRun 'baseten org secret list' to see the secrets and their teams.\n", 4)
}

// Secret names complete --name of set and delete.
func TestSecretNameCompletion(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Teams: seededTeams()})
	assert.NilError(t, sb.SetSecret("", "db_url", "v"))
	assert.NilError(t, sb.SetSecret("t-research", "hf token", "v"))
	r := newRunner(a)
	assert.DeepEqual(t, candidates(t, r.complete("baseten org secret delete --name ")), []string{"db_url", "'hf token'"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten org secret set --name d")), []string{"db_url"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten org secret list --team R")), []string{"Research"})

	// A name that holds the key the candidates were fetched with is never
	// a candidate.
	_, secretPart, _ := strings.Cut(testKey, ".")
	assert.NilError(t, sb.SetSecret("", "db_"+secretPart, "v"))
	assert.DeepEqual(t, candidates(t, r.complete("baseten org secret delete --name d")), []string{"db_url"})
}

// fixedNow stamps what the sandbox creates with one time.
func fixedNow() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) }
