package e2e_test

import (
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/sandbox"
)

// The zsh script, run by zsh as its completion system would (the function
// it registers with compdef called with words, CURRENT, PREFIX and
// QIPREFIX set; compadd stubbed to print what it is given): a name with spaces reaches compadd whole, as text for zsh to
// quote, and the value of --flag=value is completed after the "=".
func TestZshCompletionScript(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("zsh is not installed")
	}
	srv, sb := serveSandbox(t)
	assert.NilError(t, sb.AddKeys(sandbox.SeedKey{Prefix: "bbbb2222", Name: strPtr("my ci key $(id)")}))
	complete := func(prefix, qiprefix string, words ...string) string {
		t.Helper()
		cmd := baseten(srv.URL)
		cmd.Command = []string{zsh, "-f", "-c", `
compdef() { completer=$1 }
compadd() { print -r -- "IPREFIX=$IPREFIX PREFIX=$PREFIX"; print -rl -- "$@" }
eval "$(baseten completion zsh)"
words=("${(@)argv[3,-1]}" "$2$1") CURRENT=$(( $# - 1 )) PREFIX=$1 QIPREFIX=$2
${=completer}`, "zsh", prefix, qiprefix}
		cmd.Command = append(cmd.Command, words...)
		cmd.Env = append(cmd.Env, "PATH="+filepath.Dir(binary))
		res := icmd.RunCmd(cmd)
		res.Assert(t, icmd.Success)
		assert.Equal(t, res.Stderr(), "")
		return res.Stdout()
	}
	assert.Equal(t, complete("m", "", "baseten", "org", "api-key", "delete", "--name"),
		"IPREFIX= PREFIX=m\n--\nmy ci key $(id)\n")
	assert.Equal(t, complete("m", `"`, "baseten", "org", "api-key", "delete", "--name"),
		"IPREFIX= PREFIX=m\n--\nmy ci key $(id)\n")
	assert.Equal(t, complete("--name=m", "", "baseten", "org", "api-key", "delete"),
		"IPREFIX=--name= PREFIX=m\n--\nmy ci key $(id)\n")
	// The commands below org team, sorted as completion offers them: from
	// the tree, so that a new one changes no test.
	root, err := commands.Describe()
	assert.NilError(t, err)
	var team []string
	for _, c := range root.Find("org", "team").Children {
		team = append(team, c.Name+"\n")
	}
	sort.Strings(team)
	assert.Equal(t, complete("", "", "baseten", "org", "team"),
		"IPREFIX= PREFIX=\n--\n"+strings.Join(team, ""))
}
