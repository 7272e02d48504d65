package rawjson

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
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
	return (quoteOrBackslash(x) | (x-ones*0x20)&^x) & highs
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

// keyEquals compares a quoted key with name, unescaping only when the key
// holds an escape (which a hostile body may use to spell "keys" otherwise).
func keyEquals(quoted []byte, name string) bool {
	if bytes.IndexByte(quoted, '\\') < 0 {
		return string(quoted[1:len(quoted)-1]) == name
	}
	var key string
	return json.Unmarshal(quoted, &key) == nil && key == name
}

// What the scanner expects next.
const (
	expectValue      = iota // a value
	expectFirstValue        // after '[': a value or ']'
	expectFirstKey          // after '{': a key or '}'
	expectKey               // after ',' in an object: a key
	expectColon             // after a key
	expectEnd               // after a value: ',', the container's end, or the end of the body
)
