// Package rawjson works on JSON bodies as bytes. It checks that a body is
// well-formed JSON of an expected top-level shape, and re-indents or
// compacts it without decoding it, so that what is printed keeps every
// field, the server's order of keys and its spelling of numbers and strings.
package rawjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/tidwall/gjson"
)

// MaxDepth bounds nesting. The API's documents are four levels deep; the
// bound keeps a hostile body from driving a recursive validator (or a
// decoder) into an enormous stack.
const MaxDepth = 512

// MinBytesPerValue bounds how densely a body may pack values. Decoded, a
// value costs tens of bytes whatever its size on the wire, so 32 MiB of "{},"
// (a few KB gzipped) would become gigabytes. The API's answers spend 13 bytes
// or more on every value (a key in a list: about 15).
const MinBytesPerValue = 8

// Check reports whether body is well-formed JSON (RFC 8259) whose top level
// is an object, and, when member is not empty, whose top-level member of that
// name holds an array, which it returns (the last one, should the name
// repeat, as encoding/json would decode it). Nothing is decoded. Nesting
// deeper than MaxDepth and values packed denser than MinBytesPerValue are
// refused too: decoding such a body, however small, would cost unbounded
// stack or memory.
func Check(body []byte, member string) ([]byte, error) {
	shape, err := scanTop(body, member)
	if err != nil {
		return nil, err
	}
	// The scan bounded the nesting, so gjson's recursive validator is safe.
	if len(body) == 0 || !gjson.Valid(unsafe.String(&body[0], len(body))) {
		return nil, errors.New("not well-formed JSON")
	}
	if !shape.object {
		return nil, errors.New("not a JSON object")
	}
	if member == "" {
		return nil, nil
	}
	if shape.memberEnd == 0 || body[shape.memberStart] != '[' {
		return nil, fmt.Errorf("no %q array", member)
	}
	return body[shape.memberStart:shape.memberEnd], nil
}

type topShape struct {
	object bool // the top-level value is an object
	// memberStart and memberEnd bound the wanted member's value when it is an
	// object or array (memberEnd is 0 otherwise).
	memberStart, memberEnd int
}

// maxValues is how many values a body of n bytes may hold.
func maxValues(n int) int { return n/MinBytesPerValue + 64 }

// scanTop walks body once, without trusting it: it bounds the nesting depth
// and the density of values, and notes the top level's shape.
func scanTop(body []byte, member string) (topShape, error) {
	var shape topShape
	depth := 0
	values, most := 1, maxValues(len(body)) // every '{', '[' and ',' starts one more
	expectKey := false                      // at depth 1 of the top object, the next string is a key
	wanted := false                         // the key just read is member
	inMember := false                       // inside the wanted member's object or array
	for i := 0; i < len(body); i++ {
		switch c := body[i]; c {
		case '"':
			end := stringEnd(body, i)
			if end < 0 {
				return shape, errors.New("not well-formed JSON")
			}
			if depth == 1 && expectKey {
				wanted = member != "" && keyEquals(body[i:end+1], member)
				expectKey = false
			} else if depth == 1 && wanted { // the member is a string
				shape.memberEnd, wanted = 0, false
			}
			i = end
		case '{', '[':
			if depth == 0 {
				shape.object = c == '{'
				expectKey = shape.object
			} else if depth == 1 && wanted {
				shape.memberStart, shape.memberEnd, inMember, wanted = i, 0, true, false
			}
			depth++
			if depth > MaxDepth {
				return shape, fmt.Errorf("nested deeper than %d levels", MaxDepth)
			}
			values++
		case '}', ']':
			depth--
			if depth == 1 && inMember {
				shape.memberEnd, inMember = i+1, false
			}
		case ',':
			values++
			if depth == 1 {
				expectKey, wanted = shape.object, false
			}
		case ' ', '\t', '\n', '\r', ':':
		default:
			if depth == 1 && wanted { // the member is a number, true, false or null
				shape.memberEnd, wanted = 0, false
			}
		}
		if values > most {
			return shape, fmt.Errorf("more than one value per %d bytes, denser than any answer of the API", MinBytesPerValue)
		}
	}
	return shape, nil
}

// stringEnd returns the index of the quote closing the string that opens at
// body[start], or -1. The API's strings are short, so a plain loop beats
// bytes.IndexByte's call overhead.
func stringEnd(body []byte, start int) int {
	for i := start + 1; i < len(body); i++ {
		switch body[i] {
		case '"':
			return i
		case '\\':
			i++ // the escaped character, whatever it is
		}
	}
	return -1
}

// keyEquals compares a quoted key with name, unescaping only when the key
// holds an escape (which a hostile body may use to spell "keys" otherwise).
func keyEquals(quoted []byte, name string) bool {
	if bytes.IndexByte(quoted, '\\') < 0 {
		return string(quoted[1:len(quoted)-1]) == name
	}
	var key string
	return json.Unmarshal(quoted, &key) == nil && key == name
}

// Layout is how Format lays a body out.
type Layout struct {
	// Indent puts every member and element on a line of its own, indented
	// two spaces a level, as encoding/json's Indent does; otherwise the body
	// is compacted onto one line, as encoding/json's Compact does.
	Indent bool
	// ForTerminal escapes, inside strings, what a terminal could act on or
	// hide: C1 controls and DEL, invisible formatting characters (BiDi
	// overrides, zero-width characters, U+2028/U+2029) and invalid UTF-8
	// become \uXXXX escapes. The content stays the same JSON value.
	ForTerminal bool
}

// Indent writes body, which must have passed Check, indented by two spaces
// per level exactly as encoding/json's Indent lays it out, plus a final
// newline. It streams: memory does not grow with the body.
func Indent(w io.Writer, body []byte) error { return Format(w, body, Layout{Indent: true}) }

// Compact writes body, which must have passed Check, without insignificant
// whitespace, plus a final newline, as encoding/json's Compact would.
func Compact(w io.Writer, body []byte) error { return Format(w, body, Layout{}) }

var colonSpace = []byte(": ")

var newlineIndent = []byte("\n" + string(bytes.Repeat([]byte(" "), 2*64)))

// Format writes body, which must have passed Check, in the given layout,
// plus a final newline.
func Format(w io.Writer, body []byte, layout Layout) error {
	if !layout.Indent {
		return compact(w, body, layout.ForTerminal)
	}
	f := formatter{w: w, escape: layout.ForTerminal}
	depth := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			end := stringEnd(body, i)
			f.string(body[i : end+1])
			i = end
			continue
		}
		switch c {
		case '{', '[':
			f.byte(c)
			next := skipSpace(body, i+1)
			if next < len(body) && (body[next] == '}' || body[next] == ']') {
				f.byte(body[next]) // "{}" and "[]" stay on one line
				i = next
				continue
			}
			depth++
			f.newline(depth)
		case '}', ']':
			depth--
			f.newline(depth)
			f.byte(c)
		case ',':
			f.byte(c)
			f.newline(depth)
		case ':':
			f.write(colonSpace)
		default: // a number, true, false or null
			start := i
			for i+1 < len(body) && !isDelimiter(body[i+1]) {
				i++
			}
			f.write(body[start : i+1])
		}
	}
	f.byte('\n')
	return f.err
}

// compact writes body without whitespace outside strings. Runs between
// whitespace go out in one write each, so a body that is already compact,
// as servers send them, is one write.
func compact(w io.Writer, body []byte, escape bool) error {
	f := formatter{w: w, escape: escape}
	start := 0 // of the run not yet written
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case ' ', '\t', '\n', '\r':
			f.write(body[start:i])
			start = i + 1
		case '"':
			end := stringEnd(body, i)
			if escape {
				f.write(body[start:i])
				f.string(body[i : end+1])
				start = end + 1
			}
			i = end
		}
	}
	f.write(body[start:])
	f.byte('\n')
	return f.err
}

type formatter struct {
	w      io.Writer
	escape bool // Layout.ForTerminal
	err    error
	one    [1]byte
}

// string writes a quoted string, escaping what a terminal could act on when
// asked to. Printable ASCII, nearly everything, is written as is.
func (f *formatter) string(quoted []byte) {
	if !f.escape {
		f.write(quoted)
		return
	}
	start := 0
	for i := 0; i < len(quoted); {
		c := quoted[i]
		if c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(quoted[i:])
		if !(r == utf8.RuneError && size == 1) && !unsafeRune(r) {
			i += size
			continue
		}
		f.write(quoted[start:i])
		if r == utf8.RuneError && size == 1 {
			r = utf8.RuneError
		}
		if r > 0xffff { // a JSON \u escape holds 16 bits: a surrogate pair
			r1, r2 := utf16.EncodeRune(r)
			f.write(fmt.Appendf(nil, `\u%04x\u%04x`, r1, r2))
		} else {
			f.write(fmt.Appendf(nil, `\u%04x`, r))
		}
		i += size
		start = i
	}
	f.write(quoted[start:])
}

// unsafeRune: DEL and C1 controls, and the invisible formatting characters.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

func (f *formatter) write(p []byte) {
	if f.err == nil {
		_, f.err = f.w.Write(p)
	}
}

func (f *formatter) byte(c byte) {
	f.one[0] = c
	f.write(f.one[:])
}

// newline ends a line and indents the next by depth levels.
func (f *formatter) newline(depth int) {
	n := 1 + 2*depth
	if n <= len(newlineIndent) {
		f.write(newlineIndent[:n])
		return
	}
	f.write(newlineIndent[:1])
	for n--; n > 0; {
		k := min(n, len(newlineIndent)-1)
		f.write(newlineIndent[1 : 1+k])
		n -= k
	}
}

func isDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ',', ':', '{', '}', '[', ']', '"':
		return true
	}
	return false
}

// The functions below read values out of a body that has passed Check.
// They trust its well-formedness (Check proved it) but nothing else.

// Member returns the raw value of the named member of the top-level object
// in body, or nil. (Check returns the one it checked; this is for others.)
func Member(body []byte, name string) []byte {
	var found []byte
	Object(body, func(key string, value []byte) bool {
		if key == name {
			found = value
		}
		return true // on to the end: the last of repeated names counts
	})
	return found
}

// Object calls fn with each member of the object value holds, in order,
// until fn returns false. A value that is not an object has no members.
func Object(value []byte, fn func(key string, value []byte) bool) {
	i := skipSpace(value, 0)
	if i < len(value) && value[i] == '{' {
		members(value, i, fn)
	}
}

// Array calls fn with each element of the array value holds, in order, until
// fn returns false. A value that is not an array has no elements.
func Array(value []byte, fn func(element []byte) bool) {
	i := skipSpace(value, 0)
	if i >= len(value) || value[i] != '[' {
		return
	}
	for i = skipSpace(value, i+1); i < len(value) && value[i] != ']'; i = nextElement(value, i) {
		end := skipValue(value, i)
		if !fn(value[i:end]) {
			return
		}
		i = end
	}
}

// Objects walks an array of objects in one pass, the way a list of records
// is read: member is called with each member of each element, then done
// after the element, with false for an element that is not an object (it
// has no members). Either callback returning false stops the walk.
func Objects(array []byte, member func(key string, value []byte) bool, done func(isObject bool) bool) {
	i := skipSpace(array, 0)
	if i >= len(array) || array[i] != '[' {
		return
	}
	stopped := false
	for i = skipSpace(array, i+1); i < len(array) && array[i] != ']' && !stopped; i = nextElement(array, i) {
		isObject := array[i] == '{'
		if isObject {
			i = members(array, i, func(key string, value []byte) bool {
				stopped = !member(key, value)
				return !stopped
			})
		} else {
			i = skipValue(array, i)
		}
		stopped = stopped || !done(isObject)
	}
}

// members calls fn with each member of the object that opens at body[i] and
// returns the index just past it (or where fn stopped the walk).
func members(body []byte, i int, fn func(key string, value []byte) bool) int {
	for i = skipSpace(body, i+1); i < len(body) && body[i] != '}'; {
		end := stringEnd(body, i)
		key, _ := String(body[i : end+1])
		i = skipSpace(body, skipSpace(body, end+1)+1) // past the ':'
		valueEnd := skipValue(body, i)
		if !fn(key, body[i:valueEnd]) {
			return valueEnd
		}
		i = nextElement(body, valueEnd)
	}
	return i + 1
}

// nextElement steps over the whitespace and the comma after a value.
func nextElement(body []byte, i int) int {
	i = skipSpace(body, i)
	if i < len(body) && body[i] == ',' {
		i = skipSpace(body, i+1)
	}
	return i
}

// String returns the string a raw JSON value holds, and whether it is a
// string at all. A string of printable ASCII without escapes, nearly every
// string the API sends, is returned without copying: it shares the body's
// memory, which must not change while it is in use. Escapes are resolved and
// invalid UTF-8 becomes U+FFFD, as encoding/json decodes them.
func String(value []byte) (string, bool) {
	if len(value) < 2 || value[0] != '"' {
		return "", false
	}
	inner := value[1 : len(value)-1]
	for _, c := range inner {
		if c == '\\' || c >= 0x80 {
			return decodeString(value)
		}
	}
	return unsafe.String(unsafe.SliceData(inner), len(inner)), true
}

// decodeString is String's way for strings with escapes or non-ASCII.
func decodeString(value []byte) (string, bool) {
	inner := value[1 : len(value)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return unsafe.String(unsafe.SliceData(inner), len(inner)), true
	}
	var s string
	if json.Unmarshal(value, &s) != nil {
		return "", false
	}
	return s, true
}

// Decode turns a checked value into plain Go values: map[string]any,
// []any, string, json.Number (exact, spelled as sent), bool and nil, the
// values jq filters work on. It is what encoding/json's Decoder with
// UseNumber produces, without its reflection: strings share the body's
// memory where String allows.
func Decode(value []byte) any {
	i := skipSpace(value, 0)
	if i >= len(value) {
		return nil
	}
	switch value[i] {
	case '{':
		m := make(map[string]any, 8)
		members(value, i, func(key string, member []byte) bool {
			m[key] = Decode(member)
			return true
		})
		return m
	case '[':
		a := make([]any, 0, 4)
		Array(value[i:], func(element []byte) bool {
			a = append(a, Decode(element))
			return true
		})
		return a
	case '"':
		s, _ := String(value[i:])
		return s
	case 't':
		return true
	case 'f':
		return false
	case 'n':
		return nil
	}
	return json.Number(value[i:])
}

// IsNull reports whether a raw value is null (or absent: nil).
func IsNull(value []byte) bool { return value == nil || string(value) == "null" }

// skipValue returns the index just past the value that starts at body[i].
func skipValue(body []byte, i int) int {
	switch body[i] {
	case '"':
		return stringEnd(body, i) + 1
	case '{', '[':
		depth := 0
		for ; i < len(body); i++ {
			switch body[i] {
			case '"':
				i = stringEnd(body, i)
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	default: // a number, true, false or null
		for i < len(body) && !isDelimiter(body[i]) {
			i++
		}
		return i
	}
}

func skipSpace(body []byte, i int) int {
	for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r') {
		i++
	}
	return i
}
