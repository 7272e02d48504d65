// Package render owns everything the CLI writes: output modes, the jq
// pipeline, tables, colour and notes for humans on stderr. It knows nothing of
// commands or of the API; callers hand it a payload and a text renderer.
package render

import (
	"context"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// IO is the one value every command writes through. Tests build it with
// buffers and set the terminal flags by hand, the way gh's IOStreams does.
type IO struct {
	In  io.Reader // what a command reads (an API key piped to auth login)
	Out io.Writer // data only: a table, JSON, or one key
	Err io.Writer // everything for humans: notes, warnings, errors, verbose lines

	// InIsTerminal is true when stdin is a terminal: a person to prompt.
	InIsTerminal bool
	// ReadSecret prompts on the terminal and reads a line without echoing
	// it (nil when stdin is not a terminal). When ctx ends first it returns
	// ctx's error at once, the terminal as it was before the prompt.
	ReadSecret func(ctx context.Context, prompt string) (string, error)

	// OutIsTerminal is true when stdout is a terminal (decides bold headers).
	OutIsTerminal bool
	// ErrIsTerminal is true when stderr is a terminal: progress may be a
	// live line redrawn in place rather than a line per change.
	ErrIsTerminal bool
	// OutIsDiscarded is true when stdout is the null device (redirected
	// there, or closed: the Go runtime reopens a closed fd 1 on /dev/null).
	// Whatever is written there is lost, which matters for a new key.
	OutIsDiscarded bool
	// NoColor turns styling off; Main sets it from the environment
	// (NO_COLOR set to anything, or TERM=dumb).
	NoColor bool
	// Width is the terminal width in columns, or 0 when stdout is not a terminal.
	Width int
	// Secrets are redacted from every line written to Err.
	Secrets Redactor
}

// Styled reports whether text output may carry ANSI styling.
func (s *IO) Styled() bool { return s.OutIsTerminal && !s.NoColor }

// ErrStyled reports whether stderr may carry ANSI styling (a progress line).
func (s *IO) ErrStyled() bool { return s.ErrIsTerminal && !s.NoColor }

// Notef writes one line for humans on stderr. The line is cleaned (see
// Clean): whatever the arguments hold, it stays one harmless line.
func (s *IO) Notef(format string, args ...any) {
	fmt.Fprintln(s.Err, s.Clean(fmt.Sprintf(format, args...)))
}

// Clean prepares text for the terminal: secrets redacted first, then
// control and invisible characters made harmless (Sanitize).
func (s *IO) Clean(text string) string { return Sanitize(s.Secrets.Redact(text)) }

// Stdio is the IO of the real process. It reads no environment: Main
// applies NO_COLOR and TERM from the environment it is given.
func Stdio() *IO {
	s := &IO{
		In:             os.Stdin,
		Out:            os.Stdout,
		Err:            os.Stderr,
		InIsTerminal:   term.IsTerminal(int(os.Stdin.Fd())),
		OutIsTerminal:  term.IsTerminal(int(os.Stdout.Fd())),
		ErrIsTerminal:  term.IsTerminal(int(os.Stderr.Fd())),
		OutIsDiscarded: isNullDevice(os.Stdout),
	}
	if s.InIsTerminal {
		s.ReadSecret = func(ctx context.Context, prompt string) (string, error) {
			return readPassword(ctx, int(os.Stdin.Fd()), prompt)
		}
	}
	if s.OutIsTerminal {
		s.Width, _, _ = term.GetSize(int(os.Stdout.Fd())) // 0 when it does not say
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

func isNullDevice(f *os.File) bool {
	info, err := f.Stat()
	if err != nil {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err == nil && os.SameFile(info, null)
}

// readPassword prompts on stderr and reads a line from the terminal fd
// without echo. The read waits for Enter whatever signal comes, with echo
// off: so it is abandoned when ctx ends (Ctrl-C), and the terminal given
// back as it was; else the first Ctrl-C would do nothing, and a second,
// which kills, would leave the terminal without echo.
func readPassword(ctx context.Context, fd int, prompt string) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	fmt.Fprint(os.Stderr, prompt)
	defer fmt.Fprintln(os.Stderr) // the Enter that was not echoed
	type read struct {
		secret []byte
		err    error
	}
	done := make(chan read, 1)
	go func() {
		secret, err := term.ReadPassword(fd)
		done <- read{secret, err}
	}()
	select {
	case r := <-done:
		return string(r.secret), r.err
	case <-ctx.Done():
		_ = term.Restore(fd, state)
		return "", ctx.Err()
	}
}
