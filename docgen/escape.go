package main

// Escaping. The pages are MDX: Markdown plus JSX (`<Tag>`), JavaScript
// expressions (`{...}`) and ES modules (`import`/`export` lines). The texts
// they show come from the command definitions, where developers write them
// for `--help`, as plain text. Plain text must reach the reader exactly as
// written, so every character that Markdown or MDX would take as syntax is
// escaped here, and nowhere else.
//
// Two liberties are taken, both for the docs site rather than for MDX:
//   - flag names such as --output are put in backticks, because the site's
//     typography turns a `--` in prose into a dash, and a reader who copies
//     "—output" gets an unknown flag;
//   - text already in backticks is a code span and is kept as it is, so a
//     help string can say `baseten --version` and have it shown as code.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// prose renders a text from the command definitions as MDX paragraphs,
// separated by blank lines.
func prose(s string) string { return strings.Join(proseParagraphs(s), "\n\n") }

// proseParagraphs is prose, one element per paragraph, for callers that
// indent them (the body of a ParamField).
func proseParagraphs(s string) []string {
	var out []string
	for _, p := range paragraphs(s) {
		out = append(out, escapeParagraphStart(escapeInline(p, false)))
	}
	return out
}

// tableCell renders a text as the content of one Markdown table cell.
func tableCell(s string) string {
	return escapeInline(strings.Join(paragraphs(s), " "), true)
}

// paragraphs splits s at blank lines and joins the lines of each paragraph
// with a space. Markdown shows a single line break as a space anyway; having
// one line per paragraph means the only line start to worry about is the
// paragraph's own (see escapeParagraphStart), and a code span never spans
// lines.
func paragraphs(s string) []string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\t", " ").Replace(s)
	var out, lines []string
	flush := func() {
		if len(lines) > 0 {
			out = append(out, strings.Join(lines, " "))
			lines = nil
		}
	}
	for _, line := range strings.Split(s, "\n") {
		line = strings.Map(controlToSpace, strings.TrimSpace(line))
		if line == "" {
			flush()
			continue
		}
		lines = append(lines, line)
	}
	flush()
	return out
}

// controlToSpace keeps control characters, which no page can show, from
// reaching the MDX source.
func controlToSpace(r rune) rune {
	if unicode.IsControl(r) {
		return ' '
	}
	return r
}

// specialInline are the characters that mean something anywhere in a line
// of Markdown or MDX: escapes, JSX, expressions, emphasis, links and
// images, character references, strikethrough (GFM) and table cells (GFM).
// Escaping `|` everywhere, not only in tables, keeps one rule for all text.
const specialInline = "\\<>{}*_[]&~|"

// urlStart is where GFM starts a link without any markup.
var urlStart = regexp.MustCompile(`^(?i:https?://|www\.)`)

// flagToken is a long flag name such as --output or --model-id.
var flagToken = regexp.MustCompile(`^--[a-z](?:[a-z0-9-]*[a-z0-9])?`)

// inlineKind is what a piece of one paragraph of plain text is. The MDX and
// the man renderers agree on where the code spans, flag names and bare URLs
// of a text are (splitInline), and differ only in how they write each down.
type inlineKind int

const (
	plainPiece inlineKind = iota // anything else; a backtick here closes nothing
	codePiece                    // a code span, its backtick delimiters included
	flagPiece                    // a long flag name such as --output
	urlPiece                     // a bare URL, up to the next space or `<`
)

type inlinePiece struct {
	kind inlineKind
	text string
}

// splitInline cuts one paragraph (one line) of plain text into pieces. Code
// spans are backtick runs closed by a run of the same length, as in
// CommonMark. A bare URL starts where GFM's tokenizer makes a link of one,
// so that a `--` in its path is no flag.
func splitInline(s string) []inlinePiece {
	var pieces []inlinePiece
	plainFrom := 0
	cut := func(kind inlineKind, from, to int) {
		if plainFrom < from {
			pieces = append(pieces, inlinePiece{plainPiece, s[plainFrom:from]})
		}
		pieces = append(pieces, inlinePiece{kind, s[from:to]})
		plainFrom = to
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '`':
			n := runLength(s, i, '`')
			if end := closingRun(s, i+n, n); end >= 0 {
				cut(codePiece, i, end+n)
				i = end + n
				continue
			}
			i += n
		case (c|0x20 == 'h' || c|0x20 == 'w') && urlStart.MatchString(s[i:]) && (i == 0 || !isWordByte(s[i-1])):
			end := i + strings.IndexAny(s[i:]+" ", " <")
			cut(urlPiece, i, end)
			i = end
		case c == '-' && startsFlag(s, i):
			end := i + len(flagToken.FindString(s[i:]))
			cut(flagPiece, i, end)
			i = end
		default:
			i++ // bytes of a multi-byte rune are never special
		}
	}
	if plainFrom < len(s) {
		pieces = append(pieces, inlinePiece{plainPiece, s[plainFrom:]})
	}
	return pieces
}

// escapeInline escapes one paragraph (one line) of plain text. Code spans
// pass through untouched; a backtick that closes nothing is escaped. In a
// table cell, GFM splits cells at `|` even inside code spans, so there a `|`
// in a code span is escaped as well (GFM shows `\|` in a code span in a
// table as `|`).
func escapeInline(s string, inTable bool) string {
	var b strings.Builder
	for _, piece := range splitInline(s) {
		switch piece.kind {
		case codePiece:
			if inTable {
				piece.text = strings.ReplaceAll(piece.text, "|", `\|`)
			}
			b.WriteString(piece.text)
		case flagPiece:
			b.WriteString("`" + piece.text + "`")
		case urlPiece:
			// GFM's tokenizer makes a link of a bare URL, backslashes
			// included. A URL that needs no escape is written as it is; in
			// one that does, the `://` (or `www.`) is escaped so that the
			// tokenizer passes it by and the escapes work as everywhere
			// else. (remark still links the unescaped text afterwards.)
			if !strings.ContainsAny(piece.text, specialInline+"`") {
				b.WriteString(piece.text)
				break
			}
			start := urlStart.FindString(piece.text)
			b.WriteString(strings.Replace(strings.Replace(start, ":", `\:`, 1), "www.", `www\.`, 1))
			b.WriteString(escapeInline(piece.text[len(start):], inTable))
		default:
			for i := 0; i < len(piece.text); i++ {
				if c := piece.text[i]; c == '`' || strings.IndexByte(specialInline, c) >= 0 {
					b.WriteByte('\\')
				}
				b.WriteByte(piece.text[i])
			}
		}
	}
	return b.String()
}

// startsFlag reports whether a flag name such as --output starts at s[i]: a
// whole word, not the middle of "a--b" or of a longer dash run.
func startsFlag(s string, i int) bool {
	if i > 0 && isWordByte(s[i-1]) {
		return false
	}
	flag := flagToken.FindString(s[i:])
	if flag == "" {
		return false
	}
	end := i + len(flag)
	return end == len(s) || !(isWordByte(s[end]) || s[end] >= 'A' && s[end] <= 'Z')
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// runLength counts the bytes equal to c from s[i].
func runLength(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// closingRun finds, from s[i], the next backtick run of exactly n, or -1.
func closingRun(s string, i, n int) int {
	for i < len(s) {
		if s[i] != '`' {
			i++
			continue
		}
		m := runLength(s, i, '`')
		if m == n {
			return i
		}
		i += m
	}
	return -1
}

// leadingListNumber matches the start of an ordered list item: "1." or "1)".
var leadingListNumber = regexp.MustCompile(`^[0-9]+[.)]`)

// escapeParagraphStart escapes what Markdown and MDX read as block syntax at
// the start of a line, in a paragraph that escapeInline already escaped (so
// `>`, `*`, `<`, `{` and backticks are taken care of). `import` and `export`
// at the start of a line open a JavaScript module block in MDX; letters have
// no backslash escape, so the first one becomes a character reference.
func escapeParagraphStart(p string) string {
	switch {
	case p == "":
		return p
	case strings.ContainsRune("#-+=", rune(p[0])):
		return `\` + p
	case leadingListNumber.MatchString(p):
		n := len(leadingListNumber.FindString(p)) - 1
		return p[:n] + `\` + p[n:]
	}
	for _, keyword := range []string{"import", "export"} {
		if rest, ok := strings.CutPrefix(p, keyword); ok && (rest == "" || rest[0] == ' ') {
			return fmt.Sprintf("&#%d;", keyword[0]) + p[1:]
		}
	}
	return p
}

// codeSpan shows s as inline code. The delimiter is one backtick longer than
// any run inside s, and s is padded with spaces when it starts or ends with
// something CommonMark would take as part of the delimiter or strip.
func codeSpan(s string) string {
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if s != "" && (s[0] == '`' || s[len(s)-1] == '`' ||
		s[0] == ' ' && s[len(s)-1] == ' ' && strings.TrimSpace(s) != "") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// fence shows content as a fenced code block; nothing inside is escaped.
// The fence is longer than any backtick run in the content, so the content
// cannot close it.
func fence(info, content string) string {
	marker := strings.Repeat("`", max(3, longestRun(content, '`')+1))
	return marker + info + "\n" + strings.TrimRight(content, "\n") + "\n" + marker
}

// shellFence is the code block the docs site uses for commands.
func shellFence(command string) string { return fence(`sh theme={"system"}`, command) }

func longestRun(s string, c byte) int {
	longest := 0
	for i := 0; i < len(s); {
		if n := runLength(s, i, c); n > 0 {
			longest = max(longest, n)
			i += n
		} else {
			i++
		}
	}
	return longest
}

// jsxAttr renders name=value as a JSX attribute. A plain string attribute
// cannot contain its own quote and has character references decoded, so a
// value with anything unusual is written as an expression holding a JSON
// string instead (JSON strings are JavaScript strings). Braces inside it are
// written as \u escapes so that no tool that matches braces to find the end
// of the expression can be misled.
func jsxAttr(name, value string) string {
	plain := true
	for _, r := range value {
		if !unicode.IsPrint(r) || strings.ContainsRune(`"{}<>&\`, r) {
			plain = false
			break
		}
	}
	if plain {
		return name + `="` + value + `"`
	}
	encoded, _ := json.Marshal(value) // a string always encodes; <, > and & become \u escapes
	braces := strings.NewReplacer("{", `\u007b`, "}", `\u007d`)
	return name + "={" + braces.Replace(string(encoded)) + "}"
}

// yamlString renders s as a double-quoted YAML scalar for the frontmatter.
func yamlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case unicode.IsControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
