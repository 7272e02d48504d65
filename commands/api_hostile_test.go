package commands_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
)

// A redirect is never followed, whatever the method: the key would go to
// the host it names, and a POST would be replayed.
func TestAPIRedirectIsRefused(t *testing.T) {
	rec := &recorder{}
	a := newAPI(t, rec.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "http://evil.example/steal?token=abc")
		w.WriteHeader(http.StatusTemporaryRedirect)
	})))
	r := newRunner(a)
	for _, method := range []string{"GET", "POST"} {
		got := r.run("api", "management", "teams", "-X", method)
		assertResult(t, got, "", "Error: the API answered 307 Temporary Redirect, a redirect to http://evil.example; redirects are not followed, so nothing was sent there\n"+
			"The management API never redirects: check --remote-url, BASETEN_REMOTE_URL and BASETEN_MANAGEMENT_API_URL_OVERRIDE.\n", 1)
	}
	assert.DeepEqual(t, rec.uris(), []string{"GET /v1/teams", "POST /v1/teams"})

	// From an inference host, the hint names what chose that host.
	r, irec := inferenceRunner(t, a.Config.Handler)
	const inferenceHint = "Inference hosts are not expected to redirect: check BASETEN_INFERENCE_BASE_URL_OVERRIDE, --remote-url and BASETEN_REMOTE_URL.\n"
	got := r.run("api", "inference", "predict", "--model-id", "m", "-X", "POST")
	assertResult(t, got, "", "Error: the API answered 307 Temporary Redirect, a redirect to http://evil.example; redirects are not followed, so nothing was sent there\n"+inferenceHint, 1)
	got = r.run("model", "predict", "--model-id", "m", "--data", "{}")
	assertResult(t, got, "", "Error: the API answered 307 Temporary Redirect, a redirect to http://evil.example; redirects are not followed, so nothing was sent there\n"+inferenceHint, 1)
	assert.DeepEqual(t, irec.uris(), []string{"POST /predict", "POST /environments/production/predict"})
}

// A binary answer survives a redirect of stdout byte for byte, and is
// never written to a terminal.
func TestAPIBinaryBody(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff\xfe\x1b[2J")
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	}))
	r := newRunner(a)
	for _, mode := range []string{"text", "json", "jsonl"} {
		got := r.run("api", "management", "models/m1/image", "-o", mode)
		assert.Equal(t, got.Code, 0, got.Stderr)
		assert.Assert(t, got.Stdout == string(png), "%q", got.Stdout)
	}
	got := r.run("api", "management", "models/m1/image", "--jq", ".")
	assertResult(t, got, "", "Error: --jq needs a JSON answer, and this one is not: it is image/png\n", 1)

	r.terminal = true
	got = r.run("api", "management", "models/m1/image")
	assertResult(t, got, "", fmt.Sprintf("Error: the answer is binary (image/png, %d bytes), and stdout is a terminal\n", len(png))+
		"Redirect stdout to a file (> FILE) or a pipe, or pass -o none.\n", 2)
	assertResult(t, r.run("api", "management", "models/m1/image", "-o", "none"), "", "", 0)
}

// Text that is not JSON is written as sent; on a terminal, what could act
// on it is made harmless, lines and tabs kept.
func TestAPITextBody(t *testing.T) {
	const text = "name\tvalue\r\nevil\x1b]0;title\x07\u202eend\n"
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, text)
	}))
	r := newRunner(a)
	assertResult(t, r.run("api", "management", "x"), text, "", 0)
	r.terminal = true
	assertResult(t, r.run("api", "management", "x"), "name\tvalue\r\nevil\uFFFD]0;title\uFFFD\\u202eend\n", "", 0)
}

// JSON is printed as sent: unknown fields, key order, number spelling,
// duplicate keys; any top-level value.
func TestAPIJSONKeptAsSent(t *testing.T) {
	body := `{"z":1.50,"a":[1e3,-0,12345678901234567890],"a":"dup","u":"\u00e9\u001b"}`
	a := newAPI(t, ok(body))
	r := newRunner(a)
	assertResult(t, r.run("api", "management", "x", "-o", "jsonl"), body+"\n", "", 0)
	assertResult(t, r.run("api", "management", "x"), "{\n  \"z\": 1.50,\n  \"a\": [\n    1e3,\n    -0,\n    12345678901234567890\n  ],\n  \"a\": \"dup\",\n  \"u\": \"\\u00e9\\u001b\"\n}\n", "", 0)
	assertResult(t, r.run("api", "management", "x", "--jq", ".z"), "1.50\n", "", 0)

	array := newAPI(t, ok(`[1, "two", null]`))
	assertResult(t, newRunner(array).run("api", "management", "x", "-o", "jsonl"), "[1,\"two\",null]\n", "", 0)
	assertResult(t, newRunner(array).run("api", "management", "x", "--jq", ".[1]"), "two\n", "", 0)
}

// A body larger than the limit stops there, declared or not, and nothing
// of it is printed.
func TestAPIBodyOverTheLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 128 MiB")
	}
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	const gib = 1 << 30
	for _, declared := range []bool{false, true} {
		var sent atomic.Int64
		a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			if declared {
				w.Header().Set("Content-Length", fmt.Sprint(gib))
			}
			for sent.Load() < gib {
				n, err := w.Write(chunk)
				sent.Add(int64(n))
				if err != nil || r.Context().Err() != nil {
					return
				}
			}
		}))
		got := newRunner(a).run("api", "management", "x")
		assertResult(t, got, "", "Error: unexpected response from the API: GET /v1/x: the response is larger than the 128 MiB limit\n", 1)
		assert.Assert(t, sent.Load() < gib, "the whole GiB was sent (declared %v)", declared)
	}
}

// Statuses: 5xx is exit 6 with its body printed; GET, HEAD and DELETE are
// retried, POST, PUT and PATCH never.
func TestAPIRetriesByMethod(t *testing.T) {
	rec := &recorder{}
	a := newAPI(t, rec.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"detail":"busy"}`)
	})))
	r := newRunner(a)
	for method, attempts := range map[string]int{"GET": 3, "HEAD": 3, "DELETE": 3, "POST": 1, "PUT": 1, "PATCH": 1} {
		before := len(rec.all())
		got := r.run("api", "management", "teams", "-X", method, "-v")
		assert.Equal(t, got.Code, 6, method)
		if method != "HEAD" {
			assert.Equal(t, got.Stdout, "{\n  \"detail\": \"busy\"\n}\n", method)
		}
		assert.Equal(t, len(rec.all())-before, attempts, method)
		assert.Assert(t, strings.HasSuffix(got.Stderr, "The Baseten API had a problem; try again later.\n"), got.Stderr)
	}
}

// -v names each attempt's method, URL and status; never the key, nor the
// value of a header given with -H.
func TestAPIVerboseHidesHeaderValues(t *testing.T) {
	a := newAPI(t, ok(`{}`))
	got := newRunner(a).run("api", "management", "teams?x=1", "-v", "-H", "X-Api-Token: hunter2hunter2", "-H", "Accept: application/json")
	assert.Equal(t, got.Code, 0, got.Stderr)
	lines := strings.Split(strings.TrimSuffix(got.Stderr, "\n"), "\n")
	assert.Equal(t, len(lines), 2, got.Stderr)
	assert.Equal(t, lines[0], "with headers Accept, X-Api-Token (values not shown)")
	assert.Assert(t, strings.HasPrefix(lines[1], "GET "+a.URL+"/v1/teams?x=1 200 "), lines[1])
	assert.Assert(t, !strings.Contains(got.Stderr, "hunter2"), got.Stderr)
	assertNoSecret(t, got, testKey, "S3CRET")
}

// A server whose headers hold CR, ESC or BiDi characters cannot act on the
// terminal through -i (Go's transport refuses ASCII controls in a header
// as a malformed answer; C1 controls and BiDi characters get through it).
func TestAPIIncludeSanitizesHostileHeaders(t *testing.T) {
	got := newRunner(nil).runAgainstRaw(t, "HTTP/1.1 200 OK\r\nX-Evil: a\u009b31mred\u202e\x9bz\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", "api", "management", "x", "-i")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, got.Stdout, "{}\n")
	assert.Assert(t, !strings.ContainsAny(got.Stderr, "\r\u009b\u202e"), "%q", got.Stderr)
	assert.Assert(t, strings.Contains(got.Stderr, "X-Evil: a\uFFFD31mred\\u202e\uFFFDz\n"), "%q", got.Stderr)

	got = newRunner(nil).runAgainstRaw(t, "HTTP/1.1 200 OK\r\nX-Evil: a\rb\x1b[31m\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", "api", "management", "x", "-i")
	assert.Equal(t, got.Code, 1, got.Stderr)
	assert.Equal(t, got.Stdout, "")
	assert.Assert(t, strings.Contains(got.Stderr, "malformed MIME header line"), "%q", got.Stderr)
	assert.Assert(t, !strings.ContainsAny(got.Stderr, "\r\x1b"), "%q", got.Stderr)
}

// runAgainstRaw runs args against a server that answers every request
// with answer, written on the wire as it is (as no Go server would).
func (r *runner) runAgainstRaw(t *testing.T, answer string, args ...string) result {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	assert.NilError(t, err)
	t.Cleanup(func() { listener.Close() })
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				io.WriteString(conn, answer)
			}()
		}
	}()
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = "http://" + listener.Addr().String()
	return r.run(args...)
}

// failingOnceReader fails its first read, then gives content: stdin that a
// second parse of the command line would read differently from the first.
type failingOnceReader struct {
	failed bool
	rest   io.Reader
}

func (f *failingOnceReader) Read(p []byte) (int, error) {
	if !f.failed {
		f.failed = true
		return 0, errors.New("stdin broke")
	}
	return f.rest.Read(p)
}

// A refused --input - (unreadable, or over 128 MiB) is exit 2 with nothing
// sent: the command line is not parsed a second time, which would read the
// rest of stdin and send that as the body.
func TestAPIRefusedStdinIsNotReadTwice(t *testing.T) {
	rec := &recorder{}
	a := newAPI(t, rec.wrap(ok(`{}`)))
	r := newRunner(a)
	for _, args := range [][]string{
		{"api", "management", "secrets", "--input", "-"},
		{"api", "management", "secrets", "-F", "v=@-"},
	} {
		var stdout, stderr bytes.Buffer
		streams := &render.IO{In: &failingOnceReader{rest: strings.NewReader(`{"tail":1}`)}, Out: &stdout, Err: &stderr}
		code := commands.Main(context.Background(), args, streams, func(k string) string { return r.env[k] }, nil)
		assert.Equal(t, code, 2, stderr.String())
		assert.Assert(t, strings.Contains(stderr.String(), "stdin broke"), stderr.String())
		assert.Equal(t, stdout.String(), "")
	}
	assert.DeepEqual(t, rec.uris(), []string{})
}

// A server that echoes the Authorization it got does not put the key on
// stdout: not in an error's body, not in a 2xx, not in a stream.
func TestAPIAnswerEchoingTheKeyIsRedacted(t *testing.T) {
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		echoed := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		switch r.URL.Path {
		case "/v1/json401":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"detail":"bad token %s"}`, echoed)
		case "/v1/text500":
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "bad token %s\n", echoed)
		case "/v1/json200":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"you_sent":"%s"}`, echoed)
		case "/v1/stream":
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprintf(w, "data: {\"k\":\"%s\"}\n\n", echoed)
		}
	}))
	r := newRunner(a)
	for _, tc := range []struct {
		args   []string
		stdout string
		code   int
	}{
		{[]string{"json401"}, "{\n  \"detail\": \"bad token [redacted]\"\n}\n", 3},
		{[]string{"text500"}, "bad token [redacted]\n", 6},
		{[]string{"json200", "-o", "jsonl"}, `{"you_sent":"[redacted]"}` + "\n", 0},
		{[]string{"stream"}, "data: {\"k\":\"[redacted]\"}\n\n", 0},
		{[]string{"stream", "--jq", ".k"}, "[redacted]\n", 0},
	} {
		got := r.run(append([]string{"api", "management"}, tc.args...)...)
		assert.Equal(t, got.Stdout, tc.stdout, "%v", tc.args)
		assert.Equal(t, got.Code, tc.code, "%v: %s", tc.args, got.Stderr)
		assert.Assert(t, !strings.Contains(got.Stdout+got.Stderr, "S3CRET"), "%v: %s%s", tc.args, got.Stdout, got.Stderr)
	}
}
