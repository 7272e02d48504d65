package managementapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/managementapi"
)

func rawClient(t *testing.T, handler http.Handler) *managementapi.Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	base, err := url.Parse(srv.URL)
	assert.NilError(t, err)
	return managementapi.New(base, "k", "test")
}

// The retry policy by method: what is safe to repeat is repeated, POST,
// PUT and PATCH never.
func TestRawRetriesByMethod(t *testing.T) {
	for _, tc := range []struct {
		method   string
		status   int
		attempts int32
	}{
		{"GET", 503, 3}, {"HEAD", 503, 3}, {"DELETE", 503, 3}, {"GET", 429, 3}, {"HEAD", 429, 3},
		{"DELETE", 429, 1}, {"POST", 503, 1}, {"PUT", 503, 1}, {"PATCH", 503, 1}, {"GET", 500, 1},
	} {
		var n atomic.Int32
		c := rawClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(tc.status)
		}))
		resp, err := c.Raw(context.Background(), managementapi.RawRequest{Method: tc.method, Path: "/v1/x", Body: []byte("{}")})
		assert.NilError(t, err, "%s %d", tc.method, tc.status)
		resp.Close()
		assert.Equal(t, resp.Status, tc.status)
		assert.Equal(t, n.Load(), tc.attempts, "%s %d", tc.method, tc.status)
		assert.Equal(t, resp.Attempts, int(tc.attempts))
	}
}

func TestRawRefusesTheClientsHeaders(t *testing.T) {
	c := rawClient(t, http.NotFoundHandler())
	for _, name := range []string{"Authorization", "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "Te", "Proxy-Authorization"} {
		_, err := c.Raw(context.Background(), managementapi.RawRequest{Method: "GET", Path: "/v1/x", Header: http.Header{name: {"v"}}})
		assert.ErrorContains(t, err, "is not a raw request's to set", name)
	}
}

// A HEAD answer has no body, whatever its Content-Length says; a redirect
// is an error and is not followed.
func TestRawHeadAndRedirect(t *testing.T) {
	c := rawClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "https://elsewhere.example/a?token=x", http.StatusFound)
			return
		}
		w.Header().Set("Content-Length", "100")
	}))
	resp, err := c.Raw(context.Background(), managementapi.RawRequest{Method: "HEAD", Path: "/v1/x"})
	assert.NilError(t, err)
	body, err := resp.ReadAll(managementapi.MaxRawBody)
	resp.Close()
	assert.NilError(t, err)
	assert.Assert(t, body == nil)

	_, err = c.Raw(context.Background(), managementapi.RawRequest{Method: "GET", Path: "/moved"})
	redirect, ok := errors.AsType[*managementapi.RedirectError](err)
	assert.Assert(t, ok, "%v", err)
	assert.Equal(t, redirect.Target, "https://elsewhere.example")
}

// A stream outlives the whole call's deadline while it sends, and ends at
// the first silence longer than the idle deadline; a body read whole stays
// within the whole call's deadline.
func TestRawStreamDeadlines(t *testing.T) {
	c := rawClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := range 6 {
			io.WriteString(w, strings.Repeat("x", i+1)+"\n")
			w.(http.Flusher).Flush()
			time.Sleep(50 * time.Millisecond)
		}
		select { // then silence
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	c.Timeout, c.StreamIdleTimeout = 100*time.Millisecond, 200*time.Millisecond
	resp, err := c.Raw(context.Background(), managementapi.RawRequest{Method: "GET", Path: "/s"})
	assert.NilError(t, err)
	got, err := io.ReadAll(resp.Stream())
	resp.Close()
	assert.Equal(t, string(got), "x\nxx\nxxx\nxxxx\nxxxxx\nxxxxxx\n", "everything sent before the silence arrives")
	timeout, ok := errors.AsType[*managementapi.TimeoutError](err)
	assert.Assert(t, ok, "%v", err)
	assert.Equal(t, timeout.After, 200*time.Millisecond)
	assert.Assert(t, strings.HasPrefix(timeout.While, "waiting for more of the stream from 127.0.0.1:"), timeout.While)

	resp, err = c.Raw(context.Background(), managementapi.RawRequest{Method: "GET", Path: "/s"})
	assert.NilError(t, err)
	_, err = resp.ReadAll(managementapi.MaxRawBody)
	resp.Close()
	timeout, ok = errors.AsType[*managementapi.TimeoutError](err)
	assert.Assert(t, ok, "%v", err)
	assert.Equal(t, timeout.After, 100*time.Millisecond)
	assert.Equal(t, timeout.While, "")
}
