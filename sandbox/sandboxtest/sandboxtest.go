// Package sandboxtest checks HTTP traffic against the official description
// of the management API: testdata/management-api.json, a copy of
// ../shared/openapi/management-api.json (a test keeps the two equal). Only
// tests import it, so its validator (kin-openapi) never reaches the binary.
//
// The description documents 200 responses only. Other statuses are allowed,
// as long as their bodies have the shapes of FastAPI, which the service is
// built on: {"detail": "..."}, or for 422 {"detail": [{"loc", "msg", "type"}]}.
package sandboxtest

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/dlclark/regexp2/v2"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// PresignedPrefix starts the paths of the sandbox's presigned download
// links (sandbox.PresignedPrefix, which a sandbox test holds it equal to;
// this package imports nothing of ours).
const PresignedPrefix = "/presigned/"

// Description is the OpenAPI description the traffic is checked against.
//
//go:embed testdata/management-api.json
var Description []byte

var router = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(Description)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background(), openapi3.SetRegexCompiler(compileECMA)); err != nil {
		return nil, err
	}
	// The description names the production server; the routes must match
	// whatever host a test serves them on.
	doc.Servers = nil
	return legacy.NewRouter(doc)
})

// The description's patterns are ECMA-262 regular expressions (OpenAPI says
// so), and some use lookaheads that Go's RE2 cannot compile: the decimal
// strings of billing amounts, `^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$`. Compiled
// with RE2, every valid amount would be a violation, and an invalid one would
// pass unnoticed; regexp2 in ECMAScript mode reads them as the API does.
var ecmaPatterns = []openapi3.SchemaValidationOption{openapi3.SetSchemaRegexCompiler(compileECMA)}

func compileECMA(expr string) (openapi3.RegexMatcher, error) {
	re, err := regexp2.Compile(expr, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return ecmaMatcher{re}, nil
}

// ecmaMatcher adapts regexp2 to kin-openapi's matcher. regexp2 reports an
// error only on a match timeout, and none is set, so an error is no match.
type ecmaMatcher struct{ re *regexp2.Regexp }

func (m ecmaMatcher) MatchString(s string) bool {
	ok, err := m.re.MatchString(s)
	return ok && err == nil
}

// Contract wraps h so that every request it receives and every response it
// sends is checked with CheckRequest and CheckResponse; a violation fails t.
// Use it where a client under test talks to the sandbox: the requests must
// follow the description too.
//
// The sandbox's presigned download links (under PresignedPrefix) pass
// unchecked: they stand for another host (object storage), which the
// description does not describe.
func Contract(t testing.TB, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.EscapedPath(), PresignedPrefix) {
			h.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading the request body of %s %s: %v", r.Method, r.URL.Path, err)
		}
		if err := CheckRequest(r, body); err != nil {
			t.Errorf("request breaks the contract: %v", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		if err := CheckResponse(r, rec.status, w.Header(), rec.body.Bytes()); err != nil {
			t.Errorf("response breaks the contract: %v", err)
		}
	})
}

// CheckRequest reports how a request (with its body read into body) breaks
// the description: an undocumented route or method, a body that is not a
// CreateAPIKeyRequestV1, no "Authorization: Bearer <key>".
func CheckRequest(r *http.Request, body []byte) error {
	input, err := validationInput(r, body)
	if err != nil {
		return err
	}
	input.Options = &openapi3filter.Options{
		MultiError:              true,
		SchemaValidationOptions: ecmaPatterns,
		AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
			scheme, key, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			if scheme != "Bearer" || key == "" {
				return in.NewError(errors.New(`no "Authorization: Bearer <key>" header`))
			}
			return nil
		},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), input); err != nil {
		return fmt.Errorf("%s %s: %w", r.Method, r.URL.EscapedPath(), err)
	}
	return nil
}

// CheckResponse reports how a response to r breaks the contract: every
// response is JSON (Content-Type application/json); a 2xx answers a
// documented route with the documented body; any other status carries a
// FastAPI error body.
func CheckResponse(r *http.Request, status int, header http.Header, body []byte) error {
	where := fmt.Sprintf("%s %s answered %d", r.Method, r.URL.EscapedPath(), status)
	if ct := header.Get("Content-Type"); ct != "application/json" {
		return fmt.Errorf("%s with Content-Type %q, want application/json", where, ct)
	}
	if status < 200 || status > 299 {
		if err := checkErrorBody(status, body); err != nil {
			return fmt.Errorf("%s: %w: %s", where, err, body)
		}
		return nil
	}
	input, err := validationInput(r, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if r.Method == http.MethodHead {
		return nil // the route is documented (as GET); a HEAD answer has no body
	}
	err = openapi3filter.ValidateResponse(r.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			MultiError: true, IncludeResponseStatus: true,
			SchemaValidationOptions: ecmaPatterns,
		},
	})
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}

// validationInput finds the documented operation r calls (a HEAD request
// calls the GET one).
func validationInput(r *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	routed := r.Clone(r.Context())
	if routed.Method == http.MethodHead {
		routed.Method = http.MethodGet
	}
	// An escaped "/" is legal inside a path parameter (a prefix may hold
	// one), but the router refuses it; the route does not depend on it.
	if p := routed.URL.EscapedPath(); strings.Contains(strings.ToUpper(p), "%2F") {
		routed.URL.RawPath = strings.NewReplacer("%2F", "_", "%2f", "_").Replace(p)
		routed.URL.Path = routed.URL.RawPath
	}
	route, params, err := func() (*routers.Route, map[string]string, error) {
		rt, err := router()
		if err != nil {
			return nil, nil, fmt.Errorf("loading the description: %w", err)
		}
		return rt.FindRoute(routed)
	}()
	if err != nil {
		return nil, fmt.Errorf("%s %s is not in the description: %w", r.Method, r.URL.EscapedPath(), err)
	}
	routed.Body = io.NopCloser(bytes.NewReader(body))
	return &openapi3filter.RequestValidationInput{Request: routed, PathParams: params, Route: route}, nil
}

// checkErrorBody checks the FastAPI error shapes: {"detail": "..."}, and
// for 422 {"detail": [{"loc": [...], "msg": "...", "type": "..."}, ...]}.
func checkErrorBody(status int, body []byte) error {
	var shape map[string]json.RawMessage
	if err := json.Unmarshal(body, &shape); err != nil {
		return fmt.Errorf("error body is not a JSON object (%v)", err)
	}
	if len(shape) != 1 || shape["detail"] == nil {
		return errors.New(`error body is not {"detail": ...}`)
	}
	if status != http.StatusUnprocessableEntity {
		var detail string
		if err := json.Unmarshal(shape["detail"], &detail); err != nil || detail == "" {
			return errors.New(`"detail" is not a non-empty string`)
		}
		return nil
	}
	var problems []struct {
		Loc  []any   `json:"loc"`
		Msg  *string `json:"msg"`
		Type *string `json:"type"`
	}
	if err := json.Unmarshal(shape["detail"], &problems); err != nil || len(problems) == 0 {
		return errors.New(`422 "detail" is not a non-empty list of validation errors`)
	}
	for _, p := range problems {
		if len(p.Loc) == 0 || p.Msg == nil || p.Type == nil {
			return errors.New(`a validation error lacks "loc", "msg" or "type"`)
		}
		for _, part := range p.Loc {
			if _, isString := part.(string); !isString {
				if _, isNumber := part.(float64); !isNumber {
					return errors.New(`a "loc" holds something other than names and indexes`)
				}
			}
		}
	}
	return nil
}

// recorder passes a response through and keeps a copy of it.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.body.Write(p)
	return r.ResponseWriter.Write(p)
}

// Buffer collects what a sandbox running in the background writes (its
// output, its log) while a test reads it: a bytes.Buffer safe for
// concurrent use.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
