package commands_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// serve --users N adds generated users once, kept in the state file with
// the secrets (as digests) and the usage seed: a restart with the same
// flag finds the same users, secrets and figures.
func TestServeOrgStatePersists(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	s := serveSandbox(t, nil, "--state", state, "--users", "1500")
	cli := newRunner(nil)
	cli.env = map[string]string{"BASETEN_REMOTE_URL": s.url, "BASETEN_API_KEY": s.key}
	got := cli.run("org", "user", "list", "-o", "jsonl", "--jq", ".user_id", "-v")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, strings.Count(got.Stdout, "\n"), 1+3+1500)
	assert.Equal(t, strings.Count(got.Stderr, "GET "), 2, "two pages")
	users := got.Stdout
	cli.stdin = "persisted-value-123\n"
	assert.Equal(t, cli.run("org", "secret", "set", "--name", "kept", "--team", "Research").Code, 0)
	window := []string{"org", "billing", "usage", "--start", "2026-06-01", "--end", "2026-06-10", "-o", "json"}
	usage := cli.run(window...)
	assert.Equal(t, usage.Code, 0, usage.Stderr)
	assert.Equal(t, s.stop(), 0)

	raw, err := os.ReadFile(state)
	assert.NilError(t, err)
	assert.Assert(t, !strings.Contains(string(raw), "persisted-value-123"), "only the digest is stored")

	again := serveSandbox(t, nil, "--state", state, "--users", "1500")
	cli.env["BASETEN_REMOTE_URL"] = again.url
	assertResult(t, cli.run("org", "user", "list", "-o", "jsonl", "--jq", ".user_id"), users, "", 0)
	assertResult(t, cli.run("org", "secret", "list", "--jq", `.secrets[] | .name + " " + .team_name`), "kept Research\n", "", 0)
	assertResult(t, cli.run(window...), usage.Stdout, "", 0)
	assert.Equal(t, again.stop(), 0)

	got = cli.run("sandbox", "serve", "--users=-1")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --users takes 0 to 1000000\n"), got.Stderr)
}
