package render

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"gotest.tools/v3/assert"
)

func TestRecords(t *testing.T) {
	elements := []string{`{"a": 1, "m": "x\u001b[31m"}`, `{"a":2,"m":[1, {"b":null}]}`}
	write := func(o Output, elements []string) string {
		var out bytes.Buffer
		r := o.Records(&out, "logs")
		for _, e := range elements {
			assert.NilError(t, r.Write(context.Background(), []byte(e)))
		}
		assert.NilError(t, r.Close(context.Background()))
		return out.String()
	}

	assert.Equal(t, write(Output{Mode: JSONL}, elements), `{"a":1,"m":"x\u001b[31m"}`+"\n"+`{"a":2,"m":[1,{"b":null}]}`+"\n")
	assert.Equal(t, write(Output{Mode: None}, elements), "")

	// json: exactly what indenting the whole document would give.
	var whole bytes.Buffer
	doc := `{"logs":[` + elements[0] + `,` + elements[1] + `]}`
	assert.NilError(t, json.Indent(&whole, []byte(doc), "", "  "))
	assert.Equal(t, write(Output{Mode: JSON}, elements), whole.String()+"\n")
	assert.Equal(t, write(Output{Mode: JSON}, nil), "{\n  \"logs\": []\n}\n")

	// --jq runs per line in jsonl mode, on the whole document in json mode.
	code, err := CompileJQ(".a")
	assert.NilError(t, err)
	assert.Equal(t, write(Output{Mode: JSONL, JQ: code}, elements), "1\n2\n")
	code, err = CompileJQ(".logs | length")
	assert.NilError(t, err)
	assert.Equal(t, write(Output{Mode: JSON, JQ: code}, elements), "2\n")
	assert.Equal(t, write(Output{Mode: JSON, JQ: code}, nil), "0\n")
}
