// Package render owns everything the CLI writes: output modes, the jq
// pipeline, tables, colour and notes for humans on stderr. It knows nothing of
// commands or of the API; callers hand it a payload and a text renderer.
package render

import (
	"fmt"
	"io"
	"os"
)

// IO is the one value every command writes through. Tests build it with
// buffers and set the terminal flags by hand, the way gh's IOStreams does.
type IO struct {
	Out io.Writer // data only: a table, JSON, or one key
	Err io.Writer // everything for humans: notes, warnings, errors, verbose lines

	// OutIsTerminal is true when stdout is a terminal (decides bold headers).
	OutIsTerminal bool
	// NoColor is true when NO_COLOR is set (to anything) or TERM is "dumb".
	NoColor bool
	// Width is the terminal width in columns, or 0 when stdout is not a terminal.
	Width int
}

// Styled reports whether text output may carry ANSI styling.
func (s *IO) Styled() bool { return s.OutIsTerminal && !s.NoColor }

// Notef writes one line for humans on stderr.
func (s *IO) Notef(format string, args ...any) {
	fmt.Fprintf(s.Err, format+"\n", args...)
}

// Stdio is the IO of the real process.
func Stdio() *IO {
	s := &IO{
		Out:           os.Stdout,
		Err:           os.Stderr,
		OutIsTerminal: isTerminal(os.Stdout),
		NoColor:       os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb",
	}
	if s.OutIsTerminal {
		s.Width = terminalWidth(os.Stdout)
	}
	return s
}

// DefaultWidth is the wrap width of help text when stdout is not a terminal
// (or the terminal does not report its size), so piped help and golden files
// do not depend on who runs them.
const DefaultWidth = 80

// HelpWidth is the column at which help text wraps.
func (s *IO) HelpWidth() int {
	if s.OutIsTerminal && s.Width > 0 {
		return s.Width
	}
	return DefaultWidth
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
