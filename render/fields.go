package render

import (
	"io"
	"strings"
)

// Field is one line of a record shown a field per line: a label of ours and
// a value that may come from the API.
type Field struct {
	Label, Value string
	// Style, when set, dresses the clean value for a terminal (a status in
	// color); it may add escape sequences only.
	Style func(string) string
}

// WriteFields writes one "Label:  value" line per field, the values lined up
// after the longest label. Values go through Sanitize, as table cells do:
// a line break or an escape sequence in a name stays on its line, as data.
// An empty value leaves the line at its label, without trailing spaces.
func WriteFields(w io.Writer, fields []Field) error {
	width := 0
	for _, f := range fields {
		width = max(width, len(f.Label))
	}
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f.Label + ":")
		if value := Sanitize(f.Value); value != "" {
			if f.Style != nil {
				value = f.Style(value)
			}
			b.WriteString(strings.Repeat(" ", width-len(f.Label)+columnGap) + value)
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
