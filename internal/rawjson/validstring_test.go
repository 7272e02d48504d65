package rawjson_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/basetenlabs/baseten/internal/rawjson"
)

// Check reads strings eight bytes at a time: a quote, a backslash escape,
// a control character or a multi-byte rune at every offset of a word, and
// at the end of the body, is judged as encoding/json judges it.
func TestCheckStringsAtEveryOffset(t *testing.T) {
	for _, special := range []string{`\"`, `\\`, `\n`, `\u00e9`, `\u12`, "\x1f", "\x7f", "é", "\xff", `\q`, `"`} {
		for pad := range 18 {
			for _, tail := range []string{"", "abcdefghijklmnop"} {
				body := `{"k":"` + strings.Repeat("x", pad) + special + tail + `"}`
				_, _, err := rawjson.Check([]byte(body), "")
				if want := json.Valid([]byte(body)); (err == nil) != want {
					t.Errorf("Check(%q) = %v, encoding/json says valid=%v", body, err, want)
				}
			}
		}
	}
}
