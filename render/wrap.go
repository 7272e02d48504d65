package render

import (
	"strings"

	"github.com/jedib0t/go-pretty/v6/text"
)

// Wrap breaks s into lines of at most width display columns at spaces.
// Words are never split (a longer word gets a line of its own), so flag
// names and values stay copyable.
func Wrap(s string, width int) []string {
	var lines []string
	var line strings.Builder
	lineWidth := 0
	for _, word := range strings.Fields(s) {
		w := text.StringWidthWithoutEscSequences(word)
		if lineWidth > 0 && lineWidth+1+w > width {
			lines = append(lines, line.String())
			line.Reset()
			lineWidth = 0
		}
		if lineWidth > 0 {
			line.WriteByte(' ')
			lineWidth++
		}
		line.WriteString(word)
		lineWidth += w
	}
	if lineWidth > 0 {
		lines = append(lines, line.String())
	}
	return lines
}
