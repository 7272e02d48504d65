// Package schema turns the Kong command tree plus each leaf's declared spec
// into one neutral description of the CLI. The help printer, the docs
// generator and the golden tests all read this description, so the binary,
// `--help` and the reference pages cannot drift apart.
package schema

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/alecthomas/kong"
)

// Spec is what a leaf command declares next to its flags about how it is
// documented: what the reference page shows beyond the flags themselves.
//
// A leaf with output flags (--jq, --output) declares a jq example and a
// payload; a leaf without them (one that runs another program, say)
// declares neither, and TextOutput says what it prints.
type Spec struct {
	Examples  []Example
	JQExample Example // must use --jq
	// TextOutput describes the text mode (`--output text`) in one paragraph.
	TextOutput string
	// Payload is a value of the JSON payload type; only its type is used.
	Payload any
}

// Rehearsed is implemented by a leaf whose examples need something to run
// (see Rehearsal): its Rehearsal method sits beside its Spec. Examples
// that need nothing (no placeholder, no login) need no method.
type Rehearsed interface{ Rehearsal() Rehearsal }

// Rehearsal tells the executable-examples test (TestEveryExampleRuns in
// e2e/) what a leaf's examples need, so that a new command declares it
// beside its examples, and nowhere else. Each example runs as
// written, with the built binary, against a fresh sandbox (seeded with
// the teams Default and Research and its admin key), in a fresh directory
// holding key.txt (that admin key, for a login example), with
// BASETEN_REMOTE_URL and BASETEN_API_KEY pointing at the sandbox.
type Rehearsal struct {
	// Before are baseten command lines run first, in order, against the
	// same sandbox and in the same directory: what the examples act on
	// (a key to delete, a stored login). Placeholders with plain values
	// are filled in them.
	Before []string
	// Placeholders gives each <placeholder> of the examples its value. A
	// value that starts with "baseten " is a command line, run after
	// Before, whose output (trimmed) is the value: an ID the sandbox
	// makes up, say.
	Placeholders map[string]string
	// LongRunning: the example serves until stopped. It passes when it
	// has printed a line and then exits 0 on SIGINT or SIGTERM.
	LongRunning bool
}

// Documented is implemented by every leaf command struct.
type Documented interface{ Spec() Spec }

// Example is one documented invocation.
type Example struct {
	Description string
	Command     string
}

// Command is a node of the command tree: the root, a group or a leaf.
type Command struct {
	Name        string   // "list"; "baseten" for the root
	Aliases     []string // other names it runs by: "ls"
	Path        []string // ["org", "api-key", "list"]; empty for the root
	Summary     string   // first sentence of Description, without its period
	Description string
	Args        string // positional arguments in the usage line: "-- COMMAND [ARGS...]"
	Flags       []Flag // sorted by long name, --verbose last
	Children    []*Command

	// Leaves only.
	Examples  []Example
	JQExample *Example // nil for a leaf without output flags
	Output    *Output
	Rehearsal Rehearsal
}

// Output documents what a leaf prints in text and JSON modes.
type Output struct {
	Text        string
	PayloadType string // "managementapi.APIKeys", from the declared Go type; "" without output flags
}

// Flag is one option as the reference documents it.
type Flag struct {
	Long       string // "output"
	Short      string // "o", or ""
	Type       string // TEXT, BOOL, TEXT (repeatable), INTEGER, NUMBER, DURATION
	Help       string
	Default    string
	HasDefault bool
	Required   bool // this flag must be given
	Enum       []string
	Xor        []string // names of xor groups the flag belongs to
	// XorRequired: one flag of its xor group must be given (Kong's reading
	// of `required` on a group member).
	XorRequired bool
	Common      bool // one of the flags every command shares
}

// CommonGroup is the Kong `group` key of the flags every leaf shares.
const CommonGroup = "common"

// Program is the name the CLI is invoked as.
const Program = "baseten"

// FullName is the command line that selects c: "baseten org api-key list".
func (c *Command) FullName() string {
	return strings.Join(append([]string{Program}, c.Path...), " ")
}

// IsLeaf reports whether c runs something (as opposed to grouping commands).
func (c *Command) IsLeaf() bool { return len(c.Children) == 0 }

// Usage is the one-line synopsis.
func (c *Command) Usage() string {
	if c.IsLeaf() {
		return strings.TrimSpace(c.FullName() + " [OPTIONS] " + c.Args)
	}
	return c.FullName() + " <command> [OPTIONS]"
}

// AllExamples is a leaf's examples followed by its jq example, if it has
// one: what help, the man pages and the example test go through.
func (c *Command) AllExamples() []Example {
	examples := slices.Clone(c.Examples)
	if c.JQExample != nil {
		examples = append(examples, *c.JQExample)
	}
	return examples
}

// Walk calls fn on c and every descendant, parents first, in declaration order.
func (c *Command) Walk(fn func(*Command)) {
	fn(c)
	for _, child := range c.Children {
		child.Walk(fn)
	}
}

// Find returns the command at path, or nil.
func (c *Command) Find(path ...string) *Command {
	if len(path) == 0 {
		return c
	}
	for _, child := range c.Children {
		if child.Name == path[0] || slices.Contains(child.Aliases, path[0]) {
			return child.Find(path[1:]...)
		}
	}
	return nil
}

// Build describes the application. It fails on anything it cannot describe
// faithfully (an unknown flag type, a leaf without a spec or without examples)
// so that a new command or flag breaks the build of the docs, not the docs.
func Build(app *kong.Application) (*Command, error) {
	return buildNode(app.Node, nil)
}

func buildNode(node *kong.Node, path []string) (*Command, error) {
	// A leaf describes itself (Help, Kong's HelpProvider, gives Detail); a
	// group is described by the tag of the field that holds it.
	description := node.Detail
	if description == "" {
		description = node.Help
	}
	cmd := &Command{Name: Program, Path: path, Aliases: node.Aliases, Description: strings.TrimSpace(description)}
	if len(path) > 0 {
		cmd.Name = path[len(path)-1]
	}
	// One rule for every summary, a group's (a tag) and a leaf's (its
	// first sentence): no closing period, as in a list.
	cmd.Summary = strings.TrimSuffix(FirstSentence(cmd.Description), ".")
	for _, f := range node.Flags {
		if f.Hidden || f.Name == "help" {
			continue
		}
		flag, err := buildFlag(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cmd.FullName(), err)
		}
		cmd.Flags = append(cmd.Flags, flag)
	}
	sortFlags(cmd.Flags)
	cmd.Args = positionals(node.Positional)
	for _, child := range node.Children {
		if child.Hidden {
			continue
		}
		sub, err := buildNode(child, append(append([]string(nil), path...), child.Name))
		if err != nil {
			return nil, err
		}
		cmd.Children = append(cmd.Children, sub)
	}
	if len(node.Children) == 0 && node.Type == kong.CommandNode {
		if err := addSpec(cmd, node.Target); err != nil {
			return nil, err
		}
	}
	return cmd, nil
}

func addSpec(cmd *Command, target reflect.Value) error {
	if target.Kind() != reflect.Pointer && target.CanAddr() {
		target = target.Addr()
	}
	documented, ok := target.Interface().(Documented)
	if !ok {
		return fmt.Errorf("%s: leaf command %s has no Spec() method", cmd.FullName(), target.Type())
	}
	spec := documented.Spec()
	if len(spec.Examples) == 0 || spec.TextOutput == "" {
		return fmt.Errorf("%s: spec must declare examples and a text output", cmd.FullName())
	}
	cmd.Examples = spec.Examples
	if rehearsed, ok := target.Interface().(Rehearsed); ok {
		cmd.Rehearsal = rehearsed.Rehearsal()
	}
	cmd.Output = &Output{Text: spec.TextOutput}
	hasJQ := slices.ContainsFunc(cmd.Flags, func(f Flag) bool { return f.Long == "jq" })
	if !hasJQ {
		if spec.Payload != nil || spec.JQExample != (Example{}) {
			return fmt.Errorf("%s: spec declares a payload or a jq example, but the command has no --jq", cmd.FullName())
		}
		return nil
	}
	if !strings.Contains(spec.JQExample.Command, " --jq ") {
		return fmt.Errorf("%s: spec's jq example does not use --jq", cmd.FullName())
	}
	if spec.Payload == nil {
		return fmt.Errorf("%s: spec must declare a payload type", cmd.FullName())
	}
	jq := spec.JQExample
	cmd.JQExample = &jq
	cmd.Output.PayloadType = reflect.TypeOf(spec.Payload).String()
	return nil
}

// positionals is the usage of a command's positional arguments: the
// placeholder (or upper-cased name) of each, in brackets when optional,
// after "--" when everything from there on is passed through.
func positionals(args []*kong.Positional) string {
	var words []string
	for _, a := range args {
		word := a.Tag.PlaceHolder
		if word == "" {
			word = strings.ToUpper(a.Name)
		}
		if !a.Required {
			word = "[" + word + "]"
		}
		if a.PassthroughMode != kong.PassThroughModeNone {
			word = "-- " + word
		}
		words = append(words, word)
	}
	return strings.Join(words, " ")
}

var durationType = reflect.TypeOf(time.Duration(0))

func buildFlag(f *kong.Flag) (Flag, error) {
	flag := Flag{
		Long:       f.Name,
		Help:       strings.TrimSpace(f.Help),
		Default:    f.Default,
		HasDefault: f.HasDefault,
		// Kong reads `required` on a member of an xor group as "one flag of
		// the group is required", not "this flag is".
		Required:    f.Required && len(f.Xor) == 0,
		XorRequired: f.Required && len(f.Xor) > 0,
		Xor:         f.Xor,
		Common:      f.Group != nil && f.Group.Key == CommonGroup,
	}
	if f.Short != 0 {
		flag.Short = string(f.Short)
	}
	if f.Enum != "" {
		for _, v := range strings.Split(f.Enum, ",") {
			flag.Enum = append(flag.Enum, strings.TrimSpace(v))
		}
	}
	name, err := TypeName(f)
	if err != nil {
		return Flag{}, err
	}
	flag.Type = name
	if f.Target.Kind() == reflect.Slice {
		flag.Type += " (repeatable)"
	}
	return flag, nil
}

// TypeName is the one word the help, the reference pages and Kong's own
// messages (its placeholder, as in "missing flags: --type=TEXT") use for
// what a flag takes: TEXT, BOOL, INTEGER, NUMBER or DURATION.
func TypeName(f *kong.Flag) (string, error) {
	t := f.Target.Type()
	if t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	switch {
	case t == durationType:
		return "DURATION", nil
	case t.Kind() == reflect.String:
		return "TEXT", nil
	case t.Kind() == reflect.Bool:
		return "BOOL", nil
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "INTEGER", nil
	case t.Kind() == reflect.Float64:
		return "NUMBER", nil
	}
	return "", fmt.Errorf("flag --%s has Go type %s, which the docs cannot name; teach schema.TypeName about it", f.Name, f.Target.Type())
}

// sortFlags orders flags as the reference does: by long name, --verbose last.
func sortFlags(flags []Flag) {
	sort.SliceStable(flags, func(i, j int) bool {
		vi, vj := flags[i].Long == "verbose", flags[j].Long == "verbose"
		if vi != vj {
			return vj
		}
		return flags[i].Long < flags[j].Long
	})
}

// FirstSentence is the summary shown in command lists: the description up
// to the first ". ", or all of it.
func FirstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
