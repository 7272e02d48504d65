package render_test

import (
	"testing"

	"github.com/basetenlabs/baseten/render"
)

func TestSanitizeTextKeepsLines(t *testing.T) {
	for in, want := range map[string]string{
		"plain\ttext\nline two\r\n": "plain\ttext\nline two\r\n",
		"evil\x1b[2J\nok":           "evil\uFFFD[2J\nok",
		"over\rwrite\n":             "over\uFFFDwrite\n",
		"hidden\u202eflip\n\x00":    "hidden\\u202eflip\n\uFFFD",
		"caf\xc3\xa9 \xff":          "caf\u00e9 \uFFFD",
	} {
		if got := render.SanitizeText(in); got != want {
			t.Errorf("SanitizeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsBinary(t *testing.T) {
	for in, want := range map[string]bool{"text\n": false, "caf\u00e9": false, "\x89PNG\r\n\x1a\n\x00": true, "a\x00b": true, "\xff\xfe": true, "": false} {
		if got := render.IsBinary([]byte(in)); got != want {
			t.Errorf("IsBinary(%q) = %v", in, got)
		}
	}
}
