package commands_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

func TestDeploymentPromote(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	got := r.run("model", "deployment", "promote", "--model-id", llamaID, "--deployment-id", devID, "--yes", "--wait")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, timeless(got.Stderr), "Promoting deployment w2k9j4hx to environment production\n"+
		"the promotion of w2k9j4hx to production: SUCCEEDED 100%\n"+
		"The promotion of w2k9j4hx to production is SUCCEEDED 100% (after T)\n")
	assert.DeepEqual(t, a.Requests(), []string{"POST /v1/models/q4o7k2zw/environments/production/promote", "GET /v1/models/q4o7k2zw/environments/production"})
	assert.Equal(t, a.requests[0].Body, `{"scale_down_previous_deployment":true,"deployment_id":"w2k9j4hx","preserve_env_instance_type":true}`)
	assertResult(t, r.run("model", "describe", "--model-id", llamaID, "--jq", ".production_deployment_id"), "w2k9j4hx\n", "", 0)
	// The previous production deployment was scaled down.
	assertResult(t, r.run("model", "deployment", "describe", "--model-id", llamaID, "--deployment-id", prodID, "--jq", ".status"), "SCALED_TO_ZERO\n", "", 0)

	a.Reset()
	got = r.run("model", "deployment", "promote", "--model-id", llamaID, "--deployment-id", prodID, "--environment", "staging", "--keep-previous", "--use-deployment-instance-type", "--yes", "--jq", ".id")
	assertResult(t, got, "d7v3n8q1\n", "Promoting deployment d7v3n8q1 to environment staging\n", 0)
	assert.Equal(t, a.requests[0].Body, `{"scale_down_previous_deployment":false,"deployment_id":"d7v3n8q1","preserve_env_instance_type":false}`)

	got = r.run("model", "deployment", "promote", "--model-id", llamaID, "--deployment-id", devID, "--environment", "canary", "--yes")
	assertResult(t, got, "", "Error: no environment \"canary\" in model q4o7k2zw\nRun 'baseten model environment list' with the model to see its environments.\n", 4)
	got = r.run("model", "deployment", "promote", "--model-id", llamaID, "--deployment-id", "nope1234", "--yes")
	assert.Equal(t, got.Code, 4, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: no deployment "nope1234" in model q4o7k2zw`), got.Stderr)
	got = r.run("model", "deployment", "promote", "--model-id", llamaID, "--deployment-id", devID, "--environment", "a/b", "--yes")
	assert.Equal(t, got.Code, 2, got.Stderr)
}

// A rolling promotion shows its traffic rising, a line per change.
func TestPromotionWaitWithStepDelay(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{StepDelay: 100 * time.Millisecond})
	r := newRunner(a)
	r.typed = []string{"y"}
	got := r.run("model", "environment", "promote", "--model-name", "llama-chat", "--environment", "staging", "--deployment-id", devID, "--wait")
	assert.Equal(t, got.Code, 0, got.Stderr)
	lines := strings.Split(strings.TrimSuffix(timeless(got.Stderr), "\n"), "\n")
	assert.Equal(t, lines[0], "Promote deployment w2k9j4hx (model llama-chat, development) to environment staging (the deployment it serves now is scaled down)? [y/N] Promoting deployment w2k9j4hx to environment staging")
	assert.Equal(t, lines[1], "the promotion of w2k9j4hx to staging: RELEASING 0%")
	assert.Equal(t, lines[len(lines)-1], "The promotion of w2k9j4hx to staging is SUCCEEDED 100% (after T)")
	for _, line := range lines[2 : len(lines)-1] {
		assert.Assert(t, strings.HasPrefix(line, "the promotion of w2k9j4hx to staging: RAMPING_UP ") || line == "the promotion of w2k9j4hx to staging: SUCCEEDED 100%", line)
	}
	got = r.run("model", "environment", "describe", "--model-id", llamaID, "--environment", "staging", "--jq", ".current_deployment.id")
	assertResult(t, got, "w2k9j4hx\n", "", 0)
}

func TestCancelPromotion(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{StepDelay: time.Hour})
	r := newRunner(a)
	got := r.run("model", "environment", "cancel-promotion", "--model-id", llamaID, "--environment", "staging", "--yes")
	assertResult(t, got, "", "Error: API request failed (400 Bad Request): No promotion to staging is in progress\n", 5)
	got = r.run("model", "environment", "promote", "--model-id", llamaID, "--environment", "staging", "--deployment-id", devID, "--yes")
	assertResult(t, got, "", "Promoting deployment w2k9j4hx to environment staging\n", 0)
	got = r.run("model", "environment", "list", "--model-id", llamaID)
	assert.Assert(t, strings.Contains(got.Stdout, "staging     b6m1c9tz    INACTIVE  RELEASING 0% to w2k9j4hx"), got.Stdout)

	r.typed = []string{"y"}
	got = r.run("model", "environment", "cancel-promotion", "--model-id", llamaID, "--environment", "staging")
	assertResult(t, got, "", "Cancel the promotion of deployment w2k9j4hx to environment staging of model llama-chat (deployment b6m1c9tz)? [y/N] "+
		"Canceled the promotion to staging (The promotion was canceled)\n", 0)
	got = r.run("model", "environment", "describe", "--model-id", llamaID, "--environment", "staging", "--jq", ".in_progress_promotion")
	assertResult(t, got, "null\n", "", 0)
}

// A promotion that is canceled while waited on is a failure: exit 1.
func TestPromotionCanceledWhileWaitedOn(t *testing.T) {
	a := newAPI(t, okSequence(
		`{"id":"dep1","created_at":"2024-01-01T00:00:00Z","name":"v1","model_id":"m1","is_production":false,"is_development":false,"status":"ACTIVE","active_replica_count":1,"autoscaling_settings":null,"instance_type_name":null,"environment":null}`,
		environmentJSON(`{"status":"RAMPING_UP","percent_traffic_to_new_version":25}`),
		environmentJSON(`{"status":"CANCELED","percent_traffic_to_new_version":0}`),
	))
	got := newRunner(a).run("model", "environment", "promote", "--model-id", "m1", "--environment", "production", "--deployment-id", "dep1", "--yes", "--wait")
	assertResult(t, got, "", "Promoting deployment dep1 to environment production\n"+
		"the promotion of dep1 to production: RAMPING_UP 25%\n"+
		"the promotion of dep1 to production: CANCELED 0%\n"+
		"Error: the promotion of dep1 to production was canceled\n"+
		"See: baseten model environment describe --model-id m1 --environment production\n", 1)
}

func environmentJSON(promotion string) string {
	return `{"name":"production","created_at":"2024-01-01T00:00:00Z","model_id":"m1","current_deployment":null,"candidate_deployment":null,"in_progress_promotion":` + promotion +
		`,"autoscaling_settings":{"min_replica":0,"max_replica":1,"autoscaling_window":null,"scale_down_delay":null,"concurrency_target":1,"target_utilization_percentage":null},` +
		`"promotion_settings":{},"instance_type":{"id":"1x2","name":"1x2","memory_limit_mib":2048,"millicpu_limit":1000,"gpu_count":0,"gpu_type":null,"gpu_memory_limit_mib":null}}`
}

func TestEnvironmentActivateDeactivate(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{StepDelay: 50 * time.Millisecond})
	r := newRunner(a)
	got := r.run("model", "environment", "activate", "--model-id", llamaID, "--environment", "staging", "--wait", "--jq", ".current_deployment.status")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, got.Stdout, "ACTIVE\n")
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Activated environment staging\nenvironment staging: "), got.Stderr)
	assert.Assert(t, strings.HasSuffix(timeless(got.Stderr), "Environment staging is ACTIVE (after T)\n"), got.Stderr)

	r.typed = []string{"y"}
	got = r.run("model", "environment", "deactivate", "--model-name", "llama-chat", "--environment", "staging", "--wait")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Deactivate environment staging of model llama-chat (deployment b6m1c9tz)? [y/N] Deactivated environment staging\n"), got.Stderr)
	assert.Assert(t, strings.HasSuffix(timeless(got.Stderr), "Environment staging is INACTIVE (after T)\n"), got.Stderr)

	got = r.run("model", "environment", "activate", "--model-id", llamaID, "--environment", "nope")
	assert.Equal(t, got.Code, 4, got.Stderr)
}

// okSequence answers each request with the next body (the last repeats).
func okSequence(bodies ...string) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		body := bodies[min(n, len(bodies)-1)]
		n++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}
}

// An environment that never shows the promotion, nor the deployment
// serving it, ends the wait after a few looks: exit 1.
func TestPromotionThatNeverShows(t *testing.T) {
	a := newAPI(t, okSequence(
		`{"id":"dep1","created_at":"2024-01-01T00:00:00Z","name":"v1","model_id":"m1","is_production":false,"is_development":false,"status":"ACTIVE","active_replica_count":1,"autoscaling_settings":null,"instance_type_name":null,"environment":null}`,
		environmentJSON(`null`),
	))
	got := newRunner(a).run("model", "deployment", "promote", "--model-id", "m1", "--deployment-id", "dep1", "--yes", "--wait")
	assertResult(t, got, "", "Promoting deployment dep1 to environment production\n"+
		"the promotion of dep1 to production: PENDING\n"+
		"the promotion of dep1 to production: ENDED\n"+
		"Error: the promotion of dep1 to production ended without deployment dep1 serving production (canceled, or failed)\n"+
		"See: baseten model environment describe --model-id m1 --environment production\n", 1)
	assert.Equal(t, len(a.Requests()), 1+promotionGraceLooks)
}

// promotionGraceLooks is how many looks the wait takes before it gives up
// on a promotion it never sees (commands.promotionGrace).
const promotionGraceLooks = 3
