package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// Model IDs and names complete from the list; deployment IDs and
// environment names from the model the line names, and not before.
func TestModelCompletion(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	assert.DeepEqual(t, candidates(t, r.complete("baseten model describe --model-id ")), []string{sandbox.SeedOtherModelID, llamaID}) // sorted
	assert.DeepEqual(t, candidates(t, r.complete("baseten model describe --model-name w")), []string{"whisper-v3"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten model deployment describe --model-name llama-chat --deployment-id d")), []string{prodID})
	assert.DeepEqual(t, candidates(t, r.complete("baseten model deployment activate --model-id "+llamaID+" --deployment-id ")),
		[]string{sandbox.SeedStagingID, prodID, sandbox.SeedFailedID, devID}) // sorted
	assert.DeepEqual(t, candidates(t, r.complete("baseten model environment describe --model-id "+llamaID+" --environment ")), []string{"production", "staging"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten model deployment promote --model-id=../x --environment ")), []string{})

	a.Reset()
	assert.DeepEqual(t, candidates(t, r.complete("baseten model deployment describe --deployment-id ")), []string{})
	assert.DeepEqual(t, a.Requests(), []string{}) // no model named: nothing asked
}

// sandbox serve's --step-delay is a duration, never negative.
func TestServeStepDelayFlag(t *testing.T) {
	got := newRunner(nil).run("sandbox", "serve", "--step-delay=-1s", "--state", "")
	assert.Equal(t, got.Code, 2, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --step-delay -1s: want 0 or a positive duration"), got.Stderr)
	assert.Equal(t, got.Stdout, "")
}
