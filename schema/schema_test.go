package schema_test

import (
	"strings"
	"testing"

	"github.com/alecthomas/kong"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/schema"
)

func describe(t *testing.T) *schema.Command {
	t.Helper()
	root, err := commands.Describe()
	assert.NilError(t, err)
	return root
}

// Building the whole tree fails on anything it cannot document, so this test
// is what turns a new flag type or an undocumented leaf into a CI failure.
func TestEveryLeafIsDocumented(t *testing.T) {
	leaves := 0
	describe(t).Walk(func(c *schema.Command) {
		if !c.IsLeaf() {
			return
		}
		leaves++
		assert.Assert(t, len(c.Examples) > 0, c.FullName())
		examples := c.Examples
		if c.JQExample != nil {
			examples = append(examples, *c.JQExample)
			assert.Assert(t, is.Contains(c.JQExample.Command, " --jq "))
			assert.Assert(t, is.Regexp(`^[a-z]+\.[A-Z][A-Za-z]+$`, c.Output.PayloadType))
		} else {
			assert.Equal(t, c.Output.PayloadType, "", "%s: a payload without a jq example", c.FullName())
		}
		for _, ex := range examples {
			assert.Assert(t, ex.Description != "", c.FullName())
			assert.Assert(t, ex.Command == c.FullName() || strings.HasPrefix(ex.Command, c.FullName()+" "), "%s: example %q runs another command", c.FullName(), ex.Command)
		}
		assert.Assert(t, c.Output.Text != "", c.FullName())
	})
	assert.Assert(t, leaves >= 6)
}

// A leaf without output flags (sandbox exec runs another program) has no
// jq example and no payload, and its positional arguments show in its usage.
func TestLeafWithoutOutputFlags(t *testing.T) {
	exec := describe(t).Find("sandbox", "exec")
	assert.Assert(t, exec.JQExample == nil)
	assert.Equal(t, exec.Output.PayloadType, "")
	assert.Equal(t, exec.Usage(), "baseten sandbox exec [OPTIONS] -- COMMAND [ARGS...]")
	assert.Equal(t, describe(t).Find("sandbox", "serve").Usage(), "baseten sandbox serve [OPTIONS]")
}

type noOutputFlags struct{}

func (noOutputFlags) Spec() schema.Spec {
	return schema.Spec{Examples: []schema.Example{{Description: "Run.", Command: "x run"}}, TextOutput: "Nothing.", Payload: struct{}{}}
}

type payloadWithoutJQCLI struct {
	Run noOutputFlags `cmd:""`
}

func TestPayloadWithoutJQFlagFails(t *testing.T) {
	parser, err := kong.New(&payloadWithoutJQCLI{})
	assert.NilError(t, err)
	_, err = schema.Build(parser.Model)
	assert.ErrorContains(t, err, "spec declares a payload or a jq example, but the command has no --jq")
}

func TestAPIKeyGroupMatchesReference(t *testing.T) {
	group := describe(t).Find("org", "api-key")
	assert.Assert(t, group != nil)
	assert.Equal(t, group.Summary, "Manage API keys")

	var names []string
	for _, c := range group.Children {
		names = append(names, c.Name)
	}
	// The reference's three, then rotate (issue 17), which it predates.
	assert.DeepEqual(t, names, []string{"list", "create", "delete", "rotate"})

	create := group.Find("create")
	var flags []string
	for _, f := range create.Flags {
		flags = append(flags, f.Long+":"+f.Type)
	}
	// The reference's, --no-headers (issue 16) and --profile (issue 17),
	// which it predates.
	assert.DeepEqual(t, flags, []string{"jq:TEXT", "model-id:TEXT (repeatable)", "name:TEXT", "no-headers:BOOL", "output:TEXT",
		"profile:TEXT", "remote-url:TEXT", "team:TEXT", "type:TEXT", "verbose:BOOL"})
	assert.Equal(t, create.Output.PayloadType, "managementapi.APIKey")
	assert.Equal(t, group.Find("list").Output.PayloadType, "managementapi.APIKeys")
	assert.Equal(t, group.Find("delete").Output.PayloadType, "managementapi.APIKeyTombstone")

	output := create.Flags[4]
	assert.DeepEqual(t, output, schema.Flag{Long: "output", Short: "o", Type: "TEXT", Help: "Output format",
		Default: "text", HasDefault: true, Enum: []string{"text", "json", "jsonl", "none"}, Common: true})
	typ := create.Flags[8]
	assert.Assert(t, typ.Required && !typ.Common)
	assert.DeepEqual(t, typ.Enum, []string{"personal", "workspace-export-metrics", "workspace-invoke", "workspace-manage-all"})

	for _, f := range group.Find("delete").Flags {
		if f.Long == "name" || f.Long == "prefix" {
			assert.DeepEqual(t, f.Xor, []string{"identifier"})
			assert.Assert(t, f.XorRequired && !f.Required, "required through the group, not on its own")
		}
	}
}

type floatFlagCLI struct {
	Run struct {
		Ratio float32 `help:"A flag type the docs cannot name."`
	} `cmd:""`
}

func TestUnknownFlagTypeFailsLoudly(t *testing.T) {
	parser, err := kong.New(&floatFlagCLI{})
	assert.NilError(t, err)
	_, err = schema.Build(parser.Model)
	assert.ErrorContains(t, err, "flag --ratio has Go type float32, which the docs cannot name")
}

type undocumentedCLI struct {
	Run struct{} `cmd:"" help:"Runs."`
}

func TestUndocumentedLeafFails(t *testing.T) {
	parser, err := kong.New(&undocumentedCLI{})
	assert.NilError(t, err)
	_, err = schema.Build(parser.Model)
	assert.ErrorContains(t, err, "has no Spec() method")
}
