package sandbox_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// predict sends an inference request to the sandbox with the Host a
// client derives.
func predict(t *testing.T, sb *sandbox.Server, host, method, path, key, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Host = host
	if key != "" {
		r.Header.Set("Authorization", "Bearer "+key)
	}
	w := httptest.NewRecorder()
	sb.ServeHTTP(w, r)
	return w
}

// Every model answers predict on each environment that serves a
// deployment, and on each deployment, by echoing the body wrapped
// (compacted, as encoding/json embeds it).
func TestInferenceEchoes(t *testing.T) {
	sb := sandbox.New(sandbox.Options{APIKey: adminKey})
	model := "model-" + sandbox.SeedModelID
	for _, tc := range []struct{ host, path, want string }{
		{model + ".api.baseten.co", "/environments/production/predict", `{"model_id":"` + sandbox.SeedModelID + `","environment":"production","input":{"a":[1,2.50]}}`},
		{model + "-staging.127.0.0.1:8765", "/predict", `{"model_id":"` + sandbox.SeedModelID + `","environment":"staging","input":{"a":[1,2.50]}}`},
		{model + ".x", "/deployment/" + sandbox.SeedDevelopmentID + "/predict", `{"model_id":"` + sandbox.SeedModelID + `","deployment_id":"` + sandbox.SeedDevelopmentID + `","input":{"a":[1,2.50]}}`},
	} {
		w := predict(t, sb, tc.host, "POST", tc.path, adminKey, `{"a": [1, 2.50]}`)
		assert.Equal(t, w.Code, 200, "%s%s: %s", tc.host, tc.path, w.Body)
		assert.Equal(t, w.Header().Get("Content-Type"), "application/json")
		assert.Equal(t, w.Body.String(), tc.want+"\n")
	}
}

// "stream": true is answered with server-sent events, a word per event.
func TestInferenceStreamsWords(t *testing.T) {
	sb := sandbox.New(sandbox.Options{APIKey: adminKey})
	w := predict(t, sb, "model-"+sandbox.SeedModelID+".x", "POST", "/environments/production/predict", adminKey, `{"stream": true, "prompt": "one  two\nthree"}`)
	assert.Equal(t, w.Code, 200)
	assert.Equal(t, w.Header().Get("Content-Type"), "text/event-stream")
	assert.Equal(t, w.Body.String(), "data: {\"word\":\"one\"}\n\ndata: {\"word\":\"two\"}\n\ndata: {\"word\":\"three\"}\n\ndata: [DONE]\n\n")

	w = predict(t, sb, "model-"+sandbox.SeedModelID+".x", "POST", "/environments/production/predict", adminKey, `{"stream":true,"n":1}`)
	assert.Equal(t, w.Body.String(), "data: {\"word\":\"{\\\"stream\\\":true,\\\"n\\\":1}\"}\n\ndata: [DONE]\n\n")
}

func TestInferenceRefusals(t *testing.T) {
	sb := sandbox.New(sandbox.Options{APIKey: adminKey})
	model := "model-" + sandbox.SeedModelID + ".x"
	for _, tc := range []struct {
		host, method, path, key, body string
		status                        int
		detail                        string
	}{
		{model, "POST", "/environments/production/predict", "", `{}`, 401, "Not authenticated: send 'Authorization: Bearer <api_key>'"},
		{model, "POST", "/environments/production/predict", "00000000.wrong-secret-0000", `{}`, 401, "Invalid API key"},
		{model, "POST", "/environments/nope/predict", adminKey, `{}`, 404, "Environment not found"},
		{model, "POST", "/deployment/nope/predict", adminKey, `{}`, 404, "Deployment not found"},
		{model, "POST", "/v1/models", adminKey, `{}`, 404, "Not Found"},
		{model, "GET", "/environments/production/predict", adminKey, ``, 405, "Method Not Allowed"},
		{model, "POST", "/environments/production/predict", adminKey, `not json`, 400, "The request body is not JSON"},
		{"model-zzzz.x", "POST", "/environments/production/predict", adminKey, `{}`, 404, "Model not found: zzzz"},
		{"model-" + sandbox.SeedModelID + "-nope.x", "POST", "/predict", adminKey, `{}`, 404, "Environment not found"},
		{"chain-abc.x", "POST", "/run_remote", adminKey, `{}`, 404, "Chain not found: the sandbox has no chains"},
	} {
		w := predict(t, sb, tc.host, tc.method, tc.path, tc.key, tc.body)
		assert.Equal(t, w.Code, tc.status, "%s %s%s", tc.method, tc.host, tc.path)
		var body struct{ Detail string }
		assert.NilError(t, json.Unmarshal(w.Body.Bytes(), &body))
		assert.Equal(t, body.Detail, tc.detail, "%s %s%s", tc.method, tc.host, tc.path)
	}
	// The sandbox's own address is the management API, not a model's host.
	w := predict(t, sb, "127.0.0.1:8765", "POST", "/environments/production/predict", adminKey, `{}`)
	assert.Equal(t, w.Code, http.StatusNotFound)
}

// A metrics key calls no model; an invoke key scoped to models calls only
// those.
func TestInferenceKeyScopes(t *testing.T) {
	sb := sandbox.New(sandbox.Options{APIKey: adminKey, Keys: []sandbox.SeedKey{
		{Prefix: "00000001", Secret: "invoke-secret-0001", Type: sandbox.TypeWorkspaceInvoke, ModelIDs: []string{sandbox.SeedOtherModelID}},
		{Prefix: "00000002", Secret: "metrics-secret-002", Type: sandbox.TypeWorkspaceExportMetrics},
		{Prefix: "00000003", Secret: "invoke-secret-0003", Type: sandbox.TypeWorkspaceInvoke},
		{Prefix: "00000004", Secret: "personal-secret-04", Type: sandbox.TypePersonal},
	}})
	call := func(model, key string) (int, string) {
		w := predict(t, sb, "model-"+model+".x", "POST", "/environments/production/predict", key, `{}`)
		var body struct{ Detail string }
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		return w.Code, body.Detail
	}
	for _, tc := range []struct {
		model, key string
		status     int
		detail     string
	}{
		{sandbox.SeedOtherModelID, "00000001.invoke-secret-0001", 200, ""},
		{sandbox.SeedModelID, "00000001.invoke-secret-0001", 403, "This API key cannot call model " + sandbox.SeedModelID},
		{sandbox.SeedModelID, "00000002.metrics-secret-002", 403, "API keys of type WORKSPACE_EXPORT_METRICS cannot call models"},
		{sandbox.SeedModelID, "00000003.invoke-secret-0003", 200, ""},
		{sandbox.SeedModelID, "00000004.personal-secret-04", 200, ""},
		{sandbox.SeedModelID, adminKey, 200, ""},
	} {
		status, detail := call(tc.model, tc.key)
		assert.Equal(t, status, tc.status, "%s with %s", tc.model, tc.key)
		assert.Equal(t, detail, tc.detail, "%s with %s", tc.model, tc.key)
	}
}
