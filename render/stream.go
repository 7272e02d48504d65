package render

import (
	"bufio"
	"bytes"
	"context"
	"io"

	"github.com/basetenlabs/baseten/internal/rawjson"
)

// Stream writes JSON values one at a time, as they arrive (the users of a
// paged list), in an output's mode, through one buffer: Write's per-call
// buffer would cost 64 KiB a value. Values must be well-formed JSON, as
// Write's bodies must.
type Stream struct {
	o       Output
	w       *bufio.Writer
	scratch bytes.Buffer // an indented value, before its lines are prefixed
}

// Stream starts a stream of values to w in o's mode.
func (o Output) Stream(w io.Writer) *Stream {
	return &Stream{o: o, w: bufio.NewWriterSize(w, 64<<10)}
}

// Writer is the stream's buffered writer, for text written between values.
func (s *Stream) Writer() io.Writer { return s.w }

// Value writes one value: the jq filter's results when there is one, else
// the value laid out for the mode. prefix, when not empty, starts every
// line of an indented value (one nested in an array the caller writes
// around it), and the final newline is left out.
func (s *Stream) Value(ctx context.Context, value []byte, prefix string) error {
	if s.o.JQ != nil {
		return s.o.writeJQ(ctx, s.w, value)
	}
	if prefix == "" {
		return rawjson.Format(s.w, value, s.o.layout())
	}
	s.scratch.Reset()
	if err := rawjson.Format(&s.scratch, value, s.o.layout()); err != nil {
		return err
	}
	lines := bytes.TrimSuffix(s.scratch.Bytes(), []byte("\n"))
	for len(lines) > 0 {
		line, rest, _ := bytes.Cut(lines, []byte("\n"))
		s.w.WriteString(prefix)
		s.w.Write(line)
		if len(rest) > 0 {
			s.w.WriteByte('\n')
		}
		lines = rest
	}
	return nil
}

// Flush writes out what is buffered: once a page of values is complete, so
// that a reader sees it before the next page is fetched.
func (s *Stream) Flush() error { return s.w.Flush() }
