package commands

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/schema"
)

// Kong's parse errors are written for its own tests ("missing flags:
// --type=TEXT", `expected "<shell>"`, `--team-id: expected string value but
// got "EOL" (<EOL>)`). Every one a user can cause is said again here in
// the CLI's words, one line and a hint, like the errors of our own checks
// (`--output must be one of ..., not "yaml"`). Anything not recognised keeps
// Kong's words rather than lose what went wrong.

var (
	kongMissingFlags  = regexp.MustCompile(`^missing flags: (.+)$`)
	kongMissingArg    = regexp.MustCompile(`^expected "<([\w-]+)>( \.\.\.)?"$`)
	kongExpectedValue = regexp.MustCompile(`^(-{1,2}[\w-]+): expected (\S+) value but got "(.*)" \(([^()]*)\)`)
	kongUnexpectedArg = regexp.MustCompile(`^unexpected argument (.+?)(, did you mean .*)?$`)
	kongUnknownFlag   = regexp.MustCompile(`^unknown flag (-{1,2}[^\s,=]+)`)
)

// inOurWords returns the error line and hint for a Kong parse error on
// cmd (the command Kong had reached), or ok false to keep Kong's.
func inOurWords(err error, kctx *kong.Context, cmd *schema.Command) (msg, hint string, ok bool) {
	text := err.Error()
	if m := kongUnknownFlag.FindStringSubmatch(text); m != nil {
		return unknownFlag(cmd, m[1])
	}
	if m := kongMissingFlags.FindStringSubmatch(text); m != nil {
		return missingFlags(cmd, m[1])
	}
	if m := kongMissingArg.FindStringSubmatch(text); m != nil {
		return missingArgument(kctx, cmd, m[1])
	}
	if m := kongExpectedValue.FindStringSubmatch(text); m != nil {
		flag, got, kind := m[1], m[3], m[4]
		switch {
		case kind == "<EOL>":
			return flag + " needs a value", "Give it after the flag: " + flag + " " + flagType(cmd, flag) + ".", true
		case strings.HasSuffix(kind, "flag"):
			return fmt.Sprintf("%s needs a value, not the flag %s", flag, got), "A value that starts with - goes after an = sign: " + flag + "=VALUE.", true
		}
		return "", "", false
	}
	if m := kongUnexpectedArg.FindStringSubmatch(text); m != nil {
		if !cmd.IsLeaf() {
			return unknownCommand(cmd, m[1])
		}
		if cmd.Args == "" {
			return fmt.Sprintf("%s takes no arguments, not %q", cmd.FullName(), m[1]), "", true
		}
		return fmt.Sprintf("unexpected extra argument %q", m[1]), "", true
	}
	return "", "", false
}

// unknownCommand is the answer to a word that names no command of group,
// the same whether it was run (`baseten nosuch`) or asked about (`baseten
// help nosuch`): with a suggestion when the word is a likely typo.
func unknownCommand(group *schema.Command, word string) (msg, hint string, ok bool) {
	var names []string
	for _, c := range group.Children {
		names = append(names, c.Name)
	}
	hint = suggest(word, names)
	if word == environmentTopic && len(group.Path) == 0 {
		hint = "It is a help topic: run 'baseten help " + environmentTopic + "'."
	}
	// Without a likely typo, the usage block that follows says where the
	// commands are listed.
	return fmt.Sprintf("unknown command %q for %s", word, group.FullName()), hint, true
}

// unknownFlag names the command the flag is unknown to, and suggests one
// of its flags when the name is a likely typo (never Kong's list of every
// one-letter flag).
func unknownFlag(cmd *schema.Command, flag string) (msg, hint string, ok bool) {
	name, _, _ := strings.Cut(flag, "=")
	msg = fmt.Sprintf("unknown flag %s for %s", name, cmd.FullName())
	if !strings.HasPrefix(name, "--") || len(name) < 4 {
		return msg, "", true
	}
	var longs []string
	for _, f := range cmd.Flags {
		longs = append(longs, "--"+f.Long)
	}
	if !cmd.IsLeaf() || len(cmd.Path) == 0 {
		longs = append(longs, "--help")
	}
	return msg, suggest(name, longs), true
}

// missingFlags says which required flags are missing: Kong's list is of
// "--a=TYPE" and, for a group of which one is required, "--a=TYPE or
// --b=TYPE", separated by ", ".
func missingFlags(cmd *schema.Command, list string) (msg, hint string, ok bool) {
	var items []string
	for _, item := range strings.Split(list, ", ") {
		var names []string
		for _, alt := range strings.Split(item, " or ") {
			name, _, _ := strings.Cut(strings.TrimSpace(alt), "=")
			names = append(names, name)
		}
		items = append(items, strings.Join(names, " or "))
	}
	if len(items) == 1 && !strings.Contains(items[0], " or ") {
		flag := flagNamed(cmd, items[0])
		if flag != nil && len(flag.Enum) > 0 {
			hint = "Give one of: " + strings.Join(flag.Enum, ", ") + "."
		} else {
			hint = "Give it as " + items[0] + " " + flagType(cmd, items[0]) + "."
		}
		return items[0] + " is required", hint, true
	}
	if len(items) == 1 {
		return "one of " + items[0] + " is required", "", true
	}
	return strings.Join(items, " and ") + " are required", "", true
}

// missingArgument says which positional argument is missing, with its
// values when it has a fixed set (completion's SHELL).
func missingArgument(kctx *kong.Context, cmd *schema.Command, name string) (msg, hint string, ok bool) {
	msg = fmt.Sprintf("%s needs a %s", cmd.FullName(), strings.ToUpper(name))
	if kctx == nil || kctx.Selected() == nil {
		return msg, "", true
	}
	for _, p := range kctx.Selected().Positional {
		if p.Name == name && p.Enum != "" {
			return msg, "One of: " + strings.Join(p.EnumSlice(), ", ") + ".", true
		}
	}
	return msg, "", true
}

// flagNamed is cmd's flag named --long or -s, nil if it has none.
func flagNamed(cmd *schema.Command, name string) *schema.Flag {
	for i, f := range cmd.Flags {
		if name == "--"+f.Long || (f.Short != "" && name == "-"+f.Short) {
			return &cmd.Flags[i]
		}
	}
	return nil
}

// flagType is the word for the value of cmd's flag name, as help shows it.
func flagType(cmd *schema.Command, name string) string {
	if f := flagNamed(cmd, name); f != nil && f.Type != "BOOL" {
		return strings.TrimSuffix(f.Type, " (repeatable)")
	}
	return "VALUE"
}

// flagsAfterCommand recognises flags typed before the command they belong
// to (`baseten -o json org api-key list`), as other CLIs allow, and returns
// the same line with them after it. moved is false unless every word
// before the last command word is a command or a flag of that command
// (with its value).
func flagsAfterCommand(root *schema.Command, args []string) (line string, target *schema.Command, moved bool) {
	cmd, path, at := root, []string(nil), []int(nil)
	for i, a := range args {
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		if child := root.Find(append(slices.Clone(path), a)...); child != nil {
			cmd, path, at = child, append(path, a), append(at, i)
		}
	}
	if len(at) == 0 || !cmd.IsLeaf() {
		return "", nil, false
	}
	last := at[len(at)-1]
	if last == len(at)-1 { // nothing before the command's words
		return "", nil, false
	}
	var rest []string
	for i := 0; i < len(args); i++ {
		if slices.Contains(at, i) {
			continue
		}
		a := args[i]
		if a == "--" { // the rest is a passthrough argument's
			rest = append(rest, args[i:]...)
			break
		}
		if name, _, _ := strings.Cut(a, "="); i > last && strings.HasPrefix(a, "-") && flagNamed(cmd, name) == nil && a != "-h" && a != "--help" {
			return "", nil, false // moving the others would not make the line work
		}
		if i < last {
			name, _, hasValue := strings.Cut(a, "=")
			flag := flagNamed(cmd, name)
			if !strings.HasPrefix(a, "-") || flag == nil {
				return "", nil, false
			}
			if !hasValue && flag.Type != "BOOL" && i+1 < len(args) && !slices.Contains(at, i+1) {
				rest = append(rest, a, args[i+1])
				i++
				continue
			}
		}
		rest = append(rest, a)
	}
	words := append([]string{schema.Program}, path...)
	for _, r := range rest {
		words = append(words, shellQuote(r))
	}
	return strings.Join(words, " "), cmd, true
}

// versionMisplaced refuses --version after a command word (`baseten org
// api-key list --version`). Kong would take it there, as a flag of the
// root, though no command's help lists it; refused, what help lists is
// what works. Words after the start of a passthrough argument (sandbox
// exec's COMMAND) are the command's own, --version included.
func versionMisplaced(parser *kong.Kong, args []string) error {
	node := parser.Model.Node
	for _, a := range args {
		switch {
		case a == "--":
			return nil
		case a == "--version":
			if node == parser.Model.Node {
				return nil
			}
			return versionRefused(parser, node)
		case strings.HasPrefix(a, "-"):
			continue
		}
		if child := childNamed(node, a); child != nil {
			node = child
			continue
		}
		for _, p := range node.Positional {
			if p.Passthrough {
				return nil
			}
		}
	}
	return nil
}

// childNamed is node's command called name (or by an alias), nil if none.
func childNamed(node *kong.Node, name string) *kong.Node {
	for _, c := range node.Children {
		if c.Type == kong.CommandNode && (c.Name == name || slices.Contains(c.Aliases, name)) {
			return c
		}
	}
	return nil
}

// versionRefused is versionMisplaced's error, with node's usage.
func versionRefused(parser *kong.Kong, node *kong.Node) error {
	root, err := schema.Build(parser.Model)
	if err != nil {
		return fmt.Errorf("internal error: %w", err)
	}
	cmd := root.Find(nodePath(node)...)
	if cmd == nil {
		cmd = root
	}
	return &exitError{code: schema.ExitUsage, msg: "--version is a flag of baseten itself, not of " + cmd.FullName(),
		hint: "Run 'baseten --version' to print the version.", usage: usageLines(cmd)}
}
