package commands_test

import (
	"fmt"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

func seededKeys() []sandbox.SeedKey {
	return []sandbox.SeedKey{
		{Prefix: "aaaa1111", Name: strptr("laptop"), Type: sandbox.TypePersonal, TeamName: strptr("Default")},
		{Prefix: "bbbb2222", Type: sandbox.TypeWorkspaceManageAll},
		{Prefix: "cccc3333", Name: strptr("ci metrics"), Type: sandbox.TypeWorkspaceExportMetrics, ModelIDs: []string{"m1", "m2"}, TeamName: strptr("Research")},
	}
}

func TestListTable(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Keys: seededKeys()})
	got := newRunner(a).run("org", "api-key", "list")
	assertResult(t, got, ""+
		"NAME        KEY           TYPE                      TEAM\n"+
		"laptop      aaaa1111****  personal                  Default\n"+
		"            bbbb2222****  workspace-manage-all\n"+
		"ci metrics  cccc3333****  workspace-export-metrics  Research\n",
		"", 0)

	req := a.Last()
	assert.Equal(t, req.String(), "GET /v1/api_keys")
	assert.Equal(t, req.Authorization, "Bearer "+testKey)
	assert.Equal(t, req.Accept, "application/json")
	assert.Assert(t, strings.HasPrefix(req.UserAgent, "baseten/"), req.UserAgent)
}

func TestListHeaderBoldOnlyOnTerminalWithoutNoColor(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Keys: seededKeys()[:1]})
	r := newRunner(a)
	r.terminal = true
	got := r.run("org", "api-key", "list")
	assert.Assert(t, strings.HasPrefix(got.Stdout, "\x1b[1mNAME\x1b[0m    \x1b[1mKEY\x1b[0m"), "%q", got.Stdout)
	assert.Assert(t, is.Contains(got.Stdout, "\nlaptop  aaaa1111****  personal  Default\n"))

	r.env["NO_COLOR"] = "1"
	got = r.run("org", "api-key", "list")
	assert.Equal(t, got.Stdout, "NAME    KEY           TYPE      TEAM\nlaptop  aaaa1111****  personal  Default\n")
}

func TestListEmpty(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	assertResult(t, newRunner(a).run("org", "api-key", "list"), "", "No API keys found.\n", 0)
	// Machine-readable modes still print the (empty) payload.
	assertResult(t, newRunner(a).run("org", "api-key", "list", "-o", "jsonl"), `{"keys":[]}`+"\n", "", 0)
}

func TestListJSONModes(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Keys: seededKeys()[1:2]})
	r := newRunner(a)
	assertResult(t, r.run("org", "api-key", "list", "-o", "json"), `{
  "keys": [
    {
      "prefix": "bbbb2222",
      "name": null,
      "type": "WORKSPACE_MANAGE_ALL",
      "model_ids": null,
      "team_name": null
    }
  ]
}
`, "", 0)
	assertResult(t, r.run("org", "api-key", "list", "--output", "jsonl"),
		`{"keys":[{"prefix":"bbbb2222","name":null,"type":"WORKSPACE_MANAGE_ALL","model_ids":null,"team_name":null}]}`+"\n", "", 0)
	assertResult(t, r.run("org", "api-key", "list", "-o", "none"), "", "", 0)
	assert.Equal(t, len(a.Requests()), 3, "none still calls the API")
}

func TestListJQ(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Keys: seededKeys()})
	r := newRunner(a)
	// The reference's jq example: strings print raw, like jq -r.
	assertResult(t, r.run("org", "api-key", "list", "--jq", `.keys[] | select(.type == "PERSONAL") | .prefix`), "aaaa1111\n", "", 0)
	// Other values print as indented JSON...
	assertResult(t, r.run("org", "api-key", "list", "-q", `.keys[2] | {name, model_ids}`),
		"{\n  \"model_ids\": [\n    \"m1\",\n    \"m2\"\n  ],\n  \"name\": \"ci metrics\"\n}\n", "", 0)
	// ...and with jsonl every result is one compact JSON line, strings quoted.
	assertResult(t, r.run("org", "api-key", "list", "-o", "jsonl", "--jq", `.keys[] | .prefix, .model_ids`),
		"\"aaaa1111\"\nnull\n\"bbbb2222\"\nnull\n\"cccc3333\"\n[\"m1\",\"m2\"]\n", "", 0)
	assertResult(t, r.run("org", "api-key", "list", "--jq", `.keys | length`), "3\n", "", 0)
}

func TestListJQRuntimeError(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Keys: seededKeys()})
	got := newRunner(a).run("org", "api-key", "list", "--jq", `.keys[0].name | tonumber`)
	assert.Equal(t, got.Code, 1)
	assert.Equal(t, got.Stdout, "")
	assert.Equal(t, got.Stderr, "Error: jq: tonumber cannot be applied to \"laptop\": invalid number\n")
}

// Names and team names come from other users; control characters must not
// break the table or reach the terminal as escape sequences.
func TestListSanitizesCells(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Keys: []sandbox.SeedKey{
		{Prefix: "dddd4444", Name: strptr("evil\x1b[31m\nname"), Type: sandbox.TypePersonal},
	}})
	got := newRunner(a).run("org", "api-key", "list")
	assert.Equal(t, got.Stdout, "NAME            KEY           TYPE      TEAM\nevil\uFFFD[31m\uFFFDname  dddd4444****  personal\n")
}

func TestListVerbose(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	got := newRunner(a).run("org", "api-key", "list", "-v")
	lines := strings.Split(strings.TrimSpace(got.Stderr), "\n")
	assert.Equal(t, len(lines), 2, got.Stderr)
	assert.Assert(t, is.Regexp(fmt.Sprintf(`^GET %s/v1/api_keys 200 \d+(\.\d+)?[mµn]?s$`, a.URL), lines[0]))
	assert.Equal(t, lines[1], "No API keys found.")
	assertNoSecret(t, got, testKey, "Bearer")
}

func TestListLarge(t *testing.T) {
	const n = 50_000
	keys := make([]sandbox.SeedKey, n)
	for i := range keys {
		keys[i] = sandbox.SeedKey{Prefix: fmt.Sprintf("k%07d", i), Name: strptr(fmt.Sprintf("key-%d", i)), Type: sandbox.TypeWorkspaceInvoke}
	}
	a, _ := sandboxAPI(t, sandbox.Options{Keys: keys})
	r := newRunner(a)

	got := r.run("org", "api-key", "list")
	assert.Equal(t, got.Code, 0)
	lines := strings.Split(strings.TrimSuffix(got.Stdout, "\n"), "\n")
	assert.Equal(t, len(lines), n+1)
	assert.Equal(t, lines[n], "key-49999  k0049999****  workspace-invoke")

	got = r.run("org", "api-key", "list", "--jq", ".keys | length")
	assert.Equal(t, got.Stdout, "50000\n")
	got = r.run("org", "api-key", "list", "-o", "jsonl")
	assert.Equal(t, strings.Count(got.Stdout, "\n"), 1)
	assert.Equal(t, strings.Count(got.Stdout, `"prefix"`), n)
	got = r.run("org", "api-key", "list", "-o", "json")
	assert.Equal(t, strings.Count(got.Stdout, `      "prefix": "k`), n)
	assertResult(t, r.run("org", "api-key", "list", "-o", "none"), "", "", 0)
}
