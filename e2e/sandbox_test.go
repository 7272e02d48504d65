package e2e_test

import (
	"fmt"
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

	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// These tests need the real executable: `sandbox exec` puts the directory
// of the running baseten first on COMMAND's PATH, and signals reach a
// process, not a function.

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
