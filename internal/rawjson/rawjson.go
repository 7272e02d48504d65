// Package rawjson works on JSON bodies as bytes. It checks that a body is
// well-formed JSON of an expected top-level shape (check.go), re-indents or
// compacts it without decoding it (format.go), so that what is printed
// keeps every field, the server's order of keys and its spelling of
// numbers and strings, and reads values out of a checked body (read.go).
package rawjson

import (
	"encoding/binary"
	"math/bits"
)

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

// quoteOrBackslash marks the '"' and '\\' bytes of x in the high bit of
// each byte; only the lowest mark is exact (a borrow may mark bytes above
// it), and bits.TrailingZeros64 finds it.
func quoteOrBackslash(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := x ^ (ones * '"')
	backslash := x ^ (ones * '\\')
	return ((quote-ones)&^quote | (backslash-ones)&^backslash) & highs
}

func isDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ',', ':', '{', '}', '[', ']', '"':
		return true
	}
	return false
}

// The scanning steps Check's scanner, the formatter and the readers share.
// Past Check, they trust a body's well-formedness (Check proved it) but
// nothing else.

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
