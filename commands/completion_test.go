package commands_test

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/sandbox"
)

// complete runs the command tree as the shell's completion call does:
// COMP_LINE holds the line typed so far (the cursor at its end), and the
// arguments are the word being typed and the one before it.
func (r *runner) complete(line string) result {
	r.env["COMP_LINE"] = line
	defer delete(r.env, "COMP_LINE")
	words := append([]string{""}, strings.Fields(line)...)
	return r.run(words[len(words)-1], "baseten")
}

// candidates asserts a completion that printed only candidates, on stdout,
// and exited 0, and returns them.
func candidates(t *testing.T, got result) []string {
	t.Helper()
	assert.Equal(t, got.Code, 0)
	assert.Equal(t, got.Stderr, "", "nothing but candidates, ever")
	if got.Stdout == "" {
		return []string{}
	}
	return strings.Split(strings.TrimSuffix(got.Stdout, "\n"), "\n")
}

func TestCompletionScripts(t *testing.T) {
	r := newRunner(nil)
	assertResult(t, r.run("completion", "bash"), "complete -C baseten baseten\n", "", 0)
	zsh := r.run("completion", "zsh")
	assert.Equal(t, zsh.Code, 0)
	assert.Assert(t, is.Contains(zsh.Stdout, `BASETEN_COMPLETE_SHELL=zsh baseten`))
	assert.Assert(t, is.Contains(zsh.Stdout, "compdef _baseten baseten\n"))
	fish := r.run("completion", "fish")
	assert.Equal(t, fish.Code, 0)
	assert.Assert(t, is.Contains(fish.Stdout, "set -lx COMP_LINE (commandline -cp)\n"))
	assert.Assert(t, is.Contains(fish.Stdout, `complete -f -c baseten -a "(__complete_baseten)"`))
	got := r.run("completion", "tcsh")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: <shell> must be one of \"bash\",\"zsh\",\"fish\" but got \"tcsh\""), got.Stderr)
}

// Commands, flags and enum values come from the Kong model; none of them
// asks the API.
func TestCompletionOfTheCommandTree(t *testing.T) {
	a := newAPI(t, reply(http.StatusInternalServerError, "text/plain", "no request expected"))
	r := newRunner(a)
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"baseten ", childrenOf(t)},
		{"baseten org ", childrenOf(t, "org")},
		{"baseten org team ", childrenOf(t, "org", "team")},
		{"baseten o", []string{"org"}},
		{"   ", []string{}},
		{"baseten", []string{}},
		{"baseten org api-key ", childrenOf(t, "org", "api-key")},
		{"baseten org api-key delete --p", []string{"--prefix"}},
		{"baseten org api-key create --type ", []string{"personal", "workspace-export-metrics", "workspace-invoke", "workspace-manage-all"}},
		{"baseten org api-key create --type=workspace-i", []string{"workspace-invoke"}},
		{"baseten org api-key list -o js", []string{"json", "jsonl"}},
		{"baseten completion ", []string{"bash", "fish", "zsh"}},
		{"baseten auth ", childrenOf(t, "auth")},
	} {
		assert.DeepEqual(t, candidates(t, r.complete(tc.line)), tc.want)
	}
	assert.DeepEqual(t, a.Requests(), []string{})
}

// Key names and prefixes, team IDs and names come from the API, asked with
// the key and remote a run would use. Names that need quoting are quoted
// for the shell (zsh and fish quote by themselves); a name a terminal would act on is
// never offered.
func TestCompletionOfLiveValues(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	assert.NilError(t, sb.AddKeys(
		sandbox.SeedKey{Prefix: "aaaa1111", Name: strptr("laptop")},
		sandbox.SeedKey{Prefix: "bbbb2222", Name: strptr("my ci key")},
		sandbox.SeedKey{Prefix: "cccc3333", Name: strptr("evil\x1b]0;pwned\a")},
		sandbox.SeedKey{Prefix: "dddd4444"},
	))
	r := newRunner(a)

	var prefixes []string
	for _, k := range sb.Keys() {
		prefixes = append(prefixes, k.Prefix)
	}
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --prefix ")), prefixes)
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --prefix bb")), []string{"bbbb2222"})
	assert.Equal(t, a.Last().Authorization, "Bearer "+testKey)
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --name ")), []string{"laptop", "'my ci key'"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --name=m")), []string{"'my ci key'"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --name 'my")), []string{"'my ci key'"})
	r.env["BASETEN_COMPLETE_SHELL"] = "fish"
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --name m")), []string{"my ci key"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --name=m")), []string{"--name=my ci key"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key create --type=workspace-i")), []string{"--type=workspace-invoke"})
	r.env["BASETEN_COMPLETE_SHELL"] = "zsh"
	assert.DeepEqual(t, candidates(t, r.complete(`baseten org api-key delete --name "m`)), []string{"my ci key"})
	delete(r.env, "BASETEN_COMPLETE_SHELL")

	_, err := sb.AddTeam(sandbox.Team{ID: "team-research", Name: "Research"})
	assert.NilError(t, err)
	teams := sb.Teams()
	want := []string{teams[0].Name, "Research", teams[0].ID, "team-research"}
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key create --type personal --team ")), want)
	assert.DeepEqual(t, candidates(t, r.complete("baseten org team describe --team-id ")), []string{teams[0].ID, "team-research"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten org team describe --team-name R")), []string{"Research"})
	assert.DeepEqual(t, a.Requests(), []string{
		"GET /v1/api_keys", "GET /v1/api_keys", "GET /v1/api_keys", "GET /v1/api_keys", "GET /v1/api_keys", "GET /v1/api_keys", "GET /v1/api_keys", "GET /v1/api_keys",
		"GET /v1/teams", "GET /v1/teams", "GET /v1/teams",
	})
}

// With a stored credential and no key in the environment, completion asks
// the credential's own remote; --remote-url on the line being typed wins,
// as it would in a run.
func TestCompletionUsesTheStoredCredential(t *testing.T) {
	stored, _ := sandboxAPI(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "stored11"}}})
	other, _ := sandboxAPI(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "other222"}}})
	r := loginRunner(stored)
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "work").Code, 0)
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "play").Code, 0)
	delete(r.env, "BASETEN_REMOTE_URL")
	stored.Reset()

	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --prefix ")), []string{"stored11"})
	assert.DeepEqual(t, stored.Requests(), []string{"GET /v1/api_keys"})
	assert.Equal(t, stored.Last().Authorization, "Bearer "+testKey)

	got := candidates(t, r.complete("baseten org api-key delete --remote-url "+other.URL+" --prefix "))
	assert.DeepEqual(t, got, []string{"other222"})
	assert.DeepEqual(t, other.Requests(), []string{"GET /v1/api_keys"})

	// A --remote-url after the cursor counts too: the run would use it.
	other.Reset()
	typed := "baseten org api-key delete --prefix "
	r.env["COMP_POINT"] = strconv.Itoa(len(typed))
	got = candidates(t, r.complete(typed+" --remote-url="+other.URL))
	assert.DeepEqual(t, got, []string{"other222"})
	r.env["COMP_POINT"] = strconv.Itoa(len(typed) + 2)
	got = candidates(t, r.complete(typed+"ot --remote-url "+other.URL))
	assert.DeepEqual(t, got, []string{"other222"})
	delete(r.env, "COMP_POINT")
	assert.DeepEqual(t, other.Requests(), []string{"GET /v1/api_keys", "GET /v1/api_keys"})
	assert.DeepEqual(t, stored.Requests(), []string{"GET /v1/api_keys"})

	// Labels come from the config, not the API.
	stored.Reset()
	assert.DeepEqual(t, candidates(t, r.complete("baseten auth switch --user ")), []string{"play", "work"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten auth logout --user w")), []string{"work"})
	assert.DeepEqual(t, stored.Requests(), []string{})
}

// Without a key, with a server that fails, or one that does not answer,
// there is nothing to offer: an empty answer, never an error, and the
// shell gets it within the deadline.
func TestCompletionWithoutAnAnswer(t *testing.T) {
	t.Run("no key", func(t *testing.T) {
		a, _ := sandboxAPI(t, sandbox.Options{})
		r := loginRunner(a)
		assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --prefix ")), []string{})
		assert.DeepEqual(t, candidates(t, r.complete("baseten auth switch --user ")), []string{})
		assert.DeepEqual(t, a.Requests(), []string{})
	})
	t.Run("a server error", func(t *testing.T) {
		a := newAPI(t, reply(http.StatusInternalServerError, "application/json", `{"detail":"boom"}`))
		assert.DeepEqual(t, candidates(t, newRunner(a).complete("baseten org api-key delete --name ")), []string{})
	})
	t.Run("a rejected key", func(t *testing.T) {
		a := newAPI(t, reply(http.StatusUnauthorized, "application/json", `{"detail":"Invalid API key"}`))
		assert.DeepEqual(t, candidates(t, newRunner(a).complete("baseten org api-key create --team ")), []string{})
	})
	t.Run("a server that never answers", func(t *testing.T) {
		release := make(chan struct{})
		a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer close(release)
		assert.DeepEqual(t, candidates(t, newRunner(a).complete("baseten org api-key delete --prefix ")), []string{})
	})
	t.Run("an invalid remote on the line", func(t *testing.T) {
		a, _ := sandboxAPI(t, sandbox.Options{})
		r := newRunner(nil)
		r.env["BASETEN_REMOTE_URL"] = a.URL
		assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --remote-url ftp://x/y --prefix ")), []string{})
		assert.DeepEqual(t, a.Requests(), []string{})
	})
}

// bash inserts a candidate as text after the quote the word being typed
// opens (dropping that quote when the candidate starts with the same one),
// so a candidate is quoted for the quote open at the cursor: inside double
// quotes a single-quoted name would still have its $(...) and `...` run.
func TestCompletionQuotesForTheOpenQuote(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	assert.NilError(t, sb.AddKeys(
		sandbox.SeedKey{Prefix: "aaaa1111", Name: strptr("x $(touch pwned) `id` \"q\" \\ !! ${HOME}")},
		sandbox.SeedKey{Prefix: "bbbb2222", Name: strptr("xy")},
	))
	r := newRunner(a)
	for _, tc := range []struct {
		line string
		want []string
	}{
		{`baseten org api-key delete --name "x`, []string{`"x \$(touch pwned) ` + "\\`id\\`" + ` \"q\" \\ "'!'""'!'" \${HOME}"`, `"xy"`}},
		{`baseten org api-key delete --name x`, []string{`'x $(touch pwned) ` + "`id`" + ` "q" \ !! ${HOME}'`, "xy"}},
		{`baseten org api-key delete --name 'x`, []string{`'x $(touch pwned) ` + "`id`" + ` "q" \ !! ${HOME}'`, "'xy'"}},
		{`baseten org api-key delete --name="x`, []string{`"x \$(touch pwned) ` + "\\`id\\`" + ` \"q\" \\ "'!'""'!'" \${HOME}"`, `"xy"`}},
		{`baseten org api-key delete --name $'a x`, []string{}}, // no candidate is written for $'...'
		{`baseten org api-key create --type "pers`, []string{`"personal"`}},
		{`baseten org api-key create --name 'it''s' --type "pers`, []string{`"personal"`}},
		{`baseten org api-key create --name "a'b" --type 'pers`, []string{`'personal'`}},
		{`baseten org api-key create --name a\"b --type pers`, []string{`personal`}},
	} {
		assert.DeepEqual(t, candidates(t, r.complete(tc.line)), tc.want)
	}
}

// bash counts COMP_POINT in characters: a cursor after "Éq" is 2 bytes
// further than the number says. What was typed up to the cursor is what the
// candidates extend.
func TestCompletionPointCountsCharacters(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	for _, team := range []sandbox.Team{{ID: "team-equipe", Name: "Équipe"}, {ID: "team-etude", Name: "Étude"}} {
		_, err := sb.AddTeam(team)
		assert.NilError(t, err)
	}
	r := newRunner(a)
	completeAt := func(line string, point int) []string {
		r.env["COMP_POINT"] = strconv.Itoa(point)
		defer delete(r.env, "COMP_POINT")
		return candidates(t, r.complete(line))
	}
	line := "baseten org team describe --team-name Éq"
	assert.DeepEqual(t, completeAt(line, utf8.RuneCountInString(line)), []string{"'Équipe'"})
	line = "baseten org team describe --team-name Éq --output json"
	assert.DeepEqual(t, completeAt(line, utf8.RuneCountInString("baseten org team describe --team-name Éq")), []string{"'Équipe'"})
	assert.DeepEqual(t, completeAt("baseten org team describe --team-name É", 999), []string{"'Équipe'", "'Étude'"})
	assert.DeepEqual(t, completeAt("baseten org team describe --team-name \xff", 8), childrenOf(t))
}

// childrenOf is the names of the commands below path, sorted as completion
// offers them: taken from the tree, so that a new command changes no test.
func childrenOf(t *testing.T, path ...string) []string {
	t.Helper()
	root, err := commands.Describe()
	assert.NilError(t, err)
	var names []string
	for _, c := range root.Find(path...).Children {
		names = append(names, c.Name)
	}
	sort.Strings(names)
	return names
}
