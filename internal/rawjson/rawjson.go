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
// name holds an array. Nothing is decoded. Nesting deeper than MaxDepth and
// values packed denser than MinBytesPerValue are refused too: decoding such
// a body, however small, would cost unbounded stack or memory.
func Check(body []byte, member string) error {
	shape, err := scanTop(body, member)
	if err != nil {
		return err
	}
	// The scan bounded the nesting, so gjson's recursive validator is safe.
	if len(body) == 0 || !gjson.Valid(unsafe.String(&body[0], len(body))) {
		return errors.New("not well-formed JSON")
	}
	switch {
	case !shape.object:
		return errors.New("not a JSON object")
	case member != "" && !shape.memberIsArray:
		return fmt.Errorf("no %q array", member)
	}
	return nil
}

type topShape struct {
	object        bool // the top-level value is an object
	memberIsArray bool // the wanted member was found holding an array
}

// maxValues is how many values a body of n bytes may hold.
func maxValues(n int) int { return n/MinBytesPerValue + 64 }

// scanTop walks body once, without trusting it: it bounds the nesting depth
// and notes the top level's shape. Strings are skipped with IndexByte, which
// keeps the scan close to memory speed.
func scanTop(body []byte, member string) (topShape, error) {
	var shape topShape
	depth := 0
	values, most := 1, maxValues(len(body)) // every '{', '[' and ',' starts one more
	expectKey := false                      // at depth 1 of the top object, the next string is a key
	wanted := false                         // the key just read is member
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
			}
			i = end
		case '{', '[':
			if depth == 0 {
				shape.object = c == '{'
				expectKey = shape.object
			} else if depth == 1 && wanted {
				shape.memberIsArray = shape.memberIsArray || c == '['
				wanted = false
			}
			depth++
			if depth > MaxDepth {
				return shape, fmt.Errorf("nested deeper than %d levels", MaxDepth)
			}
			values++
		case '}', ']':
			depth--
		case ',':
			values++
			if depth == 1 {
				expectKey, wanted = shape.object, false
			}
		case ' ', '\t', '\n', '\r', ':':
		default:
			if depth == 1 {
				wanted = false // a scalar value
			}
		}
		if values > most {
			return shape, fmt.Errorf("more than one value per %d bytes, denser than any answer of the API", MinBytesPerValue)
		}
	}
	return shape, nil
}

// stringEnd returns the index of the quote closing the string that opens at
// body[start], or -1. A quote is escaped when an odd number of backslashes
// precede it.
func stringEnd(body []byte, start int) int {
	for i := start + 1; ; {
		j := bytes.IndexByte(body[i:], '"')
		if j < 0 {
			return -1
		}
		i += j
		backslashes := 0
		for k := i - 1; k > start && body[k] == '\\'; k-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return i
		}
		i++
	}
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

var newlineIndent = []byte("\n" + string(bytes.Repeat([]byte(" "), 2*64)))

// Format writes body, which must have passed Check, in the given layout,
// plus a final newline.
func Format(w io.Writer, body []byte, layout Layout) error {
	indent := layout.Indent
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
		if !indent {
			// Scalars and punctuation pass through; only whitespace goes.
			start := i
			for i+1 < len(body) && !isSpaceOrQuote(body[i+1]) {
				i++
			}
			f.write(body[start : i+1])
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
			f.write([]byte(": "))
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

func isSpaceOrQuote(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"'
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
// in body, or nil.
func Member(body []byte, name string) []byte {
	var found []byte
	Object(body, func(key string, value []byte) bool {
		if key == name {
			found = value
			return false
		}
		return true
	})
	return found
}

// Object calls fn with each member of the object value holds, in order,
// until fn returns false. A value that is not an object has no members.
func Object(value []byte, fn func(key string, value []byte) bool) {
	i := skipSpace(value, 0)
	if i >= len(value) || value[i] != '{' {
		return
	}
	for i = skipSpace(value, i+1); i < len(value) && value[i] != '}'; {
		end := stringEnd(value, i)
		key, _ := String(value[i : end+1])
		i = skipSpace(value, skipSpace(value, end+1)+1) // past the ':'
		valueEnd := skipValue(value, i)
		if !fn(key, value[i:valueEnd]) {
			return
		}
		i = skipSpace(value, valueEnd)
		if i < len(value) && value[i] == ',' {
			i = skipSpace(value, i+1)
		}
	}
}

// Array calls fn with each element of the array value holds, in order, until
// fn returns false. A value that is not an array has no elements.
func Array(value []byte, fn func(element []byte) bool) {
	i := skipSpace(value, 0)
	if i >= len(value) || value[i] != '[' {
		return
	}
	for i = skipSpace(value, i+1); i < len(value) && value[i] != ']'; {
		end := skipValue(value, i)
		if !fn(value[i:end]) {
			return
		}
		i = skipSpace(value, end)
		if i < len(value) && value[i] == ',' {
			i = skipSpace(value, i+1)
		}
	}
}

// String returns the string a raw JSON value holds, and whether it is a
// string at all. A string without escapes is returned without copying: it
// shares the body's memory, which must not change while it is in use.
// Invalid UTF-8 becomes U+FFFD, as encoding/json decodes it.
func String(value []byte) (string, bool) {
	if len(value) < 2 || value[0] != '"' {
		return "", false
	}
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
