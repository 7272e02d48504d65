package render

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/itchyny/gojq"

	"github.com/basetenlabs/baseten/internal/rawjson"
)

// Mode is an output format as `--output` names it.
type Mode string

const (
	Text  Mode = "text"
	JSON  Mode = "json"
	JSONL Mode = "jsonl"
	None  Mode = "none"
)

// Output is a resolved output request: the mode plus an optional compiled jq
// filter. It is built before any request is sent, so a bad `--jq` or a bad
// combination never costs an API call.
type Output struct {
	Mode Mode
	JQ   *gojq.Code // nil without --jq
	// Terminal: stdout is a terminal, so server text must not be able to act
	// on it. JSON strings then escape what a terminal could act on or hide
	// (the same JSON value), and raw jq strings go through Sanitize.
	Terminal bool
}

// JQError is a jq runtime error (the filter compiled but failed on the payload).
type JQError struct{ Err error }

func (e *JQError) Error() string { return "jq: " + e.Err.Error() }
func (e *JQError) Unwrap() error { return e.Err }

// CompileJQ parses and compiles a jq expression. A syntax error names the
// parser's message and the byte position it stopped at.
func CompileJQ(expr string) (*gojq.Code, error) {
	query, err := gojq.Parse(expr)
	if err != nil {
		if perr, ok := err.(*gojq.ParseError); ok {
			return nil, fmt.Errorf("invalid --jq expression %q: %s at position %d", expr, perr.Error(), perr.Offset)
		}
		return nil, fmt.Errorf("invalid --jq expression %q: %v", expr, err)
	}
	code, err := gojq.Compile(query)
	if err != nil {
		return nil, fmt.Errorf("invalid --jq expression %q: %v", expr, err)
	}
	return code, nil
}

// Write renders a JSON body in the requested mode: the body itself,
// re-indented (json) or on one line (jsonl), the results of the jq filter
// run on it, or, in text mode, whatever text writes (text may be nil for
// commands whose text output goes to stderr only). body must be
// well-formed JSON (managementapi checks every answer; local payloads come
// from encoding/json).
//
// All output goes through one buffered writer and is flushed once, so a
// 50,000-row table costs one write syscall per buffer, not per cell.
func (o Output) Write(ctx context.Context, w io.Writer, body []byte, text func(w io.Writer) error) error {
	if o.Mode == None {
		return nil
	}
	buffered := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch {
	case o.JQ != nil:
		err = o.writeJQ(ctx, buffered, body)
	case o.Mode == Text:
		if text != nil {
			err = text(buffered)
		}
	default:
		err = rawjson.Format(buffered, body, o.layout())
	}
	if err != nil {
		return err
	}
	return buffered.Flush()
}

// writeJQ runs the filter on the body. Results that are strings print raw,
// like `jq -r`, so `--jq .api_key` prints the bare key; other values print as
// JSON, indented in json mode and one compact line each in jsonl mode.
func (o Output) writeJQ(ctx context.Context, w io.Writer, body []byte) error {
	// The decoded body stays live until the filter is done, so collecting
	// garbage meanwhile frees little: collect less often (the process ends
	// soon after).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	// Numbers stay json.Number, which gojq keeps exact (big integers
	// included) and prints as the server spelled them.
	iter := o.JQ.RunWithContext(ctx, rawjson.Decode(body))
	for {
		v, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := v.(error); isErr {
			if halt, ok := err.(*gojq.HaltError); ok && halt.Value() == nil {
				return nil // `halt` stops output without an error, as in jq
			}
			return &JQError{Err: err}
		}
		if err := o.writeJQResult(w, v); err != nil {
			return err
		}
	}
}

func (o Output) writeJQResult(w io.Writer, v any) error {
	if s, ok := v.(string); ok && o.Mode != JSONL {
		if o.Terminal {
			s = Sanitize(s)
		}
		_, err := io.WriteString(w, s+"\n")
		return err
	}
	encoded, err := gojq.Marshal(v)
	if err != nil {
		return err
	}
	return rawjson.Format(w, encoded, o.layout())
}

// layout is how JSON is laid out in this mode.
func (o Output) layout() rawjson.Layout {
	layout := rawjson.Layout{Indent: o.Mode != JSONL}
	if o.Terminal {
		layout.Escape = unsafeRune
	}
	return layout
}
