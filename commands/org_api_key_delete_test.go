package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

func prefixes(sb *sandbox.Server) []string {
	out := []string{}
	for _, k := range sb.Keys() {
		out = append(out, k.Prefix)
	}
	return out
}

func TestDeleteByPrefix(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Keys: seededKeys()})
	got := newRunner(a).run("org", "api-key", "delete", "--prefix", "bbbb2222")
	assertResult(t, got, "", "Deleted API key bbbb2222\n", 0)
	assert.DeepEqual(t, a.Requests(), []string{"DELETE /v1/api_keys/bbbb2222"})
	assert.DeepEqual(t, prefixes(sb), []string{"aaaa1111", "cccc3333"})
}

func TestDeleteByName(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Keys: seededKeys()})
	got := newRunner(a).run("org", "api-key", "delete", "--name", "ci metrics")
	assertResult(t, got, "", "Deleted API key cccc3333\n", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/api_keys", "DELETE /v1/api_keys/cccc3333"})
	assert.DeepEqual(t, prefixes(sb), []string{"aaaa1111", "bbbb2222"})
}

func TestDeleteByNameNoMatch(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Keys: seededKeys()})
	got := newRunner(a).run("org", "api-key", "delete", "--name", "Laptop")
	assertResult(t, got, "", "Error: no API key named \"Laptop\"\nRun 'baseten org api-key list' to see key names.\n", 4)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/api_keys"})
	assert.Equal(t, len(sb.Keys()), 3)
}

func TestDeleteByAmbiguousNameDeletesNothing(t *testing.T) {
	keys := append(seededKeys(), sandbox.SeedKey{Prefix: "0000aaaa", Name: strptr("laptop"), Type: sandbox.TypePersonal})
	a, sb := sandboxAPI(t, sandbox.Options{Keys: keys})
	got := newRunner(a).run("org", "api-key", "delete", "--name", "laptop")
	assertResult(t, got, "", "Error: 2 API keys are named \"laptop\": 0000aaaa, aaaa1111\nNothing was deleted. Pass --prefix with one of these prefixes.\n", 2)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/api_keys"})
	assert.Equal(t, len(sb.Keys()), 4)
}

func TestDeleteUnknownPrefix(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Keys: seededKeys()})
	got := newRunner(a).run("org", "api-key", "delete", "--prefix", "aaaa")
	assertResult(t, got, "", "Error: no API key has the prefix \"aaaa\"\n"+
		"A prefix is the 8 characters before **** in the KEY column of 'baseten org api-key list'.\n", 4)
	assert.Equal(t, len(sb.Keys()), 3, "a shorter prefix never deletes a longer one")
}

func TestDeletePrefixIsPathEscaped(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "a%b?c", Type: sandbox.TypePersonal}}})
	got := newRunner(a).run("org", "api-key", "delete", "--prefix", "a%b?c")
	assertResult(t, got, "", "Deleted API key a%b?c\n", 0)
	assert.DeepEqual(t, a.Requests(), []string{"DELETE /v1/api_keys/a%25b%3Fc"})
}

func TestDeleteOutputModes(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Keys: seededKeys()})
	r := newRunner(a)
	assertResult(t, r.run("org", "api-key", "delete", "--prefix", "aaaa1111", "-o", "json"), "{\n  \"prefix\": \"aaaa1111\"\n}\n", "", 0)
	assertResult(t, r.run("org", "api-key", "delete", "--prefix", "bbbb2222", "-o", "none"), "", "", 0)
	// The reference's jq example.
	assertResult(t, r.run("org", "api-key", "delete", "--name", "ci metrics", "--jq", ".prefix"), "cccc3333\n", "", 0)
	assert.Equal(t, len(a.Requests()), 4)
}

// A prefix pasted from list's KEY column, stars and all, names the key.
func TestDeleteByPrefixWithStars(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Keys: seededKeys()})
	r := newRunner(a)
	assertResult(t, r.run("org", "api-key", "delete", "--prefix", "bbbb2222****"), "", "Deleted API key bbbb2222\n", 0)
	assertResult(t, r.run("org", "api-key", "delete", "--prefix=cccc3333*", "--jq", ".prefix"), "cccc3333\n", "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"DELETE /v1/api_keys/bbbb2222", "DELETE /v1/api_keys/cccc3333"})
	assert.DeepEqual(t, prefixes(sb), []string{"aaaa1111"})

	got := r.run("org", "api-key", "delete", "--prefix", "****")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --prefix must not be empty\nA prefix is the 8 characters before **** in the KEY column"), got.Stderr)
	assert.Equal(t, len(a.Requests()), 2)
}
