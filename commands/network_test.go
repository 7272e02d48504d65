package commands_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

// These tests point the CLI at servers that misbehave the way networks,
// proxies and hostile hosts do, and check that every request ends, that the
// key never leaves for another origin, and that memory stays bounded. The
// client's policy itself (what is retried, Retry-After, limits, redirects)
// is table-tested in managementapi (policy_test.go); these runs of the
// whole command pin the exit codes, the hints and the verbose lines.

// sequence answers the n-th request with handlers[n], repeating the last.
func sequence(handlers ...http.HandlerFunc) http.Handler {
	var n atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := min(int(n.Add(1))-1, len(handlers)-1)
		handlers[i](w, r)
	})
}

func status(code int, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"detail":"status %d"}`, code)
	}
}

func ok(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}
}

// hangUp closes the connection without answering.
func hangUp(w http.ResponseWriter, _ *http.Request) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}

// raw writes bytes straight onto the connection and closes it.
func raw(response string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		buf.WriteString(response)
		buf.Flush()
		conn.Close()
	}
}

// never answers until the client gives up.
func never(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// ---- redirects ----

// A redirect is an answer, never an instruction: the Authorization header,
// a POST and a DELETE never reach the origin it names.
func TestRedirectsAreNotFollowed(t *testing.T) {
	elsewhere := newAPI(t, ok(`{"keys":[],"api_key":"minted.elsewhere","prefix":"x"}`))
	commands := map[string][]string{
		"GET":    {"org", "api-key", "list"},
		"POST":   {"org", "api-key", "create", "--type", "personal"},
		"DELETE": {"org", "api-key", "delete", "--prefix", "abcd1234"},
	}
	// Each status's words and each Location's origin: TestRedirects in
	// managementapi. Here the whole command, for a redirect a client
	// following it would turn into a GET (302) and one it would replay with
	// the body and the key (307).
	for _, code := range []int{302, 307} {
		for method, args := range commands {
			t.Run(fmt.Sprintf("%d %s", code, method), func(t *testing.T) {
				a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, elsewhere.URL+r.URL.Path, code)
				}))
				got := newRunner(a).run(append(args, "-v")...)
				assert.Equal(t, got.Code, 1, got.Stderr)
				assert.Equal(t, got.Stdout, "")
				wantErr := fmt.Sprintf("Error: the API answered %d %s, a redirect to %s; redirects are not followed, so nothing was sent there",
					code, http.StatusText(code), elsewhere.URL)
				if method == "POST" { // a redirect after the POST left leaves its outcome open
					wantErr += "; the key may have been created\nBefore creating another, check with: baseten org api-key list"
				}
				assert.Assert(t, is.Contains(got.Stderr, wantErr+"\n"))
				// -v shows what was sent where, and that nothing else was sent.
				assert.Assert(t, is.Regexp(`^`+method+` `+a.URL+`/v1/api_keys\S* `+fmt.Sprint(code)+`, redirect to `+elsewhere.URL+` not followed (?:\d+ms|\d+(?:\.\d)?s)\n`, got.Stderr))
				assert.Equal(t, len(a.Requests()), 1)
				assertNoSecret(t, got, testKey)
			})
		}
	}
	assert.DeepEqual(t, elsewhere.Requests(), []string{})
}

// A Location that is not a URL (here quoting the key back) is named, not
// parsed into an error message.
func TestRedirectToUnparsableLocation(t *testing.T) {
	a := newAPI(t, status(302, "Location", "http://[::1"+testKey))
	got := newRunner(a).run("org", "api-key", "list")
	assertResult(t, got, "", "Error: the API answered 302 Found, a redirect to an unparsable Location; redirects are not followed, so nothing was sent there\n"+
		"The management API never redirects: check --remote-url, BASETEN_REMOTE_URL and BASETEN_MANAGEMENT_API_URL_OVERRIDE.\n", 1)
}

// ---- deadlines ----

// drip sends a 200 and then one byte of body every 50ms, forever.
func drip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(200)
	for {
		if _, err := w.Write([]byte(" ")); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func TestWholeRequestDeadline(t *testing.T) {
	for name, handler := range map[string]http.HandlerFunc{"body drips": drip, "no answer": never} {
		t.Run(name, func(t *testing.T) {
			a := newAPI(t, handler)
			r := newRunner(a)
			r.env["BASETEN_HTTP_TIMEOUT"] = "300ms"
			got := r.run("org", "api-key", "list")
			assertResult(t, got, "", "Error: timed out after 300ms\nSet BASETEN_HTTP_TIMEOUT to allow more time, e.g. BASETEN_HTTP_TIMEOUT=2m.\n", 1)
			assert.DeepEqual(t, a.Requests(), []string{"GET /v1/api_keys"})
		})
	}
}

func TestInvalidHTTPTimeoutIsAUsageError(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	for _, value := range []string{"soon", "10", "0", "-1s", "0s"} {
		r := newRunner(a)
		r.env["BASETEN_HTTP_TIMEOUT"] = value
		got := r.run("org", "api-key", "list")
		assert.Equal(t, got.Code, 2, value)
		assert.Assert(t, is.Contains(got.Stderr, fmt.Sprintf("Error: invalid BASETEN_HTTP_TIMEOUT %q: want a positive duration such as 500ms, 30s or 2m\n", value)))
	}
	assert.DeepEqual(t, a.Requests(), []string{})
}

// ---- retries ----

func TestGetIsRetriedOnTransientFailures(t *testing.T) {
	// (A dropped connection comes first: on a reused connection Go's
	// transport would replay the GET itself, unseen.)
	a := newAPI(t, sequence(hangUp, status(503, "Retry-After", "0"), status(429, "Retry-After", "0"), ok(`{"keys":[]}`)))
	got := newRunner(a).run("org", "api-key", "list", "-v")
	// Three attempts at most: the fourth answer is never asked for, and the
	// last answer decides the exit code (429: 5).
	assert.Equal(t, got.Code, 5, got.Stderr)
	assert.Equal(t, len(a.Requests()), 3)
	lines := strings.Split(got.Stderr, "\n")
	assert.Assert(t, is.Regexp(`^GET \S+ no response (?:\d+ms|\d+(?:\.\d)?s)$`, lines[0]))
	assert.Assert(t, is.Regexp(`^waiting (?:\d+ms|\d+(?:\.\d)?s) before attempt 2 of 3 \(connection error\)$`, lines[1]))
	assert.Assert(t, is.Regexp(`^GET \S+ 503 (?:\d+ms|\d+(?:\.\d)?s) \(attempt 2 of 3\)$`, lines[2]))
	assert.Equal(t, lines[3], "waiting 0ms before attempt 3 of 3 (503 Service Unavailable, Retry-After)")
	assert.Assert(t, is.Regexp(`^GET \S+ 429 (?:\d+ms|\d+(?:\.\d)?s) \(attempt 3 of 3\)$`, lines[4]))

	a = newAPI(t, sequence(status(502), status(504, "Retry-After", "0"), ok(`{"keys":[]}`)))
	assertResult(t, newRunner(a).run("org", "api-key", "list"), "", "No API keys found.\n", 0)
	assert.Equal(t, len(a.Requests()), 3)
}

// A Retry-After longer than 30s fails at once and says when to come back.
func TestLongRetryAfterFailsAtOnce(t *testing.T) {
	for _, value := range []string{"120", time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat)} {
		a := newAPI(t, status(429, "Retry-After", value))
		got := newRunner(a).run("org", "api-key", "list")
		assert.Equal(t, got.Code, 5)
		assert.Assert(t, is.Regexp(`^Error: API request failed \(429 Too Many Requests\): status 429\n`+
			`The API asked to retry after (2m|1h59m\d+s|2h): try again at (\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d \S+\.\n$`, got.Stderr))
		assert.Equal(t, len(a.Requests()), 1)
	}
}

func TestPostIsNeverRetried(t *testing.T) {
	for _, handler := range []http.HandlerFunc{status(503, "Retry-After", "0"), status(429, "Retry-After", "0"), hangUp} {
		a := newAPI(t, handler)
		got := newRunner(a).run("org", "api-key", "create", "--type", "personal")
		assert.Assert(t, got.Code != 0)
		assert.DeepEqual(t, a.Requests(), []string{"POST /v1/api_keys"})
	}
}

func TestDeleteRetries(t *testing.T) {
	t.Run("a retry answered 404 means an earlier attempt deleted the key", func(t *testing.T) {
		a := newAPI(t, sequence(status(502), status(404)))
		got := newRunner(a).run("org", "api-key", "delete", "--prefix", "abcd1234")
		assertResult(t, got, "", "Note: the retried request found the key already gone; an earlier attempt deleted it.\nDeleted API key abcd1234\n", 0)
		assert.Equal(t, len(a.Requests()), 2)
	})
	t.Run("after a dropped connection", func(t *testing.T) {
		a := newAPI(t, sequence(hangUp, ok(`{"prefix":"abcd1234"}`)))
		assertResult(t, newRunner(a).run("org", "api-key", "delete", "--prefix", "abcd1234"), "", "Deleted API key abcd1234\n", 0)
		assert.Equal(t, len(a.Requests()), 2)
	})
	t.Run("a first 404 is not found", func(t *testing.T) {
		a := newAPI(t, status(404))
		got := newRunner(a).run("org", "api-key", "delete", "--prefix", "abcd1234")
		assert.Equal(t, got.Code, 4)
		assert.Equal(t, len(a.Requests()), 1)
	})
	t.Run("429 is not retried", func(t *testing.T) {
		a := newAPI(t, status(429, "Retry-After", "0"))
		got := newRunner(a).run("org", "api-key", "delete", "--prefix", "abcd1234")
		assert.Equal(t, got.Code, 5)
		assert.Equal(t, len(a.Requests()), 1)
	})
	t.Run("204 is success", func(t *testing.T) {
		a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
		assertResult(t, newRunner(a).run("org", "api-key", "delete", "--prefix", "abcd1234"), "", "Deleted API key abcd1234\n", 0)
		assertResult(t, newRunner(a).run("org", "api-key", "delete", "--prefix", "abcd1234", "-o", "jsonl"), `{"prefix":"abcd1234"}`+"\n", "", 0)
	})
}

// Ctrl-C while waiting to retry stops at once.
func TestInterruptDuringRetryWait(t *testing.T) {
	arrived := make(chan struct{}, 1)
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		status(503, "Retry-After", "30")(w, r)
	}))
	ctx, cancel := context.WithCancel(context.Background())
	r := newRunner(a)
	r.ctx = ctx
	done := make(chan result, 1)
	go func() { done <- r.run("org", "api-key", "list") }()
	<-arrived
	time.Sleep(50 * time.Millisecond) // let it start waiting
	cancel()
	select {
	case got := <-done:
		assertResult(t, got, "", "Error: interrupted\n", 130)
	case <-time.After(15 * time.Second): // the wait is 30s: only a wait that ignores Ctrl-C gets here
		t.Fatal("Ctrl-C did not stop the wait")
	}
	assert.Equal(t, len(a.Requests()), 1)
}

// ---- size limits ----

// endless streams a key list that never ends.
func endless(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"keys":[`))
	entry := bytes.Repeat([]byte(`{"prefix":"aaaa1111","type":"PERSONAL"},`), 1000)
	for r.Context().Err() == nil {
		if _, err := w.Write(entry); err != nil {
			return
		}
	}
}

func TestEndlessBodiesAreRefused(t *testing.T) {
	t.Run("key list: 128 MiB", func(t *testing.T) {
		a := newAPI(t, http.HandlerFunc(endless))
		got := newRunner(a).run("org", "api-key", "list")
		assertResult(t, got, "", "Error: unexpected response from the API: GET /v1/api_keys: the response is larger than the 128 MiB limit\n", 1)
	})
	t.Run("teams: 1 MiB", func(t *testing.T) {
		a := newAPI(t, http.HandlerFunc(endless))
		got := newRunner(a).run("org", "api-key", "create", "--type", "personal", "--team", "x")
		assertResult(t, got, "", "Error: unexpected response from the API: GET /v1/teams: the response is larger than the 1 MiB limit\n", 1)
		assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams"})
	})
}

// gzipBomb is a key list that inflates to about 1 GiB: a gzip member of 1 MiB
// of entries, repeated (concatenated members are one gzip stream).
func gzipBomb(t *testing.T) []byte {
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	entry := []byte(`{"prefix":"aaaa1111","name":"bomb","type":"PERSONAL","model_ids":null,"team_name":null},`)
	for n := 0; n < 1<<20; n += len(entry) {
		zw.Write(entry)
	}
	zw.Close()
	var head bytes.Buffer
	zw = gzip.NewWriter(&head)
	zw.Write([]byte(`{"keys":[`))
	zw.Close()
	return append(head.Bytes(), bytes.Repeat(member.Bytes(), 1024)...)
}

// A gzip bomb is refused in every output mode with memory well under what
// it inflates to (the limit counts inflated bytes).
func TestGzipBombIsRefusedWithBoundedMemory(t *testing.T) {
	bomb := gzipBomb(t)
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	}))
	for _, mode := range [][]string{{"-o", "text"}, {"-o", "json"}, {"-o", "jsonl"}, {"-o", "none"}, {"--jq", ".keys[0]"}} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		got := newRunner(a).run(append([]string{"org", "api-key", "list"}, mode...)...)
		runtime.ReadMemStats(&after)
		assertResult(t, got, "", "Error: unexpected response from the API: GET /v1/api_keys: the response is larger than the 128 MiB limit\n", 1)
		allocated := (after.TotalAlloc - before.TotalAlloc) >> 20
		assert.Assert(t, allocated < 400, "%v allocated %d MiB", mode, allocated)
	}
}

// tinyEntries is a key list of n bytes (inflated) made of the smallest
// entries JSON allows, "{}": each costs 3 bytes on the wire (far less
// gzipped) and a whole APIKeyInfo (72 bytes) once decoded.
func tinyEntries(n int) []byte {
	var body bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&body, gzip.BestCompression)
	zw.Write([]byte(`{"keys":[{}`))
	chunk := bytes.Repeat([]byte(`,{}`), 1<<16)
	for written := 0; written < n; written += len(chunk) {
		zw.Write(chunk)
	}
	zw.Write([]byte(`]}`))
	zw.Close()
	return body.Bytes()
}

// A list well inside the 128 MiB limit could still cost gigabytes: 32 MiB of
// "{}" entries (a 32 KB gzip answer) would decode into 11 million values.
// No real answer packs values that densely, so it is refused unread, in
// every mode, with memory bounded by the body.
func TestTinyEntriesKeepMemoryBounded(t *testing.T) {
	body := tinyEntries(32 << 20)
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(body)
	}))
	for _, mode := range [][]string{{"-o", "none"}, {"-o", "jsonl"}, {"-o", "text"}, {"--jq", ".keys | length"}} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		got := newRunner(a).run(append([]string{"org", "api-key", "list"}, mode...)...)
		runtime.ReadMemStats(&after)
		assert.Equal(t, got.Code, 1, "%v: %s", mode, got.Stderr)
		assert.Assert(t, is.Contains(got.Stderr, "denser than any answer of the API"))
		allocated := (after.TotalAlloc - before.TotalAlloc) >> 20
		assert.Assert(t, allocated < 400, "%v allocated %d MiB", mode, allocated)
	}
}

// ---- statuses the API never uses ----

func TestUnusedStatusesAreUnexpected(t *testing.T) {
	for _, code := range []int{304, 300, 204} {
		a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }))
		got := newRunner(a).run("org", "api-key", "list")
		assert.Equal(t, got.Code, 1, "%d: %s", code, got.Stderr)
		assert.Assert(t, is.Contains(got.Stderr, "Error: unexpected response from the API: GET /v1/api_keys: "))
	}
	a := newAPI(t, raw("HTTP/1.1 101 Switching Protocols\r\nUpgrade: evil\r\nConnection: Upgrade\r\n\r\n"))
	got := newRunner(a).run("org", "api-key", "list")
	assertResult(t, got, "", "Error: unexpected response from the API: GET /v1/api_keys: the API answered 101 Switching Protocols, a status it never uses\n", 1)
}

// HTTP status codes end at 599 (RFC 9110, section 15): 600 to 999, which
// Go's transport accepts, are not server errors (exit 6) but answers the API
// never gives.
func TestStatusesPast599AreUnexpected(t *testing.T) {
	for _, code := range []int{600, 999} {
		a := newAPI(t, status(code))
		got := newRunner(a).run("org", "api-key", "list")
		assertResult(t, got, "", fmt.Sprintf("Error: unexpected response from the API: GET /v1/api_keys: the API answered %d, a status it never uses\n", code), 1)
		assert.Equal(t, len(a.Requests()), 1)

		got = newRunner(a).run("org", "api-key", "create", "--type", "personal")
		assertResult(t, got, "", fmt.Sprintf("Error: unexpected response from the API: POST /v1/api_keys: the API answered %d, a status it never uses; the key may have been created\n", code)+
			"Before creating another, check with: baseten org api-key list\n", 1)
	}
}

// ---- where requests go ----

func TestOverrideWithoutHostIsAUsageError(t *testing.T) {
	r := newRunner(nil)
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = "http://:8080"
	got := r.run("org", "api-key", "list")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, is.Contains(got.Stderr, `Error: invalid BASETEN_MANAGEMENT_API_URL_OVERRIDE: "http://:8080" has no host`))
}

func TestAPIKeyWithControlCharacters(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	for _, key := range []string{testKey + "\nX-Injected: 1", "abc\x00def", "abc def"} {
		r := newRunner(a)
		r.env["BASETEN_API_KEY"] = key
		got := r.run("org", "api-key", "list")
		assertResult(t, got, "", "Error: BASETEN_API_KEY contains a line break, a space or another character an API key never has\nSet it to the key alone, on one line.\n", 3)
	}
	assert.DeepEqual(t, a.Requests(), []string{})
}

// A TLS server whose certificate is not trusted fails without retries.
func TestUntrustedCertificateIsNotRetried(t *testing.T) {
	srv := httptest.NewUnstartedServer(ok(`{"keys":[]}`))
	var attempts atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			attempts.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failure is the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	r := newRunner(nil)
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = srv.URL
	got := r.run("org", "api-key", "list")
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, is.Contains(got.Stderr, "certificate"))
	assert.Equal(t, attempts.Load(), int32(1))
}

// oneDurationRule is how FormatDuration spells a duration: whole
// milliseconds below a second, seconds with at most one decimal below a
// minute, then hours, minutes and seconds.
var oneDurationRule = regexp.MustCompile(`^(\d{1,3}ms|\d{1,2}(\.\d)?s|(\d+h)?(\d+m)?(\d+s)?)$`)

// -v spells every duration by one rule: a wait of nothing is "0ms" beside
// the "2ms" of a request, not "0s".
func TestVerboseDurationsFollowOneRule(t *testing.T) {
	a := newAPI(t, sequence(status(503, "Retry-After", "0"), status(503, "Retry-After", "0"), ok(`{"keys":[]}`)))
	got := newRunner(a).run("org", "api-key", "list", "-v")
	assert.Equal(t, got.Code, 0, got.Stderr)
	line := regexp.MustCompile(`^(GET \S+ \d{3} (\S+)( \(attempt \d of 3\))?|waiting (\S+) before attempt \d of 3 \(.*\)|No API keys found\.)$`)
	lines := strings.Split(strings.TrimSuffix(got.Stderr, "\n"), "\n")
	assert.Equal(t, len(lines), 6, got.Stderr)
	for _, l := range lines {
		m := line.FindStringSubmatch(l)
		assert.Assert(t, m != nil, "unexpected -v line %q", l)
		for _, d := range []string{m[2], m[4]} {
			assert.Assert(t, d == "" || oneDurationRule.MatchString(d), "%q in %q", d, l)
		}
	}
	assert.Assert(t, strings.HasPrefix(lines[1], "waiting 0ms before attempt 2 of 3 (503 Service Unavailable, Retry-After)"), lines[1])
}
