package commands

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// maxAPIPath bounds <api-path>: far more than any path of the API, far less
// than what a server's request line takes.
const maxAPIPath = 8 << 10

// schemePattern is what makes a reference absolute (RFC 3986, section 3.1).
var schemePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*:`)

// managementPath turns <api-path> into the escaped path and query sent
// after the management API's base URL: "/v1/" and the path. It accepts the
// path with or without a leading "/v1/" or "/", and a query string. It
// refuses, before anything is sent, whatever could make the request leave
// the API the key belongs to, or reach another path than the one typed
// once a proxy or server has normalized it: a scheme, a host ("//..."), a
// "." or ".." segment (escaped too), a backslash, an escaped "/" or "\",
// control characters, a fragment, a "{parameter}" left unfilled.
func managementPath(raw string) (string, error) {
	rest := raw
	for _, prefix := range []string{"/v1/", "v1/", "/"} {
		if trimmed, ok := strings.CutPrefix(rest, prefix); ok {
			rest = trimmed
			break
		}
	}
	escaped, err := relativePath(rest, raw)
	if err != nil {
		return "", err
	}
	return "/v1/" + escaped, nil
}

// relativePath checks and escapes a path relative to an API's root (raw is
// what the user typed, for messages).
func relativePath(rest, raw string) (string, error) {
	switch {
	case len(raw) > maxAPIPath:
		return "", fmt.Errorf("is longer than %d bytes", maxAPIPath)
	case strings.IndexFunc(raw, isControl) >= 0:
		return "", fmt.Errorf("holds a control character")
	case strings.HasPrefix(raw, "//") || strings.HasPrefix(rest, "/"):
		return "", fmt.Errorf("names a host; it must be a path of the API, such as models or teams/TEAM_ID")
	case schemePattern.MatchString(raw):
		return "", fmt.Errorf("is a URL; it must be a path of the API, such as models or teams/TEAM_ID")
	case strings.Contains(raw, `\`):
		return "", fmt.Errorf("holds a backslash")
	case strings.Contains(raw, "#"):
		return "", fmt.Errorf("holds a fragment (#); escape a # that belongs to a value as %%23")
	case strings.ContainsAny(raw, "{}"):
		return "", fmt.Errorf("holds a {parameter}; replace it with a value")
	}
	path, query, hasQuery := strings.Cut(rest, "?")
	if path == "" {
		return "", fmt.Errorf("names no endpoint")
	}
	segments := strings.Split(path, "/")
	for i, segment := range segments {
		if segment == "" && i == len(segments)-1 {
			continue // a trailing "/" is the user's to send
		}
		decoded, err := url.PathUnescape(segment)
		switch {
		case err != nil:
			return "", fmt.Errorf("holds an invalid %%-escape in %q", segment)
		case segment == "":
			return "", fmt.Errorf("has an empty segment (//)")
		case isDotSegment(decoded):
			return "", fmt.Errorf("has a %q segment; paths are sent as typed, never resolved", segment)
		case strings.ContainsAny(compatPunct.Replace(decoded), `/\`):
			return "", fmt.Errorf("has an escaped / or \\ in %q", segment)
		case strings.IndexFunc(decoded, isControl) >= 0:
			return "", fmt.Errorf("has an escaped control character in %q", segment)
		}
		segments[i] = escapeLoose(segment, isPathByte)
	}
	escaped := strings.Join(segments, "/")
	if hasQuery {
		if _, err := url.ParseQuery(query); err != nil {
			return "", fmt.Errorf("has an invalid query string: %v", err)
		}
		escaped += "?" + escapeLoose(query, isQueryByte)
	}
	return escaped, nil
}

// isDotSegment reports whether a decoded segment is "." or "..", or is
// read as one by a server that normalizes before it routes: Tomcat and
// Jetty drop a ";parameter" ("..;/"), some frameworks trim spaces, and one
// that applies Unicode compatibility (NFKC) reads "．．" or "‥" as "..".
func isDotSegment(decoded string) bool {
	name, _, _ := strings.Cut(compatPunct.Replace(decoded), ";")
	name = strings.TrimFunc(name, func(r rune) bool { return unicode.IsSpace(r) || isControl(r) })
	return name == "." || name == ".."
}

// compatPunct replaces each character whose Unicode compatibility form
// (NFKC) holds a ".", "/" or "\" with that form: all a path check needs
// of NFKC (commands does not import golang.org/x/text; a test checks the
// list against it).
var compatPunct = strings.NewReplacer(
	"․", ".", "‥", "..", "…", "...", "℀", "a/c", "℁", "a/s", "℅", "c/o", "℆", "c/u",
	"⒈", "1.", "⒉", "2.", "⒊", "3.", "⒋", "4.", "⒌", "5.", "⒍", "6.", "⒎", "7.", "⒏", "8.", "⒐", "9.", "⒑", "10.",
	"⒒", "11.", "⒓", "12.", "⒔", "13.", "⒕", "14.", "⒖", "15.", "⒗", "16.", "⒘", "17.", "⒙", "18.", "⒚", "19.", "⒛", "20.",
	"㏂", "a.m.", "㏇", "Co.", "㏘", "p.m.", "︙", "...", "︰", "..", "﹒", ".", "﹨", `\`, "．", ".", "／", "/", "＼", `\`, "🄀", "0.",
)

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// escapeLoose percent-encodes the bytes of s that may not appear as they
// are (a space, a quote, anything not ASCII), and keeps what the user
// escaped escaped: "%2F" stays "%2F", "a b" becomes "a%20b".
func escapeLoose(s string, allowed func(byte) bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; allowed(c) || c == '%' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// isPathByte: the bytes RFC 3986 allows in a path segment (pchar) as they
// are.
func isPathByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0
}

// isQueryByte: what a query may hold as is (pchar, "/" and "?").
func isQueryByte(c byte) bool { return isPathByte(c) || c == '/' || c == '?' }
