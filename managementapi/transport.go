package managementapi

import (
	"net"
	"net/http"
	"time"
)

// Deadlines of one attempt. The whole call (every attempt, every wait and
// reading the body) is bounded separately by Client.Timeout.
const (
	DialTimeout           = 10 * time.Second
	TLSHandshakeTimeout   = 10 * time.Second
	ResponseHeaderTimeout = 30 * time.Second
	// DefaultTimeout bounds a whole call unless BASETEN_HTTP_TIMEOUT says otherwise.
	DefaultTimeout = 60 * time.Second
)

// NewTransport returns the transport the client sends through. It is used as
// a bare http.RoundTripper, never inside an http.Client: the client's
// redirect handling would parse a Location header (and quote it in errors)
// and could replay the request, with its Authorization header, to another
// origin. The management API never redirects, so a 3xx is simply an answer.
func NewTransport() *http.Transport {
	dialer := &net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   TLSHandshakeTimeout,
		ResponseHeaderTimeout: ResponseHeaderTimeout,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4,
		IdleConnTimeout:       30 * time.Second,
	}
}
