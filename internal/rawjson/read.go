package rawjson

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
	"unsafe"
)

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
