package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

// logsRun is what one logs command needs beyond its flags: where its pages
// come from and, for a deployment, how to tell that it stopped running.
type logsRun struct {
	source  logSource
	stopped func(ctx context.Context) (string, error) // nil: follow until Ctrl-C
}

// run prints the window, then follows when asked.
func (f *LogsFlags) run(ctx context.Context, streams *render.IO, out *OutputFlags, verbose bool, r logsRun) error {
	startMs, endMs := f.window.resolve(time.Now())
	w := bufio.NewWriterSize(streams.Out, 64<<10)
	p := &logPrinter{w: w, utc: f.UTC, color: streams.Styled(), ctx: ctx, notef: streams.Notef}
	output := out.outputFor(streams)
	if output.Mode != render.Text {
		p.records = output.Records(w, "logs")
	}
	s := newLogStream(r.source, f.filters)
	s.emit, s.flush = p.emit, w.Flush
	s.notef = streams.Notef
	if verbose {
		s.verbosef = streams.Notef
	}
	s.following = f.Follow

	var err error
	if f.Limit > 0 {
		err = s.latest(ctx, startMs, endMs, f.Limit)
		if err == nil && f.Follow {
			// The lines of the horizon that --limit left out are not new:
			// remember them, so that following prints only what comes.
			from := startMs
			if s.newest > 0 {
				from = max(startMs, (s.newest-int64(logLateHorizon))/nsPerMs)
			}
			s.quiet = true
			_, err = s.forward(ctx, from, endMs)
			s.quiet = false
		}
	} else {
		_, err = s.forward(ctx, startMs, endMs)
	}
	if f.Follow && ctx.Err() != nil {
		return nil // Ctrl-C ends following, even before the window is done
	}
	if err != nil {
		return err
	}
	if !f.Follow {
		if p.records != nil {
			if err := p.records.Close(ctx); err != nil {
				return err
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if s.lines == 0 && output.Mode == render.Text {
			streams.Notef("No log lines in this window.")
		}
		if p.jqFailed > 0 {
			return &render.JQError{Err: fmt.Errorf("the filter failed on %d log line(s), each named above", p.jqFailed)}
		}
		return nil
	}
	return s.follow(ctx, startMs, r.stopped)
}

// logPrinter writes lines in the output mode: text here, the JSON modes
// through render.Records.
type logPrinter struct {
	w       *bufio.Writer
	records *render.Records
	utc     bool
	color   bool
	ctx     context.Context
	line    []byte // the text line being built, reused
	// notef reports a line --jq failed on; jqFailed counts them. A failure
	// is the line's, as in jq: the next lines are still filtered (a
	// follow must not end on one line that is not what the filter expects).
	notef    func(format string, args ...any)
	jqFailed int
}

func (p *logPrinter) emit(e *managementapi.LogEntry) error {
	if p.records != nil {
		err := p.records.Write(p.ctx, e.Raw)
		if jqErr, ok := errors.AsType[*render.JQError](err); ok && p.ctx.Err() == nil { // not Ctrl-C stopping the filter
			p.jqFailed++
			p.notef("Warning: %v (the log line of %s); going on with the next.", jqErr, formatNanos(e.Timestamp))
			return nil
		}
		return err
	}
	p.line = appendLogText(p.line[:0], e, p.utc, p.color)
	_, err := p.w.Write(p.line)
	return err
}

// logTimeLayout: ISO 8601 with milliseconds and the zone, so that lines
// sort as text and say which zone they are in ("Z" for UTC).
const logTimeLayout = "2006-01-02T15:04:05.000Z07:00"

// Level colors on a terminal: the usual ones of loggers.
var logLevelColors = map[string]string{
	"DEBUG":   "\x1b[2m",  // dim
	"INFO":    "\x1b[32m", // green
	"WARNING": "\x1b[33m", // yellow
	"ERROR":   "\x1b[31m", // red
}

const (
	logLevelWidth   = len("WARNING")
	logReplicaWidth = 5 // the API's short replica IDs
)

// appendLogText appends the text form of a line: TIMESTAMP LEVEL REPLICA
// MESSAGE and a newline. Everything from the server is made harmless
// first (sanitizeLogText).
func appendLogText(b []byte, e *managementapi.LogEntry, utc, color bool) []byte {
	t := time.Unix(0, e.Timestamp)
	if utc {
		t = t.UTC()
	}
	b = t.AppendFormat(b, logTimeLayout)
	b = append(b, ' ')

	level := e.Level
	if level == "" {
		level = "-"
	}
	level = sanitizeLogText(level)
	pad := logLevelWidth - utf8.RuneCountInString(level)
	if code, known := logLevelColors[level]; known && color {
		b = append(b, code...)
		b = append(b, level...)
		b = append(b, "\x1b[0m"...)
	} else {
		b = append(b, level...)
	}
	b = appendSpaces(b, max(pad, 0)+1)

	replica := e.Replica
	if replica == "" {
		replica = "-"
	}
	replica = sanitizeLogText(replica)
	b = append(b, replica...)
	b = appendSpaces(b, max(logReplicaWidth-utf8.RuneCountInString(replica), 0)+1)

	b = append(b, sanitizeLogText(trimLineEnd(e.Message))...)
	return append(b, '\n')
}

func appendSpaces(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}

// trimLineEnd drops the line ending many loggers leave on a message.
func trimLineEnd(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r")
}

// sanitizeLogText keeps one log line on one line and unable to act on the
// terminal: a newline or carriage return inside a message is shown as \n
// or \r (a message could otherwise print a forged line after itself), a tab
// stays a tab (harmless, and common in tracebacks), and everything else
// goes through render.Sanitize. A message of printable ASCII, nearly all of
// them, is returned as is.
func sanitizeLogText(s string) string {
	i := 0
	for i < len(s) && (s[i] >= 0x20 && s[i] < 0x7f || s[i] == '\t') {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for len(s) > 0 {
		j := strings.IndexAny(s, "\n\r\t")
		if j < 0 {
			b.WriteString(render.Sanitize(s))
			break
		}
		b.WriteString(render.Sanitize(s[:j]))
		switch s[j] {
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte('\t')
		}
		s = s[j+1:]
	}
	return b.String()
}
