package main

// Escaping for man pages. They are roff source (man(7) macros), in which
// the texts from the command definitions must reach the reader exactly as
// written, and the commands of the examples must survive being copied from
// a terminal and pasted into a shell. So:
//   - a backslash, roff's escape character, is written \(rs;
//   - every `-` is written \- : a plain `-` is a hyphen to roff, which a
//     formatter may print as U+2010, and a pasted "‐‐output" is no flag.
//     man(7) asks for \- wherever the reader types the character; the texts
//     do not say where that is, so every `-` gets it (as pandoc and
//     go-md2man do);
//   - ' ` " ~ ^ are written as named glyphs (\(aq \(ga \(dq \(ti \(ha),
//     which print as the ASCII character wherever groff would otherwise
//     pick a typographic quote, accent or tilde, and which cannot end a
//     quoted macro argument;
//   - anything beyond ASCII is written \[uXXXX], so the source is ASCII and
//     no device has to guess its encoding;
//   - a line that would start with `.` gets \& in front: a leading `.` or `'`
//     makes a line a request (and `'` never reaches a line start, see above).
//
// Where the MDX pages show flag names and code spans as code, the man pages
// set them in bold (splitInline finds them for both); nothing else is
// marked up.

import (
	"fmt"
	"strings"
	"unicode"
)

// roffEscape writes plain text for roff: in a text line, in no-fill mode or
// inside a quoted macro argument alike. Control characters become spaces.
func roffEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\(rs`)
		case r == '-':
			b.WriteString(`\-`)
		case r == '\'':
			b.WriteString(`\(aq`)
		case r == '`':
			b.WriteString(`\(ga`)
		case r == '"':
			b.WriteString(`\(dq`)
		case r == '~':
			b.WriteString(`\(ti`)
		case r == '^':
			b.WriteString(`\(ha`)
		case unicode.IsControl(r):
			b.WriteByte(' ')
		case r > '~':
			fmt.Fprintf(&b, `\[u%04X]`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// roffInline writes one paragraph (one line) of plain text with its flag
// names and code spans in bold.
func roffInline(s string) string {
	var b strings.Builder
	for _, piece := range splitInline(s) {
		switch piece.kind {
		case codePiece:
			b.WriteString(roffBold(codeSpanContent(piece.text)))
		case flagPiece:
			b.WriteString(roffBold(piece.text))
		default:
			b.WriteString(roffEscape(piece.text))
		}
	}
	return b.String()
}

// roffBold sets s in bold.
func roffBold(s string) string { return `\fB` + roffEscape(s) + `\fR` }

// roffItalic sets s in italics, for placeholders such as TEXT.
func roffItalic(s string) string { return `\fI` + roffEscape(s) + `\fR` }

// codeSpanContent is what CommonMark shows of a code span: the text between
// the backtick runs, less one space at each end when there is one at both
// (and something else between them).
func codeSpanContent(span string) string {
	n := runLength(span, 0, '`')
	content := span[n : len(span)-n]
	if len(content) >= 2 && content[0] == ' ' && content[len(content)-1] == ' ' && strings.TrimSpace(content) != "" {
		content = content[1 : len(content)-1]
	}
	return content
}

// roffParagraphs is a text from the command definitions as paragraphs of
// roff text lines, one line each.
func roffParagraphs(s string) []string {
	var out []string
	for _, p := range paragraphs(s) {
		out = append(out, roffInline(p))
	}
	return out
}

// roffDoc collects the lines of one roff source file.
type roffDoc struct{ lines []string }

// text adds a text line, guarding a leading `.`, which would make it a
// request. (A `'` never starts one: roffEscape writes it as \(aq.)
func (d *roffDoc) text(line string) {
	if strings.HasPrefix(line, ".") || line == "" {
		// \& prints nothing. An empty line (of an example, in no-fill
		// mode) becomes \&, since linters take a truly blank line for a
		// misplaced paragraph break.
		line = `\&` + line
	}
	d.lines = append(d.lines, line)
}

// macro adds a macro call. An argument that is empty or holds a space is
// quoted; arguments must be escaped already (roffEscape writes `"` as \(dq,
// so an escaped text cannot end the quotes early, and a control character as
// a space).
func (d *roffDoc) macro(name string, args ...string) {
	line := "." + name
	for _, a := range args {
		if a == "" || strings.Contains(a, " ") {
			a = `"` + a + `"`
		}
		line += " " + a
	}
	d.lines = append(d.lines, line)
}

// comment adds a roff comment line.
func (d *roffDoc) comment(s string) { d.lines = append(d.lines, `.\" `+roffEscape(s)) }

func (d *roffDoc) bytes() []byte { return []byte(strings.Join(d.lines, "\n") + "\n") }
