package managementapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// MaxRawBody bounds a body `baseten api` reads whole (an answer, or an
// error's body), counted after decompression like every other limit.
const MaxRawBody = 128 << 20

// RawRequest is one request of `baseten api`: a method and path the caller
// has checked, with headers of its own. It goes through the same attempts,
// deadlines, retry policy and redirect refusal as every typed call.
type RawRequest struct {
	Method string
	// Path is the escaped path, and query if any, after the base URL; it
	// starts with "/". It is sent as is: the caller has refused anything
	// that could leave the API (a scheme, a host, a ".." segment).
	Path string
	Body []byte // nil for none
	// Header holds headers of the caller's own, in canonical form. They may
	// replace Accept, Content-Type and User-Agent; Authorization, Host and
	// Content-Length are the client's (refused here too).
	Header http.Header
	// Host is the Host header, when it is not the base URL's host: an
	// inference host reached through BASETEN_INFERENCE_BASE_URL_OVERRIDE.
	Host string
}

// refusedHeaders are the headers a raw request may not set: the key is the
// client's to send, the rest are the transport's, or hop-by-hop ones a
// caller could use to split or smuggle a request.
var refusedHeaders = []string{"Authorization", "Host", "Content-Length", "Connection", "Keep-Alive",
	"Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// RefusedHeader reports whether a raw request may not set the header name
// (in any case).
func RefusedHeader(name string) bool {
	for _, refused := range refusedHeaders {
		if strings.EqualFold(name, refused) {
			return true
		}
	}
	return false
}

// errStreamStalled is the cause of a stream's context ending because no
// byte arrived for StreamIdleTimeout.
var errStreamStalled = errors.New("stream stalled")

// RawResponse is an answer to a RawRequest whose status is not a redirect:
// any 2xx, 4xx or 5xx (and a 304 or a 3xx without a Location, which point
// nowhere). Its body is read once, whole (ReadAll) or as a stream (Stream);
// Close releases it.
type RawResponse struct {
	Status int
	Proto  string // "HTTP/1.1", "HTTP/2.0"
	Header http.Header
	// Attempts is how many attempts the call took.
	Attempts int

	resp      *http.Response
	ctx       context.Context
	cancel    context.CancelCauseFunc
	callTimer *time.Timer // the whole call's deadline
	timeout   time.Duration
	idle      time.Duration
	what      string // "GET /v1/models", for errors
	host      string // who sends the body, for errors
}

// Raw sends req and returns its answer with the body unread. Everything but
// the body is what a typed call does: the attempts, the retry policy by
// method (POST, PUT and PATCH are never repeated), the deadlines of each
// attempt and of the whole call, and a redirect as a *RedirectError, never
// followed. The whole call's deadline goes on bounding ReadAll; a body read
// as a Stream is bounded by silence instead.
func (c *Client) Raw(ctx context.Context, req RawRequest) (*RawResponse, error) {
	for name := range req.Header {
		if RefusedHeader(name) {
			return nil, fmt.Errorf("the header %s is not a raw request's to set", name)
		}
	}
	timeout := c.callTimeout()
	ctx, cancel := context.WithCancelCause(ctx)
	// A timer rather than WithTimeout: a stream stops it once it is
	// known to be one (see Stream).
	callTimer := time.AfterFunc(timeout, func() { cancel(errCallTimeout) })
	ex, err := c.exchange(ctx, request{method: req.Method, path: req.Path, body: req.Body, header: req.Header, host: req.Host}, timeout)
	if err != nil {
		callTimer.Stop()
		cancel(nil)
		return nil, err
	}
	resp := ex.resp
	status := resp.StatusCode
	if isRedirect(status) && resp.Header.Get("Location") != "" {
		resp.Body.Close()
		callTimer.Stop()
		cancel(nil)
		return nil, &RedirectError{Status: status, Target: redirectTarget(resp.Request.URL, resp.Header.Get("Location"))}
	}
	if status < 200 || status > 599 {
		resp.Body.Close()
		callTimer.Stop()
		cancel(nil)
		return nil, &ResponseError{Reason: fmt.Sprintf("%s %s: the server answered %s, which is not an answer", req.Method, req.Path, statusLine(status))}
	}
	host := c.BaseURL.Host
	if req.Host != "" {
		host = req.Host
	}
	idle := c.StreamIdleTimeout
	if idle <= 0 {
		idle = ResponseHeaderTimeout
	}
	return &RawResponse{
		Status: status, Proto: resp.Proto, Header: resp.Header, Attempts: ex.attempts,
		resp: resp, ctx: ctx, cancel: cancel, callTimer: callTimer, timeout: timeout, idle: idle,
		what: req.Method + " " + req.Path, host: host,
	}, nil
}

// Close releases the body and the call's context.
func (r *RawResponse) Close() {
	r.callTimer.Stop()
	r.resp.Body.Close()
	r.cancel(nil)
}

// Err is the *APIError of a 4xx or 5xx answer, with the message found in
// its body (as read by ReadAll), or nil for any other status.
func (r *RawResponse) Err(body []byte) error {
	if r.Status < 400 {
		return nil
	}
	return &APIError{Status: r.Status, Message: errorMessage(body)}
}

// ReadAll reads the whole body, refusing one larger than limit bytes, all
// within the whole call's deadline.
func (r *RawResponse) ReadAll(limit int64) ([]byte, error) {
	if r.resp.Request.Method == http.MethodHead || r.Status == http.StatusNoContent || r.Status == http.StatusNotModified {
		return nil, nil // no body, whatever Content-Length says (RFC 9110, 6.4.1)
	}
	body, err := readLimited(r.resp.Body, limit, r.resp.ContentLength)
	switch {
	case err == nil:
		return body, nil
	case errors.Is(err, errBodyTooLarge):
		return nil, &ResponseError{Reason: fmt.Sprintf("%s: the response is larger than the %s limit", r.what, formatBytes(limit))}
	case r.ctx.Err() != nil:
		return nil, contextError(r.ctx, true, r.timeout)
	}
	return nil, &ResponseError{Reason: fmt.Sprintf("%s: the response body was cut short (%v)", r.what, unwrapURLError(err))}
}

// Stream returns the body as a reader for an answer that is written as it
// arrives (server-sent events, JSON lines). The whole call's deadline no
// longer applies: a stream that goes on sending may take as long as it
// needs. Instead every read must see a byte within StreamIdleTimeout; a
// stream silent for longer is a *TimeoutError.
func (r *RawResponse) Stream() io.Reader {
	r.callTimer.Stop() // (if it already fired, the next read says so)
	return &idleReader{r: r}
}

// idleReader reads a stream, cancelling it when one read waits longer
// than the idle deadline.
type idleReader struct {
	r     *RawResponse
	once  sync.Once
	timer *time.Timer
}

func (s *idleReader) Read(p []byte) (int, error) {
	s.once.Do(func() {
		s.timer = time.AfterFunc(s.r.idle, func() { s.r.cancel(errStreamStalled) })
	})
	s.timer.Reset(s.r.idle)
	n, err := s.r.resp.Body.Read(p)
	s.timer.Stop()
	if err == nil || err == io.EOF {
		return n, err
	}
	switch context.Cause(s.r.ctx) {
	case errStreamStalled:
		return n, &TimeoutError{After: s.r.idle, While: "waiting for more of the stream from " + s.r.host, Sent: true}
	case errCallTimeout:
		return n, &TimeoutError{After: s.r.timeout, Sent: true}
	}
	if s.r.ctx.Err() != nil {
		return n, s.r.ctx.Err()
	}
	return n, &ResponseError{Reason: fmt.Sprintf("%s: the stream was cut short (%v)", s.r.what, unwrapURLError(err))}
}

// AnyJSON is the payload of a raw request, as the reference pages name it:
// whatever JSON the endpoint answers, as it sent it.
type AnyJSON []byte
