package commands

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

// rawAnswerText is the text-output paragraph of every command that prints
// a raw answer (api management, api inference, model predict).
const rawAnswerText = "A JSON answer is printed indented, as sent: its fields, their order and the spelling of numbers kept (-o jsonl: on one line; --jq: filtered). " +
	"Any other answer is written as it is, byte for byte, so that an image or an archive survives > FILE; on a terminal, text is shown with control characters made harmless, and a binary answer is refused (exit 2: redirect stdout, or pass -o none). " +
	"A text/event-stream or JSON-lines answer is written as it arrives, line by line; with --jq or -o json/jsonl, each event's data (or each line) that is JSON is printed or filtered on its own, and the rest (such as [DONE]) is left out. " +
	"-i writes the status line and the response headers to stderr first. A 4xx or 5xx answer still prints its body, then exits with the status's code."

// streamIdleTimeout is how long a streamed answer may be silent; zero is
// the client's default, the response-header deadline. Tests shorten it.
var streamIdleTimeout time.Duration

// writeRawAnswer prints resp as rawAnswerText says, and returns the error
// its status means (nil below 400).
func (c *OutputFlags) writeRawAnswer(ctx context.Context, streams *render.IO, include bool, resp *managementapi.RawResponse) error {
	defer resp.Close()
	if include {
		writeStatusAndHeaders(streams, resp)
	}
	out := c.outputFor(streams)
	contentType := resp.Header.Get("Content-Type")
	if kind := streamKindOf(contentType); kind != notStream && resp.Status < 300 {
		return writeStream(ctx, streams, out, kind, resp)
	}
	body, err := resp.ReadAll(managementapi.MaxRawBody)
	if err != nil {
		return err
	}
	written := writeBody(ctx, streams, out, contentType, body)
	if statusErr := resp.Err(body); statusErr != nil {
		return statusErr // what the status says matters more than how the body printed
	}
	return written
}

// writeStatusAndHeaders writes the status line and the headers, sorted by name, to
// stderr: cleaned like every line there, since the server wrote them.
func writeStatusAndHeaders(streams *render.IO, resp *managementapi.RawResponse) {
	streams.Notef("%s %s", resp.Proto, strings.TrimSpace(fmt.Sprintf("%d %s", resp.Status, http.StatusText(resp.Status))))
	names := make([]string, 0, len(resp.Header))
	for name := range resp.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, value := range resp.Header[name] {
			streams.Notef("%s: %s", name, value)
		}
	}
}

// writeBody prints a body read whole.
func writeBody(ctx context.Context, streams *render.IO, out render.Output, contentType string, body []byte) error {
	if out.Mode == render.None || len(body) == 0 {
		return nil
	}
	body = redactText(streams, body)
	notJSON := render.ValidJSON(body)
	if !isJSONType(contentType) && contentType != "" {
		notJSON = fmt.Errorf("it is %s", contentType)
	}
	if notJSON == nil {
		if out.Mode == render.Text { // the JSON of an answer is its text
			out.Mode = render.JSON
		}
		return out.Write(ctx, streams.Out, body, nil)
	}
	if out.JQ != nil {
		return fmt.Errorf("--jq needs a JSON answer, and this one is not: %v", notJSON)
	}
	if streams.OutIsTerminal {
		if render.IsBinary(body) {
			return settingError(fmt.Sprintf("the answer is binary (%s, %d bytes), and stdout is a terminal", cmp.Or(contentType, "no Content-Type"), len(body)),
				"Redirect stdout to a file (> FILE) or a pipe, or pass -o none.")
		}
		body = []byte(render.SanitizeText(string(body)))
	}
	_, err := streams.Out.Write(body)
	return err
}

// redactText removes the API key (and any secret registered with it) from
// a text or JSON answer: a server that echoes the Authorization it got,
// in an error or not, must not put the key on stdout, into a log or a CI
// transcript. A binary answer is written byte for byte, as promised.
func redactText(streams *render.IO, body []byte) []byte {
	if render.IsBinary(body) {
		return body
	}
	if redacted := streams.Secrets.Redact(string(body)); redacted != string(body) {
		return []byte(redacted)
	}
	return body
}

// isJSONType: application/json or a +json type (application/problem+json).
func isJSONType(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mediaType == "application/json" || strings.HasSuffix(mediaType, "+json"))
}

// What kind of stream an answer is.
type streamKind int

const (
	notStream   streamKind = iota
	eventStream            // text/event-stream: events of data lines, ended by a blank line
	jsonLines              // one JSON value per line
)

func streamKindOf(contentType string) streamKind {
	mediaType, _, _ := mime.ParseMediaType(contentType)
	switch mediaType {
	case "text/event-stream":
		return eventStream
	case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonl",
		"application/jsonlines", "application/x-jsonlines", "application/json-lines":
		return jsonLines
	}
	return notStream
}

// writeStream prints a streamed answer as it arrives: in text mode line by
// line as sent; with --jq or a JSON mode, the JSON of each event or line.
func writeStream(ctx context.Context, streams *render.IO, out render.Output, kind streamKind, resp *managementapi.RawResponse) error {
	scanner := bufio.NewScanner(resp.Stream())
	scanner.Buffer(make([]byte, 0, 64<<10), managementapi.MaxRawBody)
	scanner.Split(linesWithEnds)
	verbatim := out.Mode == render.Text && out.JQ == nil
	if out.Mode == render.Text {
		out.Mode = render.JSON
	}
	var data [][]byte // the data lines of the event being read
	dispatch := func() error {
		if data == nil {
			return nil
		}
		event := bytes.Join(data, []byte("\n"))
		data = nil
		if render.ValidJSON(event) != nil {
			return nil // "[DONE]" and other words: not JSON to print
		}
		return out.Write(ctx, streams.Out, event, nil)
	}
	for n := 1; scanner.Scan(); n++ {
		line := redactText(streams, scanner.Bytes())
		var err error
		switch {
		case out.Mode == render.None:
		case verbatim:
			if streams.OutIsTerminal {
				line = []byte(render.SanitizeText(string(line)))
			}
			_, err = streams.Out.Write(line)
		case kind == jsonLines:
			content := bytes.TrimSpace(line)
			if len(content) == 0 {
				continue
			}
			if render.ValidJSON(content) != nil {
				return &managementapi.ResponseError{Reason: fmt.Sprintf("line %d of the JSON-lines stream is not JSON", n)}
			}
			err = out.Write(ctx, streams.Out, content, nil)
		default: // an event stream
			content := bytes.TrimRight(line, "\r\n")
			if len(content) == 0 {
				err = dispatch()
				break
			}
			name, value, _ := bytes.Cut(content, []byte(":"))
			if string(name) == "data" {
				data = append(data, bytes.Clone(bytes.TrimPrefix(value, []byte(" "))))
			}
		}
		if err != nil {
			return err
		}
	}
	if err := scanner.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return &managementapi.ResponseError{Reason: "a line of the stream is longer than the 128 MiB limit"}
		}
		return err
	}
	if out.Mode != render.None && !verbatim && kind == eventStream {
		return dispatch() // a last event without its blank line
	}
	return nil
}

// linesWithEnds splits a stream into lines, each with its line feed (and
// whatever precedes it), so that text mode writes exactly what was sent.
func linesWithEnds(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}
