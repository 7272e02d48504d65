package commands_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

// Text and identifiers from the server are data: they never act on the
// terminal, never carry a secret to the screen, and never steer a request
// or a command line somewhere the user did not name.

// ---- create: an uncertain outcome is said out loud ----

func TestCreateSaysWhenTheKeyMayExist(t *testing.T) {
	const checkHint = "Before creating another, check with: baseten org api-key list\n"
	cases := []struct {
		name    string
		handler http.HandlerFunc
		stderr  string
		code    int
	}{
		{"connection reset after the request", hangUp,
			"Error: cannot reach HOST: EOF; the key may have been created\n", 1},
		{"body cut short", raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"api_ke"),
			"Error: unexpected response from the API: POST /v1/api_keys: the response body was cut short (unexpected EOF); the key may have been created\n", 1},
		{"502 from a gateway", status(502),
			"Error: API request failed (502 Bad Gateway): status 502; the key may have been created\n", 6},
		{"504 from a gateway", status(504),
			"Error: API request failed (504 Gateway Timeout): status 504; the key may have been created\n", 6},
		{"200 that is not JSON", ok("<html>ok</html>"),
			"Error: unexpected response from the API: POST /v1/api_keys: the response is not the JSON the API documents (not well-formed JSON); the key may have been created\n", 1},
		{"200 without api_key", ok(`{"key":"x"}`),
			"Error: unexpected response from the API: the create response holds no api_key; the key may have been created\n", 1},
		{"200 with a key holding an escape", ok(`{"api_key":"abcd1234.\u001b]52;c;ZXZpbA==\u0007"}`),
			"Error: unexpected response from the API: the api_key in the create response holds characters an API key never has; the key may have been created\n", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAPI(t, tc.handler)
			got := newRunner(a).run("org", "api-key", "create", "--type", "personal")
			want := strings.ReplaceAll(tc.stderr, "HOST", strings.TrimPrefix(a.URL, "http://")) + checkHint
			assertResult(t, got, "", want, tc.code)
			assert.DeepEqual(t, a.Requests(), []string{"POST /v1/api_keys"})
		})
	}
}

func TestCreateTimeoutSaysTheKeyMayExist(t *testing.T) {
	a := newAPI(t, http.HandlerFunc(never))
	r := newRunner(a)
	delete(r.env, "BASETEN_MANAGEMENT_API_URL_OVERRIDE")
	r.env["BASETEN_HTTP_TIMEOUT"] = "200ms"
	got := r.run("org", "api-key", "create", "--type", "personal", "--remote-url", a.URL)
	assertResult(t, got, "", "Error: timed out after 200ms; the key may have been created\n"+
		"Before creating another, check with: baseten org api-key list --remote-url "+a.URL+"\n", 1)
}

// A POST that never left (nothing listens) created nothing: no such hint.
func TestCreateConnectionRefusedIsPlain(t *testing.T) {
	a := newAPI(t, http.NotFoundHandler())
	a.Close()
	got := newRunner(a).run("org", "api-key", "create", "--type", "personal")
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, !strings.Contains(got.Stderr, "may have been created"), got.Stderr)
}

// Ctrl-C (and SIGTERM or SIGHUP, which main.go turns into the same
// cancellation) while the POST is in flight: exit 130, and the hint carries
// the --remote-url of the run, quoted for the shell.
func TestCreateInterruptedHintCarriesRemoteURL(t *testing.T) {
	arrived := make(chan struct{})
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	}))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	r := newRunner(a)
	r.ctx = ctx
	delete(r.env, "BASETEN_MANAGEMENT_API_URL_OVERRIDE")
	got := r.run("org", "api-key", "create", "--type", "personal", "--remote-url", a.URL)
	assertResult(t, got, "", "Error: interrupted while creating the key; it may have been created\n"+
		"Before creating another, check with: baseten org api-key list --remote-url "+a.URL+"\n", 130)
}

// The revoke command in a hint is safe to paste: the remote URL is quoted
// for the shell (brackets are glob characters).
func TestRevokeHintIsShellQuoted(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	r.stdout = brokenWriter{}
	got := r.run("org", "api-key", "create", "--type", "personal", "--remote-url", "http://[::1]:9")
	prefix := sb.Keys()[0].Prefix
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, is.Contains(got.Stderr, "\nRevoke it with: baseten org api-key delete --prefix "+prefix+" --remote-url 'http://[::1]:9'\n"))
}

// A prefix from the server is quoted for the shell, and one that fails
// --prefix's rules never reaches a command line at all.
func TestRevokeHintNeverCarriesABadServerPrefix(t *testing.T) {
	for key, want := range map[string]string{
		`$(reboot).secretsecretsecret`: "Error: the new API key $(reboot)... was created but not shown: write /dev/stdout: broken pipe\n" +
			"Revoke it with: baseten org api-key delete --prefix '$(reboot)'\n",
		`..%2f.secretsecretsecret`: "Error: the new API key was created but not shown: write /dev/stdout: broken pipe\n" +
			"Find its prefix with: baseten org api-key list (then revoke it with delete --prefix)\n",
		`a b.secretsecretsecret`: "Error: unexpected response from the API: the api_key in the create response holds characters an API key never has; the key may have been created\n" +
			"Before creating another, check with: baseten org api-key list\n",
	} {
		a := newAPI(t, ok(`{"api_key":"`+key+`"}`))
		r := newRunner(a)
		r.stdout = brokenWriter{}
		got := r.run("org", "api-key", "create", "--type", "personal")
		assertResult(t, got, "", want, 1)
	}
}

// A server prefix that starts with "-" passes --prefix's rules, but
// "--prefix -x" does not parse: the revoke command pasted as printed must
// delete that key.
func TestRevokeHintWorksForAPrefixLikeAFlag(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("POST /v1/api_keys", ok(`{"api_key":"-h0wdy.secretsecretsecret"}`))
	mux.Handle("DELETE /v1/api_keys/{prefix}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok(`{"prefix":"`+r.PathValue("prefix")+`"}`)(w, r)
	}))
	a := newAPI(t, mux)
	r := newRunner(a)
	r.stdout = brokenWriter{}
	got := r.run("org", "api-key", "create", "--type", "personal")
	assert.Equal(t, got.Code, 1)
	_, hint, found := strings.Cut(got.Stderr, "\nRevoke it with: baseten ")
	assert.Assert(t, found, got.Stderr)
	r.stdout = nil
	got = r.run(strings.Fields(hint)...) // (no quoting to undo: the hint holds none)
	assertResult(t, got, "", "Deleted API key -h0wdy\n", 0)
	assert.DeepEqual(t, a.Requests(), []string{"POST /v1/api_keys", "DELETE /v1/api_keys/-h0wdy"})
}

// stdout that is the null device would swallow the key: refused before
// anything is sent.
func TestCreateRefusesDiscardedStdout(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	r.discarded = true
	got := r.run("org", "api-key", "create", "--type", "personal")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: stdout is /dev/null, which would discard the new key, shown only once\n"), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{})
	assert.Equal(t, len(sb.Keys()), 0)
	// Other commands may print into nothing.
	assert.Equal(t, r.run("org", "api-key", "list").Code, 0)
}

// ---- server text on the terminal ----

const hostile = "evil\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202egnp.exe\u2066\u200b\u2028\x9b31m"

// What the sanitizer makes of hostile: controls become U+FFFD, invisible
// formatting characters a visible escape.
const hostileShown = "evil\uFFFD]52;c;ZXZpbA==\uFFFD\uFFFD[2J\\u202egnp.exe\\u2066\\u200b\\u2028\uFFFD31m"

func TestServerTextIsSanitized(t *testing.T) {
	t.Run("error detail", func(t *testing.T) {
		a := newAPI(t, reply(400, "application/json", `{"detail":"`+jsonEscape(hostile)+`"}`))
		got := newRunner(a).run("org", "api-key", "list")
		// (An error line folds U+2028, a line separator, into a space.)
		assertResult(t, got, "", "Error: API request failed (400 Bad Request): "+strings.Replace(hostileShown, `\u2028`, " ", 1)+"\n", 5)
	})
	t.Run("deleted prefix", func(t *testing.T) {
		a := newAPI(t, ok(`{"prefix":"`+jsonEscape(hostile)+`"}`))
		got := newRunner(a).run("org", "api-key", "delete", "--prefix", "abcd1234")
		assertResult(t, got, "", "Deleted API key "+hostileShown+"\n", 0)
	})
	t.Run("team hint", func(t *testing.T) {
		a := newAPI(t, ok(`{"teams":[{"id":"t1","name":"`+jsonEscape(hostile)+`","default":true,"created_at":"2024-01-01T00:00:00Z"}]}`))
		got := newRunner(a).run("org", "api-key", "create", "--type", "personal", "--team", "nope")
		assertResult(t, got, "", "Error: no team with ID or name \"nope\"\nTeams you can use: "+hostileShown+" (t1)\n", 4)
	})
	t.Run("ambiguous name", func(t *testing.T) {
		a := newAPI(t, ok(`{"keys":[{"prefix":"`+jsonEscape("a\x1b[31m")+`","name":"x","type":"PERSONAL"},{"prefix":"b\u202e","name":"x","type":"PERSONAL"}]}`))
		got := newRunner(a).run("org", "api-key", "delete", "--name", "x")
		assert.Equal(t, got.Code, 2)
		assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: 2 API keys are named \"x\": a\uFFFD[31m, b\\u202e\n"), got.Stderr)
	})
	t.Run("a line break cannot forge a line", func(t *testing.T) {
		a := newAPI(t, ok(`{"prefix":"x\nError: forged"}`))
		got := newRunner(a).run("org", "api-key", "delete", "--prefix", "abcd1234")
		assertResult(t, got, "", "Deleted API key x\uFFFDError: forged\n", 0)
	})
}

func jsonEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r == 0x9b {
			b.WriteString(`\u00`)
			b.WriteString("0123456789abcdef"[r>>4 : r>>4+1])
			b.WriteString("0123456789abcdef"[r&15 : r&15+1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ---- secrets in error text ----

func TestConfiguredKeyIsRedactedBeforeShortening(t *testing.T) {
	// The key straddles the 300-character cut of the error line: shortening
	// first would leave its first part readable.
	body := strings.Repeat("x", 230) + " " + testKey + " " + strings.Repeat("y", 100)
	a := newAPI(t, reply(401, "text/plain", body))
	got := newRunner(a).run("org", "api-key", "list")
	assert.Equal(t, got.Code, 3)
	assert.Assert(t, is.Contains(got.Stderr, " [redacted] yyy"))
	_, secret, _ := strings.Cut(testKey, ".")
	assertNoSecret(t, got, secret[:8])
}

// Go's own errors quote what the server sent: a malformed header line.
func TestConfiguredKeyIsRedactedFromNetworkErrors(t *testing.T) {
	a := newAPI(t, raw("HTTP/1.1 200 OK\r\n"+testKey+"\r\n\r\n"))
	got := newRunner(a).run("org", "api-key", "delete", "--prefix", "abcd1234")
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, is.Contains(got.Stderr, "malformed"), got.Stderr)
	assert.Assert(t, is.Contains(got.Stderr, "[redacted]"), got.Stderr)
	_, secret, _ := strings.Cut(testKey, ".")
	assertNoSecret(t, got, secret[:8])
}

// ---- identifiers from responses ----

// A team name of any length makes a hint of bounded length.
func TestTeamHintIsBounded(t *testing.T) {
	long := strings.Repeat("n", 5000)
	a := newAPI(t, ok(`{"teams":[{"id":"t1","name":"`+long+`","default":true,"created_at":"2024-01-01T00:00:00Z"}]}`))
	got := newRunner(a).run("org", "api-key", "create", "--type", "personal", "--team", "nope")
	assertResult(t, got, "", "Error: no team with ID or name \"nope\"\nTeams you can use: "+long[:64]+"... (t1)\n", 4)
}

// Ctrl-C after the key was created, while the output is being rendered,
// must not cost the key: it is printed all the same.
func TestCreateShowsTheKeyDespiteALateInterrupt(t *testing.T) {
	answered := make(chan struct{})
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok(`{"api_key":"abcd1234.S3CRETS3CRETS3CRETS3CRET"}`)(w, r)
		close(answered)
	}))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-answered
		time.Sleep(50 * time.Millisecond) // into the filter's long count
		cancel()
	}()
	r := newRunner(a)
	r.ctx = ctx
	// The filter counts to three million before printing the key: long
	// enough for the interrupt to land while it runs.
	got := r.run("org", "api-key", "create", "--type", "personal", "--jq", "(range(3000000) | empty), .api_key")
	assertResult(t, got, "abcd1234.S3CRETS3CRETS3CRETS3CRET\n", "", 0)
}

func TestServerIdentifiersAreCheckedBeforeUse(t *testing.T) {
	for _, prefix := range []string{"", "..", "a/b", "a\x1bb"} {
		a := newAPI(t, ok(`{"keys":[{"prefix":"`+jsonEscape(prefix)+`","name":"laptop","type":"PERSONAL"}]}`))
		got := newRunner(a).run("org", "api-key", "delete", "--name", "laptop")
		assert.Equal(t, got.Code, 1, "%q: %s", prefix, got.Stderr)
		assert.Assert(t, is.Contains(got.Stderr, "nothing was deleted"))
		assert.DeepEqual(t, a.Requests(), []string{"GET /v1/api_keys"})
	}
	for _, id := range []string{"..", ".", "", "a/../b", "a%2F..", "t 1"} {
		a := newAPI(t, ok(`{"teams":[{"id":"`+id+`","name":"Evil","default":false,"created_at":"2024-01-01T00:00:00Z"}]}`))
		got := newRunner(a).run("org", "api-key", "create", "--type", "personal", "--team", "Evil")
		assert.Equal(t, got.Code, 1, "%q: %s", id, got.Stderr)
		assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: the API lists team "Evil" with ID "`+id+`", which `), got.Stderr)
		assert.Assert(t, strings.HasSuffix(got.Stderr, "; nothing was created\n"), got.Stderr)
		assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams"})
	}
}

// A 200 to DELETE whose JSON is not a tombstone (a host that answers {} to
// everything, a typo in --remote-url away) confirms nothing: saying "Deleted"
// would leave a key the user means to revoke working.
func TestDeleteNeedsATombstone(t *testing.T) {
	for _, body := range []string{`{}`, `null`, `{"status":"ok"}`, `{"prefix":null}`} {
		a := newAPI(t, ok(body))
		got := newRunner(a).run("org", "api-key", "delete", "--prefix", "abcd1234")
		want := "Error: unexpected response from the API: the delete response holds no prefix\n"
		if body == "null" {
			want = "Error: unexpected response from the API: DELETE /v1/api_keys/abcd1234: the response is not the JSON the API documents (not a JSON object)\n"
		}
		assertResult(t, got, "", want, 1)
	}
}

// ---- help into a closed pipe ----

type epipeWriter struct{}

func (epipeWriter) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}
}

func TestHelpIntoClosedPipeIsQuiet(t *testing.T) {
	r := newRunner(nil)
	r.stdout = epipeWriter{}
	for _, args := range [][]string{{"--help"}, {"org", "api-key", "create", "-h"}, {"help", "org"}, {"org"}, {"--version"}} {
		assertResult(t, r.run(args...), "", "", 0)
	}
}

// The configured key is redacted from usage errors too: a key pasted into
// the wrong flag or environment variable is echoed by the message that
// rejects it, before any client exists.
func TestConfiguredKeyIsRedactedFromUsageErrors(t *testing.T) {
	_, secret, _ := strings.Cut(testKey, ".")
	for name, setup := range map[string]func(r *runner) []string{
		"--remote-url": func(*runner) []string { return []string{"org", "api-key", "list", "--remote-url", testKey} },
		"BASETEN_REMOTE_URL": func(r *runner) []string {
			r.env["BASETEN_REMOTE_URL"] = testKey
			return []string{"org", "api-key", "list"}
		},
		"BASETEN_MANAGEMENT_API_URL_OVERRIDE": func(r *runner) []string {
			r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = testKey
			return []string{"org", "api-key", "list"}
		},
		"BASETEN_HTTP_TIMEOUT": func(r *runner) []string {
			r.env["BASETEN_HTTP_TIMEOUT"] = testKey
			return []string{"org", "api-key", "list"}
		},
		"a stray argument": func(*runner) []string { return []string{"org", "api-key", "list", testKey} },
		"--type":           func(*runner) []string { return []string{"org", "api-key", "create", "--type", testKey} },
	} {
		t.Run(name, func(t *testing.T) {
			r := newRunner(nil)
			got := r.run(setup(r)...)
			assert.Equal(t, got.Code, 2, got.Stderr)
			assert.Assert(t, is.Contains(got.Stderr, "[redacted]"))
			assertNoSecret(t, got, secret[:8])
		})
	}
}
