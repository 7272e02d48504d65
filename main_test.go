package main_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"

	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// These tests run the built binary as a subprocess: they pin the contract
// scripts rely on (exit codes, streams, signals) on the real process.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "baseten-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "baseten")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const key = "bintest0.0123456789abcdef0123456789abcdef"

func baseten(apiURL string, args ...string) icmd.Cmd {
	cmd := icmd.Command(binary, args...)
	cmd.Env = []string{"BASETEN_API_KEY=" + key, "BASETEN_MANAGEMENT_API_URL_OVERRIDE=" + apiURL}
	return cmd
}

func serveSandbox(t *testing.T) (*httptest.Server, *sandbox.Server) {
	sb := sandbox.New(sandbox.Options{APIKey: key, Keys: []sandbox.SeedKey{
		{Prefix: "aaaa1111", Name: strPtr("laptop"), Type: sandbox.TypePersonal},
	}})
	srv := httptest.NewServer(sandboxtest.Contract(t, sb))
	t.Cleanup(srv.Close)
	return srv, sb
}

func strPtr(s string) *string { return &s }

func TestExitCodeContract(t *testing.T) {
	srv, _ := serveSandbox(t)
	status := func(code int) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(code)
			fmt.Fprint(w, `{"detail":"nope"}`)
		}))
		t.Cleanup(s.Close)
		return s.URL
	}
	noKey := icmd.Command(binary, "org", "api-key", "list")
	noKey.Env = []string{"BASETEN_MANAGEMENT_API_URL_OVERRIDE=" + srv.URL}

	cases := []struct {
		name string
		cmd  icmd.Cmd
		want icmd.Expected
	}{
		{"ok", baseten(srv.URL, "org", "api-key", "list"), icmd.Expected{ExitCode: 0, Out: "laptop  aaaa1111****  personal"}},
		{"usage", baseten(srv.URL, "org", "api-key", "delete"), icmd.Expected{ExitCode: 2, Err: "Error: missing flags: --name=TEXT or --prefix=TEXT"}},
		{"kong parse error is not 80", baseten(srv.URL, "org", "api-key", "list", "--nope"), icmd.Expected{ExitCode: 2, Err: "Error: unknown flag --nope"}},
		{"auth", noKey, icmd.Expected{ExitCode: 3, Err: "Error: no API key: BASETEN_API_KEY is not set and no stored credential is active"}},
		{"not found", baseten(srv.URL, "org", "api-key", "delete", "--prefix", "zzzz9999"), icmd.Expected{ExitCode: 4, Err: "Error: no API key has the prefix \"zzzz9999\"\n"}},
		{"rejected", baseten(status(409), "org", "api-key", "list"), icmd.Expected{ExitCode: 5, Err: "(409 Conflict): nope"}},
		{"server", baseten(status(503), "org", "api-key", "list"), icmd.Expected{ExitCode: 6, Err: "(503 Service Unavailable): nope"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := icmd.RunCmd(tc.cmd)
			res.Assert(t, tc.want)
			assert.Assert(t, !strings.Contains(res.Stderr(), "goroutine"), "no stack traces")
		})
	}
}

func TestInterruptExits130(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)

	res := icmd.StartCmd(baseten(srv.URL, "org", "api-key", "list"))
	assert.NilError(t, res.Error)
	select {
	case <-arrived:
	case <-time.After(20 * time.Second):
		t.Fatal("request never arrived")
	}
	assert.NilError(t, res.Cmd.Process.Signal(syscall.SIGINT))
	res = icmd.WaitOnCmd(20*time.Second, res)
	res.Assert(t, icmd.Expected{ExitCode: 130, Err: "Error: interrupted"})
}

// A reader that goes away (`baseten ... | head`) ends list quietly, but a
// create whose key cannot be written says which key to revoke.
func TestClosedStdoutPipe(t *testing.T) {
	srv, sb := serveSandbox(t)
	run := func(args ...string) (stderr string, code int) {
		r, w, err := os.Pipe()
		assert.NilError(t, err)
		r.Close() // nobody will read: writes fail with EPIPE
		cmd := exec.Command(binary, args...)
		cmd.Env = []string{"BASETEN_API_KEY=" + key, "BASETEN_MANAGEMENT_API_URL_OVERRIDE=" + srv.URL}
		cmd.Stdout = w
		var errBuf strings.Builder
		cmd.Stderr = &errBuf
		err = cmd.Run()
		w.Close()
		if exitErr, ok := err.(*exec.ExitError); ok {
			return errBuf.String(), exitErr.ExitCode()
		}
		assert.NilError(t, err)
		return errBuf.String(), 0
	}

	stderr, code := run("org", "api-key", "list")
	assert.Equal(t, code, 0)
	assert.Equal(t, stderr, "")

	stderr, code = run("org", "api-key", "create", "--type", "personal")
	assert.Equal(t, code, 1)
	keys := sb.Keys()
	prefix := keys[len(keys)-1].Prefix
	assert.Assert(t, is.Contains(stderr, "Error: the new API key "+prefix+"... was created but not shown: "))
	assert.Assert(t, is.Contains(stderr, "broken pipe"))
	assert.Assert(t, is.Contains(stderr, "Revoke it with: baseten org api-key delete --prefix "+prefix+"\n"))
}

// Help into a pipe nobody reads ends quietly, like data output does.
func TestHelpIntoClosedPipe(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"org", "api-key", "create", "--help"}} {
		r, w, err := os.Pipe()
		assert.NilError(t, err)
		r.Close()
		cmd := exec.Command(binary, args...)
		cmd.Stdout = w
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err = cmd.Run()
		w.Close()
		assert.NilError(t, err, "stderr: %s", stderr.String())
		assert.Equal(t, stderr.String(), "")
	}
}

// stdout on /dev/null (redirected, or closed: the runtime reopens fd 1 on
// /dev/null) would swallow the new key: create refuses before sending.
func TestCreateRefusesNullStdout(t *testing.T) {
	srv, sb := serveSandbox(t)
	env := []string{"BASETEN_API_KEY=" + key, "BASETEN_MANAGEMENT_API_URL_OVERRIDE=" + srv.URL}
	redirected := exec.Command(binary, "org", "api-key", "create", "--type", "personal")
	// (os/exec connects a nil Stdout to the null device.)
	closed := exec.Command("sh", "-c", `exec "$0" org api-key create --type personal >&-`, binary)
	for _, cmd := range []*exec.Cmd{redirected, closed} {
		cmd.Env = env
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		exitErr, ok := err.(*exec.ExitError)
		assert.Assert(t, ok, "%v: %s", err, stderr.String())
		assert.Equal(t, exitErr.ExitCode(), 2)
		assert.Assert(t, strings.HasPrefix(stderr.String(), "Error: stdout is /dev/null, which would discard the new key, shown only once\n"), stderr.String())
		assert.Equal(t, len(sb.Keys()), 1, "nothing was created")
	}
}

// SIGTERM and SIGHUP are handled like Ctrl-C, create's guidance included.
func TestTerminationSignalsDuringCreate(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			arrived := make(chan struct{}, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				// Reading the body lets the server notice the client hang up.
				io.Copy(io.Discard, r.Body)
				arrived <- struct{}{}
				<-r.Context().Done()
			}))
			t.Cleanup(srv.Close)
			res := icmd.StartCmd(baseten(srv.URL, "org", "api-key", "create", "--type", "personal", "--remote-url", "http://127.0.0.1:1"))
			assert.NilError(t, res.Error)
			t.Cleanup(func() { res.Cmd.Process.Kill() }) // runs before srv.Close, which waits for it
			select {
			case <-arrived:
			case <-time.After(20 * time.Second):
				t.Fatal("request never arrived")
			}
			assert.NilError(t, res.Cmd.Process.Signal(sig))
			res = icmd.WaitOnCmd(20*time.Second, res)
			res.Assert(t, icmd.Expected{ExitCode: 130, Err: "Error: interrupted while creating the key; it may have been created\n" +
				"Before creating another, check with: baseten org api-key list --remote-url http://127.0.0.1:1\n"})
		})
	}
}

// A Secret Service that is advertised but never answers (a headless box, a
// locked keyring) must not hang login: after the keyring's deadline the key
// goes to the file store, and stderr says why. The fake bus accepts
// connections and never says a word.
func TestLoginDoesNotHangOnASilentKeyring(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the keyring is reached over D-Bus on Linux and the BSDs only")
	}
	sock := filepath.Join(t.TempDir(), "bus")
	bus, err := net.Listen("unix", sock)
	assert.NilError(t, err)
	t.Cleanup(func() { bus.Close() })
	go func() {
		for {
			conn, err := bus.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { conn.Close() }) // held open, never answered
		}
	}()
	srv, _ := serveSandbox(t)
	cmd := exec.Command(binary, "auth", "login", "--with-api-key", "--label", "ci")
	configDir := filepath.Join(t.TempDir(), "baseten") // made by login: private (t.TempDir's own are 0755)
	cmd.Env = []string{"BASETEN_REMOTE_URL=" + srv.URL, "BASETEN_CONFIG_DIR=" + configDir, "DBUS_SESSION_BUS_ADDRESS=unix:path=" + sock}
	cmd.Stdin = strings.NewReader(key + "\n")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	assert.NilError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.NilError(t, err, stderr.String())
	case <-time.After(30 * time.Second): // D-Bus itself would wait 120 s; the keyring's deadline is 3 s
		cmd.Process.Kill()
		t.Fatal("login hung on a keyring that never answers")
	}
	assert.Equal(t, stdout.String(), "Logged in as you@example.com (Sandbox)\n")
	assert.Assert(t, is.Contains(stderr.String(), "The OS keyring failed (it did not answer within 3s"), stderr.String())
	data, err := os.ReadFile(filepath.Join(configDir, "credentials.json"))
	assert.NilError(t, err)
	assert.Assert(t, is.Contains(string(data), key))
}

// The zsh script, run by zsh as its completion system would (the function
// it registers with compdef called with words, CURRENT, PREFIX and
// QIPREFIX set; compadd stubbed to print what it is given): a name with spaces reaches compadd whole, as text for zsh to
// quote, and the value of --flag=value is completed after the "=".
func TestZshCompletionScript(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("zsh is not installed")
	}
	srv, sb := serveSandbox(t)
	assert.NilError(t, sb.AddKeys(sandbox.SeedKey{Prefix: "bbbb2222", Name: strPtr("my ci key $(id)")}))
	complete := func(prefix, qiprefix string, words ...string) string {
		t.Helper()
		cmd := baseten(srv.URL)
		cmd.Command = []string{zsh, "-f", "-c", `
compdef() { completer=$1 }
compadd() { print -r -- "IPREFIX=$IPREFIX PREFIX=$PREFIX"; print -rl -- "$@" }
eval "$(baseten completion zsh)"
words=("${(@)argv[3,-1]}" "$2$1") CURRENT=$(( $# - 1 )) PREFIX=$1 QIPREFIX=$2
${=completer}`, "zsh", prefix, qiprefix}
		cmd.Command = append(cmd.Command, words...)
		cmd.Env = append(cmd.Env, "PATH="+filepath.Dir(binary))
		res := icmd.RunCmd(cmd)
		res.Assert(t, icmd.Success)
		assert.Equal(t, res.Stderr(), "")
		return res.Stdout()
	}
	assert.Equal(t, complete("m", "", "baseten", "org", "api-key", "delete", "--name"),
		"IPREFIX= PREFIX=m\n--\nmy ci key $(id)\n")
	assert.Equal(t, complete("m", `"`, "baseten", "org", "api-key", "delete", "--name"),
		"IPREFIX= PREFIX=m\n--\nmy ci key $(id)\n")
	assert.Equal(t, complete("--name=m", "", "baseten", "org", "api-key", "delete"),
		"IPREFIX=--name= PREFIX=m\n--\nmy ci key $(id)\n")
	assert.Equal(t, complete("", "", "baseten", "org", "team"),
		"IPREFIX= PREFIX=\n--\ndescribe\nlist\n")
}
