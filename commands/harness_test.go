package commands_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"
	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

const testKey = "admintest.S3CRETS3CRETS3CRETS3CRETS3CRETxx"

// request is what the recording middleware saw of one request.
type request struct {
	Method, Path, Authorization, UserAgent, Accept, ContentType string
	Body                                                        string
}

func (r request) String() string { return r.Method + " " + r.Path }

// api is a local HTTP server on 127.0.0.1 that records every request before
// handing it to the wrapped handler (the sandbox or a purpose-built one).
type api struct {
	*httptest.Server
	mu       sync.Mutex
	requests []request
}

func newAPI(t testing.TB, handler http.Handler) *api {
	t.Helper()
	a := &api{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		a.mu.Lock()
		a.requests = append(a.requests, request{
			Method: r.Method, Path: r.URL.EscapedPath(), Authorization: r.Header.Get("Authorization"),
			UserAgent: r.Header.Get("User-Agent"), Accept: r.Header.Get("Accept"),
			ContentType: r.Header.Get("Content-Type"), Body: string(body),
		})
		a.mu.Unlock()
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(a.Close)
	return a
}

// Requests returns "METHOD /path" for every request received so far.
func (a *api) Requests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := []string{}
	for _, r := range a.requests {
		out = append(out, r.String())
	}
	return out
}

func (a *api) Last() request {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.requests[len(a.requests)-1]
}

func (a *api) Reset() {
	a.mu.Lock()
	a.requests = nil
	a.mu.Unlock()
}

// result is one run of the command tree.
type result struct {
	Stdout, Stderr string
	Code           int
}

// runner runs the real command tree with buffers for streams and a fixed
// environment pointing the CLI at a test server.
type runner struct {
	env         map[string]string
	terminal    bool // pretend stdout is a terminal
	errTerminal bool // pretend stderr is a terminal (live progress lines)
	width       int  // the terminal's width, when terminal
	ctx         context.Context
	stdout      io.Writer // overrides the stdout buffer when set
	discarded   bool      // pretend stdout is /dev/null
	stdin       string    // what the command reads
	in          io.Reader // overrides stdin when set (an endless pipe)
	// typed, when set, pretends stdin is a terminal where a person types
	// these lines at prompts (a secret prompt takes the first).
	typed []string
}

func newRunner(a *api) *runner {
	// A config directory of its own: a run must never read (or write) the
	// credentials of whoever runs the tests.
	configDir, err := os.MkdirTemp(testRoot, "config")
	if err != nil {
		panic(err)
	}
	env := map[string]string{"BASETEN_API_KEY": testKey, "BASETEN_CONFIG_DIR": configDir}
	if a != nil {
		env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = a.URL
	}
	return &runner{env: env, ctx: context.Background()}
}

// testRoot holds the config directories of the runs; TestMain removes it.
var testRoot string

func TestMain(m *testing.M) {
	// The OS keyring is never touched by tests: go-keyring's in-memory
	// stand-in answers instead.
	keyring.MockInit()
	var err error
	if testRoot, err = os.MkdirTemp("", "baseten-commands-test"); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(testRoot)
	os.Exit(code)
}

func (r *runner) run(args ...string) result {
	var stdout, stderr bytes.Buffer
	streams := &render.IO{In: strings.NewReader(r.stdin), Out: &stdout, Err: &stderr, OutIsTerminal: r.terminal, ErrIsTerminal: r.errTerminal, OutIsDiscarded: r.discarded, Width: r.width}
	if r.typed != nil {
		typed := strings.NewReader(strings.Join(r.typed, "\n") + "\n")
		streams.In, streams.InIsTerminal = typed, true
		streams.ReadSecret = func(_ context.Context, prompt string) (string, error) {
			fmt.Fprint(&stderr, prompt)
			return readTypedLine(typed), nil
		}
	}
	if r.stdout != nil {
		streams.Out = r.stdout
	}
	if r.in != nil {
		streams.In = r.in
	}
	code := commands.Main(r.ctx, args, streams, func(k string) string { return r.env[k] }, r.environ)
	return result{Stdout: stdout.String(), Stderr: stderr.String(), Code: code}
}

// sandboxAPI serves a fresh sandbox that accepts testKey. Every request
// the CLI sends it and every response it returns is checked against the
// official description of the API (sandboxtest.Contract). Tests that serve
// hostile or malformed answers use newAPI with their own handler instead.
func sandboxAPI(t *testing.T, opts sandbox.Options) (*api, *sandbox.Server) {
	t.Helper()
	opts.APIKey = testKey
	sb := sandbox.New(opts)
	return newAPI(t, sandboxtest.Contract(t, sb)), sb
}

func strptr(s string) *string { return &s }

// assertResult compares a whole run; use it where every stream is known.
func assertResult(t *testing.T, got result, stdout, stderr string, code int) {
	t.Helper()
	assert.Equal(t, got.Stdout, stdout, "stdout")
	assert.Equal(t, got.Stderr, stderr, "stderr")
	assert.Equal(t, got.Code, code, "exit code (stderr: %s)", got.Stderr)
}

func assertNoSecret(t *testing.T, got result, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		assert.Assert(t, !strings.Contains(got.Stderr, s), "secret leaked on stderr: %s", got.Stderr)
	}
}

func readTypedLine(r *strings.Reader) string {
	var line strings.Builder
	for {
		c, err := r.ReadByte()
		if err != nil || c == '\n' {
			return line.String()
		}
		line.WriteByte(c)
	}
}

// environ lists the runner's environment as Main's Environ does the
// process's: what `sandbox exec` hands on to its COMMAND.
func (r *runner) environ() []string {
	var list []string
	for name, value := range r.env {
		list = append(list, name+"="+value)
	}
	slices.Sort(list)
	return list
}
