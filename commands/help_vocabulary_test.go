package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/schema"
)

// Help reads as one voice: every summary ends the same way (no period),
// no Markdown backticks reach the terminal, nothing is said twice
// ("May be repeated." and "Repeatable."), and no parentheses nest.
func TestHelpSpeaksOneVoice(t *testing.T) {
	root, err := commands.Describe()
	assert.NilError(t, err)
	r := newRunner(nil)
	root.Walk(func(c *schema.Command) {
		assert.Check(t, !strings.HasSuffix(c.Summary, "."), "%s: summary %q", c.FullName(), c.Summary)
		help := r.run(append(c.Path, "--help")...).Stdout
		assert.Check(t, !strings.Contains(help, "`"), "%s: a backtick in help", c.FullName())
		assert.Check(t, !(strings.Contains(help, "May be repeated") && strings.Contains(help, "Repeatable.")), "%s: repeatable said twice", c.FullName())
		depth := 0
		for _, r := range help {
			switch r {
			case '(':
				depth++
				assert.Check(t, depth < 2, "%s: nested parentheses in help", c.FullName())
			case ')':
				depth = max(depth-1, 0)
			case '\n':
				depth = 0
			}
		}
	})
}
