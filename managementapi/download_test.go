package managementapi_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/managementapi"
)

func TestCheckDownloadURL(t *testing.T) {
	local, _ := url.Parse("http://127.0.0.1:8765")
	remote, _ := url.Parse("https://api.example")
	fromLocal := managementapi.New(local, "0123abcd.secretsecretsecret", "test")
	fromRemote := managementapi.New(remote, "0123abcd.secretsecretsecret", "test")
	for _, tc := range []struct {
		raw, err string
	}{
		{"https://storage.example/bucket/t.tar?X-Amz-Signature=abc", ""},
		{"http://127.0.0.1:9/t.tar", ""},
		{"http://[::1]:9/t.tar", ""},
		{"http://localhost:9/t.tar", ""},
		{"http://storage.example/t.tar", "the download_url is http://storage.example, not https"},
		{"ftp://storage.example/t.tar", "the download_url is ftp://storage.example, not https"},
		{"file:///etc/passwd", "the download_url is not an absolute URL"},
		{"/relative/t.tar", "the download_url is not an absolute URL"},
		{"https://user:pw@storage.example/t.tar", "the download_url carries credentials in it"},
		{"mailto:x@y", "the download_url is not an absolute URL"},
	} {
		_, err := fromLocal.CheckDownloadURL(tc.raw)
		if tc.err == "" {
			assert.NilError(t, err, tc.raw)
			continue
		}
		assert.ErrorContains(t, err, tc.err, tc.raw)
	}
	// An API elsewhere cannot send the CLI to a service on this machine,
	// nor have the archive travel over plain http.
	for _, raw := range []string{"http://127.0.0.1:9/t.tar", "http://[::1]:9/t.tar", "http://localhost:9/t.tar"} {
		_, err := fromRemote.CheckDownloadURL(raw)
		assert.ErrorContains(t, err, "not https", raw)
	}
	_, err := fromRemote.CheckDownloadURL("https://storage.example/t.tar")
	assert.NilError(t, err)
}

// Download sends no Authorization, follows no redirect, honours the
// limit, notices a body cut short, and never names the URL's query.
func TestDownload(t *testing.T) {
	var gotAuth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		switch r.URL.Path {
		case "/ok":
			w.Write([]byte("archive"))
		case "/redirect":
			http.Redirect(w, r, "http://evil.example/x", http.StatusFound)
		case "/short":
			w.Header().Set("Content-Length", "100")
			w.Write([]byte("only this"))
		case "/big":
			w.Write(bytes.Repeat([]byte("x"), 2048))
		default:
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte("AccessDenied\nmore"))
		}
	}))
	t.Cleanup(srv.Close)
	base, _ := url.Parse("http://127.0.0.1:1") // a local API: plain http downloads are taken
	client := managementapi.New(base, "0123abcd.secretsecretsecret", "test")
	var lines []string
	client.Log = func(line string) { lines = append(lines, line) }
	at := func(path string) *url.URL {
		u, err := client.CheckDownloadURL(srv.URL + path + "?X-Amz-Signature=SIG")
		assert.NilError(t, err)
		return u
	}

	var buf bytes.Buffer
	var seen []int64
	n, err := client.Download(context.Background(), at("/ok"), &buf, 1024, func(done, total int64) { seen = append(seen, done, total) })
	assert.NilError(t, err)
	assert.Equal(t, n, int64(7))
	assert.Equal(t, buf.String(), "archive")
	assert.DeepEqual(t, seen, []int64{7, 7})

	for _, tc := range []struct{ path, err string }{
		{"/redirect", "the server answered 302 Found, a redirect, which is not followed"},
		{"/short", "the archive was cut short"},
		{"/big", "the archive is larger than the 1024 bytes limit"},
		{"/denied", "the server answered 403 Forbidden: AccessDenied"},
	} {
		buf.Reset()
		_, err := client.Download(context.Background(), at(tc.path), &buf, 1024, nil)
		dlErr, ok := errors.AsType[*managementapi.DownloadError](err)
		assert.Assert(t, ok, "%s: %v", tc.path, err)
		assert.Equal(t, dlErr.Where, srv.URL+tc.path)
		assert.Assert(t, strings.Contains(err.Error(), tc.err), "%s: %v", tc.path, err)
		assert.Assert(t, !strings.Contains(err.Error(), "SIG"), err.Error())
	}
	assert.DeepEqual(t, gotAuth, []string{"", "", "", "", ""})
	for _, line := range lines {
		assert.Assert(t, !strings.Contains(line, "SIG"), line)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = client.Download(ctx, at("/ok"), &buf, 1024, nil)
	assert.Assert(t, errors.Is(err, context.Canceled), "%v", err)
}
