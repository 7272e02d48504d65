package commands

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

// RawRequestFlags are the request flags of `api management` and `api
// inference`: the method, the body (fields or a file) and extra headers.
type RawRequestFlags struct {
	Method    string   `short:"X" name:"method" enum:"GET,POST,PUT,PATCH,DELETE,HEAD" default:"GET" help:"HTTP method, in any case; POST when not given and fields or --input give a body."`
	Fields    []string `short:"F" name:"field" sep:"none" placeholder:"KEY=VALUE" help:"Add a field: a JSON value when VALUE is valid JSON (n=3, ok=true, tags=[\"a\"]), else a string; @FILE reads VALUE from a file, @- from stdin. Fields are a JSON object body for POST, PUT and PATCH, query parameters for GET, DELETE and HEAD."`
	RawFields []string `short:"f" name:"raw-field" sep:"none" placeholder:"KEY=VALUE" help:"Add a field whose VALUE is always a string. Fields keep the order they are typed in."`
	Input     string   `name:"input" placeholder:"FILE" predictor:"file" help:"Send the contents of FILE (- for stdin) as the body, as they are; not with fields."`
	Headers   []string `short:"H" name:"header" sep:"none" placeholder:"'NAME: VALUE'" help:"Add a request header. Authorization, Host, Content-Length and hop-by-hop headers are refused."`
	Include   bool     `short:"i" name:"include" help:"Write the status line and the response headers to stderr before the body."`

	request rawRequest
}

// rawRequest is what the flags resolved to, before the path is added.
type rawRequest struct {
	method string
	body   []byte // nil for none
	query  string // escaped, without "?"; from fields of a GET, DELETE or HEAD
	header http.Header
}

// field is one -F or -f.
type field struct {
	flag, key string
	value     []byte // compact JSON
}

// AfterApply reads the request flags (and the files they name) into a
// request, refusing what is wrong before anything is sent. (Kong calls it
// for every command that embeds them, after the leaf's own.)
func (c *RawRequestFlags) AfterApply(kctx *kong.Context, streams *render.IO) error {
	fields, err := c.readFields(kctx, streams)
	if err != nil {
		return err
	}
	header, err := parseHeaders(c.Headers)
	if err != nil {
		return err
	}
	var body []byte
	if flagGiven(kctx, "input") {
		if len(fields) > 0 {
			return usageError("--input cannot be combined with --field or --raw-field", "Put the fields in the file, or drop --input.")
		}
		if body, err = readInput("--input", c.Input, streams); err != nil {
			return err
		}
	}
	method := strings.ToUpper(c.Method)
	if !flagGiven(kctx, "method") && (body != nil || len(fields) > 0) {
		method = http.MethodPost
	}
	c.request = rawRequest{method: method, body: body, header: header}
	if len(fields) == 0 {
		return nil
	}
	switch method {
	case http.MethodGet, http.MethodDelete, http.MethodHead:
		c.request.query, err = fieldsQuery(fields)
		return err
	}
	c.request.body = fieldsObject(fields)
	return nil
}

// readFields parses -F and -f in the order they were typed: Kong keeps
// each flag's values in order, and its parse path says how the two
// interleave.
func (c *RawRequestFlags) readFields(kctx *kong.Context, streams *render.IO) ([]field, error) {
	var fields []field
	seen := map[string]string{}
	stdinUsed := false
	add := func(flag, arg string, typed bool) error {
		key, value, found := strings.Cut(arg, "=")
		if !found || key == "" {
			return usageError(fmt.Sprintf("%s %q is not KEY=VALUE", flag, arg), "")
		}
		if first, dup := seen[key]; dup {
			return usageError(fmt.Sprintf("the field %q is given twice (%s and %s)", key, first, flag), "Give each key once; for a list, pass a JSON array: -F 'tags=[\"a\",\"b\"]'.")
		}
		seen[key] = flag
		f := field{flag: flag, key: key}
		if typed && strings.HasPrefix(value, "@") {
			name := value[1:]
			if name == "-" {
				if stdinUsed {
					return usageError("stdin can be read once: only one field may be @-", "")
				}
				stdinUsed = true
			}
			content, err := readInput(fmt.Sprintf("%s %s", flag, key), name, streams)
			if err != nil {
				return err
			}
			value = string(content)
		}
		f.value = fieldValue(value, typed)
		fields = append(fields, f)
		return nil
	}
	typed, raw := c.Fields, c.RawFields
	for _, p := range kctx.Path {
		var err error
		switch {
		case p.Flag == nil:
		case p.Flag.Name == "field" && len(typed) > 0:
			err, typed = add("--field", typed[0], true), typed[1:]
		case p.Flag.Name == "raw-field" && len(raw) > 0:
			err, raw = add("--raw-field", raw[0], false), raw[1:]
		}
		if err != nil {
			return nil, err
		}
	}
	if len(typed)+len(raw) > 0 { // (the parse path always names each one)
		return nil, fmt.Errorf("internal error: %d fields not found on the command line", len(typed)+len(raw))
	}
	if stdinUsed && c.Input == "-" {
		return nil, usageError("stdin can be read once: not by both --input - and a field @-", "")
	}
	return fields, nil
}

// fieldValue is a field's value as compact JSON: the value itself when
// typed (-F) and valid JSON, else a JSON string of it.
func fieldValue(value string, typed bool) []byte {
	if typed && json.Valid([]byte(value)) {
		var compact bytes.Buffer
		if json.Compact(&compact, []byte(value)) == nil {
			return compact.Bytes()
		}
	}
	return jsonString(value)
}

// jsonString encodes s as a JSON string, leaving <, > and & as they are.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// fieldsObject is the JSON object of the fields, in the order given.
func fieldsObject(fields []field) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(jsonString(f.key))
		b.WriteByte(':')
		b.Write(f.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// fieldsQuery is the query string of the fields, in the order given: a
// string as it is, another scalar as typed (3, true, null), an array as the
// key repeated for each element (the way FastAPI reads a list); an object
// has no form in a query, and is refused.
func fieldsQuery(fields []field) (string, error) {
	var parts []string
	for _, f := range fields {
		var value any
		decoder := json.NewDecoder(bytes.NewReader(f.value))
		decoder.UseNumber()
		_ = decoder.Decode(&value) // f.value is valid JSON
		values, ok := queryValues(value)
		if !ok {
			return "", usageError(fmt.Sprintf("%s %s: an object cannot be a query parameter", f.flag, f.key), "Send fields as a JSON body with -X POST, PUT or PATCH.")
		}
		for _, v := range values {
			parts = append(parts, url.QueryEscape(f.key)+"="+url.QueryEscape(v))
		}
	}
	return strings.Join(parts, "&"), nil
}

func queryValues(value any) ([]string, bool) {
	switch v := value.(type) {
	case string:
		return []string{v}, true
	case json.Number:
		return []string{v.String()}, true
	case bool:
		return []string{fmt.Sprint(v)}, true
	case nil:
		return []string{"null"}, true
	case []any:
		var out []string
		for _, element := range v {
			if _, nested := element.([]any); nested {
				return nil, false
			}
			values, ok := queryValues(element)
			if !ok {
				return nil, false
			}
			out = append(out, values...)
		}
		return out, true
	}
	return nil, false
}

// readInput reads a file, or stdin for "-", up to the raw body limit.
func readInput(what, name string, streams *render.IO) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = streams.In
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, usageError(fmt.Sprintf("%s: cannot read %q: %v", what, name, withoutPath(err)), "")
		}
		defer f.Close()
		r = f
	}
	if r == nil {
		r = strings.NewReader("")
	}
	content, err := io.ReadAll(io.LimitReader(r, managementapi.MaxRawBody+1))
	if err != nil {
		return nil, usageError(fmt.Sprintf("%s: cannot read %q: %v", what, name, withoutPath(err)), "")
	}
	if len(content) > managementapi.MaxRawBody {
		return nil, usageError(fmt.Sprintf("%s: %q is larger than the 128 MiB a request body may have", what, name), "")
	}
	return content, nil
}

// parseHeaders reads -H values ("Name: value").
func parseHeaders(lines []string) (http.Header, error) {
	header := http.Header{}
	for _, line := range lines {
		if strings.ContainsAny(line, "\r\n") {
			return nil, usageError(fmt.Sprintf("--header %q holds a line break", line), "One header per --header, each on one line.")
		}
		name, value, found := strings.Cut(line, ":")
		name, value = strings.TrimSpace(name), strings.Trim(value, " \t")
		switch {
		case !found || name == "":
			return nil, usageError(fmt.Sprintf("--header %q is not 'NAME: VALUE'", line), "")
		case !isToken(name):
			return nil, usageError(fmt.Sprintf("--header %q: %q is not a header name", line, name), "")
		case strings.IndexFunc(value, func(r rune) bool { return r != '\t' && isControl(r) }) >= 0:
			return nil, usageError(fmt.Sprintf("--header %q holds a control character", line), "")
		case managementapi.RefusedHeader(name):
			return nil, usageError(fmt.Sprintf("--header %s is not yours to set", name), "The API key is sent as Authorization by the CLI; Host, Content-Length and hop-by-hop headers are the transport's.")
		}
		header.Add(name, value)
	}
	return header, nil
}

// isToken: a header name (RFC 9110's token).
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}
