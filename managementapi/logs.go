package managementapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/basetenlabs/baseten/internal/rawjson"
	"github.com/basetenlabs/baseten/render"
)

// MaxLogsBody bounds one page of logs. A page holds at most
// MaxLogsPageSize lines, and log lines are not truncated (a stack trace or
// a dumped request can be tens of kilobytes), so a page may be far larger
// than MaxBody; it is still bounded, so a server that sends without end
// cannot exhaust memory.
const MaxLogsBody = 32 << 20

// MaxLogsPageSize is the most lines one logs request may ask for (the
// description's maximum of `limit`).
const MaxLogsPageSize = 1000

// LogLevel is the API's LogLevelV1 enum.
type LogLevel string

// GetLogsResponse is the answer of the logs endpoints (GetLogsResponseV1).
type GetLogsResponse struct {
	Logs []Log `json:"logs"`
}

// Log is one log line (LogV1). Timestamp is epoch nanoseconds, as a string.
type Log struct {
	Timestamp string    `json:"timestamp"`
	Message   string    `json:"message"`
	Replica   *string   `json:"replica"`
	RequestID *string   `json:"request_id"`
	Level     *LogLevel `json:"level"`
}

// LogsQuery is the query of one logs request, as the description spells its
// parameters. Zero values are left out: StartMillis and EndMillis of 0 leave
// the window's ends to the API (its end is "now").
type LogsQuery struct {
	StartMillis, EndMillis int64
	Direction              string // "asc" or "desc"
	Limit                  int    // 1..MaxLogsPageSize
	MinLevel               LogLevel
	Replica                string
	RequestID              string
	Component              string
	SearchPattern          string
	Includes, Excludes     []string
}

// Encode writes the query string.
func (q LogsQuery) Encode() string {
	v := url.Values{}
	if q.StartMillis != 0 {
		v.Set("start_epoch_millis", strconv.FormatInt(q.StartMillis, 10))
	}
	if q.EndMillis != 0 {
		v.Set("end_epoch_millis", strconv.FormatInt(q.EndMillis, 10))
	}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	set("direction", q.Direction)
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	set("min_level", string(q.MinLevel))
	set("replica", q.Replica)
	set("request_id", q.RequestID)
	set("component", q.Component)
	set("search_pattern", q.SearchPattern)
	for _, s := range q.Includes {
		v.Add("includes", s)
	}
	for _, s := range q.Excludes {
		v.Add("excludes", s)
	}
	return v.Encode()
}

// DeploymentLogs gets one page of a deployment's logs. The answer is
// checked to be an object whose "logs" member is an array; its elements
// are read by the caller (see Answer.Array).
func (c *Client) DeploymentLogs(ctx context.Context, modelID, deploymentID string, q LogsQuery) (*Answer[GetLogsResponse], error) {
	return c.logs(ctx, "/v1/models/"+url.PathEscape(modelID)+"/deployments/"+url.PathEscape(deploymentID)+"/logs", q)
}

// EnvironmentLogs gets one page of the logs of every deployment that was
// active on an environment.
func (c *Client) EnvironmentLogs(ctx context.Context, modelID, envName string, q LogsQuery) (*Answer[GetLogsResponse], error) {
	return c.logs(ctx, "/v1/models/"+url.PathEscape(modelID)+"/environments/"+url.PathEscape(envName)+"/logs", q)
}

func (c *Client) logs(ctx context.Context, path string, q LogsQuery) (*Answer[GetLogsResponse], error) {
	if query := q.Encode(); query != "" {
		path += "?" + query
	}
	return get[GetLogsResponse](ctx, c, request{method: http.MethodGet, path: path, limit: MaxLogsBody, array: "logs"})
}

// Array is the documented array member of the body as the server sent it
// (the lines of a logs page), for walking it element by element.
func (a *Answer[T]) Array() []byte { return a.array }

// LogEntry is one line of a logs page as EachLog reads it. Its strings and
// Raw may share the page's memory: copy what you keep past the page.
type LogEntry struct {
	Raw       []byte // the element as the server sent it
	Timestamp int64  // epoch nanoseconds
	Message   string
	Replica   string // "" when null or absent
	RequestID string // "" when null or absent
	Level     string // "" when null or absent (the API detected none)
}

// EachLog calls fn with each line of a logs page, in the server's order.
// A line that is not an object, lacks its timestamp or message, has a
// field of the wrong type or a timestamp that is not epoch nanoseconds is a
// *ResponseError: a line without a time cannot be placed in the window.
func EachLog(page *Answer[GetLogsResponse], fn func(*LogEntry) error) error {
	logs := page.array
	if logs == nil {
		logs = rawjson.Member(page.Body, "logs")
	}
	var (
		entry LogEntry
		err   error
		i     int
	)
	rawjson.Array(logs, func(element []byte) bool {
		entry = LogEntry{Raw: element, Timestamp: -1}
		var problem error
		hasMessage := false
		isObject := false
		rawjson.Object(element, func(key string, value []byte) bool {
			isObject = true
			switch key {
			case "timestamp":
				s, ok := rawjson.String(value)
				if !ok {
					problem = errors.New("has a timestamp that is not a string")
				} else if entry.Timestamp, ok = epochNanos(s); !ok {
					problem = fmt.Errorf("has the timestamp %q, not epoch nanoseconds", render.OneLine(s))
				}
			case "message":
				entry.Message, hasMessage = rawjson.String(value)
				if !hasMessage {
					problem = errors.New("has a message that is not a string")
				}
			case "replica":
				entry.Replica, problem = nullableString(key, value)
			case "request_id":
				entry.RequestID, problem = nullableString(key, value)
			case "level":
				entry.Level, problem = nullableString(key, value)
			}
			return problem == nil
		})
		switch {
		case problem != nil:
		case !isObject && len(element) > 0 && element[0] != '{':
			problem = errors.New("is not an object")
		case entry.Timestamp < 0:
			problem = errors.New("has no timestamp")
		case !hasMessage:
			problem = errors.New("has no message")
		}
		if problem != nil {
			err = &ResponseError{Reason: fmt.Sprintf("logs: line %d %v", i, problem)}
			return false
		}
		err = fn(&entry)
		i++
		return err == nil
	})
	return err
}

func nullableString(name string, value []byte) (string, error) {
	if rawjson.IsNull(value) {
		return "", nil
	}
	s, ok := rawjson.String(value)
	if !ok {
		return "", fmt.Errorf("has a %s that is neither a string nor null", name)
	}
	return s, nil
}

// epochNanos reads a timestamp of the API: a decimal count of nanoseconds
// since the epoch that fits an int64.
func epochNanos(s string) (int64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
