package rawjson

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Layout is how Format lays a body out.
type Layout struct {
	// Indent puts every member and element on a line of its own, indented
	// two spaces a level, as encoding/json's Indent does; otherwise the body
	// is compacted onto one line, as encoding/json's Compact does.
	Indent bool
	// Escape, when set, names runes to write as \uXXXX escapes inside
	// strings (invalid UTF-8 then becomes \ufffd): the content stays the
	// same JSON value, but what a terminal could act on or hide is shown.
	Escape func(r rune) bool
}

// Indent writes body, which must have passed Check, indented by two spaces
// per level exactly as encoding/json's Indent lays it out, plus a final
// newline. It streams: memory does not grow with the body.
func Indent(w io.Writer, body []byte) error { return Format(w, body, Layout{Indent: true}) }

// Compact writes body, which must have passed Check, without insignificant
// whitespace, plus a final newline, as encoding/json's Compact would.
func Compact(w io.Writer, body []byte) error { return Format(w, body, Layout{}) }

var colonSpace = []byte(": ")

var newlineIndent = []byte("\n" + string(bytes.Repeat([]byte(" "), 2*64)))

// Format writes body, which must have passed Check, in the given layout,
// plus a final newline.
func Format(w io.Writer, body []byte, layout Layout) error {
	if !layout.Indent {
		return compact(w, body, layout.Escape)
	}
	f := newFormatter(w, layout.Escape)
	depth := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			end := stringEnd(body, i)
			f.string(body[i : end+1])
			i = end
			continue
		}
		switch c {
		case '{', '[':
			f.byte(c)
			next := skipSpace(body, i+1)
			if next < len(body) && (body[next] == '}' || body[next] == ']') {
				f.byte(body[next]) // "{}" and "[]" stay on one line
				i = next
				continue
			}
			depth++
			f.newline(depth)
		case '}', ']':
			depth--
			f.newline(depth)
			f.byte(c)
		case ',':
			f.byte(c)
			f.newline(depth)
		case ':':
			f.write(colonSpace)
		default: // a number, true, false or null
			start := i
			for i+1 < len(body) && !isDelimiter(body[i+1]) {
				i++
			}
			f.write(body[start : i+1])
		}
	}
	return f.done()
}

// compact writes body without whitespace outside strings. Runs between
// whitespace go out in one write each, so a body that is already compact,
// as servers send them, is one write.
func compact(w io.Writer, body []byte, escape func(rune) bool) error {
	f := newFormatter(w, escape)
	if inner := bytes.Trim(body, " \t\n\r"); escape == nil && !hasWhitespace(inner) {
		// No whitespace but around it (a server's final newline), so none
		// outside strings: compact as it is. Four memchr-speed searches
		// instead of a pass that finds the end of every string; one that
		// finds a space early stops early.
		f.write(inner)
		return f.done()
	}
	start := 0 // of the run not yet written
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case ' ', '\t', '\n', '\r':
			f.write(body[start:i])
			start = i + 1
		case '"':
			end := stringEnd(body, i)
			if escape != nil {
				f.write(body[start:i])
				f.string(body[i : end+1])
				start = end + 1
			}
			i = end
		}
	}
	f.write(body[start:])
	return f.done()
}

// formatter collects output in a buffer of its own and writes it in large
// pieces: a body is mostly tokens of a few bytes, and a Write call each
// cost more than the formatting.
type formatter struct {
	w      io.Writer
	escape func(rune) bool // Layout.Escape
	buf    []byte
	err    error
}

const formatterBuffer = 32 << 10

// formatterBuffers keeps the buffers of finished formatters: output made
// of many small values (a log line each) formats each with a formatter of
// its own, and a fresh 32 KiB a value cost far more than formatting it.
var formatterBuffers = sync.Pool{New: func() any { b := make([]byte, 0, formatterBuffer+256); return &b }}

func newFormatter(w io.Writer, escape func(rune) bool) *formatter {
	buf := formatterBuffers.Get().(*[]byte)
	return &formatter{w: w, escape: escape, buf: (*buf)[:0]}
}

// string writes a quoted string, escaping the runes Layout.Escape names.
// Printable ASCII, nearly everything, is written as is.
func (f *formatter) string(quoted []byte) {
	if f.escape == nil {
		f.write(quoted)
		return
	}
	start := 0
	for i := 0; i < len(quoted); {
		if quoted[i] < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(quoted[i:])
		invalid := r == utf8.RuneError && size == 1
		if !invalid && !f.escape(r) {
			i += size
			continue
		}
		f.write(quoted[start:i])
		if r > 0xffff { // a JSON \u escape holds 16 bits: a surrogate pair
			r1, r2 := utf16.EncodeRune(r)
			f.buf = fmt.Appendf(f.buf, `\u%04x\u%04x`, r1, r2)
		} else {
			f.buf = fmt.Appendf(f.buf, `\u%04x`, r) // invalid UTF-8: \ufffd
		}
		i += size
		start = i
	}
	f.write(quoted[start:])
}

func (f *formatter) write(p []byte) {
	if len(f.buf)+len(p) > formatterBuffer {
		f.flush()
		if len(p) > formatterBuffer { // too big to be worth a copy
			if f.err == nil {
				_, f.err = f.w.Write(p)
			}
			return
		}
	}
	f.buf = append(f.buf, p...)
}

func (f *formatter) byte(c byte) { f.buf = append(f.buf, c) }

func (f *formatter) flush() {
	if f.err == nil && len(f.buf) > 0 {
		_, f.err = f.w.Write(f.buf)
	}
	f.buf = f.buf[:0]
}

// done writes what is left, and the final newline.
func (f *formatter) done() error {
	f.byte('\n')
	f.flush()
	if buf := f.buf[:0]; cap(buf) <= 2*formatterBuffer { // not one a huge string grew
		formatterBuffers.Put(&buf)
	}
	f.buf = nil
	return f.err
}

// newline ends a line and indents the next by depth levels.
func (f *formatter) newline(depth int) {
	n := 1 + 2*depth
	if n <= len(newlineIndent) {
		f.write(newlineIndent[:n])
		return
	}
	f.write(newlineIndent[:1])
	for n--; n > 0; {
		k := min(n, len(newlineIndent)-1)
		f.write(newlineIndent[1 : 1+k])
		n -= k
	}
}

// hasWhitespace reports whether body holds a JSON whitespace byte anywhere.
func hasWhitespace(body []byte) bool {
	return bytes.IndexByte(body, ' ') >= 0 || bytes.IndexByte(body, '\n') >= 0 ||
		bytes.IndexByte(body, '\t') >= 0 || bytes.IndexByte(body, '\r') >= 0
}
