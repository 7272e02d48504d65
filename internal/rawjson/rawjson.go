// Package rawjson works on JSON bodies as bytes. It checks that a body is
// well-formed JSON of an expected top-level shape, and re-indents or
// compacts it without decoding it, so that what is printed keeps every
// field, the server's order of keys and its spelling of numbers and strings.
package rawjson

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
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
// name holds an array, which it returns with the number of its elements (the
// last one, should the name repeat, as encoding/json would decode it). Nothing is decoded. Nesting
// deeper than MaxDepth and values packed denser than MinBytesPerValue are
// refused too: decoding such a body, however small, would cost unbounded
// stack or memory.
//
// It is one pass over the body, with an explicit stack (no recursion for a
// hostile body to exhaust). A fuzz test holds its idea of validity to
// encoding/json's Valid.
func Check(body []byte, member string) (array []byte, elements int, err error) {
	shape, err := scan(body, member)
	if err != nil {
		return nil, 0, err
	}
	if !shape.object {
		return nil, 0, errors.New("not a JSON object")
	}
	if member == "" {
		return nil, 0, nil
	}
	if shape.memberEnd == 0 || body[shape.memberStart] != '[' {
		return nil, 0, fmt.Errorf("no %q array", member)
	}
	return body[shape.memberStart:shape.memberEnd], shape.elements, nil
}

type topShape struct {
	object bool // the top-level value is an object
	// memberStart and memberEnd bound the wanted member's value when it is an
	// object or array (memberEnd is 0 otherwise); elements counts what it
	// holds.
	memberStart, memberEnd, elements int
}

// maxValues is how many values a body of n bytes may hold.
func maxValues(n int) int { return n/MinBytesPerValue + 64 }

var errMalformed = errors.New("not well-formed JSON")

// What the scanner expects next.
const (
	expectValue      = iota // a value
	expectFirstValue        // after '[': a value or ']'
	expectFirstKey          // after '{': a key or '}'
	expectKey               // after ',' in an object: a key
	expectColon             // after a key
	expectEnd               // after a value: ',', the container's end, or the end of the body
)

// scan validates body and notes its top-level shape (see Check).
func scan(body []byte, member string) (topShape, error) {
	var shape topShape
	open := make([]byte, 0, 16) // the containers around the current point
	values, most := 0, maxValues(len(body))
	wanted := false   // the key just read, at depth 1, is member
	inMember := false // inside the wanted member's container
	state := expectValue
	// closeAt pops the container that body[i] closes, noting where the
	// wanted member ends if that is the one.
	closeAt := func(i int) {
		open, state = open[:len(open)-1], expectEnd
		if len(open) == 1 && inMember {
			shape.memberEnd, inMember = i+1, false
		}
	}
	for i := 0; i < len(body); {
		c := body[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		switch state {
		case expectFirstValue, expectValue:
			if state == expectFirstValue && c == ']' {
				closeAt(i)
				i++
				break
			}
			if values++; values > most {
				return shape, fmt.Errorf("more than one value per %d bytes, denser than any answer of the API", MinBytesPerValue)
			}
			if len(open) == 1 && wanted {
				shape.memberStart, shape.memberEnd, shape.elements, wanted = i, 0, 0, false
				inMember = c == '[' || c == '{'
			} else if len(open) == 2 && inMember {
				shape.elements++
			}
			switch c {
			case '{', '[':
				if len(open) == MaxDepth {
					return shape, fmt.Errorf("nested deeper than %d levels", MaxDepth)
				}
				if len(open) == 0 {
					shape.object = c == '{'
				}
				open = append(open, c)
				state = expectFirstKey
				if c == '[' {
					state = expectFirstValue
				}
				i++
				continue
			case '"':
				end := validString(body, i)
				if end < 0 {
					return shape, errMalformed
				}
				i = end + 1
			case 't':
				i = literal(body, i, "true")
			case 'f':
				i = literal(body, i, "false")
			case 'n':
				i = literal(body, i, "null")
			default:
				i = validNumber(body, i)
			}
			if i < 0 {
				return shape, errMalformed
			}
			state = expectEnd
		case expectFirstKey, expectKey:
			if state == expectFirstKey && c == '}' {
				closeAt(i)
				i++
				break
			}
			end := -1
			if c == '"' {
				end = validString(body, i)
			}
			if end < 0 {
				return shape, errMalformed
			}
			if len(open) == 1 {
				wanted = member != "" && keyEquals(body[i:end+1], member)
			}
			i, state = end+1, expectColon
		case expectColon:
			if c != ':' {
				return shape, errMalformed
			}
			i, state = i+1, expectValue
		case expectEnd:
			if len(open) == 0 {
				return shape, errMalformed // more after the top-level value
			}
			top := open[len(open)-1]
			switch {
			case c == ',':
				state = expectValue
				if top == '{' {
					state = expectKey
				}
			case c == '}' && top == '{', c == ']' && top == '[':
				closeAt(i)
			default:
				return shape, errMalformed
			}
			i++
		}
	}
	if state != expectEnd || len(open) != 0 {
		return shape, errMalformed
	}
	return shape, nil
}

// validString returns the index of the quote closing the string that opens
// at body[start], or -1 when it is not a valid JSON string: control
// characters must be escaped, and escapes are \" \\ \/ \b \f \n \r \t or
// \u and four hex digits. (Like encoding/json, other bytes pass as they are.)
func validString(body []byte, start int) int {
	for i := start + 1; ; i++ {
		// Eight bytes at a time up to the first one that needs a look: a
		// quote, a backslash or a control character. Nearly every string is
		// short and plain, and this was a quarter of `list -o none`.
		for i+8 <= len(body) {
			if special := stringSpecials(binary.LittleEndian.Uint64(body[i:])); special != 0 {
				i += bits.TrailingZeros64(special) >> 3
				break
			}
			i += 8
		}
		if i >= len(body) {
			return -1
		}
		switch c := body[i]; {
		case c == '"':
			return i
		case c < 0x20:
			return -1
		case c == '\\':
			i++
			if i >= len(body) {
				return -1
			}
			switch body[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(body) || !isHex(body[i+1]) || !isHex(body[i+2]) || !isHex(body[i+3]) || !isHex(body[i+4]) {
					return -1
				}
				i += 4
			default:
				return -1
			}
		}
	}
}

// stringSpecials marks, in the high bit of each of the eight bytes of x
// (little-endian), the bytes that are '"', '\\' or below 0x20. Only the
// lowest mark is exact (a borrow may mark bytes above it), which is all
// validString uses: bits.TrailingZeros64 finds the first such byte.
func stringSpecials(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := x ^ (ones * '"')
	backslash := x ^ (ones * '\\')
	return ((quote-ones)&^quote | (backslash-ones)&^backslash | (x-ones*0x20)&^x) & highs
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// validNumber returns the index just past the number at body[i], or -1:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(body []byte, i int) int {
	digits := func(i int) (int, bool) {
		start := i
		for i < len(body) && '0' <= body[i] && body[i] <= '9' {
			i++
		}
		return i, i > start
	}
	if i < len(body) && body[i] == '-' {
		i++
	}
	switch {
	case i < len(body) && body[i] == '0':
		i++
	case i < len(body) && '1' <= body[i] && body[i] <= '9':
		i, _ = digits(i)
	default:
		return -1
	}
	ok := true
	if i < len(body) && body[i] == '.' {
		if i, ok = digits(i + 1); !ok {
			return -1
		}
	}
	if i < len(body) && (body[i] == 'e' || body[i] == 'E') {
		i++
		if i < len(body) && (body[i] == '+' || body[i] == '-') {
			i++
		}
		if i, ok = digits(i); !ok {
			return -1
		}
	}
	return i
}

// literal returns the index just past word at body[i], or -1.
func literal(body []byte, i int, word string) int {
	if len(body)-i < len(word) || string(body[i:i+len(word)]) != word {
		return -1
	}
	return i + len(word)
}

// scanString is stringEnd that also tells whether the string is plain:
// printable ASCII without escapes, the same as its content.
func scanString(body []byte, start int) (end int, plain bool) {
	end = stringEnd(body, start)
	if end < 0 {
		return -1, false
	}
	for _, c := range body[start+1 : end] {
		if c == '\\' || c >= 0x80 {
			return end, false
		}
	}
	return end, true
}

// stringEnd returns the index of the quote closing the string that opens at
// body[start], or -1. The API's strings are short, so a plain loop beats
// bytes.IndexByte's call overhead (and, measured, a word-at-a-time scan).
func stringEnd(body []byte, start int) int {
	for i := start + 1; i < len(body); i++ {
		for i+8 <= len(body) { // eight bytes at a time, as validString
			if m := quoteOrBackslash(binary.LittleEndian.Uint64(body[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(body) {
			break
		}
		switch body[i] {
		case '"':
			return i
		case '\\':
			i++ // the escaped character, whatever it is
		}
	}
	return -1
}

// quoteOrBackslash marks the '"' and '\\' bytes of x as stringSpecials
// does (the lowest mark exact).
func quoteOrBackslash(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := x ^ (ones * '"')
	backslash := x ^ (ones * '\\')
	return ((quote-ones)&^quote | (backslash-ones)&^backslash) & highs
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
	// Escape, when set, names runes to write as \uXXXX escapes inside
	// strings (invalid UTF-8 then becomes \ufffd): the content stays the
	// same JSON value, but what a terminal could act on or hide is shown.
	Escape func(r rune) bool
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
		return compact(w, body, layout.Escape)
	}
	f := newFormatter(w, layout.Escape)
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
	return f.done()
}

// compact writes body without whitespace outside strings. Runs between
// whitespace go out in one write each, so a body that is already compact,
// as servers send them, is one write.
func compact(w io.Writer, body []byte, escape func(rune) bool) error {
	f := newFormatter(w, escape)
	start := 0 // of the run not yet written
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case ' ', '\t', '\n', '\r':
			f.write(body[start:i])
			start = i + 1
		case '"':
			end := stringEnd(body, i)
			if escape != nil {
				f.write(body[start:i])
				f.string(body[i : end+1])
				start = end + 1
			}
			i = end
		}
	}
	f.write(body[start:])
	return f.done()
}

// formatter collects output in a buffer of its own and writes it in large
// pieces: a body is mostly tokens of a few bytes, and a Write call each
// cost more than the formatting.
type formatter struct {
	w      io.Writer
	escape func(rune) bool // Layout.Escape
	buf    []byte
	err    error
}

const formatterBuffer = 32 << 10

// formatterBuffers keeps the buffers of finished formatters: output made
// of many small values (a log line each) formats each with a formatter of
// its own, and a fresh 32 KiB a value cost far more than formatting it.
var formatterBuffers = sync.Pool{New: func() any { b := make([]byte, 0, formatterBuffer+256); return &b }}

func newFormatter(w io.Writer, escape func(rune) bool) *formatter {
	buf := formatterBuffers.Get().(*[]byte)
	return &formatter{w: w, escape: escape, buf: (*buf)[:0]}
}

// string writes a quoted string, escaping the runes Layout.Escape names.
// Printable ASCII, nearly everything, is written as is.
func (f *formatter) string(quoted []byte) {
	if f.escape == nil {
		f.write(quoted)
		return
	}
	start := 0
	for i := 0; i < len(quoted); {
		if quoted[i] < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(quoted[i:])
		invalid := r == utf8.RuneError && size == 1
		if !invalid && !f.escape(r) {
			i += size
			continue
		}
		f.write(quoted[start:i])
		if r > 0xffff { // a JSON \u escape holds 16 bits: a surrogate pair
			r1, r2 := utf16.EncodeRune(r)
			f.buf = fmt.Appendf(f.buf, `\u%04x\u%04x`, r1, r2)
		} else {
			f.buf = fmt.Appendf(f.buf, `\u%04x`, r) // invalid UTF-8: \ufffd
		}
		i += size
		start = i
	}
	f.write(quoted[start:])
}

func (f *formatter) write(p []byte) {
	if len(f.buf)+len(p) > formatterBuffer {
		f.flush()
		if len(p) > formatterBuffer { // too big to be worth a copy
			if f.err == nil {
				_, f.err = f.w.Write(p)
			}
			return
		}
	}
	f.buf = append(f.buf, p...)
}

func (f *formatter) byte(c byte) { f.buf = append(f.buf, c) }

func (f *formatter) flush() {
	if f.err == nil && len(f.buf) > 0 {
		_, f.err = f.w.Write(f.buf)
	}
	f.buf = f.buf[:0]
}

// done writes what is left, and the final newline.
func (f *formatter) done() error {
	f.byte('\n')
	f.flush()
	if buf := f.buf[:0]; cap(buf) <= 2*formatterBuffer { // not one a huge string grew
		formatterBuffers.Put(&buf)
	}
	f.buf = nil
	return f.err
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
		var m Field
		members(value, i, &m, func(m *Field) bool { return fn(m.Key, m.Value) })
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

// A Field is one member of an object, as Objects hands it over. Its
// strings may share the body's memory.
type Field struct {
	Key   string
	Value []byte // the value as sent
	// Str is the string Value holds when IsString, decoded in the pass that
	// found the value's end (so a reader does not scan it again).
	Str      string
	IsString bool
}

// Objects walks an array of objects in one pass, the way a list of records
// is read: member is called with each member of each element, then done
// after the element, with false for an element that is not an object (it
// has no members). Either callback returning false stops the walk. The
// Field handed over is reused: copy what you keep.
func Objects(array []byte, member func(*Field) bool, done func(isObject bool) bool) {
	i := skipSpace(array, 0)
	if i >= len(array) || array[i] != '[' {
		return
	}
	var m Field
	stopped := false
	for i = skipSpace(array, i+1); i < len(array) && array[i] != ']' && !stopped; i = nextElement(array, i) {
		isObject := array[i] == '{'
		if isObject {
			i = members(array, i, &m, func(m *Field) bool {
				stopped = !member(m)
				return !stopped
			})
		} else {
			i = skipValue(array, i)
		}
		stopped = stopped || !done(isObject)
	}
}

// members calls fn with each member of the object that opens at body[i],
// filling m, and returns the index just past the object (or where fn
// stopped the walk).
func members(body []byte, i int, m *Field, fn func(*Field) bool) int {
	for i = skipSpace(body, i+1); i < len(body) && body[i] != '}'; {
		end, plain := scanString(body, i)
		m.Key = unsafe.String(unsafe.SliceData(body[i+1:end]), end-i-1)
		if !plain {
			m.Key, _ = decodeString(body[i : end+1])
		}
		i = skipSpace(body, skipSpace(body, end+1)+1) // past the ':'
		var valueEnd int
		if m.IsString = body[i] == '"'; m.IsString {
			end, plain = scanString(body, i)
			valueEnd = end + 1
			m.Str = unsafe.String(unsafe.SliceData(body[i+1:end]), end-i-1)
			if !plain {
				m.Str, _ = decodeString(body[i:valueEnd])
			}
		} else {
			valueEnd = skipValue(body, i)
			m.Str = ""
		}
		m.Value = body[i:valueEnd]
		if !fn(m) {
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
// UseNumber produces, in one pass and without reflection; strings share the
// body's memory where String allows. (Its recursion is bounded by Check's
// MaxDepth.)
func Decode(value []byte) any {
	v, _ := decodeAt(value, skipSpace(value, 0))
	return v
}

// decodeAt decodes the value that starts at body[i] and returns it with the
// index just past it.
func decodeAt(body []byte, i int) (any, int) {
	if i >= len(body) {
		return nil, i
	}
	switch body[i] {
	case '{':
		m := make(map[string]any, 8)
		for i = skipSpace(body, i+1); i < len(body) && body[i] != '}'; i = nextElement(body, i) {
			end, plain := scanString(body, i)
			key := unsafe.String(unsafe.SliceData(body[i+1:end]), end-i-1)
			if !plain {
				key, _ = decodeString(body[i : end+1])
			}
			m[key], i = decodeAt(body, skipSpace(body, skipSpace(body, end+1)+1))
		}
		return m, i + 1
	case '[':
		a := make([]any, 0, 4)
		for i = skipSpace(body, i+1); i < len(body) && body[i] != ']'; i = nextElement(body, i) {
			var v any
			v, i = decodeAt(body, i)
			a = append(a, v)
		}
		return a, i + 1
	case '"':
		end := stringEnd(body, i)
		s, _ := String(body[i : end+1])
		return s, end + 1
	case 't':
		return true, i + 4
	case 'f':
		return false, i + 5
	case 'n':
		return nil, i + 4
	}
	end := skipValue(body, i)
	return json.Number(body[i:end]), end
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
