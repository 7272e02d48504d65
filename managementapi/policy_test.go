package managementapi

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// The client's policy as table tests of its functions: what is retried,
// after how long, what a Retry-After means, how much of a body is read,
// and what a redirect says. commands/network_test.go keeps a few runs of
// the whole command against misbehaving servers, for the exit codes and
// hints.

var now = time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)

func answer(status int, retryAfter string) *http.Response {
	resp := &http.Response{StatusCode: status, Header: http.Header{}}
	if retryAfter != "" {
		resp.Header.Set("Retry-After", retryAfter)
	}
	return resp
}

var errDropped = errors.New("connection reset by peer")

func TestDecideRetry(t *testing.T) {
	untrusted := &url.Error{Op: "Get", URL: "https://x", Err: x509.UnknownAuthorityError{}}
	for _, tc := range []struct {
		name    string
		method  string
		attempt int
		resp    *http.Response
		err     error
		retry   bool
		reason  string
		wait    time.Duration // checked when exact (a Retry-After); else within backoff's ceiling
		exact   bool
	}{
		{name: "GET, dropped connection", method: "GET", attempt: 1, err: errDropped, retry: true, reason: "connection error"},
		{name: "GET 429", method: "GET", attempt: 1, resp: answer(429, ""), retry: true, reason: "429 Too Many Requests"},
		{name: "GET 502", method: "GET", attempt: 1, resp: answer(502, ""), retry: true, reason: "502 Bad Gateway"},
		{name: "GET 503, Retry-After 0", method: "GET", attempt: 2, resp: answer(503, "0"), retry: true, reason: "503 Service Unavailable, Retry-After", exact: true},
		{name: "GET 504, Retry-After 7", method: "GET", attempt: 1, resp: answer(504, "7"), retry: true, reason: "504 Gateway Timeout, Retry-After", wait: 7 * time.Second, exact: true},
		{name: "GET 503, Retry-After a date past", method: "GET", attempt: 1, resp: answer(503, now.Add(-time.Hour).Format(http.TimeFormat)), retry: true, reason: "503 Service Unavailable, Retry-After", exact: true},
		{name: "GET 503, Retry-After a date in 20s", method: "GET", attempt: 1, resp: answer(503, now.Add(20*time.Second).Format(http.TimeFormat)), retry: true, reason: "503 Service Unavailable, Retry-After", wait: 20 * time.Second, exact: true},
		{name: "GET 503, Retry-After garbage: backoff", method: "GET", attempt: 1, resp: answer(503, "soon"), retry: true, reason: "503 Service Unavailable"},
		{name: "GET 500", method: "GET", attempt: 1, resp: answer(500, "")},
		{name: "GET 404", method: "GET", attempt: 1, resp: answer(404, "")},
		{name: "GET 200", method: "GET", attempt: 1, resp: answer(200, "")},
		{name: "GET, third attempt", method: "GET", attempt: MaxAttempts, resp: answer(503, "0")},
		{name: "GET, untrusted certificate", method: "GET", attempt: 1, err: untrusted},
		{name: "DELETE 502", method: "DELETE", attempt: 1, resp: answer(502, ""), retry: true, reason: "502 Bad Gateway"},
		{name: "DELETE, dropped connection", method: "DELETE", attempt: 2, err: errDropped, retry: true, reason: "connection error"},
		{name: "DELETE 429", method: "DELETE", attempt: 1, resp: answer(429, "0")},
		{name: "DELETE 404", method: "DELETE", attempt: 1, resp: answer(404, "")},
		{name: "POST 503", method: "POST", attempt: 1, resp: answer(503, "0")},
		{name: "POST 429", method: "POST", attempt: 1, resp: answer(429, "0")},
		{name: "POST, dropped connection", method: "POST", attempt: 1, err: errDropped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			decision, tooLong := decideRetry(tc.method, tc.attempt, tc.resp, tc.err, now)
			assert.Assert(t, tooLong == nil)
			assert.Equal(t, decision.retry, tc.retry)
			assert.Equal(t, decision.reason, tc.reason)
			switch {
			case !tc.retry:
				assert.Equal(t, decision.wait, time.Duration(0))
			case tc.exact:
				assert.Equal(t, decision.wait, tc.wait)
			default:
				assert.Assert(t, decision.wait >= 0 && decision.wait <= min(baseDelay<<(tc.attempt-1), maxDelay), decision.wait)
			}
		})
	}
}

// A Retry-After longer than MaxRetryAfter is not waited for: the answer
// becomes an APIError saying how long and until when, whatever the form
// (seconds, a date, a number too large for 32 or 64 bits).
func TestDecideRetryRefusesLongRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		method, value string
		status        int
		wait          time.Duration
	}{
		{"GET", "120", 429, 2 * time.Minute},
		{"GET", "31", 503, 31 * time.Second},
		{"GET", now.Add(2 * time.Hour).Format(http.TimeFormat), 429, 2 * time.Hour},
		{"GET", "172800", 503, 48 * time.Hour},
		{"GET", "4294967296", 503, 4294967296 * time.Second},
		{"GET", "99999999999999999999", 503, time.Duration(math.MaxInt64)},
		{"DELETE", "60", 503, time.Minute},
	} {
		decision, tooLong := decideRetry(tc.method, 1, answer(tc.status, tc.value), nil, now)
		assert.Assert(t, !decision.retry, tc.value)
		assert.Assert(t, tooLong != nil, tc.value)
		assert.Equal(t, tooLong.Status, tc.status)
		assert.Equal(t, tooLong.RetryAfter, tc.wait, tc.value)
		assert.Equal(t, tooLong.RetryAt, now.Add(tc.wait), tc.value)
	}
	// Exactly MaxRetryAfter is still waited for.
	decision, tooLong := decideRetry("GET", 1, answer(503, "30"), nil, now)
	assert.Assert(t, tooLong == nil && decision.retry && decision.wait == MaxRetryAfter)
}

func TestRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		value string
		wait  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"   ", 0, false},
		{"0", 0, true},
		{" 5 ", 5 * time.Second, true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"Wed, 02 Dec 2026 08:00:10 GMT", 10 * time.Second, true},
		{"Wednesday, 02-Dec-26 08:00:10 GMT", 10 * time.Second, true}, // RFC 850, which RFC 9110 still accepts
		{"9223372036", 9223372036 * time.Second, true},
		{"9223372037", time.Duration(math.MaxInt64), true}, // past what a Duration holds
	} {
		wait, ok := retryAfter(tc.value, now)
		assert.Equal(t, ok, tc.ok, tc.value)
		assert.Equal(t, wait, tc.wait, tc.value)
	}
}

// Full jitter: every wait lies between zero and a ceiling that doubles
// each attempt up to maxDelay.
func TestBackoff(t *testing.T) {
	for attempt, ceiling := range map[int]time.Duration{1: 500 * time.Millisecond, 2: time.Second, 3: 2 * time.Second, 5: 8 * time.Second, 9: 8 * time.Second} {
		for range 200 {
			wait := backoff(attempt)
			assert.Assert(t, wait >= 0 && wait <= ceiling, "attempt %d: %s", attempt, wait)
		}
	}
}

func TestReadLimited(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 100<<10)
	for _, tc := range []struct {
		name          string
		size, limit   int
		contentLength int64
		tooLarge      bool
	}{
		{name: "unknown length, under the limit", size: 1000, limit: 1 << 20, contentLength: -1},
		{name: "unknown length, exactly the limit", size: 50 << 10, limit: 50 << 10, contentLength: -1},
		{name: "unknown length, one byte over", size: 50<<10 + 1, limit: 50 << 10, contentLength: -1, tooLarge: true},
		{name: "unknown length, many chunks", size: 100 << 10, limit: 1 << 20, contentLength: -1},
		{name: "declared length, under the limit", size: 1000, limit: 1 << 20, contentLength: 1000},
		{name: "declared length over the limit: refused unread", size: 10, limit: 1 << 20, contentLength: 2000000, tooLarge: true},
		{name: "empty", size: 0, limit: 10, contentLength: -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &countingReader{r: bytes.NewReader(body[:tc.size])}
			got, err := readLimited(r, int64(tc.limit), tc.contentLength)
			if tc.tooLarge {
				assert.Assert(t, errors.Is(err, errBodyTooLarge), "%v", err)
				if tc.contentLength > int64(tc.limit) {
					assert.Equal(t, r.n, 0, "a declared length over the limit is not read")
				}
				return
			}
			assert.NilError(t, err)
			assert.Assert(t, bytes.Equal(got, body[:tc.size]))
		})
	}
	// A declared length the body does not reach is a body cut short.
	_, err := readLimited(strings.NewReader("{}"), 1<<20, 10)
	assert.Assert(t, errors.Is(err, io.ErrUnexpectedEOF), "%v", err)
	// A read error is passed on.
	_, err = readLimited(iotest.ErrReader(errDropped), 1<<20, -1)
	assert.Assert(t, errors.Is(err, errDropped), "%v", err)
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{1 << 20: "1 MiB", 128 << 20: "128 MiB", 1000: "1000 bytes", 1<<20 + 1: "1048577 bytes"} {
		assert.Equal(t, formatBytes(n), want)
	}
}

// Every 3xx but 304 is a redirect, and none is followed; what the error
// names is the origin the Location points at, never its path or query,
// and never the Location itself when it does not parse.
func TestRedirects(t *testing.T) {
	for status, want := range map[int]bool{300: true, 301: true, 302: true, 303: true, 304: false, 307: true, 308: true, 200: false, 399: true, 400: false} {
		assert.Equal(t, isRedirect(status), want, status)
	}
	base, _ := url.Parse("https://api.baseten.co/v1/api_keys")
	for location, want := range map[string]string{
		"https://evil.example/steal?key=abc": "https://evil.example",
		"http://evil.example:8080/":          "http://evil.example:8080",
		"/v2/api_keys":                       "https://api.baseten.co",
		"//other.example/x":                  "https://other.example",
		"http://[::1" + "abcd1234.secret":    "an unparsable Location",
		"mailto:x@example.com":               "an unparsable Location",
	} {
		assert.Equal(t, redirectTarget(base, location), want, location)
	}
	for _, status := range []int{301, 302, 303, 307, 308} {
		err := &RedirectError{Status: status, Target: "https://evil.example"}
		assert.Equal(t, err.Error(), fmt.Sprintf("the API answered %d %s, a redirect to https://evil.example; redirects are not followed, so nothing was sent there", status, http.StatusText(status)))
		assert.Check(t, MayHaveArrived(err), "a redirect after a POST leaves its outcome open")
	}
	assert.Check(t, is.Contains((&RedirectError{Status: 302, Target: "an unparsable Location"}).Error(), "a redirect to an unparsable Location;"))
}
