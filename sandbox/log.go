package sandbox

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Request is what the log of a served sandbox shows of one request.
type Request struct {
	Method   string // redacted like a path segment
	Path     string // escaped, without the query, with anything key-like redacted
	Status   int
	Duration time.Duration
}

// WithLog calls log once for every request next has answered. It never
// passes on a query string or a header, and it redacts the path, where a
// client that confuses a key with its prefix would otherwise leave the key
// in the log, and the method, which may be any token.
func WithLog(next http.Handler, log func(Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		// Any token is a method, a key included: it is redacted like a segment.
		log(Request{Method: RedactPath(r.Method), Path: RedactPath(r.URL.EscapedPath()), Status: rec.status, Duration: time.Since(start)})
	})
}

// RedactPath replaces whatever follows the first "." of an escaped path
// with "***", to the end of the path: a key is "<prefix>.<secret>", and a
// secret may hold a "/" (an admin key passed to serve --api-key can), so
// the rest of the path after that "." may be the rest of the key. The
// prefix before it, team IDs and typos in route names stay readable.
// Segments are unescaped first, so "%2E" counts as a ".".
func RedactPath(escaped string) string {
	segments := strings.Split(escaped, "/")
	for i, seg := range segments {
		plain, err := url.PathUnescape(seg)
		if err != nil {
			plain = seg
		}
		if before, _, found := strings.Cut(plain, "."); found {
			segments[i] = url.PathEscape(before) + ".***"
			return strings.Join(segments[:i+1], "/")
		}
	}
	return escaped
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}
