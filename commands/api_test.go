package commands_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// seen is everything a test server saw of one request.
type seen struct {
	Method, URI, Host string
	Header            http.Header
	Body              string
}

// recorder records the full requests that reach handler, the query and
// every header included (the harness's api keeps the path and a few).
type recorder struct {
	mu   sync.Mutex
	seen []seen
}

func (rec *recorder) wrap(handler http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec.mu.Lock()
		rec.seen = append(rec.seen, seen{Method: r.Method, URI: r.RequestURI, Host: r.Host, Header: r.Header.Clone(), Body: string(body)})
		rec.mu.Unlock()
		handler.ServeHTTP(w, r)
	})
}

func (rec *recorder) all() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]seen(nil), rec.seen...)
}

func (rec *recorder) uris() []string {
	out := []string{}
	for _, s := range rec.all() {
		out = append(out, s.Method+" "+s.URI)
	}
	return out
}

// recordedSandbox is the contract-checked sandbox behind a recorder.
func recordedSandbox(t *testing.T) (*runner, *recorder) {
	t.Helper()
	rec := &recorder{}
	a, _ := sandboxAPI(t, sandbox.Options{Teams: seededTeams()})
	front := httptest.NewServer(rec.wrap(a.Config.Handler))
	t.Cleanup(front.Close)
	r := newRunner(nil)
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = front.URL
	return r, rec
}

func TestAPIManagementGetsFromTheSandbox(t *testing.T) {
	r, rec := recordedSandbox(t)
	const pretty = "{\n  \"teams\": [\n    {\n      \"id\": \"team-default\",\n"
	for _, path := range []string{"teams", "/teams", "/v1/teams", "v1/teams"} {
		got := r.run("api", "management", path)
		assert.Equal(t, got.Code, 0, got.Stderr)
		assert.Assert(t, strings.HasPrefix(got.Stdout, pretty), got.Stdout)
		assert.Equal(t, got.Stderr, "")
	}
	assert.DeepEqual(t, rec.uris(), []string{"GET /v1/teams", "GET /v1/teams", "GET /v1/teams", "GET /v1/teams"})
	last := rec.all()[3]
	assert.Equal(t, last.Header.Get("Authorization"), "Bearer "+testKey)
	assert.Equal(t, last.Body, "")

	assertResult(t, r.run("api", "management", "teams", "--jq", ".teams[].id"), "team-default\nt-research\nt-ops1\nt-ops2\n", "", 0)
	got := r.run("api", "management", "teams/t-research", "-o", "jsonl")
	assertResult(t, got, `{"id":"t-research","name":"Research","default":false,"created_at":"2024-02-03T04:05:06.789Z"}`+"\n", "", 0)
	assertResult(t, r.run("api", "management", "teams", "-o", "none"), "", "", 0)
}

// A 4xx prints its body and exits with the status's code; -i shows the
// status line and the headers first, on stderr.
func TestAPIManagementErrorStatusAndInclude(t *testing.T) {
	r, _ := recordedSandbox(t)
	got := r.run("api", "management", "teams/t-nope", "-i")
	assert.Equal(t, got.Code, 4)
	assert.Equal(t, got.Stdout, "{\n  \"detail\": \"Team not found\"\n}\n")
	assert.Equal(t, got.Stderr, "HTTP/1.1 404 Not Found\n"+
		"Cache-Control: no-store\n"+
		"Content-Length: 28\n"+
		"Content-Type: application/json\n"+
		"Date: "+dateOf(got.Stderr)+"\n"+
		"Error: API request failed (404 Not Found): Team not found\n")

	r.env["BASETEN_API_KEY"] = "wrongkey.S3CRETS3CRETS3CRETS3CRET"
	got = r.run("api", "management", "teams")
	assert.Equal(t, got.Code, 3)
	assert.Assert(t, strings.Contains(got.Stdout, `"detail"`), got.Stdout)
}

func dateOf(stderr string) string {
	_, rest, _ := strings.Cut(stderr, "Date: ")
	date, _, _ := strings.Cut(rest, "\n")
	return date
}

// Fields: typed values for -F, strings for -f, a JSON object body for
// POST and a query for GET; --input sends a file as it is.
func TestAPIManagementFieldsAndInput(t *testing.T) {
	rec := &recorder{}
	a := newAPI(t, rec.wrap(ok(`{"ok":true}`)))
	r := newRunner(a)
	dir := t.TempDir()
	file := filepath.Join(dir, "v.json")
	assert.NilError(t, os.WriteFile(file, []byte(`{"deep": [1, 2]}`), 0o600))

	assertResult(t, r.run("api", "management", "secrets", "-F", "n=3", "-F", "ok=true", "-F", `tags=["a"]`, "-F", "big=12345678901234567890", "-F", "s=hello world", "-f", "raw=3", "-F", "f=@"+file, "-f", "eq=a=b"),
		"{\n  \"ok\": true\n}\n", "", 0)
	req := rec.all()[0]
	assert.Equal(t, req.Method+" "+req.URI, "POST /v1/secrets")
	assert.Equal(t, req.Body, `{"n":3,"ok":true,"tags":["a"],"big":12345678901234567890,"s":"hello world","raw":"3","f":{"deep":[1,2]},"eq":"a=b"}`)
	assert.Equal(t, req.Header.Get("Content-Type"), "application/json")

	assertResult(t, r.run("api", "management", "models?limit=2", "-X", "get", "-F", "n=3", "--field=tags=[\"a\",\"b c\"]", "-fq=x&y"), "{\n  \"ok\": true\n}\n", "", 0)
	assert.Equal(t, rec.all()[1].Method+" "+rec.all()[1].URI, "GET /v1/models?limit=2&n=3&tags=a&tags=b+c&q=x%26y")
	assert.Equal(t, rec.all()[1].Body, "")

	assertResult(t, r.run("api", "management", "secrets/x", "-X", "delete", "-f", "team=t1"), "{\n  \"ok\": true\n}\n", "", 0)
	assert.Equal(t, rec.all()[2].Method+" "+rec.all()[2].URI, "DELETE /v1/secrets/x?team=t1")

	body := "{\"name\": \"x\",\n  \"value\": 1.50}\n"
	r.stdin = body
	assertResult(t, r.run("api", "management", "secrets", "--input", "-", "-X", "PATCH", "-H", "Content-Type: application/merge-patch+json", "-H", "X-Trace: a", "-H", "X-Trace: b"), "{\n  \"ok\": true\n}\n", "", 0)
	req = rec.all()[3]
	assert.Equal(t, req.Method+" "+req.URI, "PATCH /v1/secrets")
	assert.Equal(t, req.Body, body, "sent as it is")
	assert.Equal(t, req.Header.Get("Content-Type"), "application/merge-patch+json")
	assert.DeepEqual(t, req.Header.Values("X-Trace"), []string{"a", "b"})

	r.stdin = "from stdin"
	assertResult(t, r.run("api", "management", "secrets", "-F", "value=@-", "-X", "put"), "{\n  \"ok\": true\n}\n", "", 0)
	assert.Equal(t, rec.all()[4].Method+" "+rec.all()[4].Body, `PUT {"value":"from stdin"}`)
}

// What the command line alone shows to be wrong is exit 2, with nothing
// sent: above all, a path that could take the key to another host.
func TestAPIManagementRefusesBeforeSending(t *testing.T) {
	rec := &recorder{}
	a := newAPI(t, rec.wrap(ok(`{}`)))
	r := newRunner(a)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"https://evil.example/v1/teams"}, `Error: <api-path> "https://evil.example/v1/teams" is a URL`},
		{[]string{"//evil.example/x"}, `Error: <api-path> "//evil.example/x" names a host`},
		{[]string{"/v1//evil.example/x"}, `names a host`},
		{[]string{"teams//x"}, `has an empty segment`},
		{[]string{"teams/../api_keys"}, `has a ".." segment`},
		{[]string{"teams/%2e%2e/api_keys"}, `has a "%2e%2e" segment`},
		{[]string{"teams/./x"}, `has a "." segment`},
		{[]string{"teams/a%2Fb"}, `has an escaped / or \ in "a%2Fb"`},
		// What a normalizing server (Tomcat's ";parameters", NFKC, trimming)
		// reads as a dot segment or a slash.
		{[]string{"teams/..;/api_keys"}, `has a "..;" segment`},
		{[]string{"..;x/api_keys"}, `has a "..;x" segment`},
		{[]string{"teams/.;/x"}, `has a ".;" segment`},
		{[]string{"teams/%2e%2e%3b/x"}, `has a "%2e%2e%3b" segment`},
		{[]string{"teams/..%20/x"}, `has a "..%20" segment`},
		{[]string{"teams/．．/x"}, `has a "．．" segment`},
		{[]string{"teams/‥/x"}, `has a "‥" segment`},
		{[]string{"teams/a／..／x"}, `has an escaped / or \ in "a／..／x"`},
		{[]string{"teams/a%EF%BC%8Fb"}, `has an escaped / or \ in "a%EF%BC%8Fb"`},
		{[]string{"teams/..%00/x"}, `has a "..%00" segment`},
		{[]string{"teams/a%00b"}, `has an escaped control character in "a%00b"`},
		{[]string{"teams/a%0d%0aHost:x"}, `has an escaped control character`},
		{[]string{`teams\x`}, `holds a backslash`},
		{[]string{"teams\r\nHost: evil"}, `holds a control character`},
		{[]string{"teams\x1b[2J"}, `holds a control character`},
		{[]string{"teams#frag"}, `holds a fragment`},
		{[]string{"teams/{team_id}"}, `holds a {parameter}`},
		{[]string{"teams/%zz"}, `holds an invalid %-escape`},
		{[]string{"javascript:alert(1)"}, `is a URL`},
		{[]string{"/"}, `names no endpoint`},
		{[]string{"teams", "-X", "TRACE"}, `Error: --method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, not "TRACE"`},
		{[]string{"teams", "-F", "a=1", "-f", "a=2"}, `Error: the field "a" is given twice (--field and --raw-field)`},
		{[]string{"teams", "-F", "noequals"}, `Error: --field "noequals" is not KEY=VALUE`},
		{[]string{"teams", "-F", "=v"}, `Error: --field "=v" is not KEY=VALUE`},
		{[]string{"teams", "-F", "a=@-", "-F", "b=@-"}, `Error: stdin can be read once`},
		{[]string{"teams", "-F", "a=@/nonexistent/file"}, `Error: --field a: cannot read "/nonexistent/file": no such file or directory`},
		{[]string{"teams", "--input", "/nonexistent/file"}, `Error: --input: cannot read "/nonexistent/file": no such file or directory`},
		{[]string{"teams", "--input", "-", "-F", "a=1"}, `Error: --input cannot be combined with --field or --raw-field`},
		{[]string{"teams", "-X", "GET", "-F", `o={"a":1}`}, `Error: --field o: an object cannot be a query parameter`},
		{[]string{"teams", "-H", "Authorization: Bearer other"}, `Error: --header Authorization is not yours to set`},
		{[]string{"teams", "-H", "host: evil.example"}, `Error: --header host is not yours to set`},
		{[]string{"teams", "-H", "Content-Length: 5"}, `is not yours to set`},
		{[]string{"teams", "-H", "Transfer-Encoding: chunked"}, `is not yours to set`},
		{[]string{"teams", "-H", "Connection: close"}, `is not yours to set`},
		{[]string{"teams", "-H", "X-A: b\r\nAuthorization: x"}, `holds a line break`},
		{[]string{"teams", "-H", "X-A: b\nc"}, `holds a line break`},
		{[]string{"teams", "-H", "X-A: b\x00"}, `holds a control character`},
		{[]string{"teams", "-H", "no colon"}, `is not 'NAME: VALUE'`},
		{[]string{"teams", "-H", "Bad Name: v"}, `is not a header name`},
		{[]string{"teams", "--jq", "."}, ``}, // the one that is sent: a control
	} {
		got := r.run(append([]string{"api", "management"}, tc.args...)...)
		if tc.want == "" {
			assert.Equal(t, got.Code, 0, got.Stderr)
			continue
		}
		assert.Equal(t, got.Code, 2, "%q: %s", tc.args, got.Stderr)
		assert.Assert(t, strings.Contains(got.Stderr, tc.want), "%q: %s", tc.args, got.Stderr)
		assert.Assert(t, !strings.ContainsAny(got.Stderr, "\x1b\r"), "%q", got.Stderr)
	}
	assert.DeepEqual(t, rec.uris(), []string{"GET /v1/teams"})
}

// Unusual but harmless characters are escaped, not refused; what the user
// escaped stays escaped.
func TestAPIManagementEscapesThePath(t *testing.T) {
	rec := &recorder{}
	r := newRunner(newAPI(t, rec.wrap(ok(`{}`))))
	for path, want := range map[string]string{
		`teams/a b"c`:          "/v1/teams/a%20b%22c",
		"teams/caf\u00e9":      "/v1/teams/caf%C3%A9",
		"teams/a%22b|c:d":      "/v1/teams/a%22b%7Cc:d",
		"models/?q=a b&x=%26":  "/v1/models/?q=a%20b&x=%26",
		"teams/x?limit=1&p=/a": "/v1/teams/x?limit=1&p=/a",
	} {
		assertResult(t, r.run("api", "management", path, "-o", "jsonl"), "{}\n", "", 0)
		all := rec.all()
		assert.Equal(t, all[len(all)-1].URI, want, path)
	}
}
