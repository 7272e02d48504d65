package managementapi

import (
	"fmt"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// sharesPart finds a piece of 8 bytes of the value in any one text,
// whichever side its set of windows is built from; a piece split across
// two texts is no piece.
func TestSharesPart(t *testing.T) {
	long := strings.Repeat("abcdefgh", 1000) + "THEPIECE" + strings.Repeat("ijklmnop", 1000)
	many := make([]string, 5000)
	for i := range many {
		many[i] = fmt.Sprintf("s%07d", i)
	}
	for _, tc := range []struct {
		name  string
		texts []string
		value string
		want  bool
	}{
		{"short value inside a text", []string{"xx", "a hunter2 b"}, "hunter2", true},
		{"short value nowhere", []string{"hunter", "2"}, "hunter2", false},
		{"piece at a text's end, value the larger side", []string{"nothing", "... THEPIECE"}, long, true},
		{"piece at a text's start, texts the larger side", append(many, "THEPIECE..."+long), "xxTHEPIECEyy", true},
		{"many texts, none holds a piece", many, long, false},
		{"a piece split across two texts", []string{"THEP", "IECE"}, "THEPIECE", false},
		{"texts all shorter than a piece", []string{"abc", "defg"}, long, false},
		{"the last window of the value", []string{"zz" + long[len(long)-8:]}, long, true},
	} {
		assert.Equal(t, sharesPart(tc.texts, tc.value), tc.want, tc.name)
	}
}

// An error body of thousands of short strings against a value of 1 MiB:
// one pass over each (it was a pass over the value per string, minutes).
func BenchmarkQuotesSecretManyStrings(b *testing.B) {
	parts := make([]string, 5000)
	for i := range parts {
		parts[i] = fmt.Sprintf("%q", fmt.Sprintf("s%07d", i))
	}
	raw := []byte(`{"detail":[` + strings.Join(parts, ",") + `]}`)
	value := strings.Repeat("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_", (1<<20)/38)
	for b.Loop() {
		if quotesSecret(raw, "", value) {
			b.Fatal("no piece of the value is in the body")
		}
	}
}

// A 2xx answer: pieces of a value count anywhere but in the name sent
// along; a short value only as a whole string (it turns up in words).
func TestAnswerHoldsSecret(t *testing.T) {
	body := []byte(`{"id":"s1","created_at":"2026-01-01T00:00:00Z","name":"battery-staple","team_name":"Default","n":12345}`)
	for _, tc := range []struct {
		value, name string
		want        bool
	}{
		{"v", "x", false},      // a short value inside other words
		{"Default", "x", true}, // a short value as a whole string
		{"12345", "x", true},   // ... or a whole number
		{"correct-horse-battery-staple", "battery-staple", false},
		{"correct-horse-battery-staple", "x", true},
		{"xxDefault-and-more", "x", false}, // 7 bytes of it only
	} {
		assert.Equal(t, answerHoldsSecret(body, tc.value, tc.name), tc.want, "%q, name %q", tc.value, tc.name)
	}
}
