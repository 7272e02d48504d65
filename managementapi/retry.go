package managementapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry policy. Only requests that are safe to repeat are repeated:
//   - GET and HEAD on a connection error, 429, 502, 503 or 504;
//   - DELETE on a connection error, 502, 503 or 504 (a DELETE that then
//     answers 404 deleted the key on an earlier attempt; see DeleteAPIKey);
//   - POST never: a second POST could mint a second key; nor PUT or PATCH
//     (which `baseten api` sends), whose effect the API does not promise
//     to be idempotent.
//
// Waits grow exponentially with full jitter, or follow Retry-After when the
// server sends one, up to MaxRetryAfter; a longer Retry-After fails at once
// and says when to come back.
const (
	MaxAttempts   = 3
	MaxRetryAfter = 30 * time.Second
	baseDelay     = 500 * time.Millisecond
	maxDelay      = 8 * time.Second
)

var retryStatuses = map[string]map[int]bool{
	http.MethodGet:    {429: true, 502: true, 503: true, 504: true},
	http.MethodHead:   {429: true, 502: true, 503: true, 504: true}, // as safe as GET (`baseten api -X HEAD`)
	http.MethodDelete: {502: true, 503: true, 504: true},
}

// retryDecision says whether to try again and after how long; reason is
// what the verbose line names as the cause.
type retryDecision struct {
	retry  bool
	wait   time.Duration
	reason string
}

// decideRetry looks at one attempt's outcome: resp is nil when err is not.
// A Retry-After too long to honour turns into an *APIError carrying it.
func decideRetry(method string, attempt int, resp *http.Response, err error, now time.Time) (retryDecision, *APIError) {
	statuses, repeatable := retryStatuses[method]
	if !repeatable || attempt >= MaxAttempts {
		return retryDecision{}, nil
	}
	if err != nil {
		if !retryableTransportError(err) {
			return retryDecision{}, nil
		}
		return retryDecision{retry: true, wait: backoff(attempt), reason: "connection error"}, nil
	}
	if !statuses[resp.StatusCode] {
		return retryDecision{}, nil
	}
	reason := statusLine(resp.StatusCode)
	wait, ok := retryAfter(resp.Header.Get("Retry-After"), now)
	if !ok {
		return retryDecision{retry: true, wait: backoff(attempt), reason: reason}, nil
	}
	if wait > MaxRetryAfter {
		return retryDecision{}, &APIError{Status: resp.StatusCode, RetryAfter: wait, RetryAt: now.Add(wait)}
	}
	return retryDecision{retry: true, wait: wait, reason: reason + ", Retry-After"}, nil
}

// backoff is "full jitter": a uniform wait between zero and an exponentially
// growing ceiling, so that many clients failing together do not retry together.
func backoff(attempt int) time.Duration {
	ceiling := min(baseDelay<<(attempt-1), maxDelay)
	return rand.N(ceiling + 1)
}

// retryAfter parses a Retry-After value: delay-seconds or an HTTP date
// (RFC 9110, section 10.2.3). A date in the past means "now".
func retryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if strings.Trim(value, "0123456789") == "" { // delay-seconds: 1*DIGIT
		secs, err := strconv.ParseUint(value, 10, 64)
		if err != nil || secs > math.MaxInt64/uint64(time.Second) {
			// Too large even to represent: longer than any wait honoured.
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(value); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// retryableTransportError excludes failures that repeating cannot fix: a
// certificate the system does not trust stays untrusted.
func retryableTransportError(err error) bool {
	var (
		verify   *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
	)
	return !errors.As(err, &verify) && !errors.As(err, &unknown) && !errors.As(err, &hostname)
}

// sleep waits for d or until ctx ends, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
