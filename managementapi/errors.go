package managementapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/basetenlabs/baseten/render"
)

// APIError is an answer with a 4xx or 5xx status.
type APIError struct {
	Status int
	// Message is the server's explanation on one line. It is neither
	// shortened nor redacted here: the caller redacts secrets first and
	// shortens after, so a key cut in half can never leak its first part.
	Message string
	// RetryAfter is set when the server asked for a wait longer than the
	// client honours (MaxRetryAfter); RetryAt is when that wait ends.
	RetryAfter time.Duration
	RetryAt    time.Time
}

func (e *APIError) Error() string {
	status := statusLine(e.Status)
	if e.Message == "" {
		return "API request failed: " + status
	}
	return fmt.Sprintf("API request failed (%s): %s", status, e.Message)
}

// NetworkError means no HTTP answer arrived from Host.
type NetworkError struct {
	Host string
	Err  error
	// Sent reports that the request had been written before the connection
	// failed: the server may have acted on it.
	Sent bool
}

func (e *NetworkError) Error() string { return fmt.Sprintf("cannot reach %s: %v", e.Host, e.Err) }
func (e *NetworkError) Unwrap() error { return e.Err }

// TimeoutError means a deadline passed before the call completed.
type TimeoutError struct {
	After time.Duration
	While string // "connecting to api.baseten.co", ...; "" for the whole call's limit
	Sent  bool   // the request had been written when the deadline passed
}

func (e *TimeoutError) Error() string {
	if e.While == "" {
		return "timed out after " + render.FormatDuration(e.After)
	}
	return fmt.Sprintf("timed out after %s %s", render.FormatDuration(e.After), e.While)
}

// RedirectError is a 3xx answer. Redirects are never followed: the
// management API does not redirect, and following one would send the key
// (and replay a POST or DELETE) to whatever origin the answer names.
type RedirectError struct {
	Status int
	// Target is the origin (scheme://host) the redirect points at, or a
	// description when there is none; never its path or query.
	Target string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("the API answered %s, a redirect to %s; redirects are not followed, so nothing was sent there", statusLine(e.Status), e.Target)
}

// ResponseError means an answer that is not what the API documents: a 2xx
// body that is not the documented JSON, is cut short or is too large, or a
// status the API never uses (1xx, 304, 600 and above).
type ResponseError struct{ Reason string }

func (e *ResponseError) Error() string { return "unexpected response from the API: " + e.Reason }

// MayHaveArrived reports whether err leaves open that the server received
// and acted on the request: a 5xx (a gateway may answer 502 or 504 after the
// service did the work), a redirect, an answer that could not be read, or a
// connection that failed after the request was written.
func MayHaveArrived(err error) bool {
	if apiErr, ok := errors.AsType[*APIError](err); ok {
		return apiErr.Status >= 500
	}
	if netErr, ok := errors.AsType[*NetworkError](err); ok {
		return netErr.Sent
	}
	if timeout, ok := errors.AsType[*TimeoutError](err); ok {
		return timeout.Sent
	}
	_, redirect := errors.AsType[*RedirectError](err)
	_, response := errors.AsType[*ResponseError](err)
	return redirect || response
}

func statusLine(status int) string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", status, http.StatusText(status)))
}

// errorMessage extracts the server's message from an error body: `detail` (a
// string, or FastAPI's list of objects with `msg`), else `error` or `message`,
// else the raw body. The result is always one line.
func errorMessage(body []byte) string {
	var fields struct {
		Detail  json.RawMessage `json:"detail"`
		Error   any             `json:"error"`
		Message any             `json:"message"`
	}
	if json.Unmarshal(body, &fields) == nil {
		if msg := detailMessage(fields.Detail); msg != "" {
			return render.OneLine(msg)
		}
		for _, v := range []any{fields.Error, fields.Message} {
			if s, ok := v.(string); ok && s != "" {
				return render.OneLine(s)
			}
		}
	}
	return render.OneLine(string(body))
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
