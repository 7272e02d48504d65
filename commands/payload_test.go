package commands_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// The JSON modes print the API's own payload: fields this CLI does not know,
// the server's key order, its spelling of numbers, all kept. --jq sees the
// same payload.

// tomorrow is a key list as a later API might send it: a cursor, fields in
// another order, a created_at, numbers no float64 holds exactly, optional
// fields left out rather than null.
const tomorrow = `{"cursor":"c2","keys":[` +
	`{"type":"PERSONAL","prefix":"aaaa1111","created_at":"2026-01-01T00:00:00Z","uses":123456789012345678901234567890,"ratio":1.50,"name":"laptop"},` +
	`{"prefix":"bbbb2222","type":"WORKSPACE_INVOKE","model_ids":["m1"],"team_name":"Research"}` +
	`],"total":2}`

func TestJSONModesPrintThePayloadAsSent(t *testing.T) {
	a := newAPI(t, ok(tomorrow))
	r := newRunner(a)

	var indented bytes.Buffer
	assert.NilError(t, json.Indent(&indented, []byte(tomorrow), "", "  "))
	assertResult(t, r.run("org", "api-key", "list", "-o", "json"), indented.String()+"\n", "", 0)
	assertResult(t, r.run("org", "api-key", "list", "-o", "jsonl"), tomorrow+"\n", "", 0)

	// --jq runs on the same payload: unknown fields are visible, big
	// integers exact, numbers as the server spelled them.
	assertResult(t, r.run("org", "api-key", "list", "--jq", ".cursor, .total, .keys[0].uses, .keys[0].ratio, .keys[0].created_at"),
		"c2\n2\n123456789012345678901234567890\n1.50\n2026-01-01T00:00:00Z\n", "", 0)
	assertResult(t, r.run("org", "api-key", "list", "-o", "jsonl", "--jq", ".keys[0] | {uses}"),
		`{"uses":123456789012345678901234567890}`+"\n", "", 0)
}

// The text view is typed: absent optional fields are empty cells.
func TestTextViewOfAnUnfamiliarPayload(t *testing.T) {
	a := newAPI(t, ok(tomorrow))
	assertResult(t, newRunner(a).run("org", "api-key", "list"), ""+
		"NAME    KEY           TYPE              TEAM\n"+
		"laptop  aaaa1111****  personal\n"+
		"        bbbb2222****  workspace-invoke  Research\n", "", 0)
}

func TestCreatePrintsThePayloadAsSent(t *testing.T) {
	const answer = `{"api_key":"abcd1234.S3CRETS3CRETS3CRET","created_at":"2026-01-01T00:00:00Z","expires":null}`
	a := newAPI(t, ok(answer))
	assertResult(t, newRunner(a).run("org", "api-key", "create", "--type", "personal", "-o", "jsonl"), answer+"\n", "", 0)
}

// A body that is not the documented shape prints nothing, in every mode.
func TestWrongShapePrintsNothing(t *testing.T) {
	for _, body := range []string{`{"cursor":"c2"}`, `{"keys":{"a":1}}`, `[{"prefix":"a"}]`, `{"keys":[{"prefix":7}]}`, `{"keys":[]`} {
		a := newAPI(t, ok(body))
		for _, mode := range [][]string{{"-o", "json"}, {"-o", "jsonl"}, {"-o", "none"}, {"--jq", "."}, {"-o", "text"}} {
			got := newRunner(a).run(append([]string{"org", "api-key", "list"}, mode...)...)
			if body == `{"keys":[{"prefix":7}]}` && mode[1] != "text" {
				// Well-formed and of the documented top-level shape: the
				// JSON modes print it; only the typed view objects.
				assert.Equal(t, got.Code, 0, "%s %v: %s", body, mode, got.Stderr)
				continue
			}
			assert.Equal(t, got.Code, 1, "%s %v", body, mode)
			assert.Equal(t, got.Stdout, "", "%s %v", body, mode)
			assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: unexpected response from the API: "), got.Stderr)
		}
	}
}

// On a terminal, server text in stdout cannot act on it either: JSON strings
// escape C1 controls and invisible formatting characters (the same JSON
// value), and raw --jq strings are sanitized. Piped, the bytes are the
// server's.
func TestStdoutOnATerminalIsSanitized(t *testing.T) {
	// Raw UTF-8 in the body: U+009B (a one-character CSI to some terminals)
	// and U+202E (right-to-left override); ESC as the \u001b JSON requires.
	const body = "{\"keys\":[{\"prefix\":\"aaaa1111\",\"type\":\"PERSONAL\",\"name\":\"\u009b31m\u202eevil\\u001b]52;c;eA==\\u0007\"}]}"
	a := newAPI(t, ok(body))
	r := newRunner(a)
	r.terminal = true
	assertResult(t, r.run("org", "api-key", "list", "-o", "jsonl"),
		`{"keys":[{"prefix":"aaaa1111","type":"PERSONAL","name":"\u009b31m\u202eevil\u001b]52;c;eA==\u0007"}]}`+"\n", "", 0)
	assertResult(t, r.run("org", "api-key", "list", "--jq", ".keys[0].name"), "\uFFFD31m\\u202eevil\uFFFD]52;c;eA==\uFFFD\n", "", 0)
	assertResult(t, r.run("org", "api-key", "list", "--jq", ".keys[0] | {name}", "-o", "jsonl"),
		`{"name":"\u009b31m\u202eevil\u001b]52;c;eA==\u0007"}`+"\n", "", 0)

	r.terminal = false
	assertResult(t, r.run("org", "api-key", "list", "-o", "jsonl"), body+"\n", "", 0)
	assertResult(t, r.run("org", "api-key", "list", "--jq", ".keys[0].name"), "\u009b31m\u202eevil\x1b]52;c;eA==\a\n", "", 0)
}
