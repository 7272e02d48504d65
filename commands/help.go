package commands

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// HelpCmd is `baseten help <command path>`, an alias of `<command path> --help`.
// It is hidden: it documents the others rather than doing anything itself.
type HelpCmd struct {
	Command []string `arg:"" optional:"" help:"The command to describe, e.g. org api-key list."`
}

func (c *HelpCmd) Run(kctx *kong.Context, streams *render.IO) error {
	root, err := schema.Build(kctx.Model)
	if err != nil {
		return err
	}
	if len(c.Command) == 1 && c.Command[0] == environmentTopic {
		return writeEnvironmentHelp(streams.Out, streams.HelpWidth())
	}
	cmd := root.Find(canonicalPath(kctx.Model.Node, c.Command)...)
	if cmd == nil {
		// Answered as `baseten nosuch` is: the group the known words
		// name, and the first word that names nothing in it.
		group := root
		for i, word := range c.Command {
			next := root.Find(c.Command[:i+1]...)
			if next == nil {
				msg, hint, _ := unknownCommand(group, word)
				return &exitError{code: schema.ExitUsage, msg: msg, hint: hint, usage: usageLines(group)}
			}
			if next.IsLeaf() {
				break
			}
			group = next
		}
		return usageError(fmt.Sprintf("unknown command %q", strings.Join(append([]string{schema.Program}, c.Command...), " ")),
			"Run 'baseten --help' to see the commands.")
	}
	return writeHelp(streams.Out, cmd, streams.HelpWidth())
}

// helpPrinter replaces Kong's help with one rendered from the schema, so
// that --help, the reference pages and the golden files share one source.
func helpPrinter(streams *render.IO) kong.HelpPrinter {
	return func(_ kong.HelpOptions, kctx *kong.Context) error {
		root, err := schema.Build(kctx.Model)
		if err != nil {
			return err
		}
		cmd := root.Find(nodePath(kctx.Selected())...)
		if cmd == nil { // a hidden command (help) asked for its own help
			cmd = root
		}
		if err := writeHelp(kctx.Stdout, cmd, streams.HelpWidth()); err != nil {
			// Unwritable output is exit 1, like any command's; it reaches
			// Main as a parse error, which must not make it a usage error.
			return outsideArgs(schema.ExitError, err)
		}
		return nil
	}
}

// nodePath is the command names from the root down to node.
func nodePath(node *kong.Node) []string {
	var path []string
	for ; node != nil && node.Type == kong.CommandNode; node = node.Parent {
		path = append([]string{node.Name}, path...)
	}
	return path
}

// groupSelectedBy returns the group that args name exactly ("org", "org
// api-key"), or the root for no args: running a group prints its help.
func groupSelectedBy(root *schema.Command, args []string) *schema.Command {
	cmd := root.Find(args...)
	if cmd == nil || cmd.IsLeaf() {
		return nil
	}
	return cmd
}

// usageLines is what follows a usage error: the command's synopsis and where
// to read more.
func usageLines(cmd *schema.Command) string {
	return fmt.Sprintf("Usage: %s\nRun '%s --help' for more information.", cmd.Usage(), cmd.FullName())
}

// writeHelp renders one node's help:
//
//	Usage, description, then for groups their commands, for leaves their own
//	flags and the common flags, examples (the jq one included), output, and
//	where the exit codes are listed. The root lists the exit codes and the
//	environment variables itself.
func writeHelp(w io.Writer, cmd *schema.Command, width int) error {
	h := &helpWriter{w: w, width: width}
	h.line("Usage: " + cmd.Usage())
	for _, alias := range cmd.Aliases {
		parent := strings.TrimSuffix(cmd.FullName(), " "+cmd.Name)
		h.line("Alias: " + parent + " " + alias)
	}
	for _, b := range schema.Blocks(cmd.Description) {
		h.line("")
		if b.Code { // commands, shown as written so they stay copyable
			for _, l := range strings.Split(b.Text, "\n") {
				h.line("  " + l)
			}
		} else {
			h.wrapped(b.Text, "")
		}
	}

	if !cmd.IsLeaf() {
		var rows [][2]string
		for _, child := range cmd.Children {
			rows = append(rows, [2]string{child.Name, child.Summary})
		}
		h.section("Commands:", rows)
	}

	var own, common [][2]string
	for _, f := range cmd.Flags {
		row := [2]string{flagSynopsis(f), flagDetails(f, cmd.Flags)}
		if f.Common {
			common = append(common, row)
		} else {
			own = append(own, row)
		}
	}
	helpRow := [2]string{"-h, --help", "Show help for this command."}
	if cmd.IsLeaf() {
		h.section("Flags:", own)
		h.section("Common flags:", append(common, helpRow))
	} else {
		h.section("Flags:", append(append(own, common...), helpRow))
	}

	if cmd.IsLeaf() {
		h.line("")
		h.line("Examples:")
		for i, ex := range cmd.AllExamples() {
			if i > 0 {
				h.line("")
			}
			// Every line of the description is a comment, so that pasting
			// the block runs the commands only.
			h.wrapped(strings.TrimSuffix(ex.Description, "."), "  # ")
			h.line("  " + ex.Command) // never wrapped: it must stay copyable
		}
		h.line("")
		h.line("Output:")
		if cmd.Output.PayloadType == "" { // no output modes to tell apart
			h.wrapped(cmd.Output.Text, "  ")
		} else {
			h.wrapped("Text mode (--output text): "+cmd.Output.Text, "  ")
			h.wrapped("JSON mode (--output json): payload type "+cmd.Output.PayloadType+".", "  ")
		}
	}

	if len(cmd.Path) == 0 {
		var rows [][2]string
		for _, e := range schema.ExitCodes {
			rows = append(rows, [2]string{fmt.Sprint(e.Code), e.Meaning})
		}
		h.section("Exit codes:", rows)
		h.line("")
		h.wrapped("Run 'baseten <command> --help' or 'baseten help <command>' for more about a command.", "")
		h.wrapped("Run 'baseten help "+environmentTopic+"' for the environment variables baseten reads.", "")
	} else {
		h.line("")
		if !cmd.IsLeaf() {
			h.wrapped(fmt.Sprintf("Run '%s <command> --help' for more about a command.", cmd.FullName()), "")
		}
		h.wrapped("Exit codes are listed by 'baseten --help'.", "")
	}
	return h.err
}

// flagSynopsis is the left column: "-o, --output TEXT" or "    --name TEXT".
func flagSynopsis(f schema.Flag) string {
	s := "    --" + f.Long
	if f.Short != "" {
		s = "-" + f.Short + ", --" + f.Long
	}
	if f.Type != "BOOL" {
		s += " " + strings.TrimSuffix(f.Type, " (repeatable)")
	}
	return s
}

// flagDetails is the right column: help, allowed values, default, required
// and the xor rule, each as a sentence.
func flagDetails(f schema.Flag, siblings []schema.Flag) string {
	parts := []string{sentence(f.Help)}
	if strings.HasSuffix(f.Type, "(repeatable)") && !strings.Contains(strings.ToLower(f.Help), "repeated") {
		parts = append(parts, "Repeatable.") // said once: the help may say it already
	}
	if len(f.Enum) > 0 {
		parts = append(parts, "One of: "+strings.Join(f.Enum, ", ")+".")
	}
	if f.HasDefault {
		parts = append(parts, "Default: "+f.Default+".")
	}
	for _, group := range f.Xor {
		var others []string
		for _, s := range siblings {
			if s.Long != f.Long && slices.Contains(s.Xor, group) {
				others = append(others, "--"+s.Long)
			}
		}
		rule := fmt.Sprintf("Mutually exclusive with %s (group %s)", strings.Join(others, ", "), group)
		if f.XorRequired {
			rule += "; one of them is required"
		}
		parts = append(parts, rule+".")
	}
	if f.Required {
		parts = append(parts, "Required.")
	}
	return strings.Join(parts, " ")
}

func sentence(s string) string {
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// helpWriter lays out help text within a width, remembering the first error.
type helpWriter struct {
	w     io.Writer
	width int
	err   error
}

func (h *helpWriter) line(s string) {
	if h.err == nil {
		_, h.err = io.WriteString(h.w, s+"\n")
	}
}

// wrapped writes s wrapped to the width, every line starting with indent.
// Backticks, which mark code for the reference pages, are not shown: a
// terminal has no code font, and a pasted backtick runs a command.
func (h *helpWriter) wrapped(s, indent string) {
	s = strings.ReplaceAll(s, "`", "")
	for _, l := range render.Wrap(s, h.width-len(indent)) {
		h.line(indent + l)
	}
}

const (
	sectionIndent = "  "
	columnGap     = "   "
	// maxLeftColumn keeps one long flag from pushing every description right;
	// a longer left cell puts its description on the next line.
	maxLeftColumn = 24
)

// section writes a titled two-column list; nothing when rows is empty.
func (h *helpWriter) section(title string, rows [][2]string) {
	if len(rows) == 0 {
		return
	}
	h.line("")
	h.line(title)
	left := 0
	for _, r := range rows {
		if n := len(r[0]); n > left && n <= maxLeftColumn {
			left = n
		}
	}
	pad := sectionIndent + strings.Repeat(" ", left) + columnGap
	for _, r := range rows {
		lines := render.Wrap(r[1], max(h.width-len(pad), 20))
		first := sectionIndent + r[0]
		if len(r[0]) > left { // too wide: description starts on its own line
			h.line(first)
		} else if len(lines) > 0 {
			lines[0] = first + strings.Repeat(" ", len(pad)-len(first)) + lines[0]
		} else {
			lines = []string{first}
		}
		for i, l := range lines {
			if i > 0 || len(r[0]) > left {
				l = pad + l
			}
			h.line(l)
		}
	}
}

// environmentTopic is `baseten help environment`: the environment
// variables, which the root's help only points to (they are most of a
// screen). The man pages list them on every page.
const environmentTopic = "environment"

// writeEnvironmentHelp lists every environment variable baseten reads: the
// ones people and scripts set, then the ones the shell sets when it asks
// for completions.
func writeEnvironmentHelp(w io.Writer, width int) error {
	h := &helpWriter{w: w, width: width}
	h.line("Usage: baseten help " + environmentTopic)
	h.line("")
	h.wrapped("The environment variables baseten reads.", "")
	var user, shell [][2]string
	for _, v := range schema.Environment {
		if v.SetByShell() {
			shell = append(shell, [2]string{v.Name, v.Meaning})
		} else {
			user = append(user, [2]string{v.Name, v.Meaning})
		}
	}
	h.section("Environment:", user)
	h.section("Set by the shell when it asks for completions, never by hand:", shell)
	h.line("")
	h.wrapped("Exit codes are listed by 'baseten --help'.", "")
	return h.err
}

// canonicalPath spells a command path with each command's own name where
// the path uses an alias (model fetch is model describe).
func canonicalPath(node *kong.Node, path []string) []string {
	out := make([]string, 0, len(path))
	for _, word := range path {
		var next *kong.Node
		for _, child := range node.Children {
			if child.Name == word || slices.Contains(child.Aliases, word) {
				next = child
				break
			}
		}
		if next == nil {
			return append(out, path[len(out):]...)
		}
		out = append(out, next.Name)
		node = next
	}
	return out
}
