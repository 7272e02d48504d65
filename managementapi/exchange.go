package managementapi

// The attempts of one call, typed or raw: sending, retrying where the
// policy allows (retry.go), and how far each attempt got.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"

	"github.com/basetenlabs/baseten/render"
)

// callTimeout is Client.Timeout, or DefaultTimeout when that is not set.
func (c *Client) callTimeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

// exchanged is the outcome of the attempts of one call: the response that
// was not retried (its body unread), how many attempts it took, and whether
// an attempt before the last one was written (see reply.earlierSent).
type exchanged struct {
	resp        *http.Response
	attempts    int
	earlierSent bool
}

// exchange sends req, retrying where the policy allows (retry.go), until an
// answer is not retried. ctx carries the whole call's deadline (its cause
// errCallTimeout); timeout is that deadline, for the error that names it.
// The returned response's body is the caller's to read and close; on an
// error there is none.
func (c *Client) exchange(ctx context.Context, req request, timeout time.Duration) (exchanged, error) {
	// The path is already escaped; joining strings (not url.JoinPath) keeps
	// an escaped "/" inside a segment escaped and never cleans "." segments.
	target := strings.TrimSuffix(c.BaseURL.String(), "/") + req.path

	sent := false // whether any attempt wrote the request: the server may have acted
	for attempt := 1; ; attempt++ {
		earlierSent := sent
		resp, phase, err := c.attempt(ctx, req, target, attempt)
		sent = sent || phase.sent()
		if ctx.Err() != nil { // cancelled, or the whole call's deadline passed
			if resp != nil {
				resp.Body.Close()
			}
			return exchanged{attempts: attempt}, contextError(ctx, sent, timeout)
		}
		decision, tooLong := decideRetry(req.method, attempt, resp, err, time.Now())
		if tooLong != nil {
			tooLong.Message = readErrorMessage(resp, req.withhold)
			return exchanged{attempts: attempt}, tooLong
		}
		if decision.retry {
			if resp != nil {
				drain(resp)
			}
			c.logf("waiting %s before attempt %d of %d (%s)", render.FormatDuration(decision.wait), attempt+1, MaxAttempts, decision.reason)
			if sleep(ctx, decision.wait) != nil {
				return exchanged{attempts: attempt}, contextError(ctx, sent, timeout)
			}
			continue
		}
		if err != nil {
			return exchanged{attempts: attempt}, c.networkError(err, phase)
		}
		return exchanged{resp: resp, attempts: attempt, earlierSent: earlierSent}, nil
	}
}

// attempt sends the request once; phase tells how far it got.
func (c *Client) attempt(ctx context.Context, req request, target string, attempt int) (*http.Response, *attemptPhase, error) {
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	phase := &attemptPhase{}
	httpReq, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, phase.trace()), req.method, target, body)
	if err != nil {
		return nil, phase, err
	}
	httpReq.Header.Set("Authorization", "Bearer "+c.APIKey)
	httpReq.Header.Set("Accept", "application/json")
	httpReq.Header.Set("User-Agent", c.UserAgent)
	if req.body != nil {
		httpReq.Header.Set("Content-Type", "application/json")
	}
	for name, values := range req.header { // checked by Raw: never Authorization or Host
		httpReq.Header[name] = values
	}
	if req.host != "" {
		httpReq.Host = req.host
	}

	start := time.Now()
	resp, err := c.Transport.RoundTrip(httpReq)
	result := "no response"
	if err == nil {
		result = fmt.Sprint(resp.StatusCode)
		if location := resp.Header.Get("Location"); isRedirect(resp.StatusCode) && location != "" {
			result += ", redirect to " + redirectTarget(httpReq.URL, location) + " not followed"
		}
	}
	line := fmt.Sprintf("%s %s %s %s", req.method, target, result, render.FormatDuration(time.Since(start)))
	if req.host != "" {
		line = fmt.Sprintf("%s %s (Host: %s) %s %s", req.method, target, req.host, result, render.FormatDuration(time.Since(start)))
	}
	if attempt > 1 {
		line += fmt.Sprintf(" (attempt %d of %d)", attempt, MaxAttempts)
	}
	c.logf("%s", line)
	return resp, phase, err
}

// The phases of one attempt, as the transport's trace hooks report them.
const (
	phaseConnecting int32 = iota
	phaseTLS
	phaseConnected
	phaseSent // the request headers were written: the server may act on it
)

// attemptPhase records how far an attempt got. The trace hooks may run on
// the transport's goroutines, hence the atomic.
type attemptPhase struct{ reached atomic.Int32 }

func (p *attemptPhase) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		TLSHandshakeStart: func() { p.reached.Store(phaseTLS) },
		GotConn:           func(httptrace.GotConnInfo) { p.reached.Store(phaseConnected) },
		WroteHeaders:      func() { p.reached.Store(phaseSent) },
	}
}

func (p *attemptPhase) sent() bool { return p.reached.Load() == phaseSent }
