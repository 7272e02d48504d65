package rawjson

import (
	"encoding/json"
	"testing"
)

// Valid takes any top-level value, as encoding/json does, and nothing it
// would refuse.
func TestValidTakesAnyValue(t *testing.T) {
	for _, body := range []string{`{}`, `[1,2]`, `"s"`, `3.5e10`, `true`, `null`, " {\"a\":[]} \n", `{"a":1,"a":2}`, `12345678901234567890123`} {
		if err := Valid([]byte(body)); err != nil {
			t.Errorf("%q: %v", body, err)
		}
	}
	for _, body := range []string{``, ` `, `{`, `[1,]`, `01`, `"a`, `{} {}`, `nul`, "\"\x01\"", `{"a":1}x`, "\xff"} {
		if Valid([]byte(body)) == nil || json.Valid([]byte(body)) {
			t.Errorf("%q: accepted", body)
		}
	}
}
