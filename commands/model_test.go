package commands_test

import (
	"net/http"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// modelSandbox serves a sandbox with the seed models (llama-chat in the
// default team, whisper-v3 in Research) plus opts' own, every API request
// checked against the description.
func modelSandbox(t *testing.T, opts sandbox.Options) (*api, *sandbox.Server) {
	t.Helper()
	opts.APIKey = testKey
	if opts.Teams == nil {
		opts.Teams = []sandbox.Team{
			{ID: "team-default", Name: "Default", Default: true, CreatedAt: "2024-01-01T00:00:00Z"},
			{ID: "t-research", Name: "Research", CreatedAt: "2024-02-03T04:05:06Z"},
		}
	}
	sb := sandbox.New(opts)
	return newAPI(t, sandboxtest.Contract(t, sb)), sb
}

// twins are two models named alike in two teams, for the ambiguity of --model-name.
func twins() []sandbox.SeedModel {
	return []sandbox.SeedModel{
		{ID: "twin1abc", Name: "twin", CreatedAt: "2024-07-01T00:00:00Z", Deployments: []sandbox.SeedDeployment{{ID: "tw1dep01", Name: "v1"}},
			Environments: []sandbox.SeedEnvironment{{Name: "production", CurrentDeploymentID: "tw1dep01"}}},
		{ID: "twin2def", Name: "twin", TeamID: "t-research", CreatedAt: "2024-07-02T00:00:00Z"},
	}
}

func TestModelList(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	assertResult(t, r.run("model", "list"), ""+
		"NAME        ID        PRODUCTION  DEVELOPMENT  DEPLOYMENTS  CREATED\n"+
		"llama-chat  q4o7k2zw  d7v3n8q1    w2k9j4hx     4            2024-05-01T10:00:00Z\n"+
		"whisper-v3  p9x2m5rt  r5t8y1uc                 1            2024-06-12T08:00:00Z\n", "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/models"})

	a.Reset()
	assertResult(t, r.run("model", "list", "--team", "Research", "--jq", ".models[].name"), "whisper-v3\n", "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams", "GET /v1/teams/t-research/models"})

	// The help's jq example.
	assertResult(t, r.run("model", "list", "--jq", `.models[] | "\(.name) \(.production_deployment_id)"`), "llama-chat d7v3n8q1\nwhisper-v3 r5t8y1uc\n", "", 0)

	got := r.run("model", "list", "--team", "Nobody")
	assert.Equal(t, got.Code, 4, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: no team with ID or name "Nobody"`), got.Stderr)

	empty, _ := modelSandbox(t, sandbox.Options{Models: []sandbox.SeedModel{}})
	assertResult(t, newRunner(empty).run("model", "list"), "", "No models found.\n", 0)
	assertResult(t, newRunner(empty).run("model", "list", "-o", "jsonl"), `{"models":[]}`+"\n", "", 0)
}

func TestModelDescribe(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	const llama = "" +
		"Name:           llama-chat\n" +
		"ID:             q4o7k2zw\n" +
		"Team:           Default\n" +
		"Production:     d7v3n8q1\n" +
		"Development:    w2k9j4hx\n" +
		"Deployments:    4\n" +
		"Instance type:  1x2\n" +
		"Created:        2024-05-01T10:00:00Z\n"
	assertResult(t, r.run("model", "describe", "--model-id", "q4o7k2zw"), llama, "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/models/q4o7k2zw"})
	a.Reset()
	assertResult(t, r.run("model", "fetch", "--model-name", "llama-chat"), llama, "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/models"})
	assertResult(t, r.run("model", "describe", "--model-name", "whisper-v3", "--team", "t-research", "--jq", ".development_deployment_id"), "null\n", "", 0)

	// The alias has the same help, however it is asked for.
	help := r.run("model", "describe", "--help")
	assert.Assert(t, strings.HasPrefix(help.Stdout, "Usage: baseten model describe [OPTIONS]\n"), help.Stdout)
	assertResult(t, r.run("model", "fetch", "--help"), help.Stdout, "", 0)
	assertResult(t, r.run("help", "model", "fetch"), help.Stdout, "", 0)

	// -o json by name is the list's element, as sent.
	got := r.run("model", "describe", "--model-name", "whisper-v3", "-o", "jsonl")
	assertResult(t, got, `{"id":"p9x2m5rt","created_at":"2024-06-12T08:00:00Z","name":"whisper-v3","deployments_count":1,"production_deployment_id":"r5t8y1uc","development_deployment_id":null,"instance_type_name":"1x2","team_name":"Research"}`+"\n", "", 0)

	got = r.run("model", "describe", "--model-id", "nope1234")
	assertResult(t, got, "", "Error: no model with ID \"nope1234\"\n"+"Run 'baseten model list' to see the models, their teams and IDs.\n", 4)
	got = r.run("model", "describe", "--model-name", "nope")
	assert.Equal(t, got.Code, 4)
	assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: no model named "nope"`+"\n"), got.Stderr)
}

func TestModelRefAmbiguityAndTeams(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{Models: twins()})
	r := newRunner(a)
	got := r.run("model", "describe", "--model-name", "twin")
	assertResult(t, got, "", `Error: 2 models are named "twin": twin1abc (team Default), twin2def (team Research)`+"\n"+
		"Nothing was done. Pass --model-id with one of these IDs, or --team to choose the team.\n", 2)
	assertResult(t, r.run("model", "describe", "--model-name", "twin", "--team", "Research", "--jq", ".id"), "twin2def\n", "", 0)
	assertResult(t, r.run("model", "describe", "--model-name", "twin", "--team", "team-default", "--jq", ".id"), "twin1abc\n", "", 0)
	got = r.run("model", "describe", "--model-name", "twin", "--team", "Ops")
	assert.Equal(t, got.Code, 4, got.Stderr)
}

// What the flags alone show to be wrong is refused before any request.
func TestModelRefUsageErrors(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"model", "describe"}, "Error: one of --model-id or --model-name is required"},
		{[]string{"model", "describe", "--model-id", "a", "--model-name", "b"}, "Error: --model-id and --model-name can't be used together"},
		{[]string{"model", "describe", "--model-id", "q4o7k2zw", "--team", "Default"}, "Error: --team is only valid with --model-name"},
		{[]string{"model", "describe", "--model-id", ".."}, `Error: --model-id ".." is not a model ID`},
		{[]string{"model", "describe", "--model-id", "a/b"}, `Error: --model-id "a/b" contains characters a model ID never has`},
		{[]string{"model", "describe", "--model-id", "a%2F"}, `Error: --model-id "a%2F" contains characters a model ID never has`},
		{[]string{"model", "describe", "--model-name", " "}, "Error: --model-name must not be empty"},
		{[]string{"model", "deployment", "describe", "--model-id", "q4o7k2zw", "--deployment-id", "x?y"}, `Error: --deployment-id "x?y" contains characters a deployment ID never has`},
		{[]string{"model", "environment", "describe", "--model-id", "q4o7k2zw", "--environment", "."}, `Error: --environment "." is not an environment name`},
		{[]string{"model", "deployment", "describe", "--model-id", "q4o7k2zw"}, "Error: --deployment-id is required"},
	} {
		got := r.run(tc.args...)
		assert.Equal(t, got.Code, 2, "%v: %s", tc.args, got.Stderr)
		assert.Assert(t, strings.HasPrefix(got.Stderr, tc.err+"\n"), "%v: %s", tc.args, got.Stderr)
		assert.Equal(t, got.Stdout, "")
	}
	assert.DeepEqual(t, a.Requests(), []string{})
}

func TestModelDeploymentListAndDescribe(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	assertResult(t, r.run("model", "deployment", "list", "--model-name", "llama-chat"), ""+
		"NAME         ID        STATUS          ENVIRONMENT  REPLICAS  CREATED\n"+
		"v1           b6m1c9tz  INACTIVE        staging      0         2024-05-01T10:00:00Z\n"+
		"v2           d7v3n8q1  ACTIVE          production   1         2024-05-08T09:30:00Z\n"+
		"development  w2k9j4hx  SCALED_TO_ZERO  development  0         2024-05-09T16:45:00Z\n"+
		"v3           f3k8p2lw  BUILD_FAILED                 0         2024-05-10T12:00:00Z\n", "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/models", "GET /v1/models/q4o7k2zw/deployments"})
	assertResult(t, r.run("model", "deployment", "list", "--model-id", "q4o7k2zw", "--jq", `.deployments[] | select(.status == "ACTIVE") | .id`), "d7v3n8q1\n", "", 0)

	a.Reset()
	assertResult(t, r.run("model", "deployment", "describe", "--model-id", "q4o7k2zw", "--deployment-id", "d7v3n8q1"), ""+
		"Name:           v2\n"+
		"ID:             d7v3n8q1\n"+
		"Model:          q4o7k2zw\n"+
		"Status:         ACTIVE\n"+
		"Environment:    production\n"+
		"Production:     yes\n"+
		"Development:    no\n"+
		"Replicas:       1\n"+
		"Instance type:  1x2\n"+
		"Autoscaling:    1 to 3 replicas\n"+
		"Created:        2024-05-08T09:30:00Z\n", "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/models/q4o7k2zw/deployments/d7v3n8q1"})

	// On a terminal the status is colored; never with NO_COLOR.
	r.terminal = true
	got := r.run("model", "deployment", "fetch", "--model-id", "q4o7k2zw", "--deployment-id", "d7v3n8q1")
	assert.Assert(t, strings.Contains(got.Stdout, "Status:         \x1b[32mACTIVE\x1b[0m\n"), "%q", got.Stdout)
	got = r.run("model", "deployment", "list", "--model-id", "q4o7k2zw")
	assert.Assert(t, strings.Contains(got.Stdout, "\x1b[32mACTIVE\x1b[0m          production"), "%q", got.Stdout)
	r.env["NO_COLOR"] = "1"
	got = r.run("model", "deployment", "fetch", "--model-id", "q4o7k2zw", "--deployment-id", "d7v3n8q1")
	assert.Assert(t, !strings.Contains(got.Stdout, "\x1b"), "%q", got.Stdout)
	delete(r.env, "NO_COLOR")
	r.terminal = false

	got = r.run("model", "deployment", "describe", "--model-id", "q4o7k2zw", "--deployment-id", "zzzz9999")
	assertResult(t, got, "", `Error: no deployment "zzzz9999" in model q4o7k2zw`+"\n"+
		"Run 'baseten model deployment list' with the model to see its deployments and their IDs.\n", 4)
	got = r.run("model", "deployment", "describe", "--model-id", "zzzz9999", "--deployment-id", "d7v3n8q1")
	assert.Equal(t, got.Code, 4)
	assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: no model with ID "zzzz9999"`), got.Stderr)
	got = r.run("model", "deployment", "list", "--model-id", "zzzz9999")
	assert.Equal(t, got.Code, 4)
}

func TestModelEnvironmentListAndDescribe(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	assertResult(t, r.run("model", "environment", "list", "--model-id", "q4o7k2zw"), ""+
		"NAME        DEPLOYMENT  STATUS    PROMOTION  CREATED\n"+
		"production  d7v3n8q1    ACTIVE               2024-05-01T10:00:00Z\n"+
		"staging     b6m1c9tz    INACTIVE             2024-05-01T10:00:00Z\n", "", 0)
	assertResult(t, r.run("model", "environment", "list", "--model-id", "q4o7k2zw", "--jq", `.environments[] | "\(.name) \(.current_deployment.id)"`),
		"production d7v3n8q1\nstaging b6m1c9tz\n", "", 0)
	assertResult(t, r.run("model", "environment", "describe", "--model-name", "llama-chat", "--environment", "staging"), ""+
		"Name:           staging\n"+
		"Model:          q4o7k2zw\n"+
		"Deployment:     v1 (b6m1c9tz)\n"+
		"Status:         INACTIVE\n"+
		"Candidate:      none\n"+
		"Promotion:      none\n"+
		"Instance type:  1x2 (1 vCPU, 2 GiB)\n"+
		"Autoscaling:    1 to 3 replicas\n"+
		"Created:        2024-05-01T10:00:00Z\n", "", 0)
	got := r.run("model", "environment", "describe", "--model-id", "q4o7k2zw", "--environment", "canary")
	assertResult(t, got, "", `Error: no environment "canary" in model q4o7k2zw`+"\n"+
		"Run 'baseten model environment list' with the model to see its environments.\n", 4)
}

// Server text is data: escapes in a model's name never reach the terminal.
func TestModelTextIsSanitized(t *testing.T) {
	a := newAPI(t, ok(`{"models":[{"id":"m1","created_at":"2024-01-01T00:00:00Z","name":"evil\u001b[2Jname","deployments_count":0,"production_deployment_id":null,"development_deployment_id":null,"instance_type_name":"x","team_name":"T"}]}`))
	got := newRunner(a).run("model", "list")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, !strings.Contains(got.Stdout, "\x1b"), "%q", got.Stdout)

	// An ID from the API that could change a URL path is not used.
	b := newAPI(t, ok(`{"models":[{"id":"../api_keys","created_at":"2024-01-01T00:00:00Z","name":"m","deployments_count":0,"production_deployment_id":null,"development_deployment_id":null,"instance_type_name":"x","team_name":"T"}]}`))
	got = newRunner(b).run("model", "deployment", "list", "--model-name", "m")
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, strings.Contains(got.Stderr, `with ID "../api_keys", which contains characters a model ID never has; nothing was done`), got.Stderr)
	assert.DeepEqual(t, b.Requests(), []string{"GET /v1/models"})
}

// --team names the team: a model the team's list holds but says is
// another team's is not acted on (a lying server, a list that includes
// shared models).
func TestModelNameInTeamIsThatTeams(t *testing.T) {
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/teams":
			w.Write([]byte(`{"teams":[{"id":"t1","name":"Mine","default":true,"created_at":"2024-01-01T00:00:00Z"},{"id":"t2","name":"Other","default":false,"created_at":"2024-01-01T00:00:00Z"}]}`))
		case "/v1/teams/t1/models":
			w.Write([]byte(`{"models":[{"id":"m2","created_at":"2024-01-01T00:00:00Z","name":"x","deployments_count":1,"production_deployment_id":null,"development_deployment_id":null,"instance_type_name":"i","team_name":"Other"}]}`))
		default:
			w.WriteHeader(500)
		}
	}))
	got := newRunner(a).run("model", "delete", "--model-name", "x", "--team", "Mine", "--yes")
	assert.Equal(t, got.Code, 4, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: no model named "x" in team "Mine"`), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams", "GET /v1/teams/t1/models"})
}
