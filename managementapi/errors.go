package managementapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// APIError is a non-2xx answer from the API.
type APIError struct {
	Status  int
	Message string // the server's explanation, already shortened and redacted
}

func (e *APIError) Error() string {
	status := fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
	if e.Message == "" {
		return "API request failed: " + strings.TrimSpace(status)
	}
	return fmt.Sprintf("API request failed (%s): %s", strings.TrimSpace(status), e.Message)
}

// NetworkError means no HTTP answer arrived from Host.
type NetworkError struct {
	Host string
	Err  error
}

func (e *NetworkError) Error() string { return fmt.Sprintf("cannot reach %s: %v", e.Host, e.Err) }
func (e *NetworkError) Unwrap() error { return e.Err }

// ResponseError means a 2xx answer whose body is not what the API documents.
type ResponseError struct{ Reason string }

func (e *ResponseError) Error() string { return "unexpected response from the API: " + e.Reason }

const maxRawMessage = 200

// errorMessage extracts the server's message from an error body: `detail` (a
// string, or FastAPI's list of objects with `msg`), else `error` or `message`,
// else the raw body cut to 200 characters. The result is always one line.
func errorMessage(body []byte) string {
	var fields struct {
		Detail  json.RawMessage `json:"detail"`
		Error   any             `json:"error"`
		Message any             `json:"message"`
	}
	if json.Unmarshal(body, &fields) == nil {
		if msg := detailMessage(fields.Detail); msg != "" {
			return oneLine(msg)
		}
		for _, v := range []any{fields.Error, fields.Message} {
			if s, ok := v.(string); ok && s != "" {
				return oneLine(s)
			}
		}
	}
	raw := oneLine(string(body))
	if utf8.RuneCountInString(raw) > maxRawMessage {
		raw = string([]rune(raw)[:maxRawMessage]) + "..."
	}
	return raw
}

func detailMessage(detail json.RawMessage) string {
	var s string
	if json.Unmarshal(detail, &s) == nil {
		return s
	}
	var items []struct {
		Loc []any  `json:"loc"`
		Msg string `json:"msg"`
	}
	if json.Unmarshal(detail, &items) != nil {
		return ""
	}
	var msgs []string
	for _, item := range items {
		if item.Msg == "" {
			continue
		}
		if len(item.Loc) > 0 {
			loc := make([]string, len(item.Loc))
			for i, part := range item.Loc {
				loc[i] = fmt.Sprint(part)
			}
			msgs = append(msgs, strings.Join(loc, ".")+": "+item.Msg)
		} else {
			msgs = append(msgs, item.Msg)
		}
	}
	return strings.Join(msgs, "; ")
}

// oneLine folds whitespace runs (newlines included) into single spaces so an
// error never spans lines.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
