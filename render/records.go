package render

import (
	"bytes"
	"context"
	"io"

	"github.com/basetenlabs/baseten/internal/rawjson"
)

// Records writes JSON objects that arrive one at a time (log lines, page
// after page) in an output mode, without holding them:
//   - jsonl: each object on its own line, as the server sent it (compacted,
//     and escaped on a terminal as Write escapes);
//   - jsonl with --jq: the filter runs on each object, its results one per
//     line as in Write's jsonl mode;
//   - json: one document {"<member>": [...]}, laid out as Write lays out a
//     body, streamed element by element;
//   - json with --jq: the filter runs on that whole document, which is
//     then held in memory (a jq filter may look at all of it);
//   - none: nothing.
//
// Text mode is the caller's. Close ends the document.
type Records struct {
	o      Output
	w      io.Writer
	member string
	n      int
	buf    bytes.Buffer // an element being indented, or the document for json --jq
}

// Records returns a writer of objects as elements of member (json mode).
func (o Output) Records(w io.Writer, member string) *Records {
	return &Records{o: o, w: w, member: member}
}

// Write writes one object, which must be well-formed JSON (managementapi
// checks every page).
func (r *Records) Write(ctx context.Context, element []byte) error {
	defer func() { r.n++ }()
	switch {
	case r.o.Mode == None || r.o.Mode == Text:
		return nil
	case r.o.Mode == JSON && r.o.JQ != nil:
		r.docStart(&r.buf)
		r.buf.Write(element)
		return nil
	case r.o.JQ != nil:
		return r.o.writeJQ(ctx, r.w, element)
	case r.o.Mode == JSONL:
		return rawjson.Format(r.w, element, r.o.layout())
	}
	// json: the element indented two levels deep, after the document's
	// opening or the previous element's comma.
	r.buf.Reset()
	if r.n == 0 {
		r.buf.WriteString("{\n  \"" + r.member + "\": [\n    ")
	} else {
		r.buf.WriteString(",\n    ")
	}
	start := r.buf.Len()
	if err := rawjson.Format(&r.buf, element, r.o.layout()); err != nil {
		return err
	}
	indented := bytes.TrimSuffix(r.buf.Bytes()[start:], []byte("\n"))
	if _, err := r.w.Write(r.buf.Bytes()[:start]); err != nil {
		return err
	}
	for len(indented) > 0 {
		line, rest, more := bytes.Cut(indented, []byte("\n"))
		if more {
			line = line[:len(line)+1] // with its newline
		}
		if _, err := r.w.Write(line); err != nil {
			return err
		}
		if more {
			if _, err := io.WriteString(r.w, "    "); err != nil {
				return err
			}
		}
		indented = rest
	}
	return nil
}

// docStart opens the json document.
func (r *Records) docStart(b *bytes.Buffer) {
	if r.n > 0 {
		b.WriteByte(',')
		return
	}
	b.WriteString(`{"`)
	b.WriteString(r.member) // a member name of ours: plain ASCII
	b.WriteString(`":[`)
}

// Close ends the json document (an empty one when nothing was written).
func (r *Records) Close(ctx context.Context) error {
	if r.o.Mode != JSON {
		return nil
	}
	if r.o.JQ != nil {
		if r.n == 0 {
			r.docStart(&r.buf)
		}
		r.buf.WriteString("]}")
		return r.o.writeJQ(ctx, r.w, r.buf.Bytes())
	}
	if r.n == 0 {
		_, err := io.WriteString(r.w, "{\n  \""+r.member+"\": []\n}\n")
		return err
	}
	_, err := io.WriteString(r.w, "\n  ]\n}\n")
	return err
}
