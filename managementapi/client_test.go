package managementapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/managementapi"
)

// roundTrips answers attempt n with answers[n]: an error stands for a
// connection that failed before the request was written (no trace hook
// fires), a status for an answer.
type roundTrips struct {
	answers []any
	n       int
}

func (r *roundTrips) RoundTrip(req *http.Request) (*http.Response, error) {
	a := r.answers[min(r.n, len(r.answers)-1)]
	r.n++
	if err, ok := a.(error); ok {
		return nil, err
	}
	return &http.Response{StatusCode: a.(int), Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"detail":"Not Found"}`)), Request: req}, nil
}

// A 404 after attempts that never reached the server is not found: no
// earlier attempt can have deleted the key.
func TestDeleteNotFoundAfterUnsentAttempts(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:1")
	rt := &roundTrips{answers: []any{errors.New("dial tcp: connection refused"), 404}}
	c := &managementapi.Client{BaseURL: base, APIKey: "k", Transport: rt}
	_, gone, err := c.DeleteAPIKey(context.Background(), "abcd1234")
	assert.Equal(t, rt.n, 2)
	assert.Assert(t, !gone)
	apiErr, ok := errors.AsType[*managementapi.APIError](err)
	assert.Assert(t, ok, "%v", err)
	assert.Equal(t, apiErr.Status, 404)
}
