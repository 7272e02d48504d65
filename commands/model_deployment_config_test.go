package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

func TestDeploymentConfig(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	const raw = "# llama-chat, served with vLLM\nmodel_name: llama-chat\npython_version: py311\nresources:\n  accelerator: A10G\n  use_gpu: true\nrequirements:\n  - vllm==0.6.3\n"
	assertResult(t, r.run("model", "deployment", "config", "--model-id", llamaID, "--deployment-id", prodID), raw, "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/models/q4o7k2zw/deployments/d7v3n8q1/config"})

	// No raw text: the parsed config, as YAML, in the API's key order.
	a.Reset()
	got := r.run("model", "deployment", "config", "--model-id", llamaID, "--deployment-id", devID)
	assertResult(t, got, ""+
		"environment_variables: {}\n"+
		"model_name: development\n"+
		"python_version: py311\n"+
		"resources:\n"+
		"  accelerator: null\n"+
		"  cpu: \"1\"\n"+
		"  memory: 2Gi\n"+
		"  use_gpu: false\n"+
		"runtime:\n"+
		"  predict_concurrency: 1\n", "", 0)

	got = r.run("model", "deployment", "config", "--model-id", llamaID, "--deployment-id", prodID, "--parsed")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, strings.Contains(got.Stdout, "requirements:\n  - vllm==0.6.3\n"), got.Stdout)
	assert.Assert(t, !strings.Contains(got.Stdout, "#"), got.Stdout)
	assert.Equal(t, a.Last().Path, "/v1/models/q4o7k2zw/deployments/d7v3n8q1/config")

	got = r.run("model", "deployment", "config", "--model-id", llamaID, "--deployment-id", prodID, "--jq", ".config.python_version")
	assertResult(t, got, "py311\n", "", 0)
	got = r.run("model", "deployment", "config", "--model-id", llamaID, "--deployment-id", devID, "-o", "jsonl", "--jq", ".raw_config")
	assertResult(t, got, "null\n", "", 0)
}

// The YAML keeps the API's order and numbers exactly; escapes from the
// server never reach a terminal.
func TestDeploymentConfigFromAHostileServer(t *testing.T) {
	a := newAPI(t, ok(`{"config":{"zeta":1,"alpha":12345678901234567890,"ratio":0.1,"yes":"true","nested":[{"b":null}]},"raw_config":null}`))
	got := newRunner(a).run("model", "deployment", "config", "--model-id", "m1", "--deployment-id", "d1")
	assertResult(t, got, "zeta: 1\nalpha: 12345678901234567890\nratio: 0.1\n\"yes\": \"true\"\nnested:\n  - b: null\n", "", 0)

	b := newAPI(t, ok(`{"config":null,"raw_config":"name: \u001b[31mred\u001b[0m\n"}`))
	r := newRunner(b)
	r.terminal = true
	got = r.run("model", "deployment", "config", "--model-id", "m1", "--deployment-id", "d1")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, !strings.Contains(got.Stdout, "\x1b"), "%q", got.Stdout)
	assert.Assert(t, strings.HasSuffix(got.Stdout, "\n"))
}
