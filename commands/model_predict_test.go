package commands_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// predictSandbox is one sandbox serving the management API, checked
// against the description, and the inference hosts (which the description
// does not cover) through BASETEN_INFERENCE_BASE_URL_OVERRIDE.
func predictSandbox(t *testing.T) (*runner, *api, *recorder) {
	t.Helper()
	management, sb := sandboxAPI(t, sandbox.Options{})
	rec := &recorder{}
	inference := httptest.NewServer(rec.wrap(sb))
	t.Cleanup(inference.Close)
	r := newRunner(management)
	r.env["BASETEN_INFERENCE_BASE_URL_OVERRIDE"] = inference.URL
	return r, management, rec
}

func TestModelPredict(t *testing.T) {
	r, management, rec := predictSandbox(t)
	got := r.run("model", "predict", "--model-name", "llama-chat", "--data", `{"prompt": "hi"}`)
	assertResult(t, got, "{\n  \"model_id\": \""+sandbox.SeedModelID+"\",\n  \"environment\": \"production\",\n  \"input\": {\n    \"prompt\": \"hi\"\n  }\n}\n", "", 0)
	assert.DeepEqual(t, management.Requests(), []string{"GET /v1/models"})
	req := rec.all()[0]
	assert.Equal(t, req.Method+" "+req.URI, "POST /environments/production/predict")
	assert.Equal(t, req.Host, "model-"+sandbox.SeedModelID+"."+strings.TrimPrefix(management.URL, "http://"))
	assert.Equal(t, req.Body, `{"prompt": "hi"}`)
	assert.Equal(t, req.Header.Get("Authorization"), "Bearer "+testKey)
	assert.Equal(t, req.Header.Get("Content-Type"), "application/json")

	got = r.run("model", "predict", "--model-id", sandbox.SeedModelID, "--environment", "staging", "--data", "[1]", "-o", "jsonl")
	assertResult(t, got, `{"model_id":"`+sandbox.SeedModelID+`","environment":"staging","input":[1]}`+"\n", "", 0)

	file := filepath.Join(t.TempDir(), "body.json")
	assert.NilError(t, os.WriteFile(file, []byte(`{"from":"file"}`), 0o600))
	got = r.run("model", "predict", "--model-id", sandbox.SeedModelID, "--deployment-id", sandbox.SeedDevelopmentID, "--file", file, "--jq", ".input.from")
	assertResult(t, got, "file\n", "", 0)
	r.stdin = `{"from":"stdin"}`
	got = r.run("model", "predict", "--model-id", sandbox.SeedModelID, "--file", "-", "--jq", ".input.from")
	assertResult(t, got, "stdin\n", "", 0)

	all := rec.all()
	assert.Equal(t, all[2].Method+" "+all[2].URI, "POST /deployment/"+sandbox.SeedDevelopmentID+"/predict")
	assert.Equal(t, len(management.Requests()), 1, "an ID is not looked up")
}

func TestModelPredictStreams(t *testing.T) {
	r, _, _ := predictSandbox(t)
	args := []string{"model", "predict", "--model-id", sandbox.SeedModelID, "--data", `{"prompt": "one two three", "stream": true}`}
	assertResult(t, r.run(append(args, "--jq", ".word")...), "one\ntwo\nthree\n", "", 0)
	assertResult(t, r.run(args...), "data: {\"word\":\"one\"}\n\ndata: {\"word\":\"two\"}\n\ndata: {\"word\":\"three\"}\n\ndata: [DONE]\n\n", "", 0)
}

func TestModelPredictNotFound(t *testing.T) {
	r, _, _ := predictSandbox(t)
	got := r.run("model", "predict", "--model-id", sandbox.SeedModelID, "--environment", "nope", "--data", "{}")
	assertResult(t, got, "{\n  \"detail\": \"Environment not found\"\n}\n", "Error: model "+sandbox.SeedModelID+" has no environment \"nope\" that answers predict\n"+
		"Run 'baseten model environment list' with the model to see its environments.\n", 4)
	got = r.run("model", "predict", "--model-name", "llama-chat", "--deployment-id", "nope", "--data", "{}")
	assert.Equal(t, got.Code, 4)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: model llama-chat ("+sandbox.SeedModelID+") has no deployment \"nope\" that answers predict\n"), got.Stderr)
	got = r.run("model", "predict", "--model-name", "no-such-model", "--data", "{}")
	assert.Equal(t, got.Code, 4, got.Stderr)
}

// What the command line alone shows to be wrong is exit 2, nothing sent.
func TestModelPredictUsageErrors(t *testing.T) {
	r, management, rec := predictSandbox(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--model-id", "m", "--data", "not json"}, "Error: --data is not JSON\n"},
		{[]string{"--model-id", "m.evil.example", "--data", "{}"}, `Error: --model-id "m.evil.example" cannot name an inference host: it may hold only letters, digits, - and _`},
		{[]string{"--model-id", "m", "--data", "{}", "--file", "x"}, "Error: --data and --file can't be used together\n"},
		{[]string{"--model-id", "m"}, "Error: one of --data or --file is required\n"},
		{[]string{"--data", "{}"}, "Error: one of --model-id or --model-name is required\n"},
		{[]string{"--model-id", "m", "--model-name", "n", "--data", "{}"}, "Error: --model-id and --model-name can't be used together\n"},
		{[]string{"--model-id", "m", "--team", "t", "--data", "{}"}, "Error: --team is only valid with --model-name\n"},
		{[]string{"--model-id", "m", "--environment", "staging", "--deployment-id", "d", "--data", "{}"}, "Error: --environment and --deployment-id can't be used together\n"},
		{[]string{"--model-id", "m", "--environment", "../x", "--data", "{}"}, `Error: --environment "../x" contains characters an environment name never has`},
		{[]string{"--model-id", "m", "--deployment-id", "a/b", "--data", "{}"}, `Error: --deployment-id "a/b" contains characters a deployment ID never has`},
		{[]string{"--model-id", "m", "--file", "/nonexistent/body.json"}, `Error: --file: cannot read "/nonexistent/body.json": no such file or directory`},
	} {
		got := r.run(append([]string{"model", "predict"}, tc.args...)...)
		assert.Equal(t, got.Code, 2, "%q: %s", tc.args, got.Stderr)
		assert.Assert(t, strings.HasPrefix(got.Stderr, tc.want), "%q: %s", tc.args, got.Stderr)
	}
	assert.DeepEqual(t, management.Requests(), []string{})
	assert.DeepEqual(t, rec.uris(), []string{})
}
