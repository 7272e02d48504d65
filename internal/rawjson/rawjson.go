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
	"unsafe"

	"github.com/tidwall/gjson"
)

// MaxDepth bounds nesting. The API's documents are four levels deep; the
// bound keeps a hostile body from driving a recursive validator (or a
// decoder) into an enormous stack.
const MaxDepth = 512

// Check reports whether body is well-formed JSON (RFC 8259) whose top level
// is an object, and, when member is not empty, whose top-level member of that
// name holds an array. Nothing is decoded.
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

// scanTop walks body once, without trusting it: it bounds the nesting depth
// and notes the top level's shape. Strings are skipped with IndexByte, which
// keeps the scan close to memory speed.
func scanTop(body []byte, member string) (topShape, error) {
	var shape topShape
	depth := 0
	expectKey := false // at depth 1 of the top object, the next string is a key
	wanted := false    // the key just read is member
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
		case '}', ']':
			depth--
		case ',':
			if depth == 1 {
				expectKey, wanted = shape.object, false
			}
		case ' ', '\t', '\n', '\r', ':':
		default:
			if depth == 1 {
				wanted = false // a scalar value
			}
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

// Indent writes body, which must have passed Check, indented by two spaces
// per level exactly as encoding/json's Indent lays it out, plus a final
// newline. It streams: memory does not grow with the body.
func Indent(w io.Writer, body []byte) error {
	return format(w, body, true)
}

// Compact writes body, which must have passed Check, without insignificant
// whitespace, plus a final newline, as encoding/json's Compact would.
func Compact(w io.Writer, body []byte) error {
	return format(w, body, false)
}

var newlineIndent = []byte("\n" + string(bytes.Repeat([]byte(" "), 2*64)))

func format(w io.Writer, body []byte, indent bool) error {
	f := formatter{w: w}
	depth := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			end := stringEnd(body, i)
			f.write(body[i : end+1])
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
			next := nextNonSpace(body, i+1)
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
	w   io.Writer
	err error
	one [1]byte
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

func nextNonSpace(body []byte, i int) int {
	for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r') {
		i++
	}
	return i
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
