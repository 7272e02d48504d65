package commands_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/schema"
)

// goldenName is the file holding a node's help: "baseten-org-api-key-list".
func goldenName(c *schema.Command) string {
	return "help/" + strings.Join(append([]string{schema.Program}, c.Path...), "-") + ".golden"
}

// Every node of the tree has its help golden-tested, so a new command without
// a golden file fails here (`go generate ./...` writes it), and so does a
// golden file whose command is gone.
func TestHelpGolden(t *testing.T) {
	root, err := commands.Describe()
	assert.NilError(t, err)
	nodes := map[string]bool{}
	root.Walk(func(c *schema.Command) {
		nodes[filepath.Join("testdata", goldenName(c))] = true
		t.Run(strings.Join(append([]string{"baseten"}, c.Path...), " "), func(t *testing.T) {
			r := newRunner(nil)
			got := r.run(append(append([]string{}, c.Path...), "--help")...)
			assertResult(t, got, got.Stdout, "", 0)
			golden.Assert(t, got.Stdout, goldenName(c))
			for _, line := range strings.Split(got.Stdout, "\n") {
				if !strings.HasPrefix(line, "  baseten ") { // example commands are never wrapped
					assert.Assert(t, len(line) <= 80, "wider than 80 columns: %q", line)
				}
			}

			// -h and `baseten help <path>` print the same thing.
			assert.Equal(t, r.run(append(append([]string{}, c.Path...), "-h")...).Stdout, got.Stdout)
			assertResult(t, r.run(append([]string{"help"}, c.Path...)...), got.Stdout, "", 0)
		})
	})
	files, err := filepath.Glob(filepath.Join("testdata", "help", "*.golden"))
	assert.NilError(t, err)
	for _, f := range files {
		if !nodes[f] && golden.FlagUpdate() { // go generate ./... removes it too
			assert.NilError(t, os.Remove(f))
			continue
		}
		assert.Check(t, nodes[f], "%s is the help of no command; delete it (go generate ./...)", f)
	}
}

func TestHelpWrapsAtTerminalWidth(t *testing.T) {
	r := newRunner(nil)
	r.terminal = true
	r.width = 120
	got := r.run("org", "api-key", "create", "--help")
	assert.Assert(t, is.Contains(got.Stdout, "\nCreate a new API key. The key value is printed to stdout exactly once and cannot be retrieved later; capture or pipe it\n"))
	r.width = 0 // a terminal that does not report its size
	got = r.run("org", "api-key", "create", "--help")
	assert.Assert(t, is.Contains(got.Stdout, "\nCreate a new API key. The key value is printed to stdout exactly once and cannot\n"))
}

// A group named alone shows its help, like gh.
func TestGroupAloneShowsHelp(t *testing.T) {
	r := newRunner(nil)
	for _, path := range [][]string{{}, {"org"}, {"org", "api-key"}} {
		got := r.run(path...)
		want := r.run(append(path, "--help")...)
		assertResult(t, got, want.Stdout, "", 0)
	}
}

func TestHelpForUnknownCommand(t *testing.T) {
	got := newRunner(nil).run("help", "org", "nope")
	assertResult(t, got, "", "Error: unknown command \"baseten org nope\"\nRun 'baseten --help' to see the commands.\n", 2)
}

func TestVersion(t *testing.T) {
	r := newRunner(nil)
	got := r.run("--version")
	assert.Equal(t, got.Code, 0)
	assert.Assert(t, is.Regexp(`^baseten \S+ \(\S+, go1\.\d+[^)]*\)\n$`, got.Stdout))
	assertResult(t, r.run("version"), got.Stdout, "", 0)
	v := commands.Version()
	assertResult(t, r.run("version", "--jq", ".version"), v.Version+"\n", "", 0)
	assertResult(t, r.run("version", "-o", "jsonl"), `{"version":"`+v.Version+`","commit":"`+v.Commit+`","go_version":"`+v.GoVersion+`"}`+"\n", "", 0)
}

// At any width, an example's description wraps as comment lines and its
// command stays on one line, so the Examples block can be pasted into a
// shell as it is.
func TestExamplesStayPastableWhenNarrow(t *testing.T) {
	root, err := commands.Describe()
	assert.NilError(t, err)
	r := newRunner(nil)
	r.terminal = true
	root.Walk(func(c *schema.Command) {
		if !c.IsLeaf() {
			return
		}
		commandsShown := map[string]bool{}
		for _, ex := range c.AllExamples() {
			commandsShown["  "+ex.Command] = false
		}
		for _, width := range []int{20, 40, 60} {
			r.width = width
			got := r.run(append(append([]string{}, c.Path...), "--help")...)
			_, examples, found := strings.Cut(got.Stdout, "\nExamples:\n")
			assert.Assert(t, found, got.Stdout)
			examples, _, _ = strings.Cut(examples, "\n\nOutput:\n")
			for _, line := range strings.Split(examples, "\n") {
				if _, isCommand := commandsShown[line]; isCommand {
					commandsShown[line] = true
					continue
				}
				assert.Assert(t, line == "" || strings.HasPrefix(line, "  # "), "%s at %d columns: %q is neither a comment nor a whole command", c.FullName(), width, line)
			}
		}
		for line, shown := range commandsShown {
			assert.Assert(t, shown, "%s: %q not shown on one line", c.FullName(), line)
		}
	})
}
