package wire

import (
	"reflect"
	"strings"
	"testing"
)

func TestRequestRoundTrip(t *testing.T) {
	for _, req := range []Request{
		{},
		{Path: "/tmp/bin/baseten"},
		{Path: "/tmp/bin/baseten", Stderr: "/tmp/stderr", Args: []string{"api-keys", "list", "--output", "json"}},
		{Path: `C:\bench\bin\baseten.exe`, Stdout: `C:\bench\stdout`, Stderr: `C:\bench\stderr`},
		// What quoting is for: spaces, quotes, newlines, an empty argument,
		// non-ASCII text and bytes that are not UTF-8.
		{Path: "/a dir/bin", Args: []string{`.[] | select(.type == "PERSONAL") | .prefix`, "", "two\nlines", "tab\there", "héllo ✓", "\xff\x00", `\"`}},
	} {
		line := string(AppendRequest(nil, req))
		if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
			t.Errorf("AppendRequest(%q) = %q, want one line", req, line)
			continue
		}
		got, err := ParseRequest(strings.TrimSuffix(line, "\n"))
		if err != nil {
			t.Errorf("ParseRequest(%q): %v", line, err)
			continue
		}
		if !reflect.DeepEqual(got, req) {
			t.Errorf("ParseRequest(AppendRequest(%q)) = %q", req, got)
		}
	}
}

func TestParseRequestRefuses(t *testing.T) {
	for _, line := range []string{
		"",
		`"/bin/x"`,                 // no stdout or stderr
		`"/bin/x" ""`,              // no stderr
		`"/bin/x" "" "" `,          // a trailing space
		`"/bin/x"  "" ""`,          // two spaces
		`"/bin/x" "" ""x`,          // no space between fields
		`"/bin/x" "" "" "unended`,  // an open quote
		`/bin/x "" ""`,             // unquoted
		`"/bin/x" "" "" "\q"`,      // a bad escape
		`"/bin/x" "" "" "a` + "\n", // a raw newline
	} {
		if req, err := ParseRequest(line); err == nil {
			t.Errorf("ParseRequest(%q) = %q, want an error", line, req)
		}
	}
}

func TestResultRoundTrip(t *testing.T) {
	for _, res := range []Result{
		{},
		{Wall: 5123456, RSS: 7864320, RSSKnown: true},
		{Wall: 600_000_000_000, Exit: -1, Error: "killed after 10m0s"},
		{Exit: -1, Error: "fork/exec /no such/file: no such file or directory"},
		{Wall: 1, Exit: 255, Error: "a \"quoted\"\nerror \xff"},
	} {
		line := string(AppendResult(nil, res))
		if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
			t.Errorf("AppendResult(%+v) = %q, want one line", res, line)
			continue
		}
		got, err := ParseResult(strings.TrimSuffix(line, "\n"))
		if err != nil {
			t.Errorf("ParseResult(%q): %v", line, err)
			continue
		}
		if got != res {
			t.Errorf("ParseResult(AppendResult(%+v)) = %+v", res, got)
		}
	}
}

func TestParseResultRefuses(t *testing.T) {
	for _, line := range []string{
		"",
		`1 2 1 0`,        // no error field
		`1 2 1 ""`,       // a number short
		`1 2 2 0 ""`,     // known is 0 or 1
		`1 2 1 0 x`,      // unquoted error
		`1 2 1 0 "" `,    // a trailing space
		`1  2 1 0 ""`,    // two spaces
		`1.5 2 1 0 ""`,   // not an integer
		`1 2 1 0 "" ""`,  // an extra field
		`x 2 1 0 "oops"`, // not a number
	} {
		if res, err := ParseResult(line); err == nil {
			t.Errorf("ParseResult(%q) = %+v, want an error", line, res)
		}
	}
}
