package commands

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/alecthomas/kong"
)

// foldEnums gives every flag with enum values (--type, --output) a mapper
// that takes them in any case and with "_" for "-": the API's JSON spells
// --type's values PERSONAL and WORKSPACE_INVOKE, and a user pasting them, or
// typing -o JSON, means the same thing. The flag holds the canonical
// spelling, so everything after parsing (and every message) sees that one.
// Anything else is refused with a suggestion, as Kong does for a mistyped
// flag.
func foldEnums(k *kong.Kong) error {
	return kong.Visit(k.Model, func(node kong.Visitable, next kong.Next) error {
		if flag, ok := node.(*kong.Flag); ok && flag.Enum != "" {
			if flag.Target.Kind() != reflect.String {
				return fmt.Errorf("flag --%s has enum values but Go type %s; foldEnums handles text flags only", flag.Name, flag.Target.Type())
			}
			flag.Value.Mapper = enumMapper{}
		}
		return next(nil)
	})
}

// enumMapper decodes the value of a text flag with enum values (foldEnums).
type enumMapper struct{}

func (enumMapper) Decode(ctx *kong.DecodeContext, target reflect.Value) error {
	var given string
	if err := ctx.Scan.PopValueInto("value", &given); err != nil {
		return err
	}
	values := ctx.Value.EnumSlice()
	for _, v := range values {
		if foldEnum(v) == foldEnum(given) {
			target.SetString(v)
			return nil
		}
	}
	return usageError(fmt.Sprintf("--%s must be one of %s, not %q", ctx.Value.Name, strings.Join(values, ", "), given), suggest(given, values))
}

// foldEnum is the spelling enum values are compared in: ASCII letters in
// lower case, "_" as "-". Only ASCII is folded: Unicode case mapping would
// also take the Kelvin sign (U+212A) for a "k", and accept
// "WORKSPACE_INVO\u212aE" as workspace-invoke.
func foldEnum(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'A' <= r && r <= 'Z':
			return r + ('a' - 'A')
		case r == '_':
			return '-'
		}
		return r
	}, s)
}

// suggest is the hint after an unknown value: the values it could be a typo
// of, by Kong's rule for flags (what it starts, or at most two edits away),
// compared folded. "" when none is close.
func suggest(given string, values []string) string {
	if given == "" || len(given) > 64 { // nothing to compare, or no typo
		return ""
	}
	var near []string
	for _, v := range values {
		if strings.HasPrefix(foldEnum(v), foldEnum(given)) || editDistance(foldEnum(v), foldEnum(given)) <= 2 {
			near = append(near, fmt.Sprintf("%q", v))
		}
	}
	switch len(near) {
	case 0:
		return ""
	case 1:
		return "Did you mean " + near[0] + "?"
	default:
		return "Did you mean one of " + strings.Join(near, ", ") + "?"
	}
}

// editDistance is the Levenshtein distance between a and b, in runes.
// (Kong has one, unexported.)
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := range ra {
		cur := make([]int, len(rb)+1)
		cur[0] = i + 1
		for j := range rb {
			cost := 1
			if ra[i] == rb[j] {
				cost = 0
			}
			cur[j+1] = min(prev[j+1]+1, cur[j]+1, prev[j]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
