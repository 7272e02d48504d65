package commands_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// served is a `baseten sandbox serve` running in this process.
type served struct {
	stdout, stderr *sandboxtest.Buffer
	url, key       string
	stop           func() int // cancels the context, as SIGINT does, and returns the exit code
}

var exportLines = regexp.MustCompile(`^export BASETEN_REMOTE_URL=(http://127\.0\.0\.1:\d+)\nexport BASETEN_INFERENCE_BASE_URL_OVERRIDE=(http://127\.0\.0\.1:\d+)\nexport BASETEN_API_KEY=([0-9a-f]{8}\.\S{16,})\n$`)

// serveSandbox runs `baseten sandbox serve ARGS` until it has printed its
// two lines; env is its environment (BASETEN_CONFIG_DIR, mostly).
func serveSandbox(t *testing.T, env map[string]string, args ...string) *served {
	t.Helper()
	s := &served{stdout: &sandboxtest.Buffer{}, stderr: &sandboxtest.Buffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	streams := &render.IO{Out: s.stdout, Err: s.stderr}
	go func() {
		done <- commands.Main(ctx, append([]string{"sandbox", "serve", "--addr", "127.0.0.1:0"}, args...), streams, func(k string) string { return env[k] }, nil)
	}()
	s.stop = sync.OnceValue(func() int { cancel(); return <-done })
	t.Cleanup(func() { s.stop() })
	// serve writes its output in one write, once it is listening. The
	// deadline only keeps a broken serve from hanging the suite.
	deadline := time.After(time.Minute)
	for s.stdout.String() == "" {
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before printing its lines: %s", code, s.stderr)
		case <-deadline:
			t.Fatalf("serve printed nothing: %s", s.stderr)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if m := exportLines.FindStringSubmatch(s.stdout.String()); m != nil && m[1] == m[2] {
		s.url, s.key = m[1], m[3]
	}
	return s
}

// A script evals the two lines and points the CLI at the sandbox; every
// request shows in the log, which never holds a key; Ctrl-C saves and
// exits 0; the next start prints the same key and sees the same keys.
func TestServe(t *testing.T) {
	env := map[string]string{"BASETEN_CONFIG_DIR": t.TempDir()}
	s := serveSandbox(t, env)
	cli := newRunner(nil)
	cli.env = map[string]string{"BASETEN_REMOTE_URL": s.url, "BASETEN_API_KEY": s.key}
	got := cli.run("org", "api-key", "create", "--type", "personal", "--name", "laptop")
	assert.Equal(t, got.Code, 0, got.Stderr)
	created := strings.TrimSpace(got.Stdout)
	got = cli.run("org", "api-key", "create", "--type", "workspace-invoke", "--team", "Research", "--model-id", "m1", "--name", "inference")
	assert.Equal(t, got.Code, 0, got.Stderr)
	got = cli.run("org", "api-key", "delete", "--prefix", created) // a whole key pasted: refused before any request
	assert.Equal(t, got.Code, 2)
	list := cli.run("org", "api-key", "list")
	assert.Equal(t, list.Code, 0, list.Stderr)
	assert.Assert(t, is.Regexp(`^NAME +KEY +TYPE +TEAM\n`+
		`sandbox-admin +[0-9a-f]{8}\*\*\*\* +workspace-manage-all +Default\n`+
		`laptop +[0-9a-f]{8}\*\*\*\* +personal +Default\n`+
		`inference +[0-9a-f]{8}\*\*\*\* +workspace-invoke +Research\n$`, list.Stdout))

	assert.Equal(t, s.stop(), 0)
	log := s.stderr.String()
	// First where the state lives, then a line per request.
	state, log, _ := strings.Cut(log, "\n")
	assert.Equal(t, state, "State: "+filepath.Join(env["BASETEN_CONFIG_DIR"], "sandbox.json"))
	assert.Assert(t, is.Regexp(`^(GET|POST) /v1/(api_keys|teams|teams/team-[0-9a-f]{8}/api_keys) 200 \S+s$`, strings.Split(log, "\n")[0]))
	assert.Equal(t, strings.Count(log, "\n"), 6, log) // create and its name check; teams, create and its name check; list
	for _, secret := range []string{s.key, created} {
		_, after, _ := strings.Cut(secret, ".")
		assert.Assert(t, !strings.Contains(log, after), "a secret in the log: %s", log)
	}
	assert.Equal(t, s.stdout.String(), "export BASETEN_REMOTE_URL="+s.url+"\nexport BASETEN_INFERENCE_BASE_URL_OVERRIDE="+s.url+"\nexport BASETEN_API_KEY="+s.key+"\n")

	again := serveSandbox(t, env)
	assert.Equal(t, again.key, s.key)
	cli.env["BASETEN_REMOTE_URL"] = again.url
	assertResult(t, cli.run("org", "api-key", "list"), list.Stdout, "", 0)
	assert.Equal(t, again.stop(), 0)
}

// SIGINT lets a request that has started finish before the sandbox stops:
// a create whose body is still on its way when the signal comes is
// answered, and the key is in the state file.
func TestServeFinishesRequestsInFlight(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	s := serveSandbox(t, nil, "--state", state)
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	assert.NilError(t, err)
	defer conn.Close()
	body := `{"type":"PERSONAL","name":"in flight"}`
	fmt.Fprintf(conn, "POST /v1/api_keys HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", s.key, len(body))
	// The server says "100 Continue" when the handler starts reading the
	// body: from then on the request is in flight.
	replies := bufio.NewReader(conn)
	resp, err := http.ReadResponse(replies, nil)
	assert.NilError(t, err)
	assert.Equal(t, resp.StatusCode, http.StatusContinue)

	stopped := make(chan int, 1)
	go func() { stopped <- s.stop() }()
	// Once new connections are refused, the shutdown is under way.
	for {
		c, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
		if err != nil {
			break
		}
		c.Close()
		time.Sleep(5 * time.Millisecond)
	}
	io.WriteString(conn, body)
	resp, err = http.ReadResponse(replies, nil)
	assert.NilError(t, err)
	assert.Equal(t, resp.StatusCode, http.StatusOK)
	assert.Equal(t, <-stopped, 0)
	saved, err := os.ReadFile(state)
	assert.NilError(t, err)
	assert.Assert(t, is.Contains(string(saved), `"name":"in flight"`))
}

func TestServeOutputModes(t *testing.T) {
	s := serveSandbox(t, nil, "--state", "", "-o", "json")
	assert.Assert(t, is.Regexp(`^\{\n  "remote_url": "http://127\.0\.0\.1:\d+",\n  "inference_base_url": "http://127\.0\.0\.1:\d+",\n  "api_key": "[0-9a-f]{8}\.\S+"\n\}\n$`, s.stdout.String()))
	assert.Equal(t, s.stop(), 0)
}

func TestServeWithAPIKey(t *testing.T) {
	const key = "0123abcd.fixed-secret-for-scripts"
	s := serveSandbox(t, nil, "--state", "", "--api-key", key)
	assert.Equal(t, s.key, key)
	assert.Equal(t, s.stop(), 0)
}

// shellQuote keeps the printed lines eval-able whatever the key holds.
func TestServeQuotesForTheShell(t *testing.T) {
	const key = "0123abcd.it's-$HOME-`x`-\"q\""
	s := serveSandbox(t, nil, "--state", "", "--api-key", key)
	// Not the plain form the regexp reads; check the exact line.
	assert.Assert(t, is.Contains(s.stdout.String(), "export BASETEN_API_KEY='0123abcd.it'\\''s-$HOME-`x`-\"q\"'\n"))
	s.stop()
}

// The admin key is a secret like the configured one: a --jq error that
// quotes it, whole or cut short, shows it redacted on stderr.
func TestServeRedactsTheAdminKey(t *testing.T) {
	const key = "0123abcd.S3CRETS3CRETS3CRET00"
	r := newRunner(nil)
	for _, jq := range []string{".api_key | error", ".api_key | tonumber", ".api_key.x"} {
		got := r.run("sandbox", "serve", "--addr", "127.0.0.1:0", "--state", "", "--api-key", key, "--jq", jq)
		assert.Equal(t, got.Code, 1, got.Stderr)
		assert.Assert(t, is.Contains(got.Stderr, "Error: jq: "))
		assert.Assert(t, !strings.Contains(got.Stderr, "S3CRETS3"), "the admin key on stderr: %s", got.Stderr)
	}
}

func TestServeRefusals(t *testing.T) {
	dir := t.TempDir()
	r := newRunner(nil)
	r.env = map[string]string{"BASETEN_CONFIG_DIR": dir}
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"--addr", "0.0.0.0:8765"}, 2, "Error: --addr 0.0.0.0:8765 is not a loopback address; other machines could use the sandbox\nListen on 127.0.0.1, or pass --allow-remote if that is what you want.\n"},
		{[]string{"--addr", ":8765"}, 2, "Error: --addr :8765 is not a loopback address"},
		{[]string{"--addr", "example.com:80"}, 2, "is not a loopback address"},
		{[]string{"--addr", "127.0.0.1"}, 2, `Error: invalid --addr "127.0.0.1": want host:port`},
		{[]string{"--addr", "127.0.0.1:99999"}, 2, `Error: invalid --addr "127.0.0.1:99999": want host:port`},
		{[]string{"--api-key", "not-a-key-S3CRET"}, 2, "Error: invalid --api-key: an API key starts with 8 lowercase hexadecimal characters and a '.'\n"},
		{[]string{"--api-key", "0123abcd.S3CRET"}, 2, "Error: invalid --api-key: an API key's secret"},
		{[]string{"-o", "text", "--jq", ".api_key"}, 2, "Error: --jq cannot be combined with --output text"},
		{[]string{"--late-logs", "1.5"}, 2, "Error: --late-logs must be a fraction from 0 to 1, not 1.5\n"},
		{[]string{"--late-logs", "NaN"}, 2, "Error: --late-logs must be a fraction from 0 to 1, not NaN\n"},
		// Allowed through the check, then refused by the network: the
		// address is not this machine's (TEST-NET-1, RFC 5737).
		{[]string{"--addr", "192.0.2.1:0", "--allow-remote", "--state", ""}, 1, "Error: cannot listen on 192.0.2.1:0: "},
	} {
		got := r.run(append([]string{"sandbox", "serve"}, tc.args...)...)
		assert.Equal(t, got.Code, tc.code, "%v: %s", tc.args, got.Stderr)
		assert.Assert(t, is.Contains(got.Stderr, tc.stderr), "%v", tc.args)
		assert.Equal(t, got.Stdout, "")
		assert.Assert(t, !strings.Contains(got.Stderr, "S3CRET"), "the key is echoed: %s", got.Stderr)
	}
	entries, err := os.ReadDir(dir)
	assert.NilError(t, err)
	assert.Equal(t, len(entries), 0, "no state was written")
}

// A state file that does not parse stops serve and exec with exit 1 and
// its name, and is left as it was.
func TestBadStateFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sandbox.json")
	assert.NilError(t, os.WriteFile(path, []byte(`{"version":1,`), 0o600))
	r := newRunner(nil)
	r.env = map[string]string{"BASETEN_CONFIG_DIR": dir}
	for _, args := range [][]string{{"sandbox", "serve"}, {"sandbox", "exec", "--", "true"}} {
		got := r.run(args...)
		assertResult(t, got, "", "Error: state file "+path+" is not a sandbox state (unexpected EOF); it was left as it is\n"+
			"Move it away to start afresh, or pass --state with another file.\n", 1)
	}
	after, err := os.ReadFile(path)
	assert.NilError(t, err)
	assert.Equal(t, string(after), `{"version":1,`)
}

// A state file has one owner: while serve has it, exec or another serve
// on it is refused, naming the file and the owner's process (here this
// one); once serve has stopped, the file is free.
func TestStateFileInUse(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	s := serveSandbox(t, nil, "--state", state)
	r := newRunner(nil)
	for _, args := range [][]string{{"sandbox", "exec", "--state", state, "--", "true"}, {"sandbox", "serve", "--addr", "127.0.0.1:0", "--state", state}} {
		assertResult(t, r.run(args...), "", fmt.Sprintf("Error: sandbox state file %s is in use by another baseten sandbox (pid %d)\n"+
			"Stop that sandbox, or pass --state with another file, or --state '' to keep the state in memory.\n", state, os.Getpid()), 1)
	}
	assert.Equal(t, s.stop(), 0)
	assertResult(t, r.run("sandbox", "exec", "--state", state, "--", "true"), "", "", 0)
}

// Without BASETEN_CONFIG_DIR the state goes to the user config dir, which
// os.UserConfigDir finds from the real environment.
func TestStateInUserConfigDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("AppData", filepath.Join(home, "AppData"))
	s := serveSandbox(t, nil)
	assert.Equal(t, s.stop(), 0)
	config, err := os.UserConfigDir()
	assert.NilError(t, err)
	info, err := os.Stat(filepath.Join(config, "baseten", "sandbox.json"))
	assert.NilError(t, err)
	assert.Equal(t, info.Mode().Perm(), os.FileMode(0o600))
}
