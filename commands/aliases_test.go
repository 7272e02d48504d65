package commands_test

import (
	"slices"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/schema"
)

// ls and rm, typed from habit, run list and delete; help names them.
func TestListAndDeleteAliases(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "aaaa1111", Name: strptr("laptop")}}})
	r := newRunner(a)
	list := r.run("org", "api-key", "list")
	assertResult(t, r.run("org", "api-key", "ls"), list.Stdout, "", 0)
	teams := r.run("org", "team", "list")
	assertResult(t, r.run("org", "team", "ls"), teams.Stdout, "", 0)
	assertResult(t, r.run("org", "api-key", "rm", "--prefix", "aaaa1111"), "", "Deleted API key aaaa1111\n", 0)
	assert.Equal(t, len(sb.Keys()), 0)

	for alias, name := range map[string]string{"ls": "list", "rm": "delete"} {
		help := r.run("org", "api-key", alias, "--help").Stdout
		assert.Assert(t, strings.HasPrefix(help, "Usage: baseten org api-key "+name+" [OPTIONS]\nAlias: baseten org api-key "+alias+"\n"), help)
		assert.Equal(t, r.run("help", "org", "api-key", alias).Stdout, help)
	}
}

// Every list and delete in the tree takes its habitual alias, so a new
// group gets the rule checked without being named here.
func TestEveryListAndDeleteHasItsAlias(t *testing.T) {
	root, err := commands.Describe()
	assert.NilError(t, err)
	seen := 0
	root.Walk(func(c *schema.Command) {
		want := map[string]string{"list": "ls", "delete": "rm"}[c.Name]
		if want == "" {
			return
		}
		seen++
		assert.Check(t, slices.Contains(c.Aliases, want), "%s has no alias %q", strings.Join(c.Path, " "), want)
	})
	assert.Assert(t, seen > 2, "found only %d list and delete commands", seen)
}
