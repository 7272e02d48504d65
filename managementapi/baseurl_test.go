package managementapi_test

import (
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/managementapi"
)

func TestBaseURL(t *testing.T) {
	cases := map[string]string{
		managementapi.DefaultRemoteURL: "https://api.baseten.co",
		"https://app.baseten.co/":      "https://api.baseten.co",
		"https://app.staging.example":  "https://api.staging.example",
		"http://app.localhost:8080":    "http://api.localhost:8080",
		"http://127.0.0.1:8765":        "http://127.0.0.1:8765",
		"https://myapp.example.com":    "https://myapp.example.com",
	}
	for remote, want := range cases {
		got, err := managementapi.BaseURL(remote)
		assert.NilError(t, err, remote)
		assert.Equal(t, got.String(), want, remote)
	}
}

func TestBaseURLRejects(t *testing.T) {
	for remote, want := range map[string]string{
		"":                            `"" must start with https:// or http://`,
		"app.baseten.co":              "must start with https:// or http://",
		"ftp://app.baseten.co":        "must start with https:// or http://",
		"https://":                    "has no host",
		"https://:443":                "has no host",
		"https://u:p@app.baseten.co":  "must not contain credentials",
		"https://app.baseten.co/v1":   "must not have a path (/v1)",
		"https://app.baseten.co/?a=b": "must not have a query",
		"https://app.baseten.co/?":    "must not have a query",
		"https://app.baseten.co/#x":   "must not have a fragment",
		"http://[::1":                 "is not a URL",
	} {
		_, err := managementapi.BaseURL(remote)
		assert.ErrorContains(t, err, want, remote)
	}
}

func TestBaseURLMapsAppHostIgnoringCase(t *testing.T) {
	got, err := managementapi.BaseURL("https://APP.Baseten.co")
	assert.NilError(t, err)
	assert.Equal(t, got.String(), "https://api.Baseten.co")
}

func TestParseAPIURL(t *testing.T) {
	got, err := managementapi.ParseAPIURL("http://127.0.0.1:8080/prefix/")
	assert.NilError(t, err)
	assert.Equal(t, got.String(), "http://127.0.0.1:8080/prefix")
	for raw, want := range map[string]string{
		"http://:8080":       "has no host",
		"127.0.0.1:8080":     "is not an http(s) URL",
		"http://h/?q":        "must not have credentials, a query or a fragment",
		"http://u:p@h":       "must not have credentials, a query or a fragment",
		"ftp://h":            "is not an http(s) URL",
		"http://h/#fragment": "must not have credentials, a query or a fragment",
	} {
		_, err := managementapi.ParseAPIURL(raw)
		assert.ErrorContains(t, err, want, raw)
	}
}
