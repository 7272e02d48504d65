// Package managementapi is a typed client for the Baseten management API
// endpoints the CLI uses. It treats the network and every byte of an answer
// as untrusted: every call has deadlines, bodies are read through a size
// limit, redirects are never followed, and only safe requests are retried.
// It never prints: callers get typed payloads or typed errors, and a Log
// hook for verbose lines.
package managementapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/basetenlabs/baseten/internal/rawjson"
)

// DefaultRemoteURL is the Baseten web app; the management API lives beside it.
const DefaultRemoteURL = "https://app.baseten.co"

// Size limits of a 2xx body, counted after decompression, so that a gzip
// bomb or an endless body is refused while memory stays bounded.
const (
	// MaxListBody bounds the key list: about 1.2 million keys.
	MaxListBody = 128 << 20
	// MaxBody bounds every other answer.
	MaxBody = 1 << 20
	// maxErrorBody is how much of an error answer is read for its message.
	maxErrorBody = 64 << 10
)

// Client calls the management API. The zero value is not usable; New fills
// it in.
type Client struct {
	BaseURL   *url.URL // scheme and host (and an optional path prefix) of the API
	APIKey    string
	UserAgent string
	// Transport sends one attempt. It must not follow redirects; NewTransport's
	// does not, since it is not wrapped in an http.Client.
	Transport http.RoundTripper
	// Timeout bounds a whole call: every attempt, every wait between attempts
	// and reading the body. Zero means DefaultTimeout.
	Timeout time.Duration
	// StreamIdleTimeout bounds the silence of a streamed answer (see
	// RawResponse.Stream). Zero means ResponseHeaderTimeout: a stream may
	// pause as long as a server may take to start answering.
	StreamIdleTimeout time.Duration
	// Log, when set, receives one line per attempt and per wait (the -v
	// output). Lines carry methods, URLs, statuses and durations, never
	// headers or bodies.
	Log func(line string)
}

// New returns a client for baseURL authenticating with apiKey.
func New(baseURL *url.URL, apiKey, userAgent string) *Client {
	return &Client{BaseURL: baseURL, APIKey: apiKey, UserAgent: userAgent, Transport: NewTransport(), Timeout: DefaultTimeout}
}

// ListAPIKeys lists the metadata of every key in the organization.
func (c *Client) ListAPIKeys(ctx context.Context) (*Answer[APIKeys], error) {
	return get[APIKeys](ctx, c, request{method: http.MethodGet, path: "/v1/api_keys", limit: MaxListBody, array: "keys"})
}

// CreateAPIKey creates a key, in the given team when teamID is not empty and
// in the organization's default team otherwise. It is never retried. The
// answer's typed view is already checked to hold the key.
func (c *Client) CreateAPIKey(ctx context.Context, teamID string, req CreateAPIKeyRequest) (*Answer[APIKey], error) {
	path := "/v1/api_keys"
	if teamID != "" {
		path = "/v1/teams/" + url.PathEscape(teamID) + "/api_keys"
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	answer, err := get[APIKey](ctx, c, request{method: http.MethodPost, path: path, body: body, limit: MaxBody})
	if err != nil {
		return nil, err
	}
	if key, err := answer.Decode(); err != nil {
		return nil, err
	} else if key.APIKey == "" {
		return nil, &ResponseError{Reason: "the create response holds no api_key"}
	}
	return answer, nil
}

// DeleteAPIKey deletes the key with exactly this prefix. A 204 answer is a
// success like the documented 200 with its tombstone. When an attempt that
// reached the server was retried and the retry answers 404, that earlier
// attempt deleted the key: success too, and goneEarlier says so. (A 404
// after attempts that never left is a plain "not found".) Without a body
// from the server, the answer is the tombstone the API documents.
func (c *Client) DeleteAPIKey(ctx context.Context, prefix string) (answer *Answer[APIKeyTombstone], goneEarlier bool, err error) {
	r, err := c.call(ctx, request{method: http.MethodDelete, path: "/v1/api_keys/" + url.PathEscape(prefix), limit: MaxBody, noContentOK: true})
	if apiErr, ok := errors.AsType[*APIError](err); ok && apiErr.Status == http.StatusNotFound && r.earlierSent {
		goneEarlier, err = true, nil
	}
	if err != nil {
		return nil, false, err
	}
	if r.body == nil { // a 204, or the 404 of a retry
		tombstone := &APIKeyTombstone{Prefix: prefix}
		body, _ := json.Marshal(tombstone)
		return &Answer[APIKeyTombstone]{Body: body, value: tombstone}, goneEarlier, nil
	}
	answer = &Answer[APIKeyTombstone]{Body: r.body}
	if tombstone, err := answer.Decode(); err != nil {
		return nil, false, err
	} else if tombstone.Prefix == "" {
		// JSON, but not a tombstone (a host that answers {} to anything):
		// it confirms nothing, and "deleted" would leave the key working.
		return nil, false, &ResponseError{Reason: "the delete response holds no prefix"}
	}
	return answer, goneEarlier, nil
}

// ListTeams lists the teams the caller can see.
func (c *Client) ListTeams(ctx context.Context) (*Answer[Teams], error) {
	return get[Teams](ctx, c, request{method: http.MethodGet, path: "/v1/teams", limit: MaxBody, array: "teams"})
}

// GetUser describes the user the client's key belongs to. It is how a key
// is checked before it is stored.
func (c *Client) GetUser(ctx context.Context) (*Answer[UserInfo], error) {
	answer, err := get[UserInfo](ctx, c, request{method: http.MethodGet, path: "/v1/users/me", limit: MaxBody})
	if err != nil {
		return nil, err
	}
	if user, err := answer.Decode(); err != nil {
		return nil, err
	} else if user.UserID == "" {
		return nil, &ResponseError{Reason: "GET /v1/users/me: the answer holds no user_id"}
	}
	// What it says is shown on stdout (whoami, auth status) and stored in
	// the config as the account's name (auth login): a server that echoes
	// the token it was sent into it would put the key there.
	if answerHoldsKey(answer.Body, c.APIKey) {
		return nil, &ResponseError{Reason: "GET /v1/users/me: the answer holds the API key it was sent with"}
	}
	return answer, nil
}

// GetTeam gets the team with this ID. A team the caller cannot see, or that
// does not exist, is an *APIError with status 404. The answer's typed view is
// already checked to be a team: a body without an id (a host that answers {}
// to anything) is a *ResponseError.
func (c *Client) GetTeam(ctx context.Context, teamID string) (*Answer[Team], error) {
	answer, err := get[Team](ctx, c, request{method: http.MethodGet, path: "/v1/teams/" + url.PathEscape(teamID), limit: MaxBody})
	if err != nil {
		return nil, err
	}
	if team, err := answer.Decode(); err != nil {
		return nil, err
	} else if team.ID == "" {
		return nil, &ResponseError{Reason: "GET /v1/teams/{team_id}: the response holds no team id"}
	}
	return answer, nil
}

// answerHoldsKey reports whether any string of a JSON body, member names
// included, holds key (see ContainsKey), however the JSON escapes it.
func answerHoldsKey(body []byte, key string) bool {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return bytes.Contains(body, []byte(key))
	}
	var holds func(v any) bool
	holds = func(v any) bool {
		switch v := v.(type) {
		case string:
			return ContainsKey(v, key)
		case []any:
			return slices.ContainsFunc(v, holds)
		case map[string]any:
			for name, member := range v {
				if ContainsKey(name, key) || holds(member) {
					return true
				}
			}
		}
		return false
	}
	return holds(v)
}

// ContainsKey reports whether s holds the API key key, or its secret part:
// what follows the first "." of a key of the documented "prefix.secret"
// shape (the prefix alone is public, and list shows it), when that is long
// enough not to turn up by chance.
func ContainsKey(s, key string) bool {
	if key == "" {
		return false
	}
	if strings.Contains(s, key) {
		return true
	}
	_, secret, found := strings.Cut(key, ".")
	return found && len(secret) >= minSecretPart && strings.Contains(s, secret)
}

// minSecretPart is the shortest secret part ContainsKey looks for alone.
const minSecretPart = 8

// get makes one call whose 2xx body is the answer.
func get[T any](ctx context.Context, c *Client, req request) (*Answer[T], error) {
	r, err := c.call(ctx, req)
	if err != nil {
		return nil, err
	}
	return &Answer[T]{Body: r.body, array: r.array, elements: r.elements}, nil
}

// request is one API call as the typed methods describe it.
type request struct {
	method, path string
	body         []byte // nil for none
	limit        int64  // the most bytes a 2xx body may have
	array        string // the top-level member that must hold an array, if any
	noContentOK  bool   // a 204 is a success without a body
	// withhold is a secret the body carries: an error answer that quotes
	// it has its message withheld (see UpsertSecret).
	withhold string
	header   http.Header // headers of the caller's own (raw requests), sent after the client's
	host     string      // the Host header, when it is not the base URL's (raw requests)
}

// reply is what a call returns: the checked 2xx body (nil for a 204), and
// what the attempts were.
type reply struct {
	attempts int
	checked
	// earlierSent: an attempt before the last one wrote the request, so the
	// server may have acted on it before the last attempt arrived.
	earlierSent bool
}

// errCallTimeout is the cause of a call's context ending at Client.Timeout,
// which tells it apart from the caller cancelling (Ctrl-C).
var errCallTimeout = errors.New("call timed out")

// call sends req, retrying where the policy allows, and returns a 2xx body
// once it is checked to be well-formed JSON of the documented top-level
// shape. Every other outcome becomes an *APIError, *RedirectError,
// *NetworkError, *TimeoutError, *ResponseError or the caller's context error.
func (c *Client) call(ctx context.Context, req request) (reply, error) {
	timeout := c.callTimeout()
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errCallTimeout)
	defer cancel()
	ex, err := c.exchange(ctx, req, timeout)
	if err != nil {
		return reply{attempts: ex.attempts}, err
	}
	checked, err := c.readAnswer(ctx, req, ex.resp, timeout)
	return reply{attempts: ex.attempts, checked: checked, earlierSent: ex.earlierSent}, err
}

// checked is a 2xx body that passed rawjson.Check: nil for a 204.
type checked struct {
	body     []byte
	array    []byte // request.array's value within body
	elements int    // how many elements array holds
}

// readAnswer turns a response that will not be retried into the call's
// result: the checked body of a 2xx answer, or an error.
func (c *Client) readAnswer(ctx context.Context, req request, resp *http.Response, timeout time.Duration) (checked, error) {
	defer resp.Body.Close()
	status := resp.StatusCode
	switch {
	case status >= 400 && status <= 599: // (Go accepts any three digits; HTTP ends at 599)
		return checked{}, &APIError{Status: status, Message: readErrorMessage(resp, req.withhold)}
	case isRedirect(status) && resp.Header.Get("Location") != "":
		return checked{}, &RedirectError{Status: status, Target: redirectTarget(resp.Request.URL, resp.Header.Get("Location"))}
	case status < 200 || status >= 300:
		return checked{}, &ResponseError{Reason: fmt.Sprintf("%s %s: the API answered %s, a status it never uses", req.method, req.path, statusLine(status))}
	case status == http.StatusNoContent && req.noContentOK:
		return checked{}, nil
	}
	body, err := readLimited(resp.Body, req.limit, resp.ContentLength)
	if err != nil {
		if errors.Is(err, errBodyTooLarge) {
			return checked{}, &ResponseError{Reason: fmt.Sprintf("%s %s: the response is larger than the %s limit", req.method, req.path, formatBytes(req.limit))}
		}
		if ctx.Err() != nil {
			return checked{}, contextError(ctx, true, timeout)
		}
		return checked{}, &ResponseError{Reason: fmt.Sprintf("%s %s: the response body was cut short (%v)", req.method, req.path, unwrapURLError(err))}
	}
	array, elements, err := rawjson.Check(body, req.array)
	if err != nil {
		return checked{}, &ResponseError{Reason: fmt.Sprintf("%s %s: the response is not the JSON the API documents (%v)", req.method, req.path, err)}
	}
	return checked{body: body, array: array, elements: elements}, nil
}

// contextError is the error of a call whose context ended: its own
// deadline (a *TimeoutError) or the caller's cancellation (Ctrl-C).
func contextError(ctx context.Context, sent bool, timeout time.Duration) error {
	if context.Cause(ctx) == errCallTimeout {
		return &TimeoutError{After: timeout, Sent: sent}
	}
	return ctx.Err()
}

// networkError classifies a failed attempt: one of the transport's own
// deadlines, named by the phase it cut short, or a connection failure.
func (c *Client) networkError(err error, phase *attemptPhase) error {
	host := c.BaseURL.Host
	if netErr, ok := errors.AsType[net.Error](err); ok && netErr.Timeout() {
		switch phase.reached.Load() {
		case phaseConnecting:
			return &TimeoutError{After: DialTimeout, While: "connecting to " + host}
		case phaseTLS:
			return &TimeoutError{After: TLSHandshakeTimeout, While: "in the TLS handshake with " + host}
		case phaseSent:
			return &TimeoutError{After: ResponseHeaderTimeout, While: "waiting for the response headers of " + host, Sent: true}
		}
	}
	return &NetworkError{Host: host, Err: unwrapURLError(err), Sent: phase.sent()}
}

func (c *Client) logf(format string, args ...any) {
	if c.Log != nil {
		c.Log(fmt.Sprintf(format, args...))
	}
}

func isRedirect(status int) bool {
	return status >= 300 && status < 400 && status != http.StatusNotModified
}

// redirectTarget names where a Location points: its origin only (scheme and
// host), never a path or query that might carry something sensitive.
func redirectTarget(base *url.URL, location string) string {
	u, err := base.Parse(location)
	if err != nil || u.Host == "" {
		return "an unparsable Location"
	}
	return u.Scheme + "://" + u.Host
}

// drain reads a little of a response that is being retried, so that its
// connection can be reused, and closes it.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	resp.Body.Close()
}

var errBodyTooLarge = errors.New("response body too large")

// readLimited reads all of r, refusing more than limit bytes. A declared
// length (contentLength >= 0) is read into one exact allocation; otherwise
// the body is read in growing chunks joined once at the end, so a body
// that overflows the limit never costs much more than the limit in memory.
func readLimited(r io.Reader, limit, contentLength int64) ([]byte, error) {
	if contentLength > limit {
		return nil, errBodyTooLarge
	}
	if contentLength >= 0 {
		buf := make([]byte, contentLength)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	var chunks [][]byte
	var total int64
	for chunkSize := 16 << 10; ; chunkSize = min(2*chunkSize, 1<<20) {
		chunk := make([]byte, chunkSize)
		n, err := io.ReadFull(r, chunk)
		total += int64(n)
		if total > limit {
			return nil, errBodyTooLarge
		}
		chunks = append(chunks, chunk[:n])
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			if len(chunks) == 1 {
				return chunks[0], nil
			}
			return bytes.Join(chunks, nil), nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func formatBytes(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func unwrapURLError(err error) error {
	if urlErr, ok := errors.AsType[*url.Error](err); ok {
		return urlErr.Err
	}
	return err
}
