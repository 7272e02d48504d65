package rawjson_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/internal/rawjson"
)

func TestCheck(t *testing.T) {
	for body, want := range map[string]string{
		`{"keys":[]}`:                      "",
		` {"a":1, "keys" : [ {"x":"]"} ]}`: "",
		`{"\u006beys":[]}`:                 "", // an escaped spelling of the name counts
		`{"keys":{}}`:                      `no "keys" array`,
		`{"nested":{"keys":[]}}`:           `no "keys" array`,
		`{"a":"keys","b":[]}`:              `no "keys" array`,
		`["keys"]`:                         "not a JSON object",
		`{"keys":[]`:                       "not well-formed JSON",
		`{"keys":[]} x`:                    "not well-formed JSON",
		`{"keys":[NaN]}`:                   "not well-formed JSON",
		"{\"keys\":[\"a\x01\"]}":           "not well-formed JSON",
		``:                                 "not well-formed JSON",
		`"unterminated`:                    "not well-formed JSON",
		strings.Repeat(`{"padding-padding":`, 600) + "1" + strings.Repeat("}", 600): "nested deeper than 512 levels",
		// Megabytes of open brackets would crash a recursive validator; they
		// are refused before it runs.
		strings.Repeat("[", 1<<20): "nested deeper than 512 levels",
		// Tiny values decode into far more memory than they take on the wire.
		`{"keys":[` + strings.Repeat("{},", 1000) + "{}]}": "more than one value per 8 bytes, denser than any answer of the API",
		`{"keys":[` + strings.Repeat("1,", 1000) + "1]}":   "more than one value per 8 bytes, denser than any answer of the API",
	} {
		_, _, err := rawjson.Check([]byte(body), "keys")
		if want == "" {
			assert.NilError(t, err, body)
		} else {
			assert.Error(t, err, want, "%.40s", body)
		}
	}
	_, _, err := rawjson.Check([]byte(`{"api_key":"x"}`), "")
	assert.NilError(t, err)
}

func TestIndentAndCompactMatchEncodingJSON(t *testing.T) {
	for _, body := range []string{
		`{"keys":[{"prefix":"a","name":null,"model_ids":["m1","m2"],"n":1.50e3,"big":12345678901234567890}],"x":{},"y":[],"z":"q\"uo\\\\te\u00e9"}`,
		" { \"a\" :\t[ 1 , 2 , { } , [ ] , true, false, null ] } ",
		`"just a string"`,
		`[[[[{"deep":[[]]}]]]]`,
	} {
		assertMatches(t, []byte(body))
	}
}

func assertMatches(t *testing.T, body []byte) {
	t.Helper()
	var want, got bytes.Buffer
	// (encoding/json keeps trailing whitespace; we end with one newline.)
	assert.NilError(t, json.Indent(&want, body, "", "  "))
	assert.NilError(t, rawjson.Indent(&got, body))
	assert.Equal(t, got.String(), strings.TrimRight(want.String(), " \t\r\n")+"\n")

	want.Reset()
	got.Reset()
	assert.NilError(t, json.Compact(&want, body))
	assert.NilError(t, rawjson.Compact(&got, body))
	assert.Equal(t, got.String(), strings.TrimRight(want.String(), " \t\r\n")+"\n")
}

func TestIndentDeepNesting(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 200) + "1" + strings.Repeat("}", 200)
	assertMatches(t, []byte(deep))
}

// FuzzFormat holds the formatter to encoding/json on every valid input, and
// Check to encoding/json's idea of validity.
//
// go test ./internal/rawjson -run '^$' -fuzz FuzzFormat -fuzztime 60s
func FuzzFormat(f *testing.F) {
	for _, seed := range []string{`{"keys":[]}`, `{"a":[1,{"b":"c\\"}]}`, `[ ]`, `{"x":-0.5e-3,"y":"\u2028"}`, `{`, `{"keys":[{}],"keys":7}`, `{"keys":7,"k\u0065ys":[[]]}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _, err := rawjson.Check(body, "")
		valid := json.Valid(body)
		isObject := valid && bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("{"))
		if (err == nil) != isObject {
			if !(valid && err != nil && (strings.Contains(err.Error(), "nested deeper") || strings.Contains(err.Error(), "denser"))) {
				t.Fatalf("Check(%q) = %v, but encoding/json says valid=%v object=%v", body, err, valid, isObject)
			}
		}
		if valid && (err == nil || err.Error() == "not a JSON object") {
			assertMatches(t, body)
		}
		if err == nil { // the "keys" array found is the one encoding/json decodes
			var members map[string]json.RawMessage
			assert.NilError(t, json.Unmarshal(body, &members))
			keys, n, keysErr := rawjson.Check(body, "keys")
			want, isArray := members["keys"], bytes.HasPrefix(bytes.TrimSpace(members["keys"]), []byte("["))
			assert.Equal(t, keysErr == nil, isArray, "%q", body)
			if isArray {
				assert.Equal(t, string(keys), string(bytes.TrimSpace(want)))
				var elements []json.RawMessage
				assert.NilError(t, json.Unmarshal(want, &elements))
				assert.Equal(t, n, len(elements), "%q", body)
			}
		}
		if err == nil { // the readers see what encoding/json decodes
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			var want any
			assert.NilError(t, dec.Decode(&want))
			assert.DeepEqual(t, read(body), want)
			assert.DeepEqual(t, rawjson.Decode(body), want)
		}
	})
}

// read decodes a checked body with the package's readers.
func read(value []byte) any {
	value = bytes.TrimSpace(value)
	switch value[0] {
	case '{':
		m := map[string]any{}
		rawjson.Object(value, func(key string, v []byte) bool { m[key] = read(v); return true })
		return m
	case '[':
		a := []any{}
		rawjson.Array(value, func(v []byte) bool { a = append(a, read(v)); return true })
		return a
	case '"':
		s, _ := rawjson.String(value)
		return strings.Clone(s)
	case 't', 'f':
		return value[0] == 't'
	case 'n':
		return nil
	}
	return json.Number(value)
}

func TestReadingValues(t *testing.T) {
	body := []byte(` {"a" : 1, "k\u0065ys": [ {"prefix":"p1","name":null,"model_ids":["m1","m\"2"]}, {"prefix":"p2"} ], "z":"last"} `)
	keys, n, err := rawjson.Check(body, "keys")
	assert.NilError(t, err)
	assert.Equal(t, n, 2)
	assert.Equal(t, string(keys), string(rawjson.Member(body, "keys")))
	assert.Equal(t, string(rawjson.Member(body, "z")), `"last"`)
	assert.Assert(t, rawjson.Member(body, "missing") == nil)

	var got []string
	rawjson.Array(rawjson.Member(body, "keys"), func(element []byte) bool {
		rawjson.Object(element, func(key string, value []byte) bool {
			switch {
			case rawjson.IsNull(value):
				got = append(got, key+"=null")
			case key == "model_ids":
				rawjson.Array(value, func(id []byte) bool {
					s, _ := rawjson.String(id)
					got = append(got, key+"="+s)
					return true
				})
			default:
				s, ok := rawjson.String(value)
				assert.Assert(t, ok)
				got = append(got, key+"="+s)
			}
			return true
		})
		return true
	})
	assert.DeepEqual(t, got, []string{"prefix=p1", "name=null", "model_ids=m1", `model_ids=m"2`, "prefix=p2"})

	// Objects reads the same records in one pass.
	var records []string
	rawjson.Objects(keys, func(m *rawjson.Field) bool {
		records = append(records, m.Key)
		if m.IsString {
			records = append(records, "="+m.Str)
		}
		return true
	}, func(isObject bool) bool {
		records = append(records, fmt.Sprint("done ", isObject))
		return true
	})
	assert.DeepEqual(t, records, []string{"prefix", "=p1", "name", "model_ids", "done true", "prefix", "=p2", "done true"})
	records = nil
	rawjson.Objects([]byte(`[1, {"a":1}, "x"]`), func(m *rawjson.Field) bool {
		records = append(records, m.Key)
		return true
	}, func(isObject bool) bool {
		records = append(records, fmt.Sprint("done ", isObject))
		return len(records) < 3
	})
	assert.DeepEqual(t, records, []string{"done false", "a", "done true"})

	// Stopping early stops.
	seen := 0
	rawjson.Array(rawjson.Member(body, "keys"), func([]byte) bool { seen++; return false })
	assert.Equal(t, seen, 1)
	_, isString := rawjson.String([]byte("12"))
	assert.Assert(t, !isString)
}
