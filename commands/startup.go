package commands

import (
	"reflect"
	"strings"

	"github.com/alecthomas/kong"
)

// leaveOutUnnamed returns the Kong option that leaves out of the model the
// commands a command line does not name: at each level of the path args
// spell (`org api-key list`), the siblings of the command named. Kong
// reflects over every struct it is given, and for `org api-key list --help`
// that was most of the run. Where the path ends, a group
// keeps all its commands (its help lists them); `help ...` and a bare
// command line keep the whole tree, and so does a parse error (Main parses
// again).
func leaveOutUnnamed(args []string) []kong.Option {
	var ignore []string
	for node, i := reflect.TypeFor[CLI](), 0; i < len(args) && args[i] != "help"; i++ {
		next, named := reflect.Type(nil), false
		for j := range node.NumField() {
			field := node.Field(j)
			if !isCommand(field) {
				continue
			}
			if commandName(field) == args[i] {
				next, named = field.Type, true
			} else {
				ignore = append(ignore, node.Name()+`\.`+field.Name)
			}
		}
		if !named {
			ignore = ignore[:len(ignore)-countCommands(node)] // a flag or a typo: keep this level whole
			break
		}
		if next == nil {
			break
		}
		node = next
	}
	if len(ignore) == 0 {
		return nil
	}
	// One alternation, not a pattern per field: Kong compiles each one,
	// and compiling was a sixth of `--help`.
	return []kong.Option{kong.IgnoreFields("^(?:" + strings.Join(ignore, "|") + ")$")}
}

func countCommands(node reflect.Type) int {
	n := 0
	for j := range node.NumField() {
		if isCommand(node.Field(j)) {
			n++
		}
	}
	return n
}

func isCommand(field reflect.StructField) bool {
	_, ok := field.Tag.Lookup("cmd")
	return ok
}

// commandName is the name Kong gives a command field: its name tag, else
// the field name in lower case. (Command fields without a name tag are
// single words; TestCommandNames holds this to the names Kong builds.)
func commandName(field reflect.StructField) string {
	if name := field.Tag.Get("name"); name != "" {
		return name
	}
	return strings.ToLower(field.Name)
}
