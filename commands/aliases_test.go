package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
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
