package render

import (
	"io"
	"strings"

	"github.com/jedib0t/go-pretty/v6/text"
)

// Table is a borderless, space-separated table: columns padded to their
// widest cell, two spaces between columns, no trailing whitespace.
//
// Rows are streamed twice (measure, then write) instead of being collected,
// here or in go-pretty's table writer, which keeps every rendered row in
// memory and pads the last column: an org can hold a million keys, and this
// way a row costs its cells and nothing more. go-pretty still supplies
// display widths (wide and combining runes) and the bold style.
type Table struct {
	Header []string
	// Rows calls row once per row, in order, with as many cells as Header
	// has, and returns row's first error. Write calls it twice, so it must
	// produce the same rows each time.
	Rows func(row func(cells ...string) error) error
}

const columnGap = 2

// Write renders the table to w; bold makes the header bold. Every cell goes
// through Sanitize: API-supplied text never acts on the terminal.
func (t Table) Write(w io.Writer, bold bool) error {
	widths := make([]int, len(t.Header))
	for j, h := range t.Header {
		widths[j] = displayWidth(h)
	}
	err := t.Rows(func(cells ...string) error {
		for j, c := range cells {
			widths[j] = max(widths[j], displayWidth(Sanitize(c)))
		}
		return nil
	})
	if err != nil {
		return err
	}

	tw := tableWriter{w: w, widths: widths}
	header := t.Header
	if bold {
		header = make([]string, len(t.Header))
		for j, h := range t.Header {
			header[j] = text.Bold.Sprint(h)
		}
	}
	tw.row(header, false)
	if err := t.Rows(func(cells ...string) error {
		tw.row(cells, true)
		return tw.err
	}); err != nil {
		return err
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

// row writes one line, sanitizing the cells unless they are our own (the
// header). Padding is emitted only before a non-empty cell, so a row whose
// last cells are empty has no trailing whitespace either.
func (tw *tableWriter) row(cells []string, sanitize bool) {
	pending := 0 // spaces owed before the next non-empty cell
	for j, width := range tw.widths {
		s := cells[j]
		if sanitize {
			s = Sanitize(s)
		}
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
