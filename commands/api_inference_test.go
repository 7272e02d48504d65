package commands_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// inferenceRunner points the management API at a host that is never
// called (its name is what the inference host is derived from) and the
// inference override at handler, behind a recorder.
func inferenceRunner(t *testing.T, handler http.Handler) (*runner, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(rec.wrap(handler))
	t.Cleanup(srv.Close)
	r := newRunner(nil)
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = "https://api.example.test:8443"
	r.env["BASETEN_INFERENCE_BASE_URL_OVERRIDE"] = srv.URL
	return r, rec
}

// The host is derived as the API derives it, and named in the Host header
// when an override sends the request elsewhere; the key is sent as to the
// management API.
func TestAPIInferenceHostDerivation(t *testing.T) {
	r, rec := inferenceRunner(t, ok(`{"echo":true}`))
	assertResult(t, r.run("api", "inference", "environments/production/predict", "--model-id", "abc123", "-F", "prompt=hi"), "{\n  \"echo\": true\n}\n", "", 0)
	assertResult(t, r.run("api", "inference", "/predict", "--model-id", "abc123", "--environment", "production", "-o", "jsonl"), `{"echo":true}`+"\n", "", 0)
	assertResult(t, r.run("api", "inference", "run_remote", "--chain-id", "ch_1", "--environment", "staging-2", "--input", "-", "-o", "none"), "", "", 0)
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = ""
	r.env["BASETEN_REMOTE_URL"] = "https://app.baseten.co"
	assertResult(t, r.run("api", "inference", "v1/models?x=1", "--model-id", "abc123", "--environment", "production", "-o", "none"), "", "", 0)

	all := rec.all()
	assert.Equal(t, len(all), 4)
	for i, want := range []struct{ method, uri, host, body string }{
		{"POST", "/environments/production/predict", "model-abc123.api.example.test:8443", `{"prompt":"hi"}`},
		{"GET", "/predict", "model-abc123-production.api.example.test:8443", ""},
		{"POST", "/run_remote", "chain-ch_1-staging-2.api.example.test:8443", ""},
		{"GET", "/v1/models?x=1", "model-abc123-production.api.baseten.co", ""},
	} {
		assert.Equal(t, all[i].Method, want.method, i)
		assert.Equal(t, all[i].URI, want.uri, i)
		assert.Equal(t, all[i].Host, want.host, i)
		assert.Equal(t, all[i].Body, want.body, i)
		assert.Equal(t, all[i].Header.Get("Authorization"), "Bearer "+testKey, i)
	}
}

// IDs and names go into a host name: only letters, digits, - and _.
func TestAPIInferenceRefusesBadTargets(t *testing.T) {
	r, rec := inferenceRunner(t, ok(`{}`))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"predict", "--model-id", "a.evil.example"}, `Error: --model-id "a.evil.example" is not an ID or name`},
		{[]string{"predict", "--model-id", "a/b"}, `Error: --model-id "a/b" is not an ID or name`},
		{[]string{"predict", "--model-id", "a:1@evil"}, `is not an ID or name`},
		{[]string{"predict", "--model-id", ""}, `Error: --model-id "" is not an ID or name`},
		{[]string{"predict", "--chain-id", "x y"}, `Error: --chain-id "x y" is not an ID or name`},
		{[]string{"predict", "--model-id", "m", "--environment", "prod\x1b"}, `Error: --environment "prod\x1b" is not an ID or name`},
		{[]string{"predict", "--model-id", "m", "--chain-id", "c"}, `Error: --model-id and --chain-id can't be used together`},
		{[]string{"predict"}, `Error: one of --model-id or --chain-id is required`},
		{[]string{"//evil.example/predict", "--model-id", "m"}, `names a host`},
		{[]string{"https://evil.example/", "--model-id", "m"}, `is a URL`},
		{[]string{"a/../b", "--model-id", "m"}, `has a ".." segment`},
		{[]string{"predict", "--model-id", "m", "-H", "Host: evil.example"}, `Error: --header Host is not yours to set`},
		{[]string{"predict", "--model-id", strings.Repeat("m", 58)}, `is longer than the 63 characters a host name's label may have`},
		{[]string{"predict", "--model-id", "m", "--environment", strings.Repeat("e", 60)}, `is longer than the 63 characters`},
	} {
		got := r.run(append([]string{"api", "inference"}, tc.args...)...)
		assert.Equal(t, got.Code, 2, "%q: %s", tc.args, got.Stderr)
		assert.Assert(t, strings.Contains(got.Stderr, tc.want), "%q: %s", tc.args, got.Stderr)
	}
	assert.DeepEqual(t, rec.uris(), []string{})

	// Without an override, an API reached by IP address has no subdomains.
	r.env["BASETEN_INFERENCE_BASE_URL_OVERRIDE"] = ""
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = "http://127.0.0.1:9"
	got := r.run("api", "inference", "predict", "--model-id", "m")
	assertResult(t, got, "", "Error: the API's host 127.0.0.1:9 is an IP address, which has no model-ID subdomains\n"+
		"Set BASETEN_INFERENCE_BASE_URL_OVERRIDE to the server that answers for inference hosts (sandbox exec sets it).\n", 2)
	r.env["BASETEN_INFERENCE_BASE_URL_OVERRIDE"] = "ftp://x"
	got = r.run("api", "inference", "predict", "--model-id", "m")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: invalid BASETEN_INFERENCE_BASE_URL_OVERRIDE: "ftp://x" is not an http(s) URL`), got.Stderr)
}

// flushed writes an answer in pieces, each flushed to the client at once.
func flushed(w http.ResponseWriter, contentType string) func(s string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	return func(s string) {
		io.WriteString(w, s)
		w.(http.Flusher).Flush()
	}
}

// seenWriter is a stdout that tells when it has been written what.
type seenWriter struct {
	mu   sync.Mutex
	b    strings.Builder
	want string
	seen chan struct{}
}

func (s *seenWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Write(p)
	if s.want != "" && strings.Contains(s.b.String(), s.want) {
		close(s.seen)
		s.want = ""
	}
	return len(p), nil
}

func (s *seenWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// An event stream is written as it arrives: the first event is on stdout
// before the server sends the second.
func TestAPIInferenceStreamsAsItArrives(t *testing.T) {
	out := &seenWriter{want: "one", seen: make(chan struct{})}
	beforeTheRest := make(chan bool, 1)
	r, _ := inferenceRunner(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		send := flushed(w, "text/event-stream")
		send("data: {\"word\":\"one\"}\n\n")
		select {
		case <-out.seen:
			beforeTheRest <- true
		case <-time.After(10 * time.Second): // a guard: the CLI kept it back
			beforeTheRest <- false
		}
		send(": a comment\nevent: token\ndata: {\"word\":\"two\"}\n\ndata: [DONE]\n\n")
	}))
	r.stdout = out
	got := r.run("api", "inference", "predict", "--model-id", "m", "--jq", ".word")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, <-beforeTheRest, "the first event was not written before the second was sent")
	assert.Equal(t, out.String(), "one\ntwo\n")
}

func TestAPIInferenceStreamOutputModes(t *testing.T) {
	const events = "data: {\"word\":\"one\",\"n\":1.0}\n\n: keep-alive\n\nevent: token\nid: 2\ndata: {\"word\":\ndata: \"two\"}\n\ndata: [DONE]\n\n"
	r, _ := inferenceRunner(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		send := flushed(w, "text/event-stream; charset=utf-8")
		for _, part := range strings.SplitAfter(events, "\n\n") {
			send(part)
		}
	}))
	args := []string{"api", "inference", "predict", "--model-id", "m"}
	assertResult(t, r.run(args...), events, "", 0) // text: the stream as sent
	assertResult(t, r.run(append(args, "-o", "jsonl")...), "{\"word\":\"one\",\"n\":1.0}\n{\"word\":\"two\"}\n", "", 0)
	assertResult(t, r.run(append(args, "-o", "json")...), "{\n  \"word\": \"one\",\n  \"n\": 1.0\n}\n{\n  \"word\": \"two\"\n}\n", "", 0)
	assertResult(t, r.run(append(args, "--jq", ".word")...), "one\ntwo\n", "", 0)
	assertResult(t, r.run(append(args, "-o", "none")...), "", "", 0)

	const lines = "{\"t\":\"a\"}\n\n{\"t\":\"b\"}\r\n"
	r, _ = inferenceRunner(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		send := flushed(w, "application/x-ndjson")
		for _, line := range strings.SplitAfter(lines, "\n") {
			send(line)
		}
	}))
	assertResult(t, r.run(args...), lines, "", 0)
	assertResult(t, r.run(append(args, "--jq", ".t")...), "a\nb\n", "", 0)
	assertResult(t, r.run(append(args, "-o", "jsonl")...), "{\"t\":\"a\"}\n{\"t\":\"b\"}\n", "", 0)

	r, _ = inferenceRunner(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flushed(w, "application/jsonl")("{\"t\":1}\nnot json\n")
	}))
	assertResult(t, r.run(append(args, "--jq", ".t")...), "1\n", "Error: unexpected response from the API: line 2 of the JSON-lines stream is not JSON\n", 1)

	// On a terminal, a stream cannot act on it either.
	r, _ = inferenceRunner(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flushed(w, "text/event-stream")("data: evil\x1b[2J\u202e\n\n")
	}))
	r.terminal = true
	assertResult(t, r.run(args...), "data: evil\uFFFD[2J\\u202e\n\n", "", 0)
}

// The whole call's deadline does not cut a stream that is still sending;
// a stream silent for longer than the idle deadline is an error, after what
// arrived before it is printed.
func TestAPIInferenceStreamDeadlines(t *testing.T) {
	r, _ := inferenceRunner(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		send := flushed(w, "text/event-stream")
		for i := range 8 {
			send(fmt.Sprintf("data: %d\n\n", i))
			time.Sleep(100 * time.Millisecond)
		}
	}))
	r.env["BASETEN_HTTP_TIMEOUT"] = "300ms"
	got := r.run("api", "inference", "predict", "--model-id", "m", "-o", "jsonl")
	assertResult(t, got, "0\n1\n2\n3\n4\n5\n6\n7\n", "", 0)

	defer commands.SetStreamIdleTimeout(300 * time.Millisecond)()
	r, _ = inferenceRunner(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flushed(w, "text/event-stream")("data: 1\n\n")
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	got = r.run("api", "inference", "predict", "--model-id", "m", "--environment", "production")
	assertResult(t, got, "data: 1\n\n", "Error: timed out after 300ms waiting for more of the stream from model-m-production.api.example.test:8443\n"+
		"Check your network connection, --remote-url and BASETEN_REMOTE_URL.\n", 1)

	// An answer that is not a stream stays bounded by the whole call.
	r, _ = inferenceRunner(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		send := flushed(w, "application/json")
		send("{")
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	r.env["BASETEN_HTTP_TIMEOUT"] = "300ms"
	got = r.run("api", "inference", "predict", "--model-id", "m")
	assertResult(t, got, "", "Error: timed out after 300ms\nSet BASETEN_HTTP_TIMEOUT to allow more time, e.g. BASETEN_HTTP_TIMEOUT=2m.\n", 1)
}

// A stored key goes where it was verified: an inference override that
// names another server does not carry it there, unless --remote-url says
// so on purpose; the override of the server it was verified against (the
// sandbox's case) is used.
func TestAPIInferenceStoredKeyStaysWithItsServer(t *testing.T) {
	sb := sandbox.New(sandbox.Options{APIKey: testKey})
	contract := sandboxtest.Contract(t, sb)
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Host, "model-") { // inference is not in the description
			sb.ServeHTTP(w, r)
			return
		}
		contract.ServeHTTP(w, r)
	}))
	r := loginRunner(a)
	r.stdin = testKey + "\n"
	got := r.run("auth", "login", "--with-api-key", "--label", "work")
	assert.Equal(t, got.Code, 0, got.Stderr)
	delete(r.env, "BASETEN_REMOTE_URL")

	other := &recorder{}
	elsewhere := httptest.NewServer(other.wrap(ok(`{}`)))
	t.Cleanup(elsewhere.Close)
	r.env["BASETEN_INFERENCE_BASE_URL_OVERRIDE"] = elsewhere.URL
	got = r.run("api", "inference", "predict", "--model-id", "m")
	assertResult(t, got, "", "Error: BASETEN_INFERENCE_BASE_URL_OVERRIDE names "+elsewhere.URL+", but the stored key of \"work\" was verified against "+a.URL+"; it is not sent elsewhere\n"+
		"Unset BASETEN_INFERENCE_BASE_URL_OVERRIDE, or pass --remote-url to send this key elsewhere on purpose.\n", 2)
	assert.DeepEqual(t, other.uris(), []string{})
	got = r.run("api", "inference", "predict", "--model-id", "m", "--remote-url", "https://app.example.test", "-o", "none")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.DeepEqual(t, other.uris(), []string{"GET /predict"})

	// The sandbox's own address as the override: where the key was verified.
	r.env["BASETEN_INFERENCE_BASE_URL_OVERRIDE"] = a.URL
	got = r.run("model", "predict", "--model-id", sandbox.SeedModelID, "--data", `{"x":1}`, "--jq", ".input.x")
	assertResult(t, got, "1\n", "", 0)
}
