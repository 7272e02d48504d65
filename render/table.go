package render

import (
	"io"
	"strings"

	"github.com/jedib0t/go-pretty/v6/text"
)

// Table is a borderless, space-separated table: columns padded to their
// widest cell, two spaces between columns, no trailing whitespace.
//
// Column widths must be known before the first row is written, so rows are
// read twice (measure, then write), or read once and kept when the caller
// says that is cheaper (Keep). Either way no row is rendered ahead, unlike
// go-pretty's table writer, which keeps every rendered row in memory and
// pads the last column. go-pretty still supplies display widths (wide and
// combining runes) and the bold style.
type Table struct {
	Header []string
	// Suffix, when set, holds text appended to every cell of a column
	// (after sanitizing, so it is ours): "****" after a key's prefix costs
	// no string per row.
	Suffix []string
	// Rows calls row once per row, in order, with as many cells as Header
	// has, and returns row's first error. Write may call it twice, so it
	// must produce the same rows each time.
	Rows func(row func(cells ...string) error) error
	// Style, when set, dresses a clean cell for a terminal (a status in
	// color); column is its index. Widths are measured without it, so it
	// may add escape sequences only.
	Style func(column int, cell string) string
	// Keep, when not zero, is the number of rows, and says that keeping
	// their cells (16 bytes each, sharing the strings Rows gives) costs less
	// than having Rows produce them again: Write then reads them once.
	Keep int
}

const columnGap = 2

// TableStyle is how a table is laid out where it goes. Commands get it from
// their output flags (--no-headers) and where stdout goes, so every table
// honours both without code of its own.
type TableStyle struct {
	Bold      bool // the header in bold: a terminal that takes styling
	NoHeaders bool // rows only, for scripts that cut columns
	// Width is the terminal's width in columns: a table wider than that has
	// its widest columns cut, each long cell ending in "…". 0 (stdout is
	// not a terminal) keeps every byte of every cell.
	Width int
}

// ellipsis ends a cell cut to fit the terminal.
const ellipsis = "…"

// minCut is the narrowest a column is cut to, its suffix aside: enough to
// tell names apart at a glance.
const minCut = 8

// Print renders the table to w in style. Every cell goes through Sanitize:
// API-supplied text never acts on the terminal.
func (t Table) Print(w io.Writer, style TableStyle) error {
	tw := tableWriter{w: w, widths: make([]int, len(t.Header))}
	if !style.NoHeaders {
		for j, h := range t.Header {
			tw.widths[j] = tw.width(h)
		}
	}
	tw.suffix, tw.style = t.Suffix, t.Style
	var kept []string // the cells of every row, sanitized, when Keep allows
	if t.Keep > 0 {
		kept = make([]string, 0, t.Keep*len(t.Header))
	}
	err := t.Rows(func(cells ...string) error {
		for j, c := range cells {
			clean, width := tw.cell(c)
			tw.widths[j] = max(tw.widths[j], width+len(tw.suffixOf(j)))
			if kept != nil {
				kept = append(kept, clean)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(kept) != t.Keep*len(t.Header) { // Rows gave another count: read again
		kept = nil
	}

	if style.Width > 0 {
		tw.cut = tw.fit(style.Width)
	}
	if !style.NoHeaders {
		header := t.Header
		if style.Bold {
			header = make([]string, len(t.Header))
			for j, h := range t.Header {
				if tw.cut != nil && tw.cut[j] {
					h = text.Snip(h, tw.widths[j], ellipsis)
				}
				header[j] = text.Bold.Sprint(h)
			}
		}
		tw.row(header, true)
	}
	if kept != nil {
		for n := len(t.Header); len(kept) > 0 && tw.err == nil; kept = kept[n:] {
			tw.row(kept[:n], false)
		}
		return tw.err
	}
	clean := make([]string, len(t.Header))
	if err := t.Rows(func(cells ...string) error {
		for j, c := range cells {
			clean[j], _ = tw.cell(c)
		}
		tw.row(clean, false)
		return tw.err
	}); err != nil {
		return err
	}
	return tw.err
}

type tableWriter struct {
	w      io.Writer
	widths []int
	suffix []string
	cut    []bool // columns narrowed to fit the terminal: cells are cut
	style  func(column int, cell string) string
	line   []byte // the row being laid out: one Write a row
	err    error
	// wide caches the widths of non-ASCII cells: a column such as TEAM
	// repeats a few names over thousands of rows.
	wide map[string]int
}

var spaces = strings.Repeat(" ", 256)

// cell is a cell of API text made safe (Sanitize) and its width, in one
// look at printable ASCII, which nearly every cell is.
func (tw *tableWriter) cell(s string) (string, int) {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	if i == len(s) {
		return s, len(s)
	}
	s = Sanitize(s)
	return s, tw.width(s)
}

// width is the number of terminal columns s takes. ASCII, nearly every
// cell, is one column a byte; so is every rune below U+0300 (Latin scripts,
// before the combining marks), counted without a table. The rest (wide and
// combining runes, the bold header's escape sequences) is go-pretty's to
// measure, cached: a column such as TEAM repeats a few names.
func (tw *tableWriter) width(s string) int {
	i := 0
	for i < len(s) && s[i] < 0x80 && s[i] != 0x1b {
		i++
	}
	if i == len(s) {
		return len(s)
	}
	n := i
	for _, r := range s[i:] {
		if r >= 0x300 || r == 0x1b {
			return tw.measured(s)
		}
		n++
	}
	return n
}

func (tw *tableWriter) measured(s string) int {
	if n, ok := tw.wide[s]; ok {
		return n
	}
	n := text.StringWidthWithoutEscSequences(s)
	if tw.wide == nil {
		tw.wide = map[string]int{}
	}
	if len(tw.wide) < 1024 {
		tw.wide[s] = n
	}
	return n
}

// fit narrows the widest columns until the table fits width (or no column
// can be narrowed further), and returns which columns it narrowed.
func (tw *tableWriter) fit(width int) []bool {
	cut := make([]bool, len(tw.widths))
	total := columnGap * (len(tw.widths) - 1)
	for _, w := range tw.widths {
		total += w
	}
	for total > width {
		widest, next := -1, 0 // the widest column that may narrow, and the width after it
		for j, w := range tw.widths {
			if w <= minCut+len(tw.suffixOf(j)) {
				continue
			}
			if widest < 0 || w > tw.widths[widest] {
				if widest >= 0 {
					next = max(next, tw.widths[widest])
				}
				widest = j
			} else {
				next = max(next, w)
			}
		}
		if widest < 0 {
			break
		}
		// Down to the next widest (so the widest columns shrink together),
		// the excess, or the least it may have, whichever is wider.
		to := max(next, tw.widths[widest]-(total-width), minCut+len(tw.suffixOf(widest)))
		if to == tw.widths[widest] {
			to-- // two columns of one width: narrow them in turn
		}
		total -= tw.widths[widest] - to
		tw.widths[widest], cut[widest] = to, true
	}
	return cut
}

// row writes one line of clean cells (sanitized, or the header, which gets
// no suffixes). Padding is emitted only before a non-empty cell, so a row
// whose last cells are empty has no trailing whitespace either.
func (tw *tableWriter) row(cells []string, header bool) {
	pending := 0 // spaces owed before the next non-empty cell
	for j, width := range tw.widths {
		s, suffix := cells[j], ""
		if !header {
			suffix = tw.suffixOf(j)
		}
		sWidth := tw.width(s)
		if tw.cut != nil && tw.cut[j] && sWidth+len(suffix) > width {
			s = text.Snip(s, width-len(suffix), ellipsis)
			sWidth = tw.width(s)
		}
		if j > 0 {
			pending += columnGap
		}
		if tw.style != nil && !header && s != "" {
			s = tw.style(j, s)
		}
		if s != "" || suffix != "" {
			tw.pad(pending)
			tw.line = append(append(tw.line, s...), suffix...)
			pending = 0
		}
		pending += width - sWidth - len(suffix)
	}
	tw.line = append(tw.line, '\n')
	tw.write(tw.line)
	tw.line = tw.line[:0]
}

func (tw *tableWriter) suffixOf(column int) string {
	if column < len(tw.suffix) {
		return tw.suffix[column]
	}
	return ""
}

func (tw *tableWriter) pad(n int) {
	for ; n > 0; n -= len(spaces) {
		tw.line = append(tw.line, spaces[:min(n, len(spaces))]...)
	}
}

func (tw *tableWriter) write(line []byte) {
	if tw.err == nil {
		_, tw.err = tw.w.Write(line)
	}
}
