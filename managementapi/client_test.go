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

type answerWith string

func (a answerWith) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: -1, Body: io.NopCloser(strings.NewReader(string(a))), Request: req}, nil
}

// An answer that holds the key it was sent with, however escaped and
// wherever, is refused: whoami prints it, login stores it.
func TestGetUserRefusesAnAnswerHoldingTheKey(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:1")
	const key = "abcd1234.S3CRETS3CRET"
	for body, refused := range map[string]bool{
		`{"user_id":"u1","email":"a@b.c","name":"abcd1234"}`:    false, // the public prefix alone
		`{"user_id":"u1","email":"abcd1234.S3CRETS3CRET"}`:      true,
		`{"user_id":"u1","name":"S3CRETS3CRET"}`:                true, // the secret part alone
		`{"user_id":"u1","x":[{"y":"\u0053\u0033CRETS3CRET"}]}`: true,
		`{"user_id":"u1","x":{"abcd1234.S3CRETS3CRET":1}}`:      true,
	} {
		c := &managementapi.Client{BaseURL: base, APIKey: key, Transport: answerWith(body)}
		_, err := c.GetUser(context.Background())
		if !refused {
			assert.NilError(t, err, body)
			continue
		}
		_, isResponseErr := errors.AsType[*managementapi.ResponseError](err)
		assert.Assert(t, isResponseErr, "%s: %v", body, err)
		assert.ErrorContains(t, err, "the answer holds the API key it was sent with", body)
	}
}
