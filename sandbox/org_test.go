package sandbox_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

func secretsIn(t *testing.T, r response) []sandbox.Secret {
	t.Helper()
	assert.Equal(t, r.status, http.StatusOK, "body: %s", r.body)
	return decode[struct{ Secrets []sandbox.Secret }](t, r).Secrets
}

// Secrets live per team; an upsert replaces the value (by digest) and keeps
// the ID; the value is never sent back, and only its digest is kept,
// across a restart too.
func TestSecretsPerTeamPersisted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e := open(t, path, "")
	admin := e.srv.AdminKey()
	teams := e.srv.Teams()
	const value = "v4lue-that-must-never-be-stored"

	r := e.call("POST", "/v1/secrets", admin, `{"name":"db","value":"`+value+`"}`)
	assert.Equal(t, r.status, http.StatusOK, "%s", r.body)
	first := decode[sandbox.Secret](t, r)
	assert.Equal(t, first.Name, "db")
	assert.Equal(t, first.TeamName, "Default")
	assert.Assert(t, !strings.Contains(string(r.body), value))

	r = e.call("POST", "/v1/teams/"+teams[1].ID+"/secrets", admin, `{"name":"db","value":"other"}`)
	assert.Equal(t, r.status, http.StatusOK, "%s", r.body)
	assert.Equal(t, decode[sandbox.Secret](t, r).TeamName, "Research")

	again := decode[sandbox.Secret](t, e.call("POST", "/v1/secrets", admin, `{"name":"db","value":"replaced"}`))
	assert.Equal(t, again.ID, first.ID)
	assert.Equal(t, again.CreatedAt, first.CreatedAt)

	assert.Equal(t, len(secretsIn(t, e.call("GET", "/v1/secrets", admin, ""))), 2)
	research := secretsIn(t, e.call("GET", "/v1/teams/"+teams[1].ID+"/secrets", admin, ""))
	assert.Equal(t, len(research), 1)
	assert.Equal(t, research[0].TeamName, "Research")
	assert.Equal(t, e.call("GET", "/v1/teams/nope/secrets", admin, "").status, http.StatusNotFound)

	raw, err := os.ReadFile(path)
	assert.NilError(t, err)
	assert.Assert(t, !strings.Contains(string(raw), "replaced") && !strings.Contains(string(raw), value))
	assert.Assert(t, strings.Contains(string(raw), sandbox.SecretDigest("replaced")))

	e.close()
	reopened := open(t, path, "")
	assert.DeepEqual(t, reopened.srv.SecretsOf(), e.srv.SecretsOf())

	assert.Equal(t, reopened.call("DELETE", "/v1/teams/"+teams[1].ID+"/secrets/db", admin, "").status, http.StatusOK)
	assert.Equal(t, reopened.call("DELETE", "/v1/teams/"+teams[1].ID+"/secrets/db", admin, "").status, http.StatusNotFound)
	r = reopened.call("DELETE", "/v1/secrets/db", admin, "")
	assert.Equal(t, string(r.body), `{"name":"db"}`+"\n")
	assert.Equal(t, len(secretsIn(t, reopened.call("GET", "/v1/secrets", admin, ""))), 0)
}

func TestSecretUpsertValidation(t *testing.T) {
	e := start(t, sandbox.Options{})
	for body, loc := range map[string]string{
		`{"name":"x"}`:                   "value",
		`{"value":"v"}`:                  "name",
		`{"name":"x","value":""}`:        "value",
		`{"name":"a/b","value":"v"}`:     "name",
		`{"name":"..","value":"v"}`:      "name",
		`{"name":"x","value":null}`:      "value",
		`{"name":"x\u0007","value":"v"}`: "name",
	} {
		r := e.call("POST", "/v1/secrets", adminKey, body)
		assert.Equal(t, r.status, http.StatusUnprocessableEntity, body)
		assert.Assert(t, strings.Contains(string(r.body), `"loc":["body","`+loc+`"]`), "%s: %s", body, r.body)
	}
}

// Pages follow the cursor until has_more is false; every user comes once.
func TestUsersPages(t *testing.T) {
	e := start(t, sandbox.Options{})
	assert.NilError(t, e.srv.AddGeneratedUsers(7))
	assert.NilError(t, e.srv.AddGeneratedUsers(5)) // adds nothing
	all := e.srv.Users()
	assert.Equal(t, len(all), 1+3+7)
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		assert.Assert(t, pages < 10)
		path := "/v1/users?limit=4"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		page := decode[struct {
			Items      []sandbox.User
			Pagination struct {
				HasMore bool    `json:"has_more"`
				Cursor  *string `json:"cursor"`
			}
		}](t, e.call("GET", path, adminKey, ""))
		for _, u := range page.Items {
			seen = append(seen, u.UserID)
		}
		if !page.Pagination.HasMore {
			assert.Assert(t, page.Pagination.Cursor == nil)
			break
		}
		cursor = *page.Pagination.Cursor
	}
	assert.Equal(t, len(seen), len(all))
	assert.Equal(t, seen[0], all[0].UserID)
	assert.Equal(t, e.call("GET", "/v1/users?limit=0", adminKey, "").status, http.StatusUnprocessableEntity)
	assert.Equal(t, e.call("GET", "/v1/users?limit=1001", adminKey, "").status, http.StatusUnprocessableEntity)
	assert.Equal(t, e.call("GET", "/v1/users?cursor=bogus", adminKey, "").status, http.StatusBadRequest)
	assert.Equal(t, decode[sandbox.User](t, e.call("GET", "/v1/users/user-ada", adminKey, "")).UserID, "user-ada")
	assert.Equal(t, e.call("GET", "/v1/users/nobody", adminKey, "").status, http.StatusNotFound)
}

// The same window gets the same figures; the response passes the contract
// (decimal strings and numbers both).
func TestUsageSummaryDeterministic(t *testing.T) {
	e := start(t, sandbox.Options{UsageSeed: 42})
	const path = "/v1/billing/usage_summary?start_date=2026-03-01T00:00:00Z&end_date=2026-03-08T00:00:00Z"
	first := e.call("GET", path, adminKey, "")
	assert.Equal(t, first.status, http.StatusOK, "%s", first.body)
	assert.Equal(t, string(e.call("GET", path, adminKey, "").body), string(first.body))
	other := start(t, sandbox.Options{UsageSeed: 42})
	assert.Equal(t, string(other.call("GET", path, adminKey, "").body), string(first.body))
	assert.Assert(t, strings.Contains(string(first.body), `"dedicated_usage":{"subtotal":"`), "%s", first.body)
	assert.Assert(t, strings.Contains(string(first.body), `"model_apis_usage":{"subtotal":`), "%s", first.body)

	for query, status := range map[string]int{
		"start_date=2026-03-01T00:00:00Z&end_date=2026-04-02T00:00:01Z": http.StatusBadRequest,
		"start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z": http.StatusBadRequest,
		"start_date=2025-12-01T00:00:00Z&end_date=2025-12-02T00:00:00Z": http.StatusBadRequest,
		"start_date=2026-03-02T00:00:00Z":                               http.StatusUnprocessableEntity,
	} {
		assert.Equal(t, e.call("GET", "/v1/billing/usage_summary?"+query, adminKey, "").status, status, query)
	}
}

// A hand-edited state file whose secrets or users the API could not have
// made is refused, and left as it is.
func TestStateRefusesBadSecretsAndUsers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e := open(t, path, "")
	assert.NilError(t, e.srv.SetSecret("", "db", "v"))
	e.close()
	raw, err := os.ReadFile(path)
	assert.NilError(t, err)
	for name, edit := range map[string][2]string{
		"unknown team":    {`"team_id":"team-`, `"team_id":"nope-`},
		"not a digest":    {`"value_sha256":"`, `"value_sha256":"zz`},
		"a name with a /": {`"name":"db"`, `"name":"d/b"`},
		"duplicate user":  {`"user_id":"user-ada"`, `"user_id":"user-grace"`},
		"user without id": {`"user_id":"user-alan"`, `"user_id":""`},
	} {
		bad := strings.Replace(string(raw), edit[0], edit[1], 1)
		assert.Assert(t, bad != string(raw), name)
		assert.NilError(t, os.WriteFile(path, []byte(bad), 0o600))
		_, err := sandbox.Open(path, "")
		_, isStateError := err.(*sandbox.StateError)
		assert.Assert(t, isStateError, "%s: %v", name, err)
		kept, _ := os.ReadFile(path)
		assert.Equal(t, string(kept), bad, name)
	}
}
