package render

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/basetenlabs/baseten/internal/rawjson"
)

// SanitizeText is Sanitize for text that spans lines: a raw answer shown
// on a terminal. Line feeds and tabs stay, and so does a carriage return
// right before a line feed; every other control character, and every
// invisible formatting one, is made harmless as Sanitize does it.
func SanitizeText(s string) string {
	if !needsSanitizing(strings.NewReplacer("\n", "", "\t", "").Replace(s)) {
		return s
	}
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, line := range lines {
		body, end := line, ""
		if rest, ok := strings.CutSuffix(line, "\r\n"); ok {
			body, end = rest, "\r\n"
		} else if rest, ok := strings.CutSuffix(line, "\n"); ok {
			body, end = rest, "\n"
		}
		for i, piece := range strings.Split(body, "\t") {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(Sanitize(piece))
		}
		b.WriteString(end)
	}
	return b.String()
}

// IsBinary reports whether body is not text a terminal can show: it holds
// a NUL byte or is not UTF-8 (an image, an archive, compressed data), the
// test curl makes before it refuses to write to a terminal.
func IsBinary(body []byte) bool {
	return bytes.IndexByte(body, 0) >= 0 || !utf8.Valid(body)
}

// ValidJSON reports why body is not one JSON value that Output can print
// and filter (any top-level value, within rawjson's bounds), or nil.
func ValidJSON(body []byte) error { return rawjson.Valid(body) }
