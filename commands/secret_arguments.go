package commands

import (
	"slices"
	"strconv"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/render"
)

// secretArguments is a command where a mistaken value on the command line
// is likely a secret (a key pasted after `auth login`): its parse errors
// say what is wrong without repeating what was typed, which Kong's would
// ("unexpected argument abcd1234.SECRET...").
type secretArguments interface {
	secretArgumentsError() string
	secretArgumentsHint() string
}

// commandOf is the command struct a Kong node stands for, or nil.
func commandOf(node *kong.Node) any {
	if node == nil || !node.Target.IsValid() || !node.Target.CanAddr() {
		return nil
	}
	return node.Target.Addr().Interface()
}

// echoesValues reports whether msg repeats a value from args (see
// typedValues), compared without case (Kong lower-cases some).
func echoesValues(msg string, args, path []string) bool {
	msg = strings.ToLower(msg)
	return slices.ContainsFunc(typedValues(args, path), func(value string) bool {
		return strings.Contains(msg, strings.ToLower(value))
	})
}

// typedValues are the values of a command line: its arguments, what
// follows "=" in a flag, and what follows the letter of a short flag
// written as one word ("-oVALUE") when that is long enough to be a key
// rather than more short flags ("-vq"). Flag names and the command's own
// words are not values.
func typedValues(args, path []string) []string {
	var values []string
	for _, arg := range args {
		switch {
		case slices.Contains(path, arg):
		case strings.HasPrefix(arg, "--"):
			if _, value, _ := strings.Cut(arg, "="); value != "" {
				values = append(values, value)
			}
		case strings.HasPrefix(arg, "-") && len(arg) > 2:
			if _, value, found := strings.Cut(arg, "="); found && value != "" {
				values = append(values, value)
			} else if len(arg)-2 >= minHiddenValue {
				values = append(values, arg[2:])
			}
		case !strings.HasPrefix(arg, "-"):
			values = append(values, arg)
		}
	}
	return values
}

// hideValues replaces in msg, a message of our own checks, every value of
// the command line long enough to be a key with render.Redacted: the rest
// still says what is wrong.
func hideValues(msg string, args, path []string) string {
	for _, value := range typedValues(args, path) {
		if len(value) >= minHiddenValue {
			quoted := strconv.Quote(value) // as %q writes it
			msg = strings.ReplaceAll(strings.ReplaceAll(msg, value, render.Redacted), quoted[1:len(quoted)-1], render.Redacted)
		}
	}
	return msg
}

// minHiddenValue is the length from which a typed value may be a key.
const minHiddenValue = 16
