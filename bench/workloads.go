package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
)

// A workload is one CLI command line, measured against a floor: the least
// any program could do for the same output.
type workload struct {
	name  string // for -run and progress lines
	bin   string // the binary run, when not the CLI (built from bench/floors/<bin>)
	about string // what that binary is, for the report
	args  []string
	floor *floor
	// check reads the workload's stdout, saved to a file by the untimed
	// first run, and says what is wrong with it. A broken CLI must not look
	// fast.
	check func(f *os.File, want expected) error
}

type floor struct {
	name  string
	bin   string // binary name, built from bench/floors/<bin>
	check func(f *os.File, want expected) error
}

// expected is what a correct output is checked against.
type expected struct {
	keys      int
	bodyBytes int64
	bodySHA   string
	logLines  int // lines in the window of the logs workloads
}

const personalFilter = `.keys[] | select(.type == "PERSONAL") | .prefix`

var (
	// getCopyFloor GETs the key list with the CLI's headers and copies the
	// body to stdout: the wire speed.
	getCopyFloor = &floor{name: "GET and copy", bin: "getcopy", check: checkBody}
	// helloFloor is a Go program linking net/http that prints a line: the
	// cost of starting at all.
	helloFloor = &floor{name: "net/http hello", bin: "hello", check: checkText("hello from *http.Client\n")}
	// getLogsFloor pages through the logs window with the CLI's requests
	// and copies every page to stdout.
	getLogsFloor = &floor{name: "GET and copy the pages", bin: "getlogs", check: checkLogPages}
)

var workloads = []workload{
	{name: "none", args: listArgs("-o", "none"), floor: getCopyFloor, check: checkEmpty},
	{name: "jsonl", args: listArgs("-o", "jsonl"), floor: getCopyFloor, check: checkJSONL},
	{name: "json", args: listArgs("-o", "json"), floor: getCopyFloor, check: checkJSON},
	{name: "table", args: listArgs(), floor: getCopyFloor, check: checkTable},
	{name: "jq", args: listArgs("--jq", personalFilter), floor: getCopyFloor, check: checkPersonalPrefixes},
	{name: "logs-text", args: logsArgs("--utc"), floor: getLogsFloor, check: checkLogsText},
	{name: "logs-jsonl", args: logsArgs("-o", "jsonl"), floor: getLogsFloor, check: checkLogsJSONL},
	{name: "version", args: []string{"--version"}, floor: helloFloor, check: checkPrefix("baseten ")},
	{name: "help", args: listArgs("--help"), floor: helloFloor, check: checkPrefix("Usage: baseten org api-key list")},
	// Not a target: the CLI's code linked into a program that exits at
	// once, to show how much of --version and --help is just starting this
	// binary.
	{name: "linked", bin: "linked", about: "the CLI's code, exiting at once", floor: helloFloor, check: checkEmpty},
	// Not a target either: the hello with gojq linked, to show what the
	// jq library alone adds to starting.
	{name: "hellojq", bin: "hellojq", about: "the net/http hello with gojq linked", floor: helloFloor, check: checkText("hello from *http.Client\n")},
}

// command is how the report names a workload.
func (w *workload) command() string {
	if w.bin != "" {
		return "bench/floors/" + w.bin + " (" + w.about + ")"
	}
	return strings.Join(quoteAll(w.args), " ")
}

func listArgs(flags ...string) []string {
	return append([]string{"org", "api-key", "list"}, flags...)
}

func workloadNames() string {
	names := make([]string, len(workloads))
	for i, w := range workloads {
		names[i] = w.name
	}
	return strings.Join(names, ", ")
}

// ---- checks ----

func checkEmpty(f *os.File, _ expected) error {
	if size, err := fileSize(f); err != nil || size != 0 {
		return fmt.Errorf("stdout should be empty, has %d bytes (%v)", size, err)
	}
	return nil
}

// checkBody: the floor copied exactly the served body.
func checkBody(f *os.File, want expected) error {
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return err
	}
	if n != want.bodyBytes || hex.EncodeToString(h.Sum(nil)) != want.bodySHA {
		return fmt.Errorf("stdout is not the served body (%d bytes, want %d)", n, want.bodyBytes)
	}
	return nil
}

// checkJSONL: the payload, every key in the server's order, on one line.
func checkJSONL(f *os.File, want expected) error {
	lines := &lineCounter{r: bufio.NewReaderSize(f, 64<<10)}
	if err := checkPayload(lines, want.keys); err != nil {
		return err
	}
	if lines.n != 1 || !lines.endsWithNewline {
		return fmt.Errorf("want the payload on exactly one line, got %d newlines", lines.n)
	}
	return nil
}

// checkJSON: the payload, every key in the server's order, indented.
func checkJSON(f *os.File, want expected) error {
	lines := &lineCounter{r: bufio.NewReaderSize(f, 64<<10)}
	if err := checkPayload(lines, want.keys); err != nil {
		return err
	}
	if lines.n < 2 {
		return fmt.Errorf("want indented JSON, got %d lines", lines.n)
	}
	return nil
}

// checkPayload reads a GET /v1/api_keys payload one key at a time (there
// may be 100 MB of it) and compares each key with the one served. Top-level
// members other than "keys" are allowed: the API may add some, and `-o json`
// passes them on. It walks the payload as managementapi does, on purpose
// without sharing its code: a check that used the CLI's decoder could share
// its bugs.
func checkPayload(r io.Reader, keys int) error {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	seen := -1
	for dec.More() {
		name, err := dec.Token()
		if err != nil {
			return err
		}
		if name != "keys" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		if err := expectDelim(dec, '['); err != nil {
			return err
		}
		for seen = 0; dec.More(); seen++ {
			var got apiKey
			if err := dec.Decode(&got); err != nil {
				return fmt.Errorf("key %d: %v", seen, err)
			}
			if seen >= keys {
				return fmt.Errorf("more than the %d keys served", keys)
			}
			if want := keyAt(seen); !reflect.DeepEqual(got, want) {
				gotJSON, _ := json.Marshal(got)
				wantJSON, _ := json.Marshal(want)
				return fmt.Errorf("key %d is %s, served %s", seen, gotJSON, wantJSON)
			}
		}
		if err := expectDelim(dec, ']'); err != nil {
			return err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("data after the payload")
	}
	if seen != keys {
		return fmt.Errorf(`"keys" has %d keys, want %d`, max(seen, 0), keys)
	}
	return nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("want %v: %v", want, err)
	}
	if t != want {
		return fmt.Errorf("want %v, got %v", want, t)
	}
	return nil
}

// checkTable: a header line then one line per key.
func checkTable(f *os.File, want expected) error {
	r := bufio.NewReaderSize(f, 64<<10)
	header, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(header, "NAME") {
		return fmt.Errorf("want a header line starting with NAME, got %q (%v)", header, err)
	}
	lines := &lineCounter{r: r}
	if _, err := io.Copy(io.Discard, lines); err != nil {
		return err
	}
	if lines.n != want.keys || !lines.endsWithNewline {
		return fmt.Errorf("want %d rows, got %d lines", want.keys, lines.n)
	}
	return nil
}

// checkPersonalPrefixes: the jq workload printed the prefix of every
// personal key, in the server's order, one per line.
func checkPersonalPrefixes(f *os.File, want expected) error {
	s := bufio.NewScanner(f)
	i := 0
	for s.Scan() {
		for i < want.keys && keyAt(i).Type != "PERSONAL" {
			i++
		}
		if i == want.keys {
			return fmt.Errorf("extra line %q", s.Text())
		}
		if got := s.Text(); got != keyAt(i).Prefix {
			return fmt.Errorf("line %q, want the prefix of key %d, %q", got, i, keyAt(i).Prefix)
		}
		i++
	}
	if err := s.Err(); err != nil {
		return err
	}
	for ; i < want.keys; i++ {
		if keyAt(i).Type == "PERSONAL" {
			return fmt.Errorf("missing the prefix of key %d, %q", i, keyAt(i).Prefix)
		}
	}
	return nil
}

func checkPrefix(prefix string) func(*os.File, expected) error {
	return func(f *os.File, _ expected) error {
		head := make([]byte, len(prefix))
		if _, err := io.ReadFull(f, head); err != nil || string(head) != prefix {
			return fmt.Errorf("stdout should start with %q, got %q", prefix, head)
		}
		return nil
	}
}

func checkText(text string) func(*os.File, expected) error {
	return func(f *os.File, _ expected) error {
		got, err := io.ReadAll(io.LimitReader(f, int64(len(text))+1))
		if err != nil || !bytes.Equal(got, []byte(text)) {
			return fmt.Errorf("stdout should be %q, got %q", text, got)
		}
		return nil
	}
}

// lineCounter counts the newlines that pass through it.
type lineCounter struct {
	r               io.Reader
	n               int
	endsWithNewline bool
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.n += bytes.Count(p[:n], []byte{'\n'})
		c.endsWithNewline = p[n-1] == '\n'
	}
	return n, err
}

func fileSize(f *os.File) (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
