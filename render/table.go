package render

import (
	"io"
	"strings"

	"github.com/jedib0t/go-pretty/v6/text"
)

// Table is a borderless, space-separated table: columns padded to their
// widest cell, two spaces between columns, no trailing whitespace.
//
// It is written in two passes over the rows (measure, then write) instead of
// through go-pretty's table writer, which keeps every rendered row in memory
// and pads the last column: an org can hold tens of thousands of keys, and
// this way a row costs its cells and nothing more. go-pretty still supplies
// display widths (wide and combining runes) and the bold style.
type Table struct {
	Header []string
	Rows   int
	// Cell returns the text of row i, column j. It is called twice per cell.
	Cell func(i, j int) string
}

const columnGap = 2

// Write renders the table to w; bold makes the header bold.
func (t Table) Write(w io.Writer, bold bool) error {
	widths := make([]int, len(t.Header))
	for j, h := range t.Header {
		widths[j] = text.StringWidthWithoutEscSequences(h)
	}
	for i := 0; i < t.Rows; i++ {
		for j := range t.Header {
			if n := displayWidth(Sanitize(t.Cell(i, j))); n > widths[j] {
				widths[j] = n
			}
		}
	}

	tw := tableWriter{w: w, widths: widths}
	header := func(j int) string { return t.Header[j] }
	if bold {
		header = func(j int) string { return text.Bold.Sprint(t.Header[j]) }
	}
	tw.row(header)
	for i := 0; i < t.Rows; i++ {
		tw.row(func(j int) string { return Sanitize(t.Cell(i, j)) })
	}
	return tw.err
}

type tableWriter struct {
	w      io.Writer
	widths []int
	err    error
}

var spaces = strings.Repeat(" ", 256)

// displayWidth is the number of terminal columns s takes. ASCII, nearly
// every cell, is one column a byte; the rest (wide and combining runes, the
// bold header's escape sequences) is go-pretty's to measure.
func displayWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == 0x1b {
			return text.StringWidthWithoutEscSequences(s)
		}
	}
	return len(s)
}

// row writes one line. Padding is emitted only before a non-empty cell, so a
// row whose last cells are empty has no trailing whitespace either.
func (tw *tableWriter) row(cell func(j int) string) {
	pending := 0 // spaces owed before the next non-empty cell
	for j, width := range tw.widths {
		s := cell(j)
		if j > 0 {
			pending += columnGap
		}
		if s != "" {
			tw.pad(pending)
			tw.write(s)
			pending = 0
		}
		pending += width - displayWidth(s)
	}
	tw.write("\n")
}

func (tw *tableWriter) pad(n int) {
	for n > 0 && tw.err == nil {
		k := min(n, len(spaces))
		tw.write(spaces[:k])
		n -= k
	}
}

func (tw *tableWriter) write(s string) {
	if tw.err == nil {
		_, tw.err = io.WriteString(tw.w, s)
	}
}
