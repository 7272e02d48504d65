package render

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sanitize makes text that came from the server or the user safe to show on
// a terminal: it is shown as data and can never act as terminal control.
//
//   - Control characters (C0 and C1, DEL, and so ESC, which starts every
//     CSI and OSC sequence: colours, titles, hyperlinks, clipboard writes)
//     and invalid UTF-8 become U+FFFD; what followed the ESC stays visible.
//   - Invisible formatting characters (the BiDi overrides and isolates
//     U+202A–U+202E and U+2066–U+2069, zero-width characters, U+2028 and
//     U+2029 and every other Unicode format character) become a visible
//     escape such as \u202e, since they could reorder or hide what is shown.
//
// Text that needs no change, printable ASCII or harmless Unicode (names in
// any script), is returned without allocating.
func Sanitize(s string) string {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	if i == len(s) || !needsSanitizing(s[i:]) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1, unicode.IsControl(r):
			b.WriteRune(unicode.ReplacementChar)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// needsSanitizing reports whether Sanitize would change s.
func needsSanitizing(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < 0x80 {
			if c < 0x20 || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || unsafeRune(r) {
			return true
		}
		i += size
	}
	return false
}

// unsafeRune: a control character or an invisible formatting character,
// what a terminal could act on or would not show.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// Redactor removes secrets (the configured API key, a newly created key)
// from text before it is shown. It also catches a leading part of a secret
// that someone else cut short (a preview such as gojq's "abcd1234.S3CR ..."),
// down to minPartial characters.
type Redactor struct{ secrets []string }

// Redacted is what a secret is replaced with.
const Redacted = "[redacted]"

const minPartial = 8

// Add registers a secret. For a key of the documented "prefix.secret" shape
// only the part after the first "." counts as secret for partial matches:
// the prefix alone is public (list shows it), and hiding it would hide which
// key an error is about.
func (r *Redactor) Add(secret string) {
	if secret != "" {
		r.secrets = append(r.secrets, secret)
	}
}

// Redact returns s with every registered secret, and every leading part of
// one at least minPartial characters long, replaced by Redacted.
func (r *Redactor) Redact(s string) string {
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, Redacted)
		_, private, found := strings.Cut(secret, ".")
		if !found {
			private = secret
		}
		s = redactLeadingParts(s, private)
	}
	return s
}

// redactLeadingParts replaces in s every run that starts private and is at
// least minPartial bytes long, each as long as it matches. One pass over s:
// trying every length of a secret of 1 MiB (an org secret's value) against
// a long line was a pass over the line per length, seconds per line.
func redactLeadingParts(s, private string) string {
	if len(private) < minPartial {
		return s
	}
	head := private[:minPartial]
	i := strings.Index(s, head)
	if i < 0 {
		return s
	}
	var b strings.Builder
	for ; i >= 0; i = strings.Index(s, head) {
		n := minPartial
		for n < len(private) && i+n < len(s) && s[i+n] == private[n] {
			n++
		}
		b.WriteString(s[:i])
		b.WriteString(Redacted)
		s = s[i+n:]
	}
	b.WriteString(s)
	return b.String()
}
