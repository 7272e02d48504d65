package e2e_test

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"
)

// zsh shows the key the command would be using, among delete's
// candidates, with a note: the script hands compadd the bare values and
// the lines to display.
func TestZshMarksTheKeyInUse(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("zsh is not installed")
	}
	srv, _ := serveSandbox(t)
	created := icmd.RunCmd(baseten(srv.URL, "org", "api-key", "create", "--type", "workspace-manage-all", "--jq", ".api_key"))
	created.Assert(t, icmd.Success)
	newKey := strings.TrimSpace(created.Stdout())
	inUse, _, _ := strings.Cut(newKey, ".")

	cmd := baseten(srv.URL)
	cmd.Command = []string{zsh, "-f", "-c", `
compdef() { completer=$1 }
compadd() { print -rl -- "$@"; print -rl -- "notes:" $notes }
eval "$(baseten completion zsh)"
words=(baseten org api-key delete --prefix "") CURRENT=6 PREFIX= QIPREFIX=
${=completer}`}
	cmd.Env = append(cmd.Env, "PATH="+filepath.Dir(binary), "BASETEN_API_KEY="+newKey)
	res := icmd.RunCmd(cmd)
	res.Assert(t, icmd.Success)
	values := []string{"aaaa1111", inUse}
	slices.Sort(values)
	notes := slices.Clone(values)
	notes[slices.Index(notes, inUse)] += "  -- the key in use"
	want := "-l\n-d\nnotes\n--\n" + strings.Join(values, "\n") + "\nnotes:\n" + strings.Join(notes, "\n") + "\n"
	assert.Equal(t, res.Stdout(), want)
}
