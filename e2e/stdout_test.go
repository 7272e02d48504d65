package e2e_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

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
