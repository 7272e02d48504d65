package commands

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

func TestAppendLogText(t *testing.T) {
	ts := time.Date(2026, 3, 1, 9, 30, 5, 123_456_789, time.UTC).UnixNano()
	e := &managementapi.LogEntry{Timestamp: ts, Message: "hello\n", Replica: "abcde", Level: "WARNING"}
	assert.Equal(t, string(appendLogText(nil, e, true, false)), "2026-03-01T09:30:05.123Z WARNING abcde hello\n")
	assert.Equal(t, string(appendLogText(nil, e, true, true)), "2026-03-01T09:30:05.123Z \x1b[33mWARNING\x1b[0m abcde hello\n")

	// No level, no replica; an unknown level is shown uncoloured.
	e = &managementapi.LogEntry{Timestamp: ts, Message: "x"}
	assert.Equal(t, string(appendLogText(nil, e, true, true)), "2026-03-01T09:30:05.123Z -       -     x\n")
	e.Level = "FATAL\x1b[2J"
	assert.Equal(t, string(appendLogText(nil, e, true, true)), "2026-03-01T09:30:05.123Z FATAL\ufffd[2J -     x\n")

	// Local time names its offset.
	loc := time.FixedZone("X", -5*3600)
	saved := time.Local
	time.Local = loc
	defer func() { time.Local = saved }()
	e = &managementapi.LogEntry{Timestamp: ts, Message: "x", Level: "INFO", Replica: "r1"}
	assert.Equal(t, string(appendLogText(nil, e, false, false)), "2026-03-01T04:30:05.123-05:00 INFO    r1    x\n")
}

// A log line is server text: escapes never reach the terminal, and a line
// stays one line, so a message cannot forge the line after it.
func TestSanitizeLogText(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":                        "plain text",
		"tab\tstays":                        "tab\tstays",
		"\x1b[31mred\x1b[0m":                "\ufffd[31mred\ufffd[0m",
		"osc \x1b]52;c;aGk=\x07":            "osc \ufffd]52;c;aGk=\ufffd",
		"two\nlines\r\n2099 ERROR x forged": `two\nlines\r\n2099 ERROR x forged`,
		"bidi \u202eevil":                   `bidi \u202eevil`,
		"caf\xe9":                           "caf\ufffd",
	} {
		assert.Equal(t, sanitizeLogText(in), want, "%q", in)
	}
}

func TestParseLogSince(t *testing.T) {
	for in, want := range map[string]time.Duration{"90s": 90 * time.Second, "30m": 30 * time.Minute, "2h": 2 * time.Hour, "3d": 72 * time.Hour, "1h30m": 90 * time.Minute} {
		got, err := parseLogSince(in)
		assert.NilError(t, err, in)
		assert.Equal(t, got, want, in)
	}
	for _, in := range []string{"", "d", "3x", "-5m", "0s", "1.5d", "99999999999d"} {
		_, err := parseLogSince(in)
		assert.Assert(t, err != nil, in)
	}
}

func TestParseLogTime(t *testing.T) {
	loc := time.FixedZone("X", 3600)
	for in, want := range map[string]time.Time{
		"2026-03-01T09:30:00Z":          time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
		"2026-03-01T09:30:00.250+02:00": time.Date(2026, 3, 1, 7, 30, 0, 250e6, time.UTC),
		"2026-03-01T09:30":              time.Date(2026, 3, 1, 9, 30, 0, 0, loc),
		"2026-03-01 09:30:15":           time.Date(2026, 3, 1, 9, 30, 15, 0, loc),
		"2026-03-01":                    time.Date(2026, 3, 1, 0, 0, 0, 0, loc),
	} {
		got, err := parseLogTime(in, loc)
		assert.NilError(t, err, in)
		assert.Assert(t, got.Equal(want), "%s: %v, want %v", in, got, want)
	}
	for _, in := range []string{"yesterday", "2026-13-01", "09:30", "1700000000"} {
		_, err := parseLogTime(in, loc)
		assert.Assert(t, err != nil, in)
	}
}

// Ctrl-C while --jq filters a page ends the page: it is not a jq error on
// every line left in it.
func TestLogPrinterJQInterrupted(t *testing.T) {
	code, err := render.CompileJQ(".message")
	assert.NilError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	var notes []string
	p := &logPrinter{w: w, ctx: ctx, notef: func(f string, a ...any) { notes = append(notes, fmt.Sprintf(f, a...)) }}
	p.records = render.Output{Mode: render.JSONL, JQ: code}.Records(w, "logs")
	err = p.emit(&managementapi.LogEntry{Raw: []byte(`{"timestamp":"1","message":"m"}`), Timestamp: 1, Message: "m"})
	assert.Assert(t, err != nil)
	assert.Equal(t, len(notes), 0, "%v", notes)
	assert.Equal(t, p.jqFailed, 0)
}
