package managementapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/basetenlabs/baseten/render"
)

// Downloads from a presigned URL (a deployment's truss on object
// storage). Such a URL is its own authorization: the API key is never
// sent with it (it is another host, which must never see the key), and
// since its query holds the signature, neither errors nor verbose lines
// ever show more of it than scheme, host and path.

// DownloadIdleTimeout is how long a download may go without receiving a
// byte before it is abandoned; a slow but moving download goes on.
const DownloadIdleTimeout = 30 * time.Second

// DownloadError is a presigned download that did not complete.
type DownloadError struct {
	Where  string // scheme://host/path of the URL: never its query
	Reason string
	Err    error // the cause, if any
}

func (e *DownloadError) Error() string {
	return fmt.Sprintf("downloading from %s: %s", e.Where, e.Reason)
}

func (e *DownloadError) Unwrap() error { return e.Err }

// CheckDownloadURL parses a presigned URL from the API and refuses one a
// download must not go to: not http(s), credentials in it, or plain http.
// Plain http is taken only from an API that is itself plain http on this
// machine (the sandbox, a test) and only to this machine: an API elsewhere
// must not be able to point the CLI at a local service, nor have the
// archive travel unprotected.
func (c *Client) CheckDownloadURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, &ResponseError{Reason: "the download_url is not an absolute URL"}
	}
	localAPI := c.BaseURL.Scheme == "http" && isLoopback(c.BaseURL.Hostname())
	switch {
	case u.User != nil:
		return nil, &ResponseError{Reason: "the download_url carries credentials in it"}
	case u.Scheme == "https":
	case u.Scheme == "http" && localAPI && isLoopback(u.Hostname()):
	default:
		return nil, &ResponseError{Reason: fmt.Sprintf("the download_url is %s://%s, not https", u.Scheme, u.Host)}
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// where names u in messages: scheme, host and path, never the query.
func where(u *url.URL) string { return u.Scheme + "://" + u.Host + u.EscapedPath() }

// Download copies what u serves to dst, refusing more than limit bytes,
// and calls progress (when not nil) after each chunk with the bytes so
// far and the total the server declared (-1 when it did not). It sends no
// Authorization header and follows no redirect. Only a 200 is a success.
func (c *Client) Download(ctx context.Context, u *url.URL, dst io.Writer, limit int64, progress func(done, total int64)) (int64, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, &DownloadError{Where: where(u), Reason: "the URL cannot be requested", Err: err}
	}
	req.Header.Set("User-Agent", c.UserAgent)
	start := time.Now()
	resp, err := c.Transport.RoundTrip(req)
	if err != nil {
		c.logf("GET %s no response %s", where(u), render.FormatDuration(time.Since(start)))
		if ctx.Err() != nil {
			return 0, context.Cause(ctx)
		}
		return 0, &DownloadError{Where: where(u), Reason: unwrapURLError(err).Error(), Err: err}
	}
	defer resp.Body.Close()
	c.logf("GET %s %d %s", where(u), resp.StatusCode, render.FormatDuration(time.Since(start)))
	if resp.StatusCode != http.StatusOK {
		reason := "the server answered " + statusLine(resp.StatusCode)
		if isRedirect(resp.StatusCode) {
			reason += ", a redirect, which is not followed"
		} else if line := firstLine(resp.Body); line != "" {
			reason += ": " + line
		}
		return 0, &DownloadError{Where: where(u), Reason: reason}
	}
	if resp.ContentLength > limit {
		return 0, &DownloadError{Where: where(u), Reason: fmt.Sprintf("the archive is larger than the %s limit", formatBytes(limit))}
	}
	// A download that stalls is abandoned; one that moves goes on.
	idle := time.AfterFunc(DownloadIdleTimeout, func() { cancel(errDownloadStalled) })
	defer idle.Stop()
	var done int64
	buf := make([]byte, 64<<10)
	for {
		n, readErr := resp.Body.Read(buf)
		if n > 0 {
			idle.Reset(DownloadIdleTimeout)
			if done+int64(n) > limit {
				return done, &DownloadError{Where: where(u), Reason: fmt.Sprintf("the archive is larger than the %s limit", formatBytes(limit))}
			}
			if _, err := dst.Write(buf[:n]); err != nil {
				return done, err
			}
			done += int64(n)
			if progress != nil {
				progress(done, resp.ContentLength)
			}
		}
		if readErr == io.EOF {
			if resp.ContentLength >= 0 && done != resp.ContentLength {
				return done, &DownloadError{Where: where(u), Reason: "the archive was cut short"}
			}
			return done, nil
		}
		if readErr != nil {
			if cause := context.Cause(ctx); cause != nil {
				if errors.Is(cause, errDownloadStalled) {
					return done, &DownloadError{Where: where(u), Reason: fmt.Sprintf("nothing arrived for %s", render.FormatDuration(DownloadIdleTimeout)), Err: cause}
				}
				return done, cause
			}
			return done, &DownloadError{Where: where(u), Reason: "the archive was cut short (" + unwrapURLError(readErr).Error() + ")", Err: readErr}
		}
	}
}

var errDownloadStalled = errors.New("download stalled")

// firstLine is the start of an error answer, for its message.
func firstLine(body io.Reader) string {
	raw, _ := io.ReadAll(io.LimitReader(body, 512))
	line, _, _ := strings.Cut(strings.TrimSpace(string(raw)), "\n")
	return line
}
