// Package wire is the line protocol between the benchmark's runner (package
// launch) and its launcher process (bench/launcher): one request per line
// in, one result per line out.
//
// It is text, not JSON, and it imports only small packages (strconv,
// strings), because the launcher links it: encoding/json, fmt or os would
// add hundreds of KB to the launcher's binary, and on Linux the launcher's
// peak RSS, of which its mapped binary is most, is the least any child it
// starts can report.
//
// A request is Go-quoted strings separated by spaces: the path, the stdout
// file, the stderr file, then the arguments:
//
//	"/tmp/bin/baseten" "" "/tmp/stderr" "api-keys" "list"
//
// A result is the wall time in nanoseconds, the peak RSS in bytes, 1 or 0
// for whether the RSS is known, the exit code and the quoted error text:
//
//	5123456 7864320 1 0 ""
//
// Quoting keeps any byte of a path, an argument or an error on one line and
// gives it back unchanged.
package wire

import (
	"errors"
	"strconv"
	"strings"
)

// Request asks the launcher to run one process to completion, or, with an
// empty Path, to report its own peak RSS.
type Request struct {
	Path   string // a file path; PATH is not searched
	Args   []string
	Stdout string // file to create; empty: the null device
	Stderr string // file to create; empty: the null device
}

// Result is what the launcher saw of one run.
type Result struct {
	Wall     int64 // nanoseconds from start to exit, fork and exec included
	RSS      int64 // peak resident set, bytes
	RSSKnown bool
	Exit     int    // -1 when killed by a signal
	Error    string // the process could not run, or was killed
}

// AppendRequest appends req as one line, newline included.
func AppendRequest(b []byte, req Request) []byte {
	b = strconv.AppendQuote(b, req.Path)
	b = append(b, ' ')
	b = strconv.AppendQuote(b, req.Stdout)
	b = append(b, ' ')
	b = strconv.AppendQuote(b, req.Stderr)
	for _, arg := range req.Args {
		b = append(b, ' ')
		b = strconv.AppendQuote(b, arg)
	}
	return append(b, '\n')
}

// ParseRequest reads a line AppendRequest wrote, without its newline.
func ParseRequest(line string) (Request, error) {
	fields := make([]string, 0, 8) // path, stdout, stderr and most commands' arguments
	for rest := line; ; {
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return Request{}, errors.New("wire: bad request " + strconv.Quote(line))
		}
		s, _ := strconv.Unquote(q) // QuotedPrefix found it valid
		fields = append(fields, s)
		rest = rest[len(q):]
		if rest == "" {
			break
		}
		if rest[0] != ' ' {
			return Request{}, errors.New("wire: bad request " + strconv.Quote(line))
		}
		rest = rest[1:]
	}
	if len(fields) < 3 {
		return Request{}, errors.New("wire: short request " + strconv.Quote(line))
	}
	req := Request{Path: fields[0], Stdout: fields[1], Stderr: fields[2]}
	if len(fields) > 3 {
		req.Args = fields[3:]
	}
	return req, nil
}

// AppendResult appends res as one line, newline included.
func AppendResult(b []byte, res Result) []byte {
	b = strconv.AppendInt(b, res.Wall, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, res.RSS, 10)
	if res.RSSKnown {
		b = append(b, " 1 "...)
	} else {
		b = append(b, " 0 "...)
	}
	b = strconv.AppendInt(b, int64(res.Exit), 10)
	b = append(b, ' ')
	b = strconv.AppendQuote(b, res.Error)
	return append(b, '\n')
}

// ParseResult reads a line AppendResult wrote, without its newline.
func ParseResult(line string) (Result, error) {
	bad := errors.New("wire: bad result " + strconv.Quote(line))
	var nums [4]int64
	rest := line
	for i := range nums {
		var field string
		var ok bool
		if field, rest, ok = strings.Cut(rest, " "); !ok {
			return Result{}, bad
		}
		n, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return Result{}, bad
		}
		nums[i] = n
	}
	text, err := strconv.Unquote(rest)
	if err != nil || nums[2] != 0 && nums[2] != 1 {
		return Result{}, bad
	}
	return Result{Wall: nums[0], RSS: nums[1], RSSKnown: nums[2] == 1, Exit: int(nums[3]), Error: text}, nil
}
