// Package managementapi is a typed client for the Baseten management API
// endpoints the CLI uses. It never prints: callers get typed payloads or typed
// errors, and a Trace hook for verbose logging.
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
	"strings"
	"time"
)

// DefaultRemoteURL is the Baseten web app; the management API lives beside it.
const DefaultRemoteURL = "https://app.baseten.co"

// Client calls the management API. The zero value is not usable; fill BaseURL
// and APIKey (New does, with sensible transport timeouts).
type Client struct {
	BaseURL   *url.URL // scheme and host (and an optional path prefix) of the API
	APIKey    string
	UserAgent string
	HTTP      *http.Client
	// Trace, when set, is called once per request after it completes or fails.
	// status is 0 when no response arrived. It never sees headers or bodies.
	Trace func(method, url string, status int, elapsed time.Duration)
}

// New returns a client for baseURL authenticating with apiKey.
func New(baseURL *url.URL, apiKey, userAgent string) *Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.ResponseHeaderTimeout = 2 * time.Minute
	return &Client{BaseURL: baseURL, APIKey: apiKey, UserAgent: userAgent, HTTP: &http.Client{Transport: transport}}
}

// ListAPIKeys lists the metadata of every key in the organization.
// The body is decoded key by key, so a list of tens of thousands of keys is
// never held twice (once as bytes, once as structs).
func (c *Client) ListAPIKeys(ctx context.Context) (*APIKeys, error) {
	var keys APIKeys
	err := c.do(ctx, http.MethodGet, "/v1/api_keys", nil, func(body io.Reader) error {
		return decodeAPIKeys(body, &keys)
	})
	if err != nil {
		return nil, err
	}
	return &keys, nil
}

// CreateAPIKey creates a key, in the given team when teamID is not empty and
// in the organization's default team otherwise.
func (c *Client) CreateAPIKey(ctx context.Context, teamID string, req CreateAPIKeyRequest) (*APIKey, error) {
	path := "/v1/api_keys"
	if teamID != "" {
		path = "/v1/teams/" + url.PathEscape(teamID) + "/api_keys"
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	var key APIKey
	if err := c.do(ctx, http.MethodPost, path, body, decodeInto(&key)); err != nil {
		return nil, err
	}
	if key.APIKey == "" {
		return nil, &ResponseError{Reason: "the create response holds no api_key"}
	}
	return &key, nil
}

// DeleteAPIKey deletes the key with exactly this prefix.
func (c *Client) DeleteAPIKey(ctx context.Context, prefix string) (*APIKeyTombstone, error) {
	var tombstone APIKeyTombstone
	if err := c.do(ctx, http.MethodDelete, "/v1/api_keys/"+url.PathEscape(prefix), nil, decodeInto(&tombstone)); err != nil {
		return nil, err
	}
	return &tombstone, nil
}

// ListTeams lists the teams the caller can see.
func (c *Client) ListTeams(ctx context.Context) (*Teams, error) {
	var teams Teams
	if err := c.do(ctx, http.MethodGet, "/v1/teams", nil, decodeInto(&teams)); err != nil {
		return nil, err
	}
	return &teams, nil
}

// do sends one request and hands a 2xx body to decode. Every other outcome
// becomes an *APIError, a *NetworkError, a *ResponseError or the context's error.
func (c *Client) do(ctx context.Context, method, path string, body []byte, decode func(io.Reader) error) error {
	// path is already escaped; joining strings (not url.JoinPath) keeps an
	// escaped "/" inside a segment escaped and never cleans "." segments.
	target := strings.TrimSuffix(c.BaseURL.String(), "/") + path

	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.APIKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.UserAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.trace(method, target, 0, start)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &NetworkError{Host: c.BaseURL.Host, Err: unwrapURLError(err)}
	}
	defer resp.Body.Close()
	c.trace(method, target, resp.StatusCode, start)

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return &APIError{Status: resp.StatusCode, Message: c.redact(errorMessage(raw))}
	}
	if err := decode(resp.Body); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var netErr net.Error
		if errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) {
			return &NetworkError{Host: c.BaseURL.Host, Err: err}
		}
		return &ResponseError{Reason: fmt.Sprintf("%s %s: the response is not the JSON the API documents (%v)", method, path, err)}
	}
	return nil
}

func (c *Client) trace(method, url string, status int, start time.Time) {
	if c.Trace != nil {
		c.Trace(method, url, status, time.Since(start))
	}
}

// redact removes the configured key from text that came from the server, in
// case an error message echoes the credentials it was sent.
func (c *Client) redact(s string) string {
	if c.APIKey == "" {
		return s
	}
	return strings.ReplaceAll(s, c.APIKey, "[redacted]")
}

func decodeInto(v any) func(io.Reader) error {
	return func(body io.Reader) error { return json.NewDecoder(body).Decode(v) }
}

// decodeAPIKeys walks {"keys": [...]} token by token, decoding one key at a time.
func decodeAPIKeys(body io.Reader, out *APIKeys) error {
	dec := json.NewDecoder(body)
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	out.Keys = []APIKeyInfo{}
	for dec.More() {
		name, err := dec.Token()
		if err != nil {
			return err
		}
		if name != "keys" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		if err := expectDelim(dec, '['); err != nil {
			return err
		}
		for dec.More() {
			var key APIKeyInfo
			if err := dec.Decode(&key); err != nil {
				return err
			}
			out.Keys = append(out.Keys, key)
		}
		if err := expectDelim(dec, ']'); err != nil {
			return err
		}
	}
	return expectDelim(dec, '}')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("expected '%v', found %v", want, tok)
	}
	return nil
}

func unwrapURLError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}
