package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// An environment's logs are those of the deployment it serves; -v shows
// each request's window and count; an empty window says so on stderr.
func TestEnvironmentLogs(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	env := r.run("model", "environment", "logs", "--model-id", sandbox.SeedModelID, "--environment", "production", "--start", logStart, "--end", "2026-03-01T09:05:00Z", "-o", "jsonl", "-v")
	dep := r.run(deploymentLogs("--start", logStart, "--end", "2026-03-01T09:05:00Z", "-o", "jsonl")...)
	assert.Equal(t, env.Code, 0, env.Stderr)
	assert.Equal(t, env.Stdout, dep.Stdout)
	assert.Assert(t, strings.Contains(env.Stderr, "logs: 2026-03-01T09:00:00.000Z to 2026-03-01T09:05:00.000Z (asc, limit 1000): 613 lines, 613 new\n"), env.Stderr)
	assert.Assert(t, strings.Contains(env.Stderr, "GET "+a.URL+"/v1/models/"+sandbox.SeedModelID+"/environments/production/logs?"), env.Stderr)

	// staging serves a deployment that never ran in the sandbox.
	empty := r.run("model", "environment", "logs", "--model-id", sandbox.SeedModelID, "--environment", "staging")
	assertResult(t, empty, "", "No log lines in this window.\n", 0)
}
