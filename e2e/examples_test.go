package e2e_test

import (
	"context"
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

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
	"github.com/basetenlabs/baseten/schema"
)

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
	// The inference hosts are the sandbox too, reached through the
	// override (sandbox serve and exec set it so); the description does
	// not cover them, so no contract is checked there.
	inference := httptest.NewServer(sb)
	defer inference.Close()
	env := processEnv(t, "BASETEN_REMOTE_URL="+server.URL, "BASETEN_API_KEY="+sb.AdminKey(), "BASETEN_INFERENCE_BASE_URL_OVERRIDE="+inference.URL)

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

// The README's first command is the first `sandbox exec` example (which
// TestEveryExampleRuns runs), under `go run .`: what a new user tries first
// is tested.
func TestReadmeStartsWithTheExecExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	assert.NilError(t, err)
	_, rest, found := strings.Cut(string(readme), "```sh\n")
	assert.Assert(t, found, "the README has no sh block")
	block, _, _ := strings.Cut(rest, "\n```")
	root, err := commands.Describe()
	assert.NilError(t, err)
	example := root.Find("sandbox", "exec").Examples[0].Command
	assert.Equal(t, block, "go run . "+strings.TrimPrefix(example, "baseten "))
}
