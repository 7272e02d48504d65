package rawjson_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/basetenlabs/baseten/internal/rawjson"
)

// keyList is a 50,000-key list shaped like the API's (about 5 MB).
var keyList = func() []byte {
	var b bytes.Buffer
	b.WriteString(`{"keys":[`)
	types := []string{"PERSONAL", "WORKSPACE_INVOKE", "WORKSPACE_MANAGE_ALL", "WORKSPACE_EXPORT_METRICS"}
	for i := 0; i < 50000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		name, models, team := fmt.Sprintf(`"laptop-%d"`, i%1000), "null", `"Développement"`
		if i%6 == 0 {
			name = "null"
		}
		if i%4 == 1 {
			models = `["ab12cd34"]`
		}
		if i%6 == 3 {
			team = "null"
		}
		fmt.Fprintf(&b, `{"prefix":"k%07d","name":%s,"type":"%s","model_ids":%s,"team_name":%s}`, i, name, types[i%4], models, team)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}()

func BenchmarkCheck(b *testing.B) {
	b.SetBytes(int64(len(keyList)))
	for b.Loop() {
		if _, _, err := rawjson.Check(keyList, "keys"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIndent(b *testing.B) {
	b.SetBytes(int64(len(keyList)))
	for b.Loop() {
		rawjson.Indent(io.Discard, keyList)
	}
}

func BenchmarkCompact(b *testing.B) {
	b.SetBytes(int64(len(keyList)))
	for b.Loop() {
		rawjson.Compact(io.Discard, keyList)
	}
}

func BenchmarkWalk(b *testing.B) {
	b.SetBytes(int64(len(keyList)))
	for b.Loop() {
		n := 0
		rawjson.Array(rawjson.Member(keyList, "keys"), func(element []byte) bool {
			rawjson.Object(element, func(key string, value []byte) bool {
				if _, ok := rawjson.String(value); ok {
					n++
				}
				return true
			})
			return true
		})
	}
}
