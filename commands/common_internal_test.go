package commands

import (
	"io"
	"reflect"
	"testing"

	"github.com/alecthomas/kong"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/render"
)

// forgetfulLeaf embeds the common flags and has no hook of its own.
type forgetfulLeaf struct {
	CommonFlags
}

// checkingLeaf has a hook for its own flag only.
type checkingLeaf struct {
	Extra   string `help:"A flag of the leaf's own."`
	checked bool
	OutputFlags
}

func (c *checkingLeaf) AfterApply() error {
	c.checked = true
	return nil
}

// The shared flags settle themselves, whatever the leaf does: Kong calls
// the AfterApply hooks of embedded structs, so a leaf cannot forget to.
func TestSharedFlagsResolveThemselves(t *testing.T) {
	parse := func(args ...string) (*struct {
		Forgetful forgetfulLeaf `cmd:""`
		Checking  checkingLeaf  `cmd:""`
	}, error) {
		var cli struct {
			Forgetful forgetfulLeaf `cmd:""`
			Checking  checkingLeaf  `cmd:""`
		}
		parser, err := kong.New(&cli, kong.Exit(func(int) {}), kong.Writers(io.Discard, io.Discard),
			kong.Bind(Getenv(func(string) string { return "" })))
		assert.NilError(t, err)
		_, err = parser.Parse(args)
		return &cli, err
	}

	cli, err := parse("forgetful", "--jq", ".keys")
	assert.NilError(t, err)
	assert.Assert(t, cli.Forgetful.output.JQ != nil, "--jq compiled")
	assert.Equal(t, cli.Forgetful.output.Mode, render.JSON)
	assert.Equal(t, cli.Forgetful.timeout.String(), "1m0s")

	_, err = parse("forgetful", "--jq", "")
	assert.Check(t, is.ErrorContains(err, "--jq needs an expression"))
	_, err = parse("forgetful", "--remote-url", "ftp://example.com")
	assert.Check(t, is.ErrorContains(err, "invalid --remote-url"))

	cli, err = parse("checking", "-o", "jsonl", "--extra", "x")
	assert.NilError(t, err)
	assert.Assert(t, cli.Checking.checked)
	assert.Equal(t, cli.Checking.output.Mode, render.JSONL)
	_, err = parse("checking", "--jq", ".[", "--extra", "x")
	assert.Check(t, is.ErrorContains(err, "--jq"))
}

// Every leaf of the real tree with the output flags reaches them the way
// Kong looks for hooks: through exported embedded fields only (a named
// field, or an unexported embedding, would hide their AfterApply).
func TestEveryLeafReachesTheSharedHooks(t *testing.T) {
	parser, err := NewParser(&CLI{}, &render.IO{Out: io.Discard, Err: io.Discard}, func(int) {})
	assert.NilError(t, err)
	outputFlags := reflect.TypeFor[OutputFlags]()
	var embeds func(reflect.Type) bool
	embeds = func(t reflect.Type) bool {
		if t == outputFlags {
			return true
		}
		for i := range t.NumField() {
			if f := t.Field(i); f.Anonymous && f.IsExported() && f.Type.Kind() == reflect.Struct && embeds(f.Type) {
				return true
			}
		}
		return false
	}
	leaves := 0
	for _, leaf := range parser.Model.Leaves(false) {
		hasJQ := false
		for _, f := range leaf.Flags {
			hasJQ = hasJQ || f.Name == "jq"
		}
		if hasJQ {
			leaves++
			assert.Check(t, embeds(leaf.Target.Type()), "%s: --jq without OutputFlags embedded where Kong looks for hooks", leaf.Path())
		}
	}
	assert.Assert(t, leaves > 0)
}
