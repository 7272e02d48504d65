package commands_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

// reply answers every request with a fixed status, content type and body.
func reply(status int, contentType, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	})
}

// API errors: the status and the server's message on one line, exit code by status.
func TestAPIErrors(t *testing.T) {
	long := strings.Repeat("x", 300)
	cases := []struct {
		name    string
		handler http.Handler
		code    int
		stderr  string
	}{
		{"401", reply(401, "application/json", `{"detail":"Invalid API key"}`), 3,
			"Error: API request failed (401 Unauthorized): Invalid API key\nCheck that BASETEN_API_KEY holds a valid API key for this remote.\n"},
		{"403", reply(403, "application/json", `{"detail":"Forbidden"}`), 3,
			"Error: API request failed (403 Forbidden): Forbidden\nThe API key lacks permission for this operation.\n"},
		{"404", reply(404, "application/json", `{"detail":"Not Found"}`), 4,
			"Error: API request failed (404 Not Found): Not Found\n"},
		{"422 detail list", reply(422, "application/json", `{"detail":[{"loc":["body","type"],"msg":"field required"},{"loc":["query"],"msg":"bad"}]}`), 5,
			"Error: API request failed (422 Unprocessable Entity): body.type: field required; query: bad\n"},
		{"400 error field", reply(400, "application/json", `{"error":"bad request"}`), 5,
			"Error: API request failed (400 Bad Request): bad request\n"},
		{"429 message field", reply(429, "application/json", `{"message":"slow down"}`), 5,
			"Error: API request failed (429 Too Many Requests): slow down\n"},
		{"500", reply(500, "application/json", `{"detail":"boom"}`), 6,
			"Error: API request failed (500 Internal Server Error): boom\nThe Baseten API had a problem; try again later.\n"},
		{"502 html", reply(502, "text/html", "<html>\n<body>Bad gateway</body>\n</html>"), 6,
			"Error: API request failed (502 Bad Gateway): <html> <body>Bad gateway</body> </html>\nThe Baseten API had a problem; try again later.\n"},
		{"503 long body: the line is cut at 300 characters", reply(503, "text/plain", long), 6,
			"Error: " + ("API request failed (503 Service Unavailable): " + long)[:300] + "...\nThe Baseten API had a problem; try again later.\n"},
		{"error echoing the key", reply(401, "application/json", `{"detail":"key `+testKey+` is revoked"}`), 3,
			"Error: API request failed (401 Unauthorized): key [redacted] is revoked\nCheck that BASETEN_API_KEY holds a valid API key for this remote.\n"},
		{"200 not JSON", reply(200, "text/html", "<html>hello</html>"), 1,
			"Error: unexpected response from the API: GET /v1/api_keys: the response is not the JSON the API documents (not well-formed JSON)\n"},
		{"200 wrong shape", reply(200, "application/json", `{"keys": {"a": 1}}`), 1,
			"Error: unexpected response from the API: GET /v1/api_keys: the response is not the JSON the API documents (no \"keys\" array)\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // the retried statuses wait between attempts
			a := newAPI(t, tc.handler)
			assertResult(t, newRunner(a).run("org", "api-key", "list"), "", tc.stderr, tc.code)
			want := []string{"GET /v1/api_keys"}
			if code := tc.name[:3]; code == "429" || code == "502" || code == "503" {
				want = []string{"GET /v1/api_keys", "GET /v1/api_keys", "GET /v1/api_keys"} // GET is retried
			}
			assert.DeepEqual(t, a.Requests(), want)
		})
	}
}

func TestDroppedConnection(t *testing.T) {
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	got := newRunner(a).run("org", "api-key", "list")
	assert.Equal(t, got.Code, 1)
	host := strings.TrimPrefix(a.URL, "http://")
	assert.Assert(t, is.Regexp(`^Error: cannot reach `+host+`: .*EOF\nCheck your network connection`, got.Stderr))
}

// A 2xx body cut short is an unexpected response, not a network error.
func TestBodyCutShort(t *testing.T) {
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "1000")
		fmt.Fprint(w, `{"keys":[{"prefix":"abc","type":"PERSONAL"},`)
	}))
	got := newRunner(a).run("org", "api-key", "list")
	assertResult(t, got, "", "Error: unexpected response from the API: GET /v1/api_keys: the response body was cut short (unexpected EOF)\n", 1)
}

func TestConnectionRefused(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	r := newRunner(nil)
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = closed.URL
	got := r.run("org", "api-key", "list", "-v")
	assert.Equal(t, got.Code, 1)
	host := strings.TrimPrefix(closed.URL, "http://")
	// A GET is tried three times, and -v shows every attempt and every wait.
	assert.Assert(t, is.Regexp(`^GET `+closed.URL+`/v1/api_keys no response (?:\d+ms|\d+(?:\.\d)?s)\n`+
		`waiting (?:\d+ms|\d+(?:\.\d)?s) before attempt 2 of 3 \(connection error\)\n`+
		`GET `+closed.URL+`/v1/api_keys no response (?:\d+ms|\d+(?:\.\d)?s) \(attempt 2 of 3\)\n`+
		`waiting (?:\d+ms|\d+(?:\.\d)?s) before attempt 3 of 3 \(connection error\)\n`+
		`GET `+closed.URL+`/v1/api_keys no response (?:\d+ms|\d+(?:\.\d)?s) \(attempt 3 of 3\)\n`+
		`Error: cannot reach `+host+`: .*connection refused\n`, got.Stderr))
}

// The remote URL picks the API host: app. becomes api., other hosts stay.
func TestRemoteURLSelectsAPIHost(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	delete(r.env, "BASETEN_MANAGEMENT_API_URL_OVERRIDE")

	got := r.run("org", "api-key", "list", "--remote-url", a.URL)
	assertResult(t, got, "", "No API keys found.\n", 0)

	r.env["BASETEN_REMOTE_URL"] = a.URL + "/"
	assertResult(t, r.run("org", "api-key", "list"), "", "No API keys found.\n", 0)
	assert.Equal(t, len(a.Requests()), 2)

	// --remote-url beats the environment variable; the override beats both.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	got = r.run("org", "api-key", "list", "--remote-url", closed.URL)
	assert.Equal(t, got.Code, 1)
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = a.URL
	assertResult(t, r.run("org", "api-key", "list", "--remote-url", closed.URL), "", "No API keys found.\n", 0)
}
