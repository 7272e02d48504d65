package sandboxtest_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// The copy in testdata must be the official description. CI and developers
// have ../shared beside the repository; elsewhere there is nothing to
// compare with.
func TestDescriptionIsTheSharedOne(t *testing.T) {
	shared, err := os.ReadFile("../../../shared/openapi/management-api.json")
	if os.IsNotExist(err) {
		t.Skip("../shared/openapi/management-api.json is not there to compare with")
	}
	assert.NilError(t, err)
	assert.Assert(t, bytes.Equal(shared, sandboxtest.Description),
		"sandbox/sandboxtest/testdata/management-api.json differs from ../shared/openapi/management-api.json; copy it over")
}

func request(method, path, auth, body string) *http.Request {
	r := httptest.NewRequest(method, path, bytes.NewReader([]byte(body)))
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}

// The checks catch what they exist for: each case breaks the contract once.
func TestChecksCatchViolations(t *testing.T) {
	json := http.Header{"Content-Type": {"application/json"}}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"undocumented route", sandboxtest.CheckRequest(request("GET", "/v1/nope", "Bearer k", ""), nil)},
		{"money string that is no number", sandboxtest.CheckResponse(request("GET", "/v1/billing/usage_summary?start_date=2026-01-01T00:00:00Z&end_date=2026-01-02T00:00:00Z", "", ""), 200, json, []byte(`{"dedicated_usage":{"subtotal":"-.","credits_used":"0","total":"1.5","minutes":1}}`))},
		{"no bearer", sandboxtest.CheckRequest(request("GET", "/v1/api_keys", "Api-Key k", ""), nil)},
		{"body without type", sandboxtest.CheckRequest(request("POST", "/v1/api_keys", "Bearer k", `{"name":"x"}`), []byte(`{"name":"x"}`))},
		{"unknown type", sandboxtest.CheckRequest(request("POST", "/v1/api_keys", "Bearer k", `{"type":"ADMIN"}`), []byte(`{"type":"ADMIN"}`))},
		{"list without keys", sandboxtest.CheckResponse(request("GET", "/v1/api_keys", "", ""), 200, json, []byte(`{}`))},
		{"key without prefix", sandboxtest.CheckResponse(request("GET", "/v1/api_keys", "", ""), 200, json, []byte(`{"keys":[{"type":"PERSONAL"}]}`))},
		{"team created_at not a date", sandboxtest.CheckResponse(request("GET", "/v1/teams/t", "", ""), 200, json, []byte(`{"id":"t","name":"T","default":true,"created_at":"yesterday"}`))},
		{"user without id", sandboxtest.CheckResponse(request("GET", "/v1/users/me", "", ""), 200, json, []byte(`{"email":null}`))},
		{"not JSON", sandboxtest.CheckResponse(request("GET", "/v1/teams", "", ""), 200, http.Header{"Content-Type": {"text/plain"}}, []byte(`{"teams":[]}`))},
		{"2xx on an undocumented route", sandboxtest.CheckResponse(request("GET", "/v1/nope", "", ""), 200, json, []byte(`{}`))},
		{"404 without detail", sandboxtest.CheckResponse(request("GET", "/v1/nope", "", ""), 404, json, []byte(`{"error":"nope"}`))},
		{"401 with a list", sandboxtest.CheckResponse(request("GET", "/v1/teams", "", ""), 401, json, []byte(`{"detail":["x"]}`))},
		{"422 with a string", sandboxtest.CheckResponse(request("POST", "/v1/api_keys", "", ""), 422, json, []byte(`{"detail":"bad"}`))},
		{"422 without loc", sandboxtest.CheckResponse(request("POST", "/v1/api_keys", "", ""), 422, json, []byte(`{"detail":[{"msg":"m","type":"t"}]}`))},
	} {
		assert.Check(t, tc.err != nil, tc.name)
	}

	// And what follows the contract passes.
	assert.NilError(t, sandboxtest.CheckRequest(request("POST", "/v1/teams/t/api_keys", "Bearer k", `{"type":"PERSONAL","model_ids":null}`), []byte(`{"type":"PERSONAL","model_ids":null}`)))
	assert.NilError(t, sandboxtest.CheckResponse(request("DELETE", "/v1/api_keys/abc", "", ""), 200, json, []byte(`{"prefix":"abc"}`)))
	assert.NilError(t, sandboxtest.CheckResponse(request("GET", "/v1/api_keys", "", ""), 200, json, []byte(`{"keys":[{"prefix":"p","name":null,"type":"PERSONAL","model_ids":null,"team_name":null}]}`)))
	// Money as decimal strings: the description's pattern has a lookahead,
	// which RE2 cannot compile; the checker reads it as ECMA-262.
	assert.NilError(t, sandboxtest.CheckResponse(request("GET", "/v1/billing/usage_summary?start_date=2026-01-01T00:00:00Z&end_date=2026-01-02T00:00:00Z", "", ""), 200, json,
		[]byte(`{"dedicated_usage":{"subtotal":"12.50","credits_used":0.5,"total":"+013.000","minutes":90},"training_usage":null,"model_apis_usage":null}`)))
	assert.NilError(t, sandboxtest.CheckResponse(request("GET", "/v1/nope", "", ""), 404, json, []byte(`{"detail":"Not Found"}`)))
	assert.NilError(t, sandboxtest.CheckResponse(request("POST", "/v1/api_keys", "", ""), 422, json, []byte(`{"detail":[{"loc":["body","model_ids",0],"msg":"m","type":"t"}]}`)))
}
