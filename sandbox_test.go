package main_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
	"github.com/basetenlabs/baseten/schema"
)

// These tests need the real executable: `sandbox exec` puts the directory
// of the running baseten first on COMMAND's PATH, and signals reach a
// process, not a function.

// processEnv is a minimal environment: the system's PATH (without the
// binary's directory), a fresh HOME and config dir, and extra.
func processEnv(t *testing.T, extra ...string) []string {
	home := t.TempDir()
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "BASETEN_CONFIG_DIR=" + filepath.Join(home, "config")}, extra...)
}

func TestExecEnvironment(t *testing.T) {
	cmd := icmd.Command(binary, "sandbox", "exec", "--state", "", "--", "sh", "-c",
		`echo "$BASETEN_REMOTE_URL|$BASETEN_API_KEY|${BASETEN_MANAGEMENT_API_URL_OVERRIDE-unset}|${PATH%%:*}|$(command -v baseten)|$KEPT"`)
	cmd.Env = processEnv(t, "BASETEN_MANAGEMENT_API_URL_OVERRIDE=http://127.0.0.1:1", "BASETEN_API_KEY=outer.key", "BASETEN_REMOTE_URL=http://127.0.0.1:2", "KEPT=yes")
	res := icmd.RunCmd(cmd)
	res.Assert(t, icmd.Expected{ExitCode: 0})
	assert.Equal(t, res.Stderr(), "")
	dir := filepath.Dir(binary)
	assert.Assert(t, is.Regexp(`^http://127\.0\.0\.1:\d+\|[0-9a-f]{8}\.\S{16,}\|unset\|`+regexp.QuoteMeta(dir)+`\|`+regexp.QuoteMeta(binary)+`\|yes\n$`, res.Stdout()))
}

// COMMAND's exit code is exec's, 128+N for a signal, as in a shell.
func TestExecExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"true"}, 0, ""},
		{[]string{"sh", "-c", "exit 7"}, 7, ""},
		{[]string{"sh", "-c", "echo oops >&2; exit 1"}, 1, "oops\n"},
		{[]string{"sh", "-c", "kill -TERM $$"}, 143, ""},
		{[]string{"sh", "-c", "kill -KILL $$"}, 137, ""},
		{[]string{"no-such-command-here"}, 127, "Error: cannot run \"no-such-command-here\": executable file not found in $PATH\n"},
		{[]string{"./no-such-file"}, 127, "Error: cannot run \"./no-such-file\": no such file or directory\n"},
		{[]string{"/"}, 126, "Error: cannot run \"/\": "},
	} {
		cmd := icmd.Command(binary, append([]string{"sandbox", "exec", "--state", "", "--"}, tc.args...)...)
		cmd.Env = processEnv(t)
		res := icmd.RunCmd(cmd)
		assert.Equal(t, res.ExitCode, tc.code, "%v: %s", tc.args, res.Stderr())
		assert.Assert(t, strings.HasPrefix(res.Stderr(), tc.stderr), "%v: %q", tc.args, res.Stderr())
	}
}

// COMMAND starts with SIGPIPE at its default action, as it would from a
// shell: baseten's own handling of it (a closed stdout is a write error,
// not death) must not leak into COMMAND, where `producer | head` would
// leave the producer writing forever into a closed pipe.
func TestExecLeavesSIGPIPEToCommand(t *testing.T) {
	// A shell cannot take back a signal ignored at its start: if SIGPIPE
	// came ignored, sh survives this kill and exits 0.
	cmd := icmd.Command(binary, "sandbox", "exec", "--state", "", "--", "sh", "-c", "kill -PIPE $$; exit 0")
	cmd.Env = processEnv(t)
	res := icmd.RunCmd(cmd)
	assert.Equal(t, res.ExitCode, 128+int(syscall.SIGPIPE), "stderr: %s", res.Stderr())
}

// A SIGTERM sent to exec alone is passed on to COMMAND, whose exit code
// (here from its trap) is exec's.
func TestExecForwardsSIGTERM(t *testing.T) {
	cmd := exec.Command(binary, "sandbox", "exec", "--state", "", "--", "sh", "-c", `trap 'exit 42' TERM; echo ready; while :; do sleep 0.1; done`)
	cmd.Env = processEnv(t)
	out := &sandboxtest.Buffer{}
	cmd.Stdout = out
	assert.NilError(t, cmd.Start())
	waitFor(t, out, "ready\n")
	assert.NilError(t, cmd.Process.Signal(syscall.SIGTERM))
	err := cmd.Wait()
	exitErr, ok := err.(*exec.ExitError)
	assert.Assert(t, ok, "%v", err)
	assert.Equal(t, exitErr.ExitCode(), 42)
}

// The state persists across exec runs, in the config dir by default.
func TestExecKeepsState(t *testing.T) {
	env := processEnv(t)
	run := func(script string) *icmd.Result {
		cmd := icmd.Command(binary, "sandbox", "exec", "--", "sh", "-c", script)
		cmd.Env = env
		return icmd.RunCmd(cmd)
	}
	run("baseten org api-key create --type personal --name kept").Assert(t, icmd.Expected{ExitCode: 0})
	res := run("baseten org api-key list --jq '.keys[].name'")
	res.Assert(t, icmd.Expected{ExitCode: 0, Out: "sandbox-admin\nkept\n"})
	config := strings.TrimPrefix(env[2], "BASETEN_CONFIG_DIR=")
	_, err := os.Stat(filepath.Join(config, "sandbox.json"))
	assert.NilError(t, err)
}

// Two processes on one state file would each overwrite the keys the
// other created. The second is refused while the first runs, naming the
// file and the first's process, and exits 1 without touching the file.
func TestExecStateFileInUse(t *testing.T) {
	env := processEnv(t)
	cmd := icmd.Command(binary, "sandbox", "exec", "--", "sh", "-c", `baseten sandbox exec -- true; echo "inner: $?"`)
	cmd.Env = env
	res := icmd.RunCmd(cmd)
	res.Assert(t, icmd.Expected{ExitCode: 0, Out: "inner: 1\n"})
	state := filepath.Join(strings.TrimPrefix(env[2], "BASETEN_CONFIG_DIR="), "sandbox.json")
	assert.Equal(t, res.Stderr(), fmt.Sprintf("Error: sandbox state file %s is in use by another baseten sandbox (pid %d)\n"+
		"Stop that sandbox, or pass --state with another file, or --state '' to keep the state in memory.\n", state, res.Cmd.Process.Pid))
}

// serve stops on SIGINT or SIGTERM with exit 0, having saved.
func TestServeStopsOnSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		state := filepath.Join(t.TempDir(), "state.json")
		cmd := exec.Command(binary, "sandbox", "serve", "--addr", "127.0.0.1:0", "--state", state)
		cmd.Env = processEnv(t)
		out, errOut := &sandboxtest.Buffer{}, &sandboxtest.Buffer{}
		cmd.Stdout, cmd.Stderr = out, errOut
		assert.NilError(t, cmd.Start())
		waitFor(t, out, "export BASETEN_API_KEY=")
		assert.NilError(t, cmd.Process.Signal(sig))
		assert.NilError(t, cmd.Wait(), "%s: %s", sig, errOut)
		assert.Equal(t, errOut.String(), "")
		saved, err := os.ReadFile(state)
		assert.NilError(t, err)
		_, key, _ := strings.Cut(strings.TrimSpace(out.String()), "export BASETEN_API_KEY=")
		assert.Assert(t, is.Contains(string(saved), `"admin_key":"`+key+`"`))
	}
}

// "localhost" is loopback by definition (RFC 6761), so serve accepts it
// without --allow-remote; it must then listen on loopback whatever the
// resolver says. Here /etc/hosts, in a mount namespace of the test's own,
// sends localhost to a documentation address (RFC 5737).
func TestServeLocalhostListensOnLoopback(t *testing.T) {
	hosts := filepath.Join(t.TempDir(), "hosts")
	assert.NilError(t, os.WriteFile(hosts, []byte("192.0.2.1 localhost\n"), 0o644))
	unshare, err := exec.LookPath("unshare")
	if err != nil || os.Geteuid() != 0 || exec.Command(unshare, "-m", "mount", "--bind", hosts, "/etc/hosts").Run() != nil {
		t.Skip("needs root and unshare -m to give the test its own /etc/hosts")
	}
	cmd := exec.Command(unshare, "-m", "sh", "-c", `mount --bind "$1" /etc/hosts && exec "$2" sandbox serve --addr localhost:0 --state ''`, "sh", hosts, binary)
	cmd.Env = processEnv(t)
	out, errOut := &sandboxtest.Buffer{}, &sandboxtest.Buffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	assert.NilError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	guard := time.After(time.Minute) // a guard, not an assertion
	for !strings.Contains(out.String(), "export BASETEN_API_KEY=") {
		select {
		case err := <-exited:
			t.Fatalf("serve --addr localhost:0 ended (%v) before serving: %s", err, errOut)
		case <-guard:
			cmd.Process.Kill()
			t.Fatalf("serve printed nothing: %s", errOut)
		case <-time.After(5 * time.Millisecond):
		}
	}
	assert.Assert(t, strings.HasPrefix(out.String(), "export BASETEN_REMOTE_URL=http://127.0.0.1:"), out.String())
	assert.NilError(t, cmd.Process.Signal(syscall.SIGTERM))
	assert.NilError(t, <-exited, errOut.String())
}

var placeholderPattern = regexp.MustCompile(`<[a-z0-9-]+>`)

// Every example and jq example on every leaf runs, as written, against a
// fresh sandbox, and exits 0. The sandbox checks each request and response
// against the API's description. `baseten` is the built binary (not on
// PATH: `sandbox exec` must put it there itself). What an example needs
// first (placeholder values, a login, being stopped) its command declares
// beside its Spec, in a Rehearsal (schema.Rehearsal): a long-running
// example runs until it has printed a line, then gets SIGINT or SIGTERM,
// and must exit 0.
func TestEveryExampleRuns(t *testing.T) {
	root, err := commands.Describe()
	assert.NilError(t, err)
	ran, leaves := 0, 0
	signals := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM}
	root.Walk(func(c *schema.Command) {
		if !c.IsLeaf() {
			return
		}
		leaves++
		for _, ex := range c.AllExamples() {
			ran++
			sig := signals[ran%2]
			t.Run(ex.Command, func(t *testing.T) { runExample(t, c.Rehearsal, ex.Command, sig) })
		}
	})
	assert.Assert(t, leaves > 0 && ran >= leaves, "examples found: %d, leaves: %d", ran, leaves)
}

func runExample(t *testing.T, rehearsal schema.Rehearsal, command string, sig syscall.Signal) {
	sb, err := sandbox.Open("", "")
	assert.NilError(t, err)
	dir := t.TempDir()
	// A key to log in with, for the auth examples: the sandbox's own.
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "key.txt"), []byte(sb.AdminKey()+"\n"), 0o600))
	server := httptest.NewServer(sandboxtest.Contract(t, sb))
	defer server.Close()
	env := processEnv(t, "BASETEN_REMOTE_URL="+server.URL, "BASETEN_API_KEY="+sb.AdminKey())

	// run runs a command line the rehearsal declares, which must succeed,
	// and returns its stdout.
	run := func(line string) string {
		t.Helper()
		rest, ok := strings.CutPrefix(line, "baseten ")
		assert.Assert(t, ok, line)
		cmd := exec.Command("sh", "-c", "exec "+binary+" "+rest)
		cmd.Dir, cmd.Env = dir, env
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		assert.NilError(t, cmd.Run(), "rehearsal of %s: %s\nstderr: %s", command, line, stderr.String())
		return stdout.String()
	}
	fill := func(line string, values map[string]string) string {
		t.Helper()
		return placeholderPattern.ReplaceAllStringFunc(line, func(p string) string {
			v, ok := values[p]
			if !ok {
				t.Fatalf("%q uses the placeholder %s, which its command's Rehearsal does not fill", line, p)
			}
			return v
		})
	}
	plain, values := map[string]string{}, map[string]string{}
	for p, v := range rehearsal.Placeholders {
		if !strings.HasPrefix(v, "baseten ") {
			plain[p], values[p] = v, v
		}
	}
	for _, before := range rehearsal.Before {
		run(fill(before, plain))
	}
	for p, v := range rehearsal.Placeholders {
		if strings.HasPrefix(v, "baseten ") {
			values[p] = strings.TrimSpace(run(fill(v, plain)))
			assert.Assert(t, values[p] != "", "%s: %s printed nothing", p, v)
		}
	}

	line := fill(command, values)
	rest, ok := strings.CutPrefix(line, "baseten ")
	assert.Assert(t, ok, line)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a guard, not an assertion
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", "exec "+binary+" "+rest)
	cmd.Dir, cmd.Env = dir, env
	out, errOut := &sandboxtest.Buffer{}, &sandboxtest.Buffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	assert.NilError(t, cmd.Start())
	if rehearsal.LongRunning {
		waitFor(t, out, "\n")
		assert.NilError(t, cmd.Process.Signal(sig))
	}
	err = cmd.Wait()
	assert.NilError(t, err, "%s\nstdout: %s\nstderr: %s", line, out, errOut)
	assert.Assert(t, out.String()+errOut.String() != "", "%s printed nothing", line)
}

// waitFor polls until out holds want; the deadline only keeps a broken
// binary from hanging the suite.
func waitFor(t *testing.T, out *sandboxtest.Buffer, want string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("waited for %q; output so far: %q", want, out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The README's first command is the first `sandbox exec` example (which
// TestEveryExampleRuns runs), under `go run .`: what a new user tries first
// is tested.
func TestReadmeStartsWithTheExecExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	assert.NilError(t, err)
	_, rest, found := strings.Cut(string(readme), "```sh\n")
	assert.Assert(t, found, "the README has no sh block")
	block, _, _ := strings.Cut(rest, "\n```")
	root, err := commands.Describe()
	assert.NilError(t, err)
	example := root.Find("sandbox", "exec").Examples[0].Command
	assert.Equal(t, block, "go run . "+strings.TrimPrefix(example, "baseten "))
}
