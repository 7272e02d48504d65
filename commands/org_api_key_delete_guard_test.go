package commands_test

import (
	"slices"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// useNewKey creates an admin key and makes it the runner's key in use,
// returning its prefix.
func useNewKey(t *testing.T, r *runner, a *api) string {
	t.Helper()
	created := r.run("org", "api-key", "create", "--type", "workspace-manage-all", "--jq", ".api_key")
	assert.Equal(t, created.Code, 0, created.Stderr)
	r.env["BASETEN_API_KEY"] = strings.TrimSpace(created.Stdout)
	a.Reset()
	prefix, _, _ := strings.Cut(created.Stdout, ".")
	return prefix
}

// Deleting the key the command is using revokes it: refused without --yes
// (exit 2, nothing sent but the lookup --name needs), asked about on a
// terminal, done with --yes.
func TestDeleteOfTheKeyInUse(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "aaaa1111", Name: strptr("laptop")}}})
	r := newRunner(a)
	inUse := useNewKey(t, r, a)

	got := r.run("org", "api-key", "delete", "--prefix", inUse)
	assert.Equal(t, got.Code, 2)
	assert.Equal(t, got.Stderr, "Error: API key "+inUse+" is the key this command is using, from BASETEN_API_KEY; deleting it revokes it, and commands using it fail\nNothing was deleted. Pass --yes to delete it anyway.\n")
	assert.DeepEqual(t, a.Requests(), []string{})

	// Another key goes as before.
	assertResult(t, r.run("org", "api-key", "delete", "--prefix", "aaaa1111"), "", "Deleted API key aaaa1111\n", 0)
	a.Reset()

	// On a terminal: asked, and "no" (or nothing) keeps it.
	r.typed = []string{"n"}
	got = r.run("org", "api-key", "delete", "--prefix", inUse)
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.Contains(got.Stderr, "Delete API key "+inUse+"? [y/N] Error: API key "+inUse+" was not deleted\n"), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{})
	r.typed = []string{"y"}
	got = r.run("org", "api-key", "delete", "--prefix", inUse)
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, strings.HasSuffix(got.Stderr, "Deleted API key "+inUse+"\n"), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{"DELETE /v1/api_keys/" + inUse})
	assert.Equal(t, len(sb.Keys()), 0)
	// Revoked: the next command is refused.
	assert.Equal(t, r.run("org", "api-key", "list").Code, 3)
}

func TestDeleteOfTheKeyInUseWithYes(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	inUse := useNewKey(t, r, a)
	got := r.run("org", "api-key", "delete", "--prefix", inUse, "--yes")
	assertResult(t, got, "", "Deleted API key "+inUse+"\n", 0)
}

// --dry-run names the key and sends only the lookup.
func TestDeleteDryRun(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "aaaa1111", Name: strptr("laptop"), Type: sandbox.TypePersonal, TeamName: strptr("Default")}}})
	r := newRunner(a)
	want := "Would delete API key aaaa1111: named \"laptop\", personal, team Default. Nothing was deleted.\n"
	assertResult(t, r.run("org", "api-key", "delete", "--prefix", "aaaa1111", "--dry-run"), "", want, 0)
	assertResult(t, r.run("org", "api-key", "delete", "--name", "laptop", "--dry-run"), "", want, 0)
	got := r.run("org", "api-key", "delete", "--prefix", "aaaa1111", "--dry-run", "--jq", ".name")
	assertResult(t, got, "laptop\n", "", 0)
	got = r.run("org", "api-key", "delete", "--prefix", "bbbb2222", "--dry-run")
	assert.Equal(t, got.Code, 4)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: no API key has the prefix \"bbbb2222\"\n"), got.Stderr)
	// The key in use is said to be, and a dry run needs no --yes.
	inUse := useNewKey(t, r, a)
	got = r.run("org", "api-key", "delete", "--prefix", inUse, "--dry-run")
	assert.Equal(t, got.Code, 0)
	assert.Assert(t, strings.HasSuffix(got.Stderr, "It is the key this command is using, from BASETEN_API_KEY.\n"), got.Stderr)
	for _, req := range a.Requests() {
		assert.Equal(t, req, "GET /v1/api_keys")
	}
	assert.Equal(t, len(sb.Keys()), 2)
}

// Completion marks the key in use among delete's candidates, for the
// shells that show a note beside a candidate (after a tab); bash, which
// would type it into the line, gets the bare candidates.
func TestCompletionMarksTheKeyInUse(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "aaaa1111", Name: strptr("laptop")}}})
	r := newRunner(a)
	inUse := useNewKey(t, r, a)
	bare := []string{"aaaa1111", inUse}
	slices.Sort(bare)
	marked := slices.Clone(bare)
	marked[slices.Index(marked, inUse)] += "\tthe key in use"
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --prefix ")), bare)
	for _, shell := range []string{"fish", "zsh", "powershell"} {
		r.env["BASETEN_COMPLETE_SHELL"] = shell
		assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --prefix ")), marked)
	}
	r.env["BASETEN_COMPLETE_SHELL"] = "fish"
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --prefix="+inUse[:3])), []string{"--prefix=" + inUse + "\tthe key in use"})
}
