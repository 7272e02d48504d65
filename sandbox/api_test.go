package sandbox_test

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

func TestTeamByID(t *testing.T) {
	e := start(t, sandbox.Options{Teams: []sandbox.Team{
		{ID: "team-a", Name: "Alpha", Default: true, CreatedAt: "2024-02-03T04:05:06Z"},
		{ID: "we/ird", Name: "Weird", CreatedAt: "2024-02-03T04:05:06Z"},
	}})
	r := e.call("GET", "/v1/teams/team-a", adminKey, "")
	assert.Equal(t, string(r.body), `{"id":"team-a","name":"Alpha","default":true,"created_at":"2024-02-03T04:05:06Z"}`+"\n")
	assert.Equal(t, decode[sandbox.Team](t, e.call("GET", "/v1/teams/we%2Fird", adminKey, "")).Name, "Weird")

	r = e.call("GET", "/v1/teams/team-zzz", adminKey, "")
	assert.Equal(t, r.status, http.StatusNotFound)
	assert.Equal(t, detail(t, r), "Team not found")
}

func TestCurrentUser(t *testing.T) {
	e := start(t, sandbox.Options{})
	r := e.call("GET", "/v1/users/me", adminKey, "")
	assert.Equal(t, string(r.body), `{"user_id":"user-sandbox","email":"you@example.com","name":"Sandbox User","workspace_name":"Sandbox"}`+"\n")

	e = start(t, sandbox.Options{User: &sandbox.User{UserID: "u1"}})
	r = e.call("GET", "/v1/users/me", adminKey, "")
	assert.Equal(t, string(r.body), `{"user_id":"u1","email":null,"name":null,"workspace_name":null}`+"\n")
}

// Invoke and metrics keys are for calling models: 403 on every key
// endpoint, while the teams and the user stay readable. Personal and
// manage-all keys manage keys.
func TestKeyTypesAndRights(t *testing.T) {
	e := start(t, sandbox.Options{Keys: []sandbox.SeedKey{
		{Prefix: "00000001", Secret: "invoke-secret-0001", Type: sandbox.TypeWorkspaceInvoke, ModelIDs: []string{"m"}},
		{Prefix: "00000002", Secret: "metrics-secret-002", Type: sandbox.TypeWorkspaceExportMetrics},
		{Prefix: "00000003", Secret: "personal-secret-03", Type: sandbox.TypePersonal},
		{Prefix: "00000004", Secret: "manage-secret-0004", Type: sandbox.TypeWorkspaceManageAll},
	}})
	for _, key := range []string{"00000001.invoke-secret-0001", "00000002.metrics-secret-002"} {
		for _, call := range [][3]string{
			{"GET", "/v1/api_keys", ""},
			{"POST", "/v1/api_keys", `{"type":"PERSONAL"}`},
			{"POST", "/v1/teams/team-default/api_keys", `{"type":"PERSONAL"}`},
			{"DELETE", "/v1/api_keys/00000003", ""},
		} {
			r := e.call(call[0], call[1], key, call[2])
			assert.Equal(t, r.status, http.StatusForbidden, "%s %s", call[0], call[1])
			assert.Assert(t, is.Contains(detail(t, r), "cannot manage API keys"))
			assert.Assert(t, !strings.Contains(string(r.body), "secret"), "%s", r.body)
		}
		assert.Equal(t, e.call("GET", "/v1/teams", key, "").status, http.StatusOK)
		assert.Equal(t, e.call("GET", "/v1/teams/team-default", key, "").status, http.StatusOK)
		assert.Equal(t, e.call("GET", "/v1/users/me", key, "").status, http.StatusOK)
	}
	assert.Equal(t, len(e.srv.Keys()), 4, "nothing was created or deleted")
	assert.Equal(t, len(e.list("00000003.personal-secret-03")), 4)
	assert.Equal(t, len(e.list("00000004.manage-secret-0004")), 4)
}

// A key may delete itself; the next request with it is refused.
func TestDeleteOwnKey(t *testing.T) {
	e := start(t, sandbox.Options{})
	key := e.create("/v1/api_keys", `{"type":"PERSONAL","name":"me"}`)
	prefix, _, _ := strings.Cut(key, ".")
	r := e.call("DELETE", "/v1/api_keys/"+prefix, key, "")
	assert.Equal(t, r.status, http.StatusOK)
	assert.Equal(t, string(r.body), `{"prefix":"`+prefix+`"}`+"\n")
	r = e.call("GET", "/v1/api_keys", key, "")
	assert.Equal(t, r.status, http.StatusUnauthorized)
	assert.Equal(t, detail(t, r), "Invalid API key")
}

// What the official client, or curl, may send differently from this CLI:
// the legacy scheme, a charset, no Content-Type at all, a +json type,
// query parameters. A body in another media type is not JSON to FastAPI.
func TestRequestsFromOtherClients(t *testing.T) {
	e := start(t, sandbox.Options{})
	post := func(contentType, auth string) response {
		req, err := http.NewRequest("POST", e.url+"/v1/api_keys?dry_run=1&api_key=ignored", strings.NewReader(`{"type":"PERSONAL"}`))
		assert.NilError(t, err)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Authorization", auth)
		return e.do(req)
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8", "", "application/vnd.api+json"} {
		r := post(ct, "Api-Key "+adminKey)
		assert.Equal(t, r.status, http.StatusOK, "Content-Type %q: %s", ct, r.body)
	}
	r := post("text/plain", "Bearer "+adminKey)
	assert.Equal(t, r.status, http.StatusUnprocessableEntity)
	assert.Assert(t, is.Contains(string(r.body), "model_attributes_type"))
	assert.Equal(t, len(e.srv.Keys()), 5)
	assert.Equal(t, len(e.list(adminKey)), 5)

	// A key in the query string is not a credential.
	r = e.call("GET", "/v1/api_keys?api_key="+adminKey, "", "")
	assert.Equal(t, r.status, http.StatusUnauthorized)
}

// Path tricks reach no other key and no other route.
func TestPathTricks(t *testing.T) {
	e := start(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "aaaa1111"}, {Prefix: ".."}}})
	for _, path := range []string{"/v1/api_keys/aaaa1111/..", "/v1/api_keys/../api_keys/aaaa1111", "/v1/api_keys/aaaa1111%2F..", "/v1/api_keys/aaaa%2A", "/v1/api_keys/%61aaa1111x"} {
		r := e.call("DELETE", path, adminKey, "")
		assert.Assert(t, r.status == http.StatusNotFound || r.status == http.StatusMethodNotAllowed, "%s: %d", path, r.status)
	}
	assert.Equal(t, len(e.srv.Keys()), 2)
	// A literal ".." is just a prefix (an odd one), escaped or not.
	assert.Equal(t, e.call("DELETE", "/v1/api_keys/%2E%2E", adminKey, "").status, http.StatusOK)
	assert.Equal(t, e.call("DELETE", "/v1/api_keys/%61aaa1111", adminKey, "").status, http.StatusOK)
	assert.Equal(t, len(e.srv.Keys()), 0)
}

// Concurrent deletes of one key: exactly one wins, the others get 404.
func TestConcurrentDeletesOfOneKey(t *testing.T) {
	e := start(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "aaaa1111"}}})
	const clients = 16
	type deleted struct {
		r   response
		err error
	}
	results := make(chan deleted, clients)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			r, err := e.try("DELETE", "/v1/api_keys/aaaa1111", adminKey, "")
			results <- deleted{r, err}
		})
	}
	wg.Wait()
	close(results)
	count := map[int]int{}
	for d := range results {
		assert.NilError(t, d.err)
		count[d.r.status]++
	}
	assert.DeepEqual(t, count, map[int]int{http.StatusOK: 1, http.StatusNotFound: clients - 1})
}

// The request log shows method, path, status and duration, and never a
// key: not the query string, and not a whole key pasted as a prefix.
func TestWithLog(t *testing.T) {
	s := sandbox.New(sandbox.Options{APIKey: adminKey})
	var logged []sandbox.Request
	var mu sync.Mutex
	e := serveHandler(t, s, sandbox.WithLog(s, func(r sandbox.Request) {
		mu.Lock()
		logged = append(logged, r)
		mu.Unlock()
	}))
	e.call("GET", "/v1/api_keys?api_key="+adminKey, adminKey, "")
	e.call("DELETE", "/v1/api_keys/"+adminKey, adminKey, "")
	e.call("DELETE", "/v1/api_keys/admin000%2Eadminsecret", adminKey, "")
	e.call("GET", "/v1/nope", "", "")
	e.call(adminKey, "/v1/api_keys", "", "") // a key where the method goes: a valid token
	mu.Lock()
	defer mu.Unlock()
	var lines []string
	for _, r := range logged {
		lines = append(lines, r.Method+" "+r.Path+" "+http.StatusText(r.Status))
	}
	assert.DeepEqual(t, lines, []string{
		"GET /v1/api_keys OK",
		"DELETE /v1/api_keys/admin000.*** Not Found",
		"DELETE /v1/api_keys/admin000.*** Not Found",
		"GET /v1/nope Not Found",
		"admin000.*** /v1/api_keys Method Not Allowed",
	})
}

func TestRedactPath(t *testing.T) {
	for in, want := range map[string]string{
		"/v1/api_keys/abcd1234":              "/v1/api_keys/abcd1234",
		"/v1/api_keys/abcd1234.S3CRET":       "/v1/api_keys/abcd1234.***",
		"/x/ab%2Ecd/y.z/":                    "/x/ab.***",
		"/v1/teams/we%2Fird":                 "/v1/teams/we%2Fird",
		"/v1/api_keys/bad%zz.secret":         "/v1/api_keys/bad%25zz.***",
		"/v1/api_keys/a%20b":                 "/v1/api_keys/a%20b",
		"/Bearer%20abcd1234.S3CRETS3CRET/..": "/Bearer%20abcd1234.***",
		// A secret may hold a "/": nothing after the "." is kept.
		"/v1/api_keys/0123abcd.abcdefgh/ijklmnopqrst":  "/v1/api_keys/0123abcd.***",
		"/v1/api_keys/0123abcd.ab%2Fcd/ef/gh":          "/v1/api_keys/0123abcd.***",
		"/v1/teams/team-1/api_keys/0123abcd.s3/cr/et/": "/v1/teams/team-1/api_keys/0123abcd.***",
	} {
		assert.Equal(t, sandbox.RedactPath(in), want, in)
	}
}

func TestBodyFromAHostileClient(t *testing.T) {
	e := start(t, sandbox.Options{})
	// Deeply nested JSON is a validation error, not a crash.
	nested := `{"type":"PERSONAL","name":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}`
	r := e.call("POST", "/v1/api_keys", adminKey, nested)
	assert.Equal(t, r.status, http.StatusUnprocessableEntity)
	// A body on a GET is ignored.
	req, _ := http.NewRequest("GET", e.url+"/v1/teams", bytes.NewReader(bytes.Repeat([]byte("x"), 4<<20)))
	req.Header.Set("Authorization", "Bearer "+adminKey)
	assert.Equal(t, e.do(req).status, http.StatusOK)
	assert.Equal(t, len(e.srv.Keys()), 0)
}
