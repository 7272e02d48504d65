package render

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/itchyny/gojq"
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

// Write renders payload in the requested mode. text renders the text mode and
// is only called for it; it may be nil for commands whose text output goes to
// stderr only.
//
// All output goes through one buffered writer and is flushed once, so a
// 50,000-row table costs one write syscall per buffer, not per cell.
func (o Output) Write(ctx context.Context, w io.Writer, payload any, text func(w io.Writer) error) error {
	if o.Mode == None {
		return nil
	}
	buffered := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch {
	case o.JQ != nil:
		err = o.writeJQ(ctx, buffered, payload)
	case o.Mode == Text:
		if text != nil {
			err = text(buffered)
		}
	default:
		err = writeJSON(buffered, payload, o.Mode == JSONL)
	}
	if err != nil {
		return err
	}
	return buffered.Flush()
}

func writeJSON(w io.Writer, payload any, compact bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if !compact {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(payload)
}

// writeJQ runs the filter on the payload. Results that are strings print raw,
// like `jq -r`, so `--jq .api_key` prints the bare key; other values print as
// JSON, indented in json mode and one compact line each in jsonl mode.
func (o Output) writeJQ(ctx context.Context, w io.Writer, payload any) error {
	input, err := toJQValue(payload)
	if err != nil {
		return err
	}
	iter := o.JQ.RunWithContext(ctx, input)
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
		if err := writeJQResult(w, v, o.Mode == JSONL); err != nil {
			return err
		}
	}
}

func writeJQResult(w io.Writer, v any, compact bool) error {
	if s, ok := v.(string); ok {
		if !compact {
			_, err := io.WriteString(w, s+"\n")
			return err
		}
	}
	encoded, err := gojq.Marshal(v)
	if err != nil {
		return err
	}
	if !compact {
		var indented bytes.Buffer
		if err := json.Indent(&indented, encoded, "", "  "); err != nil {
			return err
		}
		encoded = indented.Bytes()
	}
	if _, err := w.Write(encoded); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// toJQValue turns a typed payload into the plain maps and slices gojq works
// on. One JSON round trip is the simplest exact conversion (it honours the
// json tags); json.Number keeps integers exact.
func toJQValue(payload any) (any, error) {
	encoded, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(encoded))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
