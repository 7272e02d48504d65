package sandbox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxBodyBytes caps request bodies; a create request is a few hundred bytes.
const maxBodyBytes = 1 << 20

// Limits on what one create may store, answered 422 like pydantic's
// max_length. The API documents none, but the sandbox keeps every key in
// its state file, which it reads back only up to maxStateBytes: without
// them ~128 creates of 1 MiB of model_ids made every later start fail.
// With them a key takes at most ~80 KB of the state file, even with every
// character escaped, and a typical key ~170 bytes.
const (
	maxNameLength    = 256 // characters
	maxModelIDs      = 100
	maxModelIDLength = 128 // characters each
)

// handlerFunc answers an authenticated request; params are the route's
// path parameters, unescaped, in order.
type handlerFunc func(s *Server, w http.ResponseWriter, r *http.Request, params []string)

// route is one path of the API. Routing is done by hand rather than with
// http.ServeMux because ServeMux answers 404/405 (and unclean paths) in plain
// text, and the API's clients expect a JSON "detail" on every error.
type route struct {
	// segments of the path; "" is a path parameter, which matches any
	// non-empty segment.
	segments []string
	methods  map[string]handlerFunc
	allow    string // Allow header of a 405; HEAD is served wherever GET is
	// managesKeys routes are refused (403) to keys whose type may not
	// manage keys.
	managesKeys bool
}

var routes = []route{
	{[]string{"v1", "api_keys"}, map[string]handlerFunc{"GET": (*Server).listKeys, "POST": (*Server).createKeyHandler}, "GET, HEAD, POST", true},
	{[]string{"v1", "api_keys", ""}, map[string]handlerFunc{"DELETE": (*Server).deleteKeyHandler}, "DELETE", true},
	{[]string{"v1", "teams"}, map[string]handlerFunc{"GET": (*Server).listTeams}, "GET, HEAD", false},
	{[]string{"v1", "teams", ""}, map[string]handlerFunc{"GET": (*Server).getTeam}, "GET, HEAD", false},
	{[]string{"v1", "teams", "", "api_keys"}, map[string]handlerFunc{"POST": (*Server).createKeyHandler}, "POST", true},
	{[]string{"v1", "users", "me"}, map[string]handlerFunc{"GET": (*Server).getUser}, "GET, HEAD", false},
	// secrets.go, users.go, billing.go
	{[]string{"v1", "secrets"}, map[string]handlerFunc{"GET": (*Server).listSecretsHandler, "POST": (*Server).upsertSecretHandler}, "GET, HEAD, POST", false},
	{[]string{"v1", "secrets", ""}, map[string]handlerFunc{"DELETE": (*Server).deleteSecretHandler}, "DELETE", false},
	{[]string{"v1", "teams", "", "secrets"}, map[string]handlerFunc{"GET": (*Server).listSecretsHandler, "POST": (*Server).upsertSecretHandler}, "GET, HEAD, POST", false},
	{[]string{"v1", "teams", "", "secrets", ""}, map[string]handlerFunc{"DELETE": (*Server).deleteSecretHandler}, "DELETE", false},
	{[]string{"v1", "users"}, map[string]handlerFunc{"GET": (*Server).listUsersHandler}, "GET, HEAD", false},
	{[]string{"v1", "users", ""}, map[string]handlerFunc{"GET": (*Server).getUserByIDHandler}, "GET, HEAD", false},
	{[]string{"v1", "billing", "usage_summary"}, map[string]handlerFunc{"GET": (*Server).usageSummaryHandler}, "GET, HEAD", false},
}

func init() { routes = append(routes, modelRoutes...) }

// ServeHTTP routes, authenticates and answers one request. Routing comes
// first so that a typo in a path gets a 404 whatever key is presented.
// Query parameters are ignored, as FastAPI ignores undeclared ones.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.EscapedPath(), PresignedPrefix) {
		s.servePresigned(w, r) // another "host": no API key, its own errors
		return
	}
	if label, ok := inferenceHost(r.Host); ok {
		s.serveInference(w, r, label) // a model's host (inference.go)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store") // create responses carry secrets
	rt, params := matchRoute(r.URL.EscapedPath())
	if rt == nil {
		writeDetail(w, http.StatusNotFound, "Not Found")
		return
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet // net/http drops the body of HEAD responses
	}
	handle := rt.methods[method]
	if handle == nil {
		h.Set("Allow", rt.allow)
		writeDetail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	keyType, detail := s.authenticate(r)
	if detail != "" {
		h.Set("WWW-Authenticate", "Bearer")
		writeDetail(w, http.StatusUnauthorized, detail)
		return
	}
	if rt.managesKeys && !keyType.canManageKeys() {
		writeDetail(w, http.StatusForbidden, "API keys of type "+string(keyType)+" cannot manage API keys")
		return
	}
	handle(s, w, r, params)
}

// matchRoute splits the escaped path so that an escaped "/" inside a prefix
// stays within its segment, then unescapes each segment.
func matchRoute(escapedPath string) (*route, []string) {
	rest, ok := strings.CutPrefix(escapedPath, "/")
	if !ok {
		return nil, nil
	}
	raw := strings.Split(rest, "/")
	for i := range routes {
		rt := &routes[i]
		if len(rt.segments) != len(raw) {
			continue
		}
		var params []string
		matched := true
		for j, want := range rt.segments {
			seg, err := url.PathUnescape(raw[j])
			if err != nil || seg == "" || (want != "" && seg != want) {
				matched = false
				break
			}
			if want == "" {
				params = append(params, seg)
			}
		}
		if matched {
			return rt, params
		}
	}
	return nil, nil
}

// authenticate returns the type of the presented key, or the 401 detail.
// Both schemes the API accepts work: "Bearer <key>" and the legacy
// "Api-Key <key>". The detail never contains the key: error bodies end up
// in logs.
func (s *Server) authenticate(r *http.Request) (KeyType, string) {
	scheme, key, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	key = strings.TrimSpace(key)
	// Auth schemes are case-insensitive (RFC 9110, section 11.1).
	if key == "" || !(strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Api-Key")) {
		return "", "Not authenticated: send 'Authorization: Bearer <api_key>'"
	}
	t, ok := s.keyType(key)
	if !ok {
		return "", "Invalid API key"
	}
	return t, ""
}

func (s *Server) listKeys(w http.ResponseWriter, _ *http.Request, _ []string) {
	keys := s.snapshotKeys()
	const head, tail = `{"keys":[`, "]}\n"
	size := len(head) + len(tail) + max(len(keys)-1, 0) // commas
	for _, k := range keys {
		size += len(k.listJSON)
	}
	// With a known length the response is not chunked, and the pre-encoded
	// entries go out through one buffer: no per-request JSON encoding.
	w.Header().Set("Content-Length", strconv.Itoa(size))
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(head)
	for i, k := range keys {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.Write(k.listJSON)
	}
	bw.WriteString(tail)
	bw.Flush() // an error means the client went away; nothing left to tell it
}

func (s *Server) listTeams(w http.ResponseWriter, _ *http.Request, _ []string) {
	writeJSON(w, http.StatusOK, struct {
		Teams []Team `json:"teams"`
	}{s.Teams()})
}

func (s *Server) getTeam(w http.ResponseWriter, _ *http.Request, params []string) {
	s.mu.RLock()
	i := s.teamIndexLocked(params[0])
	var team Team
	if i >= 0 {
		team = s.teams[i]
	}
	s.mu.RUnlock()
	if i < 0 {
		writeDetail(w, http.StatusNotFound, "Team not found")
		return
	}
	writeJSON(w, http.StatusOK, team)
}

func (s *Server) getUser(w http.ResponseWriter, _ *http.Request, _ []string) {
	s.mu.RLock()
	user := s.user
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, user)
}

func (s *Server) deleteKeyHandler(w http.ResponseWriter, _ *http.Request, params []string) {
	found, err := s.deleteKey(params[0])
	switch {
	case !found:
		writeDetail(w, http.StatusNotFound, "API key not found")
	case err != nil:
		writeSaveError(w, err)
	default:
		writeJSON(w, http.StatusOK, struct {
			Prefix string `json:"prefix"`
		}{params[0]})
	}
}

// createKeyHandler serves both create endpoints: params is empty for
// /v1/api_keys (default team) and holds the team ID for the team variant.
// The checks run in FastAPI's order: body validation (422), then the team
// lookup (404).
func (s *Server) createKeyHandler(w http.ResponseWriter, r *http.Request, params []string) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
			writeDetail(w, http.StatusRequestEntityTooLarge, "Request body too large (limit "+strconv.Itoa(maxBodyBytes)+" bytes)")
		} else {
			writeDetail(w, http.StatusBadRequest, "Could not read request body")
		}
		return
	}
	req, problems := parseCreateRequest(r.Header.Get("Content-Type"), body)
	if len(problems) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			Detail []validationError `json:"detail"`
		}{problems})
		return
	}
	teamID := ""
	if len(params) > 0 {
		teamID = params[0]
	}
	key, found, err := s.createKey(teamID, req)
	switch {
	case !found:
		writeDetail(w, http.StatusNotFound, "Team not found")
	case err != nil:
		writeSaveError(w, err)
	default:
		writeJSON(w, http.StatusOK, struct {
			APIKey string `json:"api_key"`
		}{key})
	}
}

// validationError is one entry of a FastAPI 422 body. Loc mixes strings and
// indexes, e.g. ["body", "model_ids", 0].
type validationError struct {
	Loc  []any          `json:"loc"`
	Msg  string         `json:"msg"`
	Type string         `json:"type"`
	Ctx  map[string]any `json:"ctx,omitempty"`
}

// tooLong is pydantic's error for a string over max_length characters.
func tooLong(loc []any, maxLength int) validationError {
	return validationError{Loc: loc, Msg: fmt.Sprintf("String should have at most %d characters", maxLength), Type: "string_too_long",
		Ctx: map[string]any{"max_length": maxLength}}
}

// parseCreateRequest validates a CreateAPIKeyRequestV1 body the way FastAPI
// and pydantic do: the body is JSON when the Content-Type is absent or a
// JSON type (charset and other parameters do not matter); all field errors
// are reported at once; unknown fields are ignored; null is accepted for
// the optional fields. Empty model_ids are stored as null, as they scope
// nothing.
func parseCreateRequest(contentType string, body []byte) (KeyInfo, []validationError) {
	notAnObject := []validationError{{Loc: []any{"body"}, Msg: "Input should be a valid dictionary or object to extract fields from", Type: "model_attributes_type"}}
	if !isJSON(contentType) {
		return KeyInfo{}, notAnObject // FastAPI hands pydantic the raw bytes
	}
	if len(bytes.TrimSpace(body)) == 0 || string(bytes.TrimSpace(body)) == "null" {
		return KeyInfo{}, []validationError{{Loc: []any{"body"}, Msg: "Field required", Type: "missing"}}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		if _, wrongType := errors.AsType[*json.UnmarshalTypeError](err); wrongType {
			return KeyInfo{}, notAnObject
		}
		var offset int64
		if syntaxErr, ok := errors.AsType[*json.SyntaxError](err); ok {
			offset = syntaxErr.Offset
		}
		return KeyInfo{}, []validationError{{Loc: []any{"body", offset}, Msg: "JSON decode error", Type: "json_invalid", Ctx: map[string]any{"error": err.Error()}}}
	}

	var req KeyInfo
	var problems []validationError
	isNull := func(raw json.RawMessage) bool { return raw == nil || string(raw) == "null" }

	if raw := fields["type"]; raw == nil {
		problems = append(problems, validationError{Loc: []any{"body", "type"}, Msg: "Field required", Type: "missing"})
	} else if err := json.Unmarshal(raw, &req.Type); err != nil || !knownType(req.Type) {
		const expected = "'PERSONAL', 'WORKSPACE_MANAGE_ALL', 'WORKSPACE_EXPORT_METRICS' or 'WORKSPACE_INVOKE'"
		problems = append(problems, validationError{Loc: []any{"body", "type"}, Msg: "Input should be " + expected, Type: "enum", Ctx: map[string]any{"expected": expected}})
	}
	if raw := fields["name"]; !isNull(raw) {
		req.Name = new(string)
		if err := json.Unmarshal(raw, req.Name); err != nil {
			problems = append(problems, validationError{Loc: []any{"body", "name"}, Msg: "Input should be a valid string", Type: "string_type"})
		} else if utf8.RuneCountInString(*req.Name) > maxNameLength {
			problems = append(problems, tooLong([]any{"body", "name"}, maxNameLength))
		}
	}
	if raw := fields["model_ids"]; !isNull(raw) {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			problems = append(problems, validationError{Loc: []any{"body", "model_ids"}, Msg: "Input should be a valid list", Type: "list_type"})
		}
		if len(items) > maxModelIDs {
			// Reported alone: checking each of a huge list would answer
			// an error per item.
			problems = append(problems, validationError{Loc: []any{"body", "model_ids"}, Type: "too_long",
				Msg: fmt.Sprintf("List should have at most %d items after validation, not %d", maxModelIDs, len(items)),
				Ctx: map[string]any{"field_type": "List", "max_length": maxModelIDs, "actual_length": len(items)}})
			items = nil
		}
		for i, item := range items {
			var id string
			if isNull(item) || json.Unmarshal(item, &id) != nil {
				problems = append(problems, validationError{Loc: []any{"body", "model_ids", i}, Msg: "Input should be a valid string", Type: "string_type"})
			} else if utf8.RuneCountInString(id) > maxModelIDLength {
				problems = append(problems, tooLong([]any{"body", "model_ids", i}, maxModelIDLength))
			}
			req.ModelIDs = append(req.ModelIDs, id)
		}
	}
	if len(problems) == 0 && len(req.ModelIDs) > 0 && !req.Type.takesModelIDs() {
		problems = append(problems, validationError{Loc: []any{"body", "model_ids"}, Type: "value_error",
			Msg: "Value error, model_ids can only be set for WORKSPACE_EXPORT_METRICS or WORKSPACE_INVOKE keys"})
	}
	return req, problems
}

// isJSON reports whether FastAPI would parse a body of this Content-Type
// as JSON: none at all, application/json or application/*+json.
func isJSON(contentType string) bool {
	if contentType == "" {
		return true
	}
	media, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	sub, ok := strings.CutPrefix(media, "application/")
	return ok && (sub == "json" || strings.HasSuffix(sub, "+json"))
}

func knownType(t KeyType) bool {
	switch t {
	case TypePersonal, TypeWorkspaceManageAll, TypeWorkspaceExportMetrics, TypeWorkspaceInvoke:
		return true
	}
	return false
}

// writeSaveError answers a change that was made but could not be saved.
func writeSaveError(w http.ResponseWriter, err error) {
	writeDetail(w, http.StatusInternalServerError, "The sandbox could not save its state: "+err.Error())
}

func writeDetail(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, struct {
		Detail string `json:"detail"`
	}{detail})
}

// writeJSON sends v; Content-Type is set by ServeHTTP for every response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil { // unreachable: only plain structs are sent
		status, body = http.StatusInternalServerError, []byte(`{"detail":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
