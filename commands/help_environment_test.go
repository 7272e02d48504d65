package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/schema"
)

// The root's help stays short: the exit codes, and one line pointing at
// `baseten help environment`, which lists every variable; the ones the
// shell sets for completion apart, and named elsewhere only in completion's
// help.
func TestEnvironmentTopic(t *testing.T) {
	r := newRunner(nil)
	root := r.run("--help")
	assert.Equal(t, root.Code, 0)
	assert.Assert(t, is.Contains(root.Stdout, "\nExit codes:\n"))
	assert.Assert(t, !strings.Contains(root.Stdout, "Environment:"))
	assert.Assert(t, !strings.Contains(root.Stdout, schema.EnvConfigDir))
	assert.Assert(t, is.Contains(root.Stdout, "\nRun 'baseten help environment' for the environment variables baseten reads.\n"))

	topic := r.run("help", "environment")
	assertResult(t, topic, topic.Stdout, "", 0)
	user, shell, found := strings.Cut(topic.Stdout, "\nSet by the shell when it asks for completions, never by hand:\n")
	assert.Assert(t, found, topic.Stdout)
	for _, v := range schema.Environment {
		in := user
		if v.SetByShell() {
			in = shell
		}
		assert.Check(t, is.Regexp(`(?m)^  `+v.Name+`( |$)`, in), v.Name)
	}

	completion := r.run("completion", "--help").Stdout
	for _, name := range []string{"COMP_LINE", "COMP_POINT", "BASETEN_COMPLETE_SHELL"} {
		assert.Check(t, is.Contains(completion, name))
		for _, args := range [][]string{{"--help"}, {"org", "api-key", "list", "--help"}, {"sandbox", "exec", "--help"}} {
			assert.Check(t, !strings.Contains(r.run(args...).Stdout, name), "%s in %s", name, args)
		}
	}
}
