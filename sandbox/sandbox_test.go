package sandbox_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

const adminKey = "admin000.adminsecretadminsecretadminsecret"

var keyFormat = regexp.MustCompile(`^[0-9a-f]{8}\.[A-Za-z0-9]{32}$`)

func ptr(s string) *string { return &s }

// env is a sandbox served over a real (loopback) HTTP server.
type env struct {
	t   testing.TB
	srv *sandbox.Server
	url string
}

func start(t testing.TB, opts sandbox.Options) *env {
	t.Helper()
	if opts.APIKey == "" {
		opts.APIKey = adminKey
	}
	return serve(t, sandbox.New(opts))
}

func serve(t testing.TB, s *sandbox.Server) *env { return serveHandler(t, s, s) }

// serveHandler serves h, which answers for s (s itself or a wrapper).
func serveHandler(t testing.TB, s *sandbox.Server, h http.Handler) *env {
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return &env{t: t, srv: s, url: hs.URL}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// call sends a request authenticated with key ("" sends no Authorization)
// and checks the response like do.
func (e *env) call(method, path, key, body string) response {
	e.t.Helper()
	r, err := e.try(method, path, key, body)
	assert.NilError(e.t, err)
	return r
}

// try is call without the asserts: it returns what went wrong instead of
// stopping the test, so a worker goroutine may use it (only the test's own
// goroutine may stop a test; the workers hand their errors back to it).
func (e *env) try(method, path, key, body string) (response, error) {
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		return response{}, err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return e.send(req)
}

// do sends req and checks the response against the contract: documented
// bodies for 2xx, FastAPI error bodies otherwise, always JSON.
func (e *env) do(req *http.Request) response {
	e.t.Helper()
	r, err := e.send(req)
	assert.NilError(e.t, err)
	return r
}

// send is do without the asserts (see try).
func (e *env) send(req *http.Request) (response, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	return response{resp.StatusCode, resp.Header, b}, sandboxtest.CheckResponse(req, resp.StatusCode, resp.Header, b)
}

func decode[T any](t testing.TB, r response) T {
	t.Helper()
	var v T
	assert.NilError(t, json.Unmarshal(r.body, &v), "body: %s", r.body)
	return v
}

func detail(t testing.TB, r response) string {
	t.Helper()
	return decode[struct{ Detail string }](t, r).Detail
}

// create creates a key with the sandbox's admin key and returns it.
func (e *env) create(path, body string) string {
	e.t.Helper()
	key, err := e.tryCreate(path, body)
	assert.NilError(e.t, err)
	return key
}

// tryCreate is create without the asserts (see try).
func (e *env) tryCreate(path, body string) (string, error) {
	r, err := e.try("POST", path, e.srv.AdminKey(), body)
	if err != nil {
		return "", err
	}
	var created struct {
		APIKey string `json:"api_key"`
	}
	if r.status != http.StatusOK || json.Unmarshal(r.body, &created) != nil || !keyFormat.MatchString(created.APIKey) {
		return "", fmt.Errorf("create answered %d: %s", r.status, r.body)
	}
	return created.APIKey, nil
}

func (e *env) list(key string) []sandbox.KeyInfo {
	e.t.Helper()
	r := e.call("GET", "/v1/api_keys", key, "")
	assert.Equal(e.t, r.status, http.StatusOK, "body: %s", r.body)
	keys := decode[struct{ Keys []sandbox.KeyInfo }](e.t, r).Keys
	assert.Assert(e.t, keys != nil, "keys must be a list, not null: %s", r.body)
	return keys
}

func TestCreateListDelete(t *testing.T) {
	e := start(t, sandbox.Options{})
	assert.DeepEqual(t, e.list(adminKey), []sandbox.KeyInfo{}) // the admin key is not listed

	key := e.create("/v1/api_keys", `{"name":"ci","type":"PERSONAL","unknown":{"ignored":true}}`)
	prefix, _, _ := strings.Cut(key, ".")
	want := []sandbox.KeyInfo{{Prefix: prefix, Name: ptr("ci"), Type: sandbox.TypePersonal, TeamName: ptr("Default")}}
	assert.DeepEqual(t, e.list(adminKey), want)
	assert.DeepEqual(t, e.srv.Keys(), want)
	assert.Assert(t, is.Contains(string(e.call("GET", "/v1/api_keys", adminKey, "").body), `"model_ids":null`))

	r := e.call("DELETE", "/v1/api_keys/"+prefix, adminKey, "")
	assert.Equal(t, r.status, http.StatusOK)
	assert.Equal(t, string(r.body), `{"prefix":"`+prefix+`"}`+"\n")
	assert.DeepEqual(t, e.list(adminKey), []sandbox.KeyInfo{})
	assert.Equal(t, len(e.srv.Keys()), 0)
}

func TestCreatedKeyAuthenticatesUntilDeleted(t *testing.T) {
	e := start(t, sandbox.Options{})
	key := e.create("/v1/api_keys", `{"type":"WORKSPACE_MANAGE_ALL"}`)
	assert.Equal(t, len(e.list(key)), 1)

	// The legacy scheme is accepted too, case-insensitively.
	req, _ := http.NewRequest("GET", e.url+"/v1/teams", nil)
	req.Header.Set("Authorization", "api-key "+key)
	resp, err := http.DefaultClient.Do(req)
	assert.NilError(t, err)
	resp.Body.Close()
	assert.Equal(t, resp.StatusCode, http.StatusOK)

	prefix, _, _ := strings.Cut(key, ".")
	assert.Equal(t, e.call("DELETE", "/v1/api_keys/"+prefix, adminKey, "").status, http.StatusOK)
	r := e.call("GET", "/v1/api_keys", key, "")
	assert.Equal(t, r.status, http.StatusUnauthorized)
	assert.Equal(t, detail(t, r), "Invalid API key")
}

func TestGeneratedAdminKey(t *testing.T) {
	s := sandbox.New(sandbox.Options{})
	assert.Assert(t, keyFormat.MatchString(s.AdminKey()), s.AdminKey())
	assert.Assert(t, s.AdminKey() != sandbox.New(sandbox.Options{}).AdminKey())
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/v1/teams", nil)
	req.Header.Set("Authorization", "Bearer "+s.AdminKey())
	s.ServeHTTP(rec, req)
	assert.Equal(t, rec.Code, http.StatusOK)
}

// 16 clients creating 640 keys at once all succeed, with unique prefixes.
func TestPrefixesUniqueUnderConcurrentCreates(t *testing.T) {
	e := start(t, sandbox.Options{})
	const workers, perWorker = 16, 40
	type created struct {
		key string
		err error
	}
	results := make(chan created, workers*perWorker)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range perWorker {
				key, err := e.tryCreate("/v1/api_keys", `{"type":"PERSONAL"}`)
				results <- created{key, err}
			}
		})
	}
	wg.Wait()
	close(results)
	seen := map[string]bool{}
	for r := range results {
		assert.NilError(t, r.err)
		prefix, _, _ := strings.Cut(r.key, ".")
		assert.Assert(t, !seen[prefix], "duplicate prefix %s", prefix)
		seen[prefix] = true
	}
	assert.Equal(t, len(seen), workers*perWorker)
	assert.Equal(t, len(e.list(adminKey)), workers*perWorker)
}

func TestDeleteUnknownPrefix(t *testing.T) {
	e := start(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "abcdefgh"}}})
	r := e.call("DELETE", "/v1/api_keys/zzzzzzzz", adminKey, "")
	assert.Equal(t, r.status, http.StatusNotFound)
	assert.Equal(t, detail(t, r), "API key not found")
	assert.Equal(t, len(e.srv.Keys()), 1)
}

func TestAuthFailures(t *testing.T) {
	e := start(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "nosecret"}, {Prefix: "seeded01", Secret: "s3cret"}}})
	for _, header := range []string{
		"",
		"Bearer",
		"Bearer ",
		"Basic " + adminKey,
		adminKey,
		"Bearer wrong-key-do-not-echo",
		"Bearer " + adminKey + "x",
		"Bearer nosecret.",
		"Bearer seeded01.wrong-secret-do-not-echo",
	} {
		req, _ := http.NewRequest("GET", e.url+"/v1/api_keys", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		resp, err := http.DefaultClient.Do(req)
		assert.NilError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, resp.StatusCode, http.StatusUnauthorized, header)
		assert.Equal(t, resp.Header.Get("Content-Type"), "application/json")
		assert.Equal(t, resp.Header.Get("WWW-Authenticate"), "Bearer")
		var v struct{ Detail string }
		assert.NilError(t, json.Unmarshal(body, &v))
		assert.Assert(t, v.Detail != "")
		assert.Assert(t, !strings.Contains(string(body), "do-not-echo"), "%s", body)
		assert.Assert(t, !strings.Contains(string(body), "secret"), "%s", body)
	}
	// A seeded key with a secret authenticates.
	assert.Equal(t, len(e.list("seeded01.s3cret")), 2)
}

func TestDeleteEscapedPrefix(t *testing.T) {
	weird := "we/ird %k?y#"
	e := start(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: weird}, {Prefix: "we"}}})
	path := "/v1/api_keys/" + url.PathEscape(weird)
	assert.Assert(t, strings.Contains(path, "%2F"), path)
	r := e.call("DELETE", path, adminKey, "")
	assert.Equal(t, r.status, http.StatusOK, "body: %s", r.body)
	assert.Equal(t, decode[struct{ Prefix string }](t, r).Prefix, weird)
	assert.DeepEqual(t, e.srv.Keys(), []sandbox.KeyInfo{{Prefix: "we", Type: sandbox.TypePersonal}})
	// Unescaped, the "/" splits the path: no such route.
	assert.Equal(t, e.call("DELETE", "/v1/api_keys/we/ird", adminKey, "").status, http.StatusNotFound)
}

func TestTeams(t *testing.T) {
	teams := []sandbox.Team{
		{ID: "team-a", Name: "Alpha", CreatedAt: "2024-02-03T04:05:06Z"},
		{ID: "team-b", Name: "Beta", Default: true, CreatedAt: "2024-03-04T05:06:07Z"},
	}
	e := start(t, sandbox.Options{Teams: teams})
	r := e.call("GET", "/v1/teams", adminKey, "")
	assert.Equal(t, r.status, http.StatusOK)
	assert.DeepEqual(t, decode[struct{ Teams []sandbox.Team }](t, r).Teams, teams)

	e.create("/v1/teams/team-a/api_keys", `{"type":"WORKSPACE_INVOKE","model_ids":["m1","m2"]}`)
	e.create("/v1/api_keys", `{"type":"PERSONAL","name":null,"model_ids":[]}`)
	keys := e.list(adminKey)
	assert.Equal(t, len(keys), 2)
	assert.DeepEqual(t, keys[0].TeamName, ptr("Alpha"))
	assert.DeepEqual(t, keys[0].ModelIDs, []string{"m1", "m2"})
	assert.DeepEqual(t, keys[1].TeamName, ptr("Beta")) // the default team
	assert.Assert(t, keys[1].Name == nil && keys[1].ModelIDs == nil)

	r = e.call("POST", "/v1/teams/team-zzz/api_keys", adminKey, `{"type":"PERSONAL"}`)
	assert.Equal(t, r.status, http.StatusNotFound)
	assert.Equal(t, detail(t, r), "Team not found")

	added, err := e.srv.AddTeam(sandbox.Team{Name: "Gamma"})
	assert.NilError(t, err)
	assert.Assert(t, added.ID != "" && added.CreatedAt != "" && !added.Default)
	_, err = e.srv.AddTeam(sandbox.Team{ID: "team-a", Name: "Again"})
	assert.ErrorContains(t, err, "already exists")
}

func TestDefaultTeam(t *testing.T) {
	e := start(t, sandbox.Options{})
	assert.DeepEqual(t, e.srv.Teams(), []sandbox.Team{{ID: "team-default", Name: "Default", Default: true, CreatedAt: "2024-01-01T00:00:00Z"}})
	// Seeds without a default team get the first one promoted.
	s := sandbox.New(sandbox.Options{Teams: []sandbox.Team{{ID: "x", Name: "X", CreatedAt: "c"}, {ID: "y", Name: "Y", CreatedAt: "c"}}})
	assert.Assert(t, s.Teams()[0].Default && !s.Teams()[1].Default)
}

// model_ids on a type that does not take them is a body that is not
// valid: 422, like pydantic's value errors.
func TestModelIDsOnlyForScopedTypes(t *testing.T) {
	e := start(t, sandbox.Options{})
	for _, typ := range []string{"PERSONAL", "WORKSPACE_MANAGE_ALL"} {
		r := e.call("POST", "/v1/api_keys", adminKey, `{"type":"`+typ+`","model_ids":["m1"]}`)
		assert.Equal(t, r.status, http.StatusUnprocessableEntity, typ)
		assert.Assert(t, is.Contains(string(r.body), `"loc":["body","model_ids"]`))
		assert.Assert(t, is.Contains(string(r.body), `"type":"value_error"`))
	}
	e.create("/v1/api_keys", `{"type":"WORKSPACE_EXPORT_METRICS","model_ids":["m1"]}`)
	assert.Equal(t, len(e.srv.Keys()), 1)
}

func TestValidationErrors(t *testing.T) {
	e := start(t, sandbox.Options{})
	type problem struct {
		Loc  []any
		Type string
		Msg  string
	}
	for _, tc := range []struct {
		body string
		want []problem // Msg is only checked to be non-empty
	}{
		{``, []problem{{Loc: []any{"body"}, Type: "missing"}}},
		{`null`, []problem{{Loc: []any{"body"}, Type: "missing"}}},
		{`{"type":`, []problem{{Loc: []any{"body", 8.0}, Type: "json_invalid"}}},
		{`{"type":"PERSONAL"} x`, []problem{{Loc: []any{"body", 21.0}, Type: "json_invalid"}}},
		{`["PERSONAL"]`, []problem{{Loc: []any{"body"}, Type: "model_attributes_type"}}},
		{`{}`, []problem{{Loc: []any{"body", "type"}, Type: "missing"}}},
		{`{"type":"ADMIN"}`, []problem{{Loc: []any{"body", "type"}, Type: "enum"}}},
		{`{"type":null}`, []problem{{Loc: []any{"body", "type"}, Type: "enum"}}},
		{`{"type":"PERSONAL","name":5}`, []problem{{Loc: []any{"body", "name"}, Type: "string_type"}}},
		{`{"type":"WORKSPACE_INVOKE","model_ids":"m1"}`, []problem{{Loc: []any{"body", "model_ids"}, Type: "list_type"}}},
		{`{"type":"WORKSPACE_INVOKE","model_ids":["m1",2,null]}`, []problem{
			{Loc: []any{"body", "model_ids", 1.0}, Type: "string_type"},
			{Loc: []any{"body", "model_ids", 2.0}, Type: "string_type"},
		}},
		{`{"type":"PERSONAL","name":"` + strings.Repeat("n", 257) + `"}`, []problem{{Loc: []any{"body", "name"}, Type: "string_too_long"}}},
		{`{"type":"WORKSPACE_INVOKE","model_ids":[` + strings.Repeat(`"m",`, 100) + `"m"]}`, []problem{{Loc: []any{"body", "model_ids"}, Type: "too_long"}}},
		{`{"type":"WORKSPACE_INVOKE","model_ids":["m1",2,"` + strings.Repeat("m", 129) + `"]}`, []problem{
			{Loc: []any{"body", "model_ids", 1.0}, Type: "string_type"},
			{Loc: []any{"body", "model_ids", 2.0}, Type: "string_too_long"},
		}},
		{`{"name":[],"model_ids":{}}`, []problem{
			{Loc: []any{"body", "type"}, Type: "missing"},
			{Loc: []any{"body", "name"}, Type: "string_type"},
			{Loc: []any{"body", "model_ids"}, Type: "list_type"},
		}},
	} {
		r := e.call("POST", "/v1/api_keys", adminKey, tc.body)
		assert.Equal(t, r.status, http.StatusUnprocessableEntity, tc.body)
		got := decode[struct{ Detail []problem }](t, r).Detail
		for i := range got {
			assert.Assert(t, got[i].Msg != "", tc.body)
			got[i].Msg = ""
		}
		assert.DeepEqual(t, got, tc.want)
	}
	assert.Equal(t, len(e.srv.Keys()), 0)
}

func TestBodyTooLarge(t *testing.T) {
	e := start(t, sandbox.Options{})
	body := `{"type":"PERSONAL","name":"` + strings.Repeat("x", 2<<20) + `"}`
	r := e.call("POST", "/v1/api_keys", adminKey, body)
	assert.Equal(t, r.status, http.StatusRequestEntityTooLarge)
	assert.Assert(t, is.Contains(detail(t, r), "too large"))
}

func TestUnknownPathAndWrongMethod(t *testing.T) {
	e := start(t, sandbox.Options{})
	for _, path := range []string{"/", "/v1", "/v1/api_keys/", "/v1/api_keys/a/b", "/v1/teams/team-default/x", "/v1/teams//api_keys", "/v2/api_keys", "/v1/userz", "/v1/users/me/x", "/v1/billing"} {
		r := e.call("GET", path, adminKey, "")
		assert.Equal(t, r.status, http.StatusNotFound, path)
		assert.Equal(t, detail(t, r), "Not Found")
	}
	for _, tc := range []struct{ method, path, allow string }{
		{"DELETE", "/v1/api_keys", "GET, HEAD, POST"},
		{"PUT", "/v1/teams", "GET, HEAD"},
		{"GET", "/v1/api_keys/abcdefgh", "DELETE"},
		{"GET", "/v1/teams/team-default/api_keys", "POST"},
	} {
		r := e.call(tc.method, tc.path, "", "") // 405 does not depend on auth
		assert.Equal(t, r.status, http.StatusMethodNotAllowed, tc.path)
		assert.Equal(t, r.header.Get("Allow"), tc.allow)
		assert.Equal(t, detail(t, r), "Method Not Allowed")
	}
}

func seeds(n int) []sandbox.SeedKey {
	keys := make([]sandbox.SeedKey, n)
	team := ptr("Default")
	for i := range keys {
		keys[i] = sandbox.SeedKey{Prefix: fmt.Sprintf("k%07d", i), Name: ptr(fmt.Sprint("key ", i)), Type: sandbox.TypeWorkspaceInvoke, ModelIDs: []string{"m1"}, TeamName: team}
	}
	return keys
}

func TestSeed50kAndList(t *testing.T) {
	const n = 50_000
	e := start(t, sandbox.Options{Keys: seeds(n)})
	keys := e.list(adminKey)
	assert.Equal(t, len(keys), n)
	assert.DeepEqual(t, keys[n-1], sandbox.KeyInfo{Prefix: "k0049999", Name: ptr("key 49999"), Type: sandbox.TypeWorkspaceInvoke, ModelIDs: []string{"m1"}, TeamName: ptr("Default")})
	for i, k := range keys {
		if k.Prefix != fmt.Sprintf("k%07d", i) {
			t.Fatalf("key %d out of order: %s", i, k.Prefix)
		}
	}
}

func TestDeletesKeepCreationOrder(t *testing.T) {
	e := start(t, sandbox.Options{Keys: seeds(300)})
	for i := 0; i < 300; i += 3 { // enough deletes to trigger compaction
		assert.Equal(t, e.call("DELETE", fmt.Sprintf("/v1/api_keys/k%07d", i), adminKey, "").status, http.StatusOK)
	}
	e.create("/v1/api_keys", `{"type":"PERSONAL"}`)
	for i := 1; i < 300; i += 3 {
		assert.Equal(t, e.call("DELETE", fmt.Sprintf("/v1/api_keys/k%07d", i), adminKey, "").status, http.StatusOK)
	}
	keys := e.list(adminKey)
	assert.Equal(t, len(keys), 101)
	for i, k := range keys[:100] {
		assert.Equal(t, k.Prefix, fmt.Sprintf("k%07d", 3*i+2))
	}
	assert.Equal(t, *keys[100].TeamName, "Default")
	assert.DeepEqual(t, e.srv.Keys(), keys)
}

func TestAddKeysReportsDuplicates(t *testing.T) {
	s := sandbox.New(sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "dup"}, {Prefix: "dup", Name: ptr("skipped")}, {}}})
	keys := s.Keys()
	assert.Equal(t, len(keys), 2)
	assert.Assert(t, keys[0].Name == nil && len(keys[1].Prefix) == 8)
	assert.ErrorContains(t, s.AddKeys(sandbox.SeedKey{Prefix: "new"}, sandbox.SeedKey{Prefix: "dup"}), `"dup" already exists`)
	assert.Equal(t, len(s.Keys()), 3)
	// Keys returns copies: mutating them does not change the server.
	s.Keys()[0].Prefix = "changed"
	assert.Equal(t, s.Keys()[0].Prefix, "dup")
}

// FuzzServeHTTP checks that no request makes the handler panic, fail with a
// 5xx, or answer anything but a JSON object.
func FuzzServeHTTP(f *testing.F) {
	f.Add("POST", "/v1/api_keys", `{"type":"PERSONAL","model_ids":["a"]}`)
	f.Add("POST", "/v1/teams/team-default/api_keys", `{"type":"WORKSPACE_INVOKE","model_ids":["a",1]}`)
	f.Add("DELETE", "/v1/api_keys/k0000001", "")
	f.Add("GET", "/v1/api_keys/%2F", `{`)
	s := sandbox.New(sandbox.Options{APIKey: adminKey, Keys: seeds(10)})
	f.Fuzz(func(t *testing.T, method, path, body string) {
		req, err := http.NewRequest(method, "http://sandbox"+path, strings.NewReader(body))
		if err != nil || req.URL.Host != "sandbox" {
			t.Skip()
		}
		req.Header.Set("Authorization", "Bearer "+adminKey)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		assert.Assert(t, rec.Code < 500, "%d %s", rec.Code, rec.Body)
		assert.Equal(t, rec.Header().Get("Content-Type"), "application/json")
		if method != "HEAD" {
			var v map[string]any
			assert.NilError(t, json.Unmarshal(rec.Body.Bytes(), &v), "%s", rec.Body)
		}
	})
}

// discard is a ResponseWriter that only counts, so the benchmark measures the
// handler rather than a network stack.
type discard struct {
	header http.Header
	n      int64
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) WriteHeader(int)             {}
func (d *discard) Write(p []byte) (int, error) { d.n += int64(len(p)); return len(p), nil }

func BenchmarkList50k(b *testing.B) {
	s := sandbox.New(sandbox.Options{APIKey: adminKey, Keys: seeds(50_000)})
	req := httptest.NewRequest("GET", "/v1/api_keys", nil)
	req.Header.Set("Authorization", "Bearer "+adminKey)
	b.Run("handler", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w := &discard{header: http.Header{}}
			s.ServeHTTP(w, req)
			b.SetBytes(w.n)
		}
	})
	b.Run("http", func(b *testing.B) {
		hs := httptest.NewServer(s)
		defer hs.Close()
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequest("GET", hs.URL+"/v1/api_keys", nil)
			req.Header.Set("Authorization", "Bearer "+adminKey)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			b.SetBytes(n)
		}
	})
}

func BenchmarkSeed50k(b *testing.B) {
	keys := seeds(50_000)
	b.ReportAllocs()
	for b.Loop() {
		sandbox.New(sandbox.Options{APIKey: adminKey, Keys: keys})
	}
}
