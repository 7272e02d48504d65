package render_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/render"
)

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"plain ascii":                         "plain ascii",
		"日本語 name":                            "日本語 name",
		"bell\a tab\t nl\n cr\r del\x7f":      "bell\uFFFD tab\uFFFD nl\uFFFD cr\uFFFD del\uFFFD",
		"csi \x1b[31mred":                     "csi \uFFFD[31mred",
		"osc52 \x1b]52;c;aGk=\x07":            "osc52 \uFFFD]52;c;aGk=\uFFFD",
		"osc8 \x1b]8;;http://x\x1b\\":         "osc8 \uFFFD]8;;http://x\uFFFD\\",
		"c1 csi \u009b31m":                    "c1 csi \uFFFD31m",
		"invalid utf8 \xff\xfe":               "invalid utf8 \uFFFD\uFFFD",
		"bidi \u202a\u202b\u202c\u202d\u202e": `bidi \u202a\u202b\u202c\u202d\u202e`,
		"isolates \u2066\u2067\u2068\u2069":   `isolates \u2066\u2067\u2068\u2069`,
		"zero width \u200b\u200c\u200d\ufeff": `zero width \u200b\u200c\u200d\ufeff`,
		"separators \u2028\u2029":             `separators \u2028\u2029`,
	} {
		assert.Equal(t, render.Sanitize(in), want, "%q", in)
	}
}

func TestSanitizeDoesNotAllocateForCleanText(t *testing.T) {
	s := strings.Repeat("clean-name ", 10)
	assert.Equal(t, testing.AllocsPerRun(100, func() { render.Sanitize(s) }), 0.0)
}

func TestRedactor(t *testing.T) {
	var r render.Redactor
	r.Add("abcd1234.S3CRETS3CRETS3CRETS3CRET")
	r.Add("") // ignored
	for in, want := range map[string]string{
		"key abcd1234.S3CRETS3CRETS3CRETS3CRET revoked": "key [redacted] revoked",
		// A preview someone else cut short still hides the secret part...
		`cannot apply to "abcd1234.S3CRETS3CRE ..."`: `cannot apply to "abcd1234.[redacted] ..."`,
		// ...but the public prefix alone stays, and short coincidences too.
		"Deleted API key abcd1234; S3CRET": "Deleted API key abcd1234; S3CRET",
	} {
		assert.Equal(t, r.Redact(in), want)
	}

	// A secret of no key shape: every leading part of 8 bytes or more,
	// each as long as it matches, wherever it is.
	var v render.Redactor
	v.Add("correct-horse-battery-staple")
	assert.Equal(t, v.Redact("a correct-horse-battery! correct-h, correct, correct-horse-battery-staple."),
		"a [redacted]! [redacted], correct, [redacted].")
}

// A secret of 1 MiB against a long line that starts it again and again:
// every run is found in one pass over the line. (Trying every length of
// the secret, a pass over the line each, took about 10 s here; nothing
// asserts a time, but this test stays in the suite to show it.)
func TestRedactorLongSecretLongLine(t *testing.T) {
	var r render.Redactor
	secret := "xyxyxyxy" + strings.Repeat("Z", 1<<20)
	r.Add(secret)
	line := strings.Repeat("x", 64<<10)
	assert.Equal(t, r.Redact(line), line)
	line = strings.Repeat("xyxyxyxyZZ ", 5000)
	assert.Equal(t, r.Redact(line), strings.Repeat("[redacted] ", 5000))
}
