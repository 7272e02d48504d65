package commands_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

const (
	llamaID = sandbox.SeedModelID
	devID   = sandbox.SeedDevelopmentID
	prodID  = sandbox.SeedProductionID
)

// The example values the model commands declare are the sandbox's seeds.
func TestModelExampleValuesAreTheSeeds(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	got := newRunner(a).run("model", "deployment", "list", "--model-name", "llama-chat", "--jq", `.deployments[] | "\(.name) \(.id)"`)
	assertResult(t, got, "v1 "+sandbox.SeedStagingID+"\nv2 "+prodID+"\ndevelopment "+devID+"\nv3 "+sandbox.SeedFailedID+"\n", "", 0)
	assert.Equal(t, llamaID, "q4o7k2zw")
	assert.Equal(t, devID, "w2k9j4hx")
	assert.Equal(t, sandbox.SeedFailedID, "f3k8p2lw")
}

// elapsed is the time a wait reports, which varies; timeless replaces it.
var elapsed = regexp.MustCompile(`\(after [0-9.]+(µs|ms|s|m[0-9.]*s?)\)`)

func timeless(s string) string { return elapsed.ReplaceAllString(s, "(after T)") }

func TestDeploymentActivateAndWait(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	got := r.run("model", "deployment", "activate", "--model-id", llamaID, "--deployment-id", devID)
	assertResult(t, got, "", "Activated deployment w2k9j4hx\n", 0)
	assert.DeepEqual(t, a.Requests(), []string{"POST /v1/models/q4o7k2zw/deployments/w2k9j4hx/activate"})
	assert.Equal(t, a.Last().Body, "")

	// With no step delay, the first look finds it settled.
	a.Reset()
	got = r.run("model", "deployment", "deactivate", "--model-id", llamaID, "--deployment-id", devID, "--yes", "--wait")
	got.Stderr = timeless(got.Stderr)
	assertResult(t, got, "", "Deactivated deployment w2k9j4hx\ndeployment w2k9j4hx: INACTIVE\nDeployment w2k9j4hx is INACTIVE (after T)\n", 0)
	assert.DeepEqual(t, a.Requests(), []string{"POST /v1/models/q4o7k2zw/deployments/w2k9j4hx/deactivate", "GET /v1/models/q4o7k2zw/deployments/w2k9j4hx"})

	// -o json with --wait is the final deployment; without, the API's answer.
	got = r.run("model", "deployment", "activate", "--model-name", "llama-chat", "--deployment-id", devID, "--wait", "--jq", ".status")
	assert.Equal(t, got.Stdout, "ACTIVE\n", got.Stderr)
	got = r.run("model", "deployment", "activate", "--model-name", "llama-chat", "--deployment-id", devID, "-o", "jsonl")
	assertResult(t, got, `{"success":true}`+"\n", "Activated deployment w2k9j4hx\n", 0)

	// A deployment that cannot be activated: the API's refusal, exit 5.
	got = r.run("model", "deployment", "activate", "--model-id", llamaID, "--deployment-id", sandbox.SeedFailedID)
	assert.Equal(t, got.Code, 5, got.Stderr)
	assert.Assert(t, strings.Contains(got.Stderr, "cannot be activated: its status is BUILD_FAILED"), got.Stderr)
}

// With a step delay, a wait shows each status it passes through, once.
func TestDeploymentWaitWithStepDelay(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{StepDelay: 150 * time.Millisecond})
	r := newRunner(a)
	got := r.run("model", "deployment", "retry", "--model-id", llamaID, "--deployment-id", sandbox.SeedFailedID, "--wait")
	assert.Equal(t, got.Code, 0, got.Stderr)
	// Polls back off, so a quick step may pass unseen; what is seen comes
	// in order, each status once.
	lines := strings.Split(strings.TrimSuffix(timeless(got.Stderr), "\n"), "\n")
	assert.Equal(t, lines[0], "Retrying deployment f3k8p2lw")
	assert.Equal(t, lines[1], "deployment f3k8p2lw: BUILDING")
	assert.Equal(t, lines[len(lines)-2], "deployment f3k8p2lw: ACTIVE")
	assert.Equal(t, lines[len(lines)-1], "Deployment f3k8p2lw is ACTIVE (after T)")
	order := []string{"BUILDING", "DEPLOYING", "LOADING_MODEL", "ACTIVE"}
	at := -1
	for _, line := range lines[1 : len(lines)-1] {
		status, _ := strings.CutPrefix(line, "deployment f3k8p2lw: ")
		i := slices.Index(order, status)
		assert.Assert(t, i > at, "%q out of order or repeated in %q", status, got.Stderr)
		at = i
	}
	assert.Equal(t, got.Stdout, "")

	// Nothing to retry: exit 1 with the API's reason.
	got = r.run("model", "deployment", "retry", "--model-id", llamaID, "--deployment-id", prodID)
	assertResult(t, got, "", "Error: deployment d7v3n8q1 was not retried: Only a failed deployment can be retried; this one is ACTIVE\n", 1)
}

// On a terminal, the wait is one live line: a spinner, the status in
// color, the elapsed time, redrawn in place and erased at the end.
func TestDeploymentWaitOnATerminal(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{StepDelay: 300 * time.Millisecond})
	r := newRunner(a)
	r.errTerminal = true
	got := r.run("model", "deployment", "activate", "--model-id", llamaID, "--deployment-id", devID, "--wait")
	assert.Equal(t, got.Code, 0, got.Stderr)
	firstDraw := regexp.MustCompile("^Activated deployment w2k9j4hx\n\r⠋ deployment w2k9j4hx: \x1b\\[33mWAKING_UP\x1b\\[0m \\([0-9]+s\\)\x1b\\[K")
	assert.Assert(t, firstDraw.MatchString(got.Stderr), "%q", got.Stderr)
	assert.Assert(t, strings.Contains(got.Stderr, "\x1b[32mACTIVE\x1b[0m"), "%q", got.Stderr)
	assert.Assert(t, strings.HasSuffix(timeless(got.Stderr), "\r\x1b[KDeployment w2k9j4hx is ACTIVE (after T)\n"), "%q", got.Stderr)
	assert.Assert(t, !strings.Contains(got.Stderr, "deployment w2k9j4hx: WAKING_UP\n"), "no line per change on a terminal")

	// NO_COLOR: still live, never colored.
	r.env["NO_COLOR"] = "1"
	got = r.run("model", "deployment", "deactivate", "--model-id", llamaID, "--deployment-id", devID, "--yes", "--wait")
	assert.Equal(t, got.Code, 0, got.Stderr)
	firstDraw = regexp.MustCompile("^Deactivated deployment w2k9j4hx\n\r⠋ deployment w2k9j4hx: DEACTIVATING \\([0-9]+s\\)\x1b\\[K")
	assert.Assert(t, firstDraw.MatchString(got.Stderr), "%q", got.Stderr)
	assert.Assert(t, !strings.Contains(got.Stderr, "\x1b[3"), "%q", got.Stderr)
}

// fakeDeployment serves one deployment whose statuses are scripted: each
// GET answers the next (the last one repeats), or a 500 where the script
// says "500". Actions answer success.
type fakeDeployment struct {
	mu     sync.Mutex
	script []string
	gets   int
	// afterGet, when set, is called after each GET is answered, with
	// how many there have been.
	afterGet func(n int)
}

func (f *fakeDeployment) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodPost {
		w.Write([]byte(`{"success":true}`))
		return
	}
	f.mu.Lock()
	status := f.script[min(f.gets, len(f.script)-1)]
	f.gets++
	n := f.gets
	f.mu.Unlock()
	if f.afterGet != nil {
		defer f.afterGet(n)
	}
	if status == "500" {
		w.WriteHeader(500)
		w.Write([]byte(`{"detail":"Internal Server Error"}`))
		return
	}
	w.Write([]byte(`{"id":"dep1","created_at":"2024-01-01T00:00:00Z","name":"v1","model_id":"m1","is_production":false,"is_development":false,` +
		`"status":"` + status + `","active_replica_count":0,"autoscaling_settings":null,"instance_type_name":null,"environment":null}`))
}

func TestDeploymentFailsWhileWaitedOn(t *testing.T) {
	a := newAPI(t, &fakeDeployment{script: []string{"WAKING_UP", "DEPLOY_FAILED"}})
	got := newRunner(a).run("model", "deployment", "activate", "--model-id", "m1", "--deployment-id", "dep1", "--wait")
	assertResult(t, got, "", "Activated deployment dep1\n"+
		"deployment dep1: WAKING_UP\n"+
		"deployment dep1: DEPLOY_FAILED\n"+
		"Error: deployment dep1 failed: its status is DEPLOY_FAILED\n"+
		"See: baseten model deployment describe --model-id m1 --deployment-id dep1\n", 1)
}

// A 500 while polling is retried (and said once); the change goes on
// server-side, so a few failed looks do not end the wait.
func TestServerErrorWhilePolling(t *testing.T) {
	a := newAPI(t, &fakeDeployment{script: []string{"DEACTIVATING", "500", "INACTIVE"}})
	got := newRunner(a).run("model", "deployment", "deactivate", "--model-id", "m1", "--deployment-id", "dep1", "--yes", "--wait")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, timeless(got.Stderr), "Deactivated deployment dep1\n"+
		"deployment dep1: DEACTIVATING\n"+
		"checking on deployment dep1 failed (API request failed (500 Internal Server Error): Internal Server Error); trying again\n"+
		"deployment dep1: INACTIVE\n"+
		"Deployment dep1 is INACTIVE (after T)\n")

	// A server that keeps failing ends the wait with its error (exit 6).
	b := newAPI(t, &fakeDeployment{script: []string{"500"}})
	got = newRunner(b).run("model", "deployment", "deactivate", "--model-id", "m1", "--deployment-id", "dep1", "--yes", "--wait")
	assert.Equal(t, got.Code, 6, got.Stderr)
	assert.Assert(t, strings.Contains(got.Stderr, "Error: while waiting for deployment dep1 (the change goes on): API request failed (500 Internal Server Error)"), got.Stderr)
	assert.Equal(t, strings.Count(got.Stderr, "trying again"), 4)
}

func TestWaitTimesOutAndIsInterrupted(t *testing.T) {
	a := newAPI(t, &fakeDeployment{script: []string{"WAKING_UP"}})
	got := newRunner(a).run("model", "deployment", "activate", "--model-id", "m1", "--deployment-id", "dep1", "--wait", "--timeout", "1500ms")
	assertResult(t, got, "", "Activated deployment dep1\n"+
		"deployment dep1: WAKING_UP\n"+
		"Error: timed out after 1.5s waiting for deployment dep1; its last status was WAKING_UP\n"+
		"The change goes on server-side; check on it with: baseten model deployment describe --model-id m1 --deployment-id dep1\n", 1)

	// Ctrl-C once the second look has been answered.
	ctx, cancel := context.WithCancel(context.Background())
	b := newAPI(t, &fakeDeployment{script: []string{"WAKING_UP"}, afterGet: func(n int) {
		if n == 2 {
			cancel()
		}
	}})
	r := newRunner(b)
	r.ctx = ctx
	got = r.run("model", "deployment", "activate", "--model-id", "m1", "--deployment-id", "dep1", "--wait")
	assertResult(t, got, "", "Activated deployment dep1\n"+
		"deployment dep1: WAKING_UP\n"+
		"Error: stopped waiting for deployment dep1; its last status was WAKING_UP; the change goes on server-side\n"+
		"Check on it with: baseten model deployment describe --model-id m1 --deployment-id dep1\n", 130)

	got = newRunner(a).run("model", "deployment", "activate", "--model-id", "m1", "--deployment-id", "dep1", "--wait", "--timeout", "0s")
	assert.Equal(t, got.Code, 2, got.Stderr)
	got = newRunner(a).run("model", "deployment", "activate", "--model-id", "m1", "--deployment-id", "dep1", "--timeout", "5m")
	assert.Equal(t, got.Code, 2, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --timeout only applies with --wait\n"), got.Stderr)
	assert.DeepEqual(t, a.Requests()[len(a.Requests())-1:], []string{"GET /v1/models/m1/deployments/dep1"})
}

// Changing commands ask on a terminal, naming the target, and need --yes
// without one: refused before any request.
func TestDeploymentConfirmations(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	for _, args := range [][]string{
		{"model", "deployment", "deactivate", "--model-id", llamaID, "--deployment-id", prodID},
		{"model", "deployment", "delete", "--model-id", llamaID, "--deployment-id", devID},
		{"model", "deployment", "promote", "--model-id", llamaID, "--deployment-id", devID},
		{"model", "deployment", "replica", "terminate", "--model-id", llamaID, "--deployment-id", prodID, "--replica-id", "x"},
		{"model", "delete", "--model-id", llamaID},
		{"model", "environment", "deactivate", "--model-id", llamaID, "--environment", "production"},
		{"model", "environment", "promote", "--model-id", llamaID, "--environment", "staging", "--deployment-id", devID},
		{"model", "environment", "cancel-promotion", "--model-id", llamaID, "--environment", "staging"},
	} {
		got := r.run(args...)
		assert.Equal(t, got.Code, 2, "%v", args)
		want := fmt.Sprintf("Error: baseten %s needs --yes when stdin is not a terminal: there is nobody to confirm it\nAdd --yes to confirm in advance.\n", commandPathOf(args))
		assert.Assert(t, strings.HasPrefix(got.Stderr, want), "%v: %s", args, got.Stderr)
	}
	assert.DeepEqual(t, a.Requests(), []string{})

	r.typed = []string{"n"}
	got := r.run("model", "deployment", "deactivate", "--model-name", "llama-chat", "--deployment-id", prodID)
	assertResult(t, got, "", "Deactivate deployment d7v3n8q1 (model llama-chat, production)? [y/N] Error: not confirmed; nothing was changed\n", 2)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/models", "GET /v1/models/q4o7k2zw/deployments/d7v3n8q1"})

	a.Reset()
	r.typed = []string{"YES"}
	got = r.run("model", "deployment", "deactivate", "--model-id", llamaID, "--deployment-id", prodID)
	assertResult(t, got, "", "Deactivate deployment d7v3n8q1 (model llama-chat, production)? [y/N] Deactivated deployment d7v3n8q1\n", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/models/q4o7k2zw", "GET /v1/models/q4o7k2zw/deployments/d7v3n8q1", "POST /v1/models/q4o7k2zw/deployments/d7v3n8q1/deactivate"})

	// A deployment that does not exist is exit 4 before any question.
	r.typed = []string{"y"}
	got = r.run("model", "deployment", "delete", "--model-id", llamaID, "--deployment-id", "nope1234")
	assertResult(t, got, "", "Error: no deployment \"nope1234\" in model llama-chat (q4o7k2zw)\nRun 'baseten model deployment list' with the model to see its deployments and their IDs.\n", 4)

	r.typed = []string{"y"}
	other := sandbox.SeedOtherProductionID
	got = r.run("model", "deployment", "replica", "terminate", "--model-name", "whisper-v3", "--deployment-id", other, "--replica-id", other+"-r1")
	assertResult(t, got, "", "Terminate replica r5t8y1uc-r1 of deployment r5t8y1uc (model whisper-v3, production)? [y/N] Terminated replica r5t8y1uc-r1 of deployment r5t8y1uc\n", 0)
	assert.DeepEqual(t, a.Requests()[len(a.Requests())-1:], []string{"DELETE /v1/models/p9x2m5rt/deployments/r5t8y1uc/replicas/r5t8y1uc-r1"})
}

func TestDeploymentDelete(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	got := r.run("model", "deployment", "delete", "--model-id", llamaID, "--deployment-id", prodID, "--yes")
	assertResult(t, got, "", "Error: API request failed (400 Bad Request): Cannot delete the production deployment; promote another deployment to production first\n", 5)
	got = r.run("model", "deployment", "delete", "--model-id", llamaID, "--deployment-id", devID, "--yes", "-o", "jsonl")
	assertResult(t, got, `{"id":"w2k9j4hx","deleted":true,"model_id":"q4o7k2zw"}`+"\n", "Deleted deployment w2k9j4hx of model q4o7k2zw\n", 0)
	got = r.run("model", "deployment", "delete", "--model-id", llamaID, "--deployment-id", devID, "--yes")
	assert.Equal(t, got.Code, 4, got.Stderr)

	got = r.run("model", "deployment", "replica", "terminate", "--model-id", llamaID, "--deployment-id", prodID, "--replica-id", "gone-r9", "--yes")
	assertResult(t, got, "", "Error: no replica \"gone-r9\" in deployment d7v3n8q1\nThe deployment's logs name its replicas.\n", 4)
	got = r.run("model", "deployment", "replica", "terminate", "--model-id", llamaID, "--deployment-id", prodID, "--replica-id", "../x", "--yes")
	assert.Equal(t, got.Code, 2, got.Stderr)
}

func TestModelDelete(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	r.typed = []string{"y"}
	got := r.run("model", "delete", "--model-name", "whisper-v3")
	assertResult(t, got, "", "Delete model whisper-v3 (p9x2m5rt, team Research) with its deployment? This cannot be undone. [y/N] Deleted model whisper-v3 (p9x2m5rt)\n", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/models", "DELETE /v1/models/p9x2m5rt"})
	r.typed = nil
	got = r.run("model", "delete", "--model-id", llamaID, "--yes", "--jq", ".deleted")
	assertResult(t, got, "true\n", "Deleted model llama-chat (q4o7k2zw)\n", 0)
	assertResult(t, r.run("model", "list"), "", "No models found.\n", 0)
	got = r.run("model", "delete", "--model-id", llamaID, "--yes")
	assert.Equal(t, got.Code, 4)
}

// A model name from the server is data: its escapes never reach the
// terminal through the question.
func TestConfirmationQuestionIsSanitized(t *testing.T) {
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/deployments/dep1") {
			w.Write([]byte(`{"id":"dep1","created_at":"2024-01-01T00:00:00Z","name":"v1","model_id":"m1","is_production":true,"is_development":false,"status":"ACTIVE","active_replica_count":1,"autoscaling_settings":null,"instance_type_name":null,"environment":"production\u001b]0;pwned\u0007"}`))
			return
		}
		w.Write([]byte(`{"id":"m1","created_at":"2024-01-01T00:00:00Z","name":"evil\u001b[2J","deployments_count":1,"production_deployment_id":"dep1","development_deployment_id":null,"instance_type_name":"x","team_name":"T"}`))
	}))
	r := newRunner(a)
	r.typed = []string{"n"}
	got := r.run("model", "deployment", "deactivate", "--model-id", "m1", "--deployment-id", "dep1")
	assert.Equal(t, got.Code, 2, got.Stderr) // declined: nothing was changed
	assert.Assert(t, !strings.ContainsAny(got.Stderr, "\x1b\x07"), "%q", got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Deactivate deployment dep1 (model evil"), "%q", got.Stderr)
}

// commandPathOf is the command's words of a command line: those before the
// first flag.
func commandPathOf(args []string) string {
	for i, a := range args {
		if strings.HasPrefix(a, "-") {
			return strings.Join(args[:i], " ")
		}
	}
	return strings.Join(args, " ")
}

// An answer about another model, deployment or environment than the one
// named (a lying server, a proxy that rewrote the path) is refused before
// any question or change: the question would name one thing and the
// request change another.
func TestConfirmationRefusesAnswersAboutAnotherTarget(t *testing.T) {
	const model = `{"id":"%s","created_at":"2024-01-01T00:00:00Z","name":"%s","deployments_count":1,"production_deployment_id":"dep1","development_deployment_id":null,"instance_type_name":"x","team_name":"T"}`
	const deployment = `{"id":"%s","created_at":"2024-01-01T00:00:00Z","name":"v1","model_id":"%s","is_production":true,"is_development":false,"status":"ACTIVE","active_replica_count":1,"autoscaling_settings":null,"instance_type_name":null,"environment":"production"}`
	for _, tc := range []struct {
		name, model, deployment, err string
		args                         []string
	}{
		{"model", fmt.Sprintf(model, "m2", "precious"), "", `asked for model "m1", the API answered with model "m2"`,
			[]string{"model", "delete", "--model-id", "m1", "--yes"}},
		{"deployment", fmt.Sprintf(model, "m1", "mine"), fmt.Sprintf(deployment, "dep2", "m1"), `asked for deployment "dep1", the API answered with deployment "dep2"`,
			[]string{"model", "deployment", "deactivate", "--model-id", "m1", "--deployment-id", "dep1"}},
		{"deployment of another model", fmt.Sprintf(model, "m1", "mine"), fmt.Sprintf(deployment, "dep1", "m9"), `asked for a deployment of model "m1", the API answered with a deployment of model "m9"`,
			[]string{"model", "deployment", "delete", "--model-id", "m1", "--deployment-id", "dep1"}},
		{"environment", fmt.Sprintf(model, "m1", "mine"), `{"name":"production","created_at":"2024-01-01T00:00:00Z","model_id":"m1","current_deployment":null,"candidate_deployment":null,"in_progress_promotion":null,"autoscaling_settings":{"min_replica":0,"max_replica":1,"concurrency_target":1},"promotion_settings":{},"instance_type":{"id":"i","name":"i","memory_limit_mib":1,"millicpu_limit":1,"gpu_count":0}}`,
			`asked for environment "staging", the API answered with environment "production"`,
			[]string{"model", "environment", "deactivate", "--model-id", "m1", "--environment", "staging"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if r.Method != http.MethodGet {
					w.WriteHeader(500)
					return
				}
				if strings.Contains(r.URL.Path, "/deployments/") || strings.Contains(r.URL.Path, "/environments/") {
					w.Write([]byte(tc.deployment))
					return
				}
				w.Write([]byte(tc.model))
			}))
			r := newRunner(a)
			r.typed = []string{"y"}
			got := r.run(tc.args...)
			assertResult(t, got, "", "Error: unexpected response from the API: "+tc.err+"; nothing was done\n", 1)
			for _, req := range a.Requests() {
				assert.Assert(t, strings.HasPrefix(req, "GET "), "%v", a.Requests())
			}
		})
	}
}

// A status longer than a terminal line would wrap, and each redraw would
// leave a line behind: the live line shows its start only.
func TestLiveLineStaysOneLine(t *testing.T) {
	long := strings.Repeat("WAKING_", 300)
	a := newAPI(t, &fakeDeployment{script: []string{long, "ACTIVE"}})
	r := newRunner(a)
	r.errTerminal = true
	got := r.run("model", "deployment", "activate", "--model-id", "m1", "--deployment-id", "dep1", "--wait")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, strings.Contains(got.Stderr, "deployment dep1: \x1b[33m"+long[:32]+"...\x1b[0m ("), "%q", got.Stderr)
	assert.Assert(t, !strings.Contains(got.Stderr, long[:33]), "%q", got.Stderr)
}
