package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

type deploymentView struct {
	ID, Status, Name   string
	Environment        *string
	IsProduction       bool `json:"is_production"`
	IsDevelopment      bool `json:"is_development"`
	ActiveReplicaCount int  `json:"active_replica_count"`
}

type environmentView struct {
	Name                string
	CurrentDeployment   *deploymentView `json:"current_deployment"`
	CandidateDeployment *deploymentView `json:"candidate_deployment"`
	InProgressPromotion *struct {
		Status  string
		Percent int `json:"percent_traffic_to_new_version"`
	} `json:"in_progress_promotion"`
}

const llama = "/v1/models/" + sandbox.SeedModelID

func (e *env) deployment(id string) deploymentView {
	e.t.Helper()
	r := e.call("GET", llama+"/deployments/"+id, adminKey, "")
	assert.Equal(e.t, r.status, 200, "%s", r.body)
	return decode[deploymentView](e.t, r)
}

func (e *env) environment(name string) environmentView {
	e.t.Helper()
	r := e.call("GET", llama+"/environments/"+name, adminKey, "")
	assert.Equal(e.t, r.status, 200, "%s", r.body)
	return decode[environmentView](e.t, r)
}

func TestSeedModels(t *testing.T) {
	e := start(t, sandbox.Options{})
	models := decode[struct{ Models []struct{ ID, Name string } }](t, e.call("GET", "/v1/models", adminKey, "")).Models
	assert.Equal(t, len(models), 2)
	assert.Equal(t, models[0].Name, "llama-chat")
	assert.Equal(t, e.call("GET", "/v1/teams/"+sandbox.DefaultTeamID+"/models", adminKey, "").status, 200)
	assert.Equal(t, e.call("GET", "/v1/teams/nope/models", adminKey, "").status, 404)
	prod := decode[deploymentView](t, e.call("GET", llama+"/deployments/production", adminKey, ""))
	assert.Equal(t, prod.ID, sandbox.SeedProductionID)
	assert.Assert(t, prod.IsProduction && prod.ActiveReplicaCount == 1)
	dev := decode[deploymentView](t, e.call("GET", llama+"/deployments/development", adminKey, ""))
	assert.Equal(t, dev.ID, sandbox.SeedDevelopmentID)
	assert.Equal(t, e.environment("staging").CurrentDeployment.ID, sandbox.SeedStagingID)
	assert.Equal(t, e.call("GET", llama+"/environments/nope", adminKey, "").status, 404)
	assert.Equal(t, e.call("GET", "/v1/models/nope/deployments", adminKey, "").status, 404)
	assert.Equal(t, e.call("GET", llama+"/deployments/nope", adminKey, "").status, 404)
	assert.Equal(t, e.call("GET", llama, "", "").status, 401)
}

// Status changes go step by step, a step delay apart; with no delay each
// is due at the next request.
func TestStatusStepsTakeTime(t *testing.T) {
	e := start(t, sandbox.Options{StepDelay: time.Hour})
	r := e.call("POST", llama+"/deployments/"+sandbox.SeedStagingID+"/activate", adminKey, "")
	assert.Equal(t, r.status, 200, "%s", r.body)
	assert.Equal(t, e.deployment(sandbox.SeedStagingID).Status, "WAKING_UP")
	e.srv.SetStepDelay(0)
	d := e.deployment(sandbox.SeedStagingID)
	assert.Equal(t, d.Status, "ACTIVE")
	assert.Equal(t, d.ActiveReplicaCount, 1)

	assert.Equal(t, e.call("POST", llama+"/deployments/"+sandbox.SeedStagingID+"/deactivate", adminKey, "").status, 200)
	assert.Equal(t, e.deployment(sandbox.SeedStagingID).Status, "INACTIVE")
	r = e.call("POST", llama+"/deployments/"+sandbox.SeedFailedID+"/activate", adminKey, "")
	assert.Equal(t, r.status, 400, "%s", r.body)
}

func TestRetry(t *testing.T) {
	e := start(t, sandbox.Options{StepDelay: time.Hour})
	r := decode[struct {
		Retried    bool
		Reason     *string
		Deployment deploymentView
	}](t, e.call("POST", llama+"/deployments/"+sandbox.SeedFailedID+"/retry", adminKey, ""))
	assert.Assert(t, r.Retried && r.Reason == nil)
	assert.Equal(t, r.Deployment.Status, "BUILDING")
	r = decode[struct {
		Retried    bool
		Reason     *string
		Deployment deploymentView
	}](t, e.call("POST", llama+"/deployments/"+sandbox.SeedProductionID+"/retry", adminKey, ""))
	assert.Assert(t, !r.Retried && r.Reason != nil)
}

// A promotion ramps traffic up in steps; at the end the candidate serves
// the environment and the previous deployment is scaled to zero.
func TestPromotion(t *testing.T) {
	e := start(t, sandbox.Options{StepDelay: time.Hour})
	body := `{"deployment_id":"` + sandbox.SeedStagingID + `","scale_down_previous_deployment":true,"preserve_env_instance_type":true}`
	r := e.call("POST", llama+"/environments/production/promote", adminKey, body)
	assert.Equal(t, r.status, 200, "%s", r.body)
	assert.Equal(t, decode[deploymentView](t, r).Status, "WAKING_UP")
	env := e.environment("production")
	assert.Equal(t, env.InProgressPromotion.Status, "RELEASING")
	assert.Equal(t, env.CandidateDeployment.ID, sandbox.SeedStagingID)
	// A second promotion, and deleting the candidate, wait for this one.
	assert.Equal(t, e.call("POST", llama+"/environments/production/promote", adminKey, body).status, 400)
	e.srv.SetStepDelay(0)
	env = e.environment("production")
	assert.Assert(t, env.InProgressPromotion == nil)
	assert.Equal(t, env.CurrentDeployment.ID, sandbox.SeedStagingID)
	assert.Equal(t, e.deployment(sandbox.SeedProductionID).Status, "SCALED_TO_ZERO")

	// Bodies the API would refuse.
	assert.Equal(t, e.call("POST", llama+"/environments/production/promote", adminKey, `{}`).status, 422)
	assert.Equal(t, e.call("POST", llama+"/environments/production/promote", adminKey, `{"deployment_id":"nope"}`).status, 404)
	assert.Equal(t, e.call("POST", llama+"/environments/production/promote", adminKey, `{"deployment_id":"`+sandbox.SeedFailedID+`"}`).status, 400)
}

func TestCancelPromotion(t *testing.T) {
	e := start(t, sandbox.Options{StepDelay: time.Hour})
	assert.Equal(t, e.call("POST", llama+"/environments/staging/cancel_promotion", adminKey, "").status, 400)
	body := `{"deployment_id":"` + sandbox.SeedDevelopmentID + `"}`
	assert.Equal(t, e.call("POST", llama+"/environments/staging/promote", adminKey, body).status, 200)
	r := e.call("POST", llama+"/environments/staging/cancel_promotion", adminKey, "")
	assert.Equal(t, r.status, 200, "%s", r.body)
	assert.Equal(t, decode[struct{ Status string }](t, r).Status, "CANCELED")
	env := e.environment("staging")
	assert.Assert(t, env.InProgressPromotion == nil)
	assert.Equal(t, env.CurrentDeployment.ID, sandbox.SeedStagingID)
}

func TestDeleteDeploymentAndModel(t *testing.T) {
	e := start(t, sandbox.Options{})
	r := e.call("DELETE", llama+"/deployments/"+sandbox.SeedProductionID, adminKey, "")
	assert.Equal(t, r.status, 400)
	assert.Assert(t, is.Contains(string(r.body), "Cannot delete the production deployment"))
	r = e.call("DELETE", llama+"/deployments/"+sandbox.SeedDevelopmentID, adminKey, "")
	assert.Equal(t, r.status, 200, "%s", r.body)
	assert.Equal(t, e.call("GET", llama+"/deployments/development", adminKey, "").status, 404)
	assert.Equal(t, e.call("DELETE", llama, adminKey, "").status, 200)
	assert.Equal(t, e.call("GET", llama, adminKey, "").status, 404)
}

func TestTerminateReplica(t *testing.T) {
	e := start(t, sandbox.Options{})
	replica := sandbox.SeedProductionID + "-r1"
	path := llama + "/deployments/" + sandbox.SeedProductionID + "/replicas/"
	assert.Equal(t, e.call("DELETE", path+replica, adminKey, "").status, 200)
	assert.Equal(t, e.call("DELETE", path+replica, adminKey, "").status, 404)
	assert.Equal(t, e.deployment(sandbox.SeedProductionID).ActiveReplicaCount, 1) // replaced
}

// The config answers per output_format.
func TestDeploymentConfig(t *testing.T) {
	e := start(t, sandbox.Options{})
	type config struct {
		Config    json.RawMessage
		RawConfig *string `json:"raw_config"`
	}
	both := decode[config](t, e.call("GET", llama+"/deployments/"+sandbox.SeedProductionID+"/config", adminKey, ""))
	assert.Assert(t, both.RawConfig != nil && strings.HasPrefix(*both.RawConfig, "# llama-chat"))
	assert.Assert(t, string(both.Config) != "null")
	raw := decode[config](t, e.call("GET", llama+"/deployments/"+sandbox.SeedProductionID+"/config?output_format=raw", adminKey, ""))
	assert.Equal(t, string(raw.Config), "null")
	dev := decode[config](t, e.call("GET", llama+"/deployments/"+sandbox.SeedDevelopmentID+"/config?output_format=raw", adminKey, ""))
	assert.Assert(t, dev.RawConfig == nil)
	assert.Equal(t, e.call("GET", llama+"/deployments/"+sandbox.SeedProductionID+"/config?output_format=yaml", adminKey, "").status, 422)
}

// The presigned link answers without the API key, and refuses it.
func TestPresignedDownload(t *testing.T) {
	e := start(t, sandbox.Options{})
	link := decode[struct {
		URL string `json:"download_url"`
	}](t, e.call("GET", llama+"/deployments/"+sandbox.SeedProductionID+"/download", adminKey, "")).URL
	assert.Assert(t, strings.HasPrefix(link, e.url+sandbox.PresignedPrefix), link)

	withKey, err := http.NewRequest("GET", link, nil)
	assert.NilError(t, err)
	withKey.Header.Set("Authorization", "Bearer "+adminKey)
	resp, err := http.DefaultClient.Do(withKey)
	assert.NilError(t, err)
	resp.Body.Close()
	assert.Equal(t, resp.StatusCode, 400)

	resp, err = http.Get(link)
	assert.NilError(t, err)
	archive, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.NilError(t, err)
	assert.Equal(t, resp.StatusCode, 200)
	assert.Equal(t, resp.Header.Get("Content-Type"), "application/gzip")
	assert.Assert(t, len(archive) > 100 && archive[0] == 0x1f && archive[1] == 0x8b)

	resp, err = http.Get(e.url + sandbox.PresignedPrefix + "forged/truss.tar.gz")
	assert.NilError(t, err)
	resp.Body.Close()
	assert.Equal(t, resp.StatusCode, 403)
}

// Models are kept in the state file with the rest, steps still to come
// included; a state file from before models gets the seed ones.
func TestModelsPersist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	s, err := sandbox.Open(path, stateAdminKey)
	assert.NilError(t, err)
	s.SetStepDelay(time.Hour)
	e := serve(t, s)
	assert.Equal(t, e.call("POST", llama+"/deployments/"+sandbox.SeedStagingID+"/activate", stateAdminKey, "").status, 200)
	assert.Equal(t, e.call("DELETE", llama+"/deployments/"+sandbox.SeedDevelopmentID, stateAdminKey, "").status, 200)
	assert.NilError(t, s.Close())

	s, err = sandbox.Open(path, stateAdminKey)
	assert.NilError(t, err)
	s.SetStepDelay(time.Hour)
	e = serve(t, s)
	assert.Equal(t, e.call("GET", llama+"/deployments/"+sandbox.SeedDevelopmentID, stateAdminKey, "").status, 404)
	assert.Equal(t, deploymentIn(e, sandbox.SeedStagingID).Status, "WAKING_UP")
	s.SetStepDelay(0)
	assert.Equal(t, deploymentIn(e, sandbox.SeedStagingID).Status, "ACTIVE")
	assert.NilError(t, s.Close())

	// Without "models", the seed ones.
	var st map[string]json.RawMessage
	data, err := os.ReadFile(path)
	assert.NilError(t, err)
	assert.NilError(t, json.Unmarshal(data, &st))
	delete(st, "models")
	data, _ = json.Marshal(st)
	assert.NilError(t, os.WriteFile(path, data, 0o600))
	s, err = sandbox.Open(path, stateAdminKey)
	assert.NilError(t, err)
	e = serve(t, s)
	assert.Equal(t, deploymentIn(e, sandbox.SeedDevelopmentID).ID, sandbox.SeedDevelopmentID)
	assert.NilError(t, s.Close())

	// Models the API could not have are refused, and the file left alone.
	for _, bad := range []string{
		`[{"id":"a/b","name":"x","team_id":"` + teamOf(t, st) + `","created_at":"2024-01-01T00:00:00Z","deployments":[],"environments":[]}]`,
		`[{"id":"m1","name":"x","team_id":"nope","created_at":"2024-01-01T00:00:00Z","deployments":[],"environments":[]}]`,
		`[{"id":"m1","name":"x","team_id":"` + teamOf(t, st) + `","created_at":"2024-01-01T00:00:00Z","deployments":[{"id":"d1","name":"v1","created_at":"2024-01-01T00:00:00Z","status":"ASLEEP","instance_type":"1x2","min_replica":1,"max_replica":1,"raw_config":null,"config":null}],"environments":[]}]`,
		`[{"id":"m1","name":"x","team_id":"` + teamOf(t, st) + `","created_at":"2024-01-01T00:00:00Z","deployments":[],"environments":[{"name":"production","created_at":"2024-01-01T00:00:00Z","current_deployment_id":"gone"}]}]`,
		`[{"id":"m1","name":"x","team_id":"` + teamOf(t, st) + `","created_at":"2024-01-01T00:00:00Z","deployments":[{"id":"d1","name":"v1","created_at":"2024-01-01T00:00:00Z","status":"ACTIVE","instance_type":"1x2","min_replica":1,"max_replica":1,"raw_config":null,"config":null}],"environments":[{"name":"production","created_at":"2024-01-01T00:00:00Z","promotion":{"candidate_id":"d1","scale_down_previous":true,"status":"DONE","percent":0,"steps_from":"2024-01-01T00:00:00Z"}}]}]`,
		`[null]`,
	} {
		st["models"] = json.RawMessage(bad)
		data, _ = json.Marshal(st)
		assert.NilError(t, os.WriteFile(path, data, 0o600))
		_, err = sandbox.Open(path, stateAdminKey)
		_, isStateErr := err.(*sandbox.StateError)
		assert.Assert(t, isStateErr, "%s: %v", bad, err)
	}
}

func teamOf(t *testing.T, st map[string]json.RawMessage) string {
	var teams []sandbox.Team
	assert.NilError(t, json.Unmarshal(st["teams"], &teams))
	return teams[0].ID
}

// stateAdminKey is an admin key in the API's format, which Open requires.
const stateAdminKey = "0123abcd.sandbox-secret-0123456789"

func deploymentIn(e *env, id string) deploymentView {
	e.t.Helper()
	r := e.call("GET", llama+"/deployments/"+id, stateAdminKey, "")
	assert.Equal(e.t, r.status, 200, "%s", r.body)
	return decode[deploymentView](e.t, r)
}

// The contract checker lets the presigned links through by this prefix.
func TestPresignedPrefixIsTheContractsOwn(t *testing.T) {
	assert.Equal(t, sandbox.PresignedPrefix, sandboxtest.PresignedPrefix)
}

// Clients changing and reading models at once, with steps falling due
// while they do, and saves to a state file: run under -race.
func TestConcurrentModelRequests(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	s, err := sandbox.Open(path, stateAdminKey)
	assert.NilError(t, err)
	s.SetStepDelay(time.Millisecond)
	e := serve(t, s)
	errs := make(chan error, 64)
	for i := range 8 {
		go func() {
			for j := range 8 {
				var err error
				switch (i + j) % 4 {
				case 0:
					_, err = e.try("POST", llama+"/deployments/"+sandbox.SeedStagingID+"/activate", stateAdminKey, "")
				case 1:
					_, err = e.try("POST", llama+"/deployments/"+sandbox.SeedStagingID+"/deactivate", stateAdminKey, "")
				case 2:
					_, err = e.try("GET", llama+"/environments", stateAdminKey, "")
				case 3:
					_, err = e.try("POST", llama+"/environments/staging/promote", stateAdminKey, `{"deployment_id":"`+sandbox.SeedDevelopmentID+`"}`)
				}
				errs <- err
			}
		}()
	}
	for range 64 {
		assert.NilError(t, <-errs)
	}
	assert.NilError(t, s.Close())
	s, err = sandbox.Open(path, stateAdminKey)
	assert.NilError(t, err) // what was saved loads
	assert.NilError(t, s.Close())
}
