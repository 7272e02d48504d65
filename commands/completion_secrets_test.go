package commands_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// A candidate that is, or holds, the key in use or a stored key is never
// printed: a hostile or echoing server would otherwise put the key on the
// command line, and into the shell's history.
func TestCompletionNeverOffersAKey(t *testing.T) {
	const stored = "5704ed11.STOREDSTOREDSTOREDSTORED"
	// Log in once, keeping the key in the credentials file.
	login, _ := sandboxAPI(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "5704ed11", Secret: "STOREDSTOREDSTOREDSTORED"}}})
	r := loginRunner(login)
	r.env["BASETEN_CREDENTIAL_STORE"] = "file"
	r.stdin = stored
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "old").Code, 0, "login")

	_, secretInUse, _ := strings.Cut(testKey, ".")
	_, storedSecret, _ := strings.Cut(stored, ".")
	names := []string{"laptop", testKey, "echo " + testKey, secretInUse, "x" + storedSecret + "y", stored}
	var keys []string
	for i, name := range names {
		keys = append(keys, fmt.Sprintf(`{"prefix":"aaaa000%d","name":%q,"type":"PERSONAL","model_ids":null,"team_name":null}`, i, name))
	}
	echo := newAPI(t, reply(http.StatusOK, "application/json", `{"keys":[`+strings.Join(keys, ",")+`]}`))
	r.env["BASETEN_API_KEY"] = testKey
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = echo.URL
	r.env["BASETEN_COMPLETE_SHELL"] = "fish" // no quoting: the candidates as they are
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --name ")), []string{"laptop"})

	// The stored key in use (no BASETEN_API_KEY): what holds it is left
	// out; testKey, no longer anyone's key here, is just a name.
	delete(r.env, "BASETEN_API_KEY")
	r.env["BASETEN_REMOTE_URL"] = echo.URL
	delete(r.env, "BASETEN_MANAGEMENT_API_URL_OVERRIDE")
	got := candidates(t, r.complete("baseten org api-key delete --name "))
	assert.DeepEqual(t, got, []string{secretInUse, testKey, "echo " + testKey, "laptop"})
	assert.Equal(t, echo.Last().Authorization, "Bearer "+stored)
}
