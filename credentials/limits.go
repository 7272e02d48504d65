package credentials

import (
	"fmt"
	"unicode/utf8"
)

// What one record may hold. The whole config is bounded too (maxFileBytes,
// checked before anything is written); these keep one login, or one
// server's answer, from taking most of it.
const (
	// maxServerText bounds the account details a server describes the key
	// with (email, workspace name, user ID): they are only shown, so a
	// longer one is shortened rather than refused. A hostile server's
	// 180 KB workspace name of '<' would otherwise take a MiB once escaped.
	maxServerText = 256
	// maxLabel bounds a label (the commands allow fewer characters).
	maxLabel = 256
	// maxURL bounds the remote and API URLs a record keeps.
	maxURL = 2048
	// maxKey bounds a key (the commands read at most 4 KiB of stdin).
	maxKey = 4 << 10
	// maxKeyPrefix bounds the prefix recorded for auth status.
	maxKeyPrefix = 64
)

// shortened marks server text cut at maxServerText.
const shortened = "..."

// bounded returns c with its server text shortened to maxServerText bytes,
// or an error naming the field that the caller chose and that is too long.
func bounded(c Credential, key string) (Credential, error) {
	for name, n := range map[string]struct{ got, limit int }{
		"label": {len(c.Label), maxLabel}, "remote URL": {len(c.RemoteURL), maxURL}, "API URL": {len(c.APIURL), maxURL},
		"key prefix": {len(c.KeyPrefix), maxKeyPrefix}, "API key": {len(key), maxKey},
	} {
		if n.got > n.limit {
			return Credential{}, fmt.Errorf("the %s is %d bytes long, more than the %d a stored credential may hold; nothing was stored", name, n.got, n.limit)
		}
	}
	c.Email, c.Workspace, c.UserID = shorten(c.Email), shorten(c.Workspace), shorten(c.UserID)
	return c, nil
}

// shorten cuts s to at most maxServerText bytes, at a character boundary,
// marking the cut.
func shorten(s string) string {
	if len(s) <= maxServerText {
		return s
	}
	cut := maxServerText - len(shortened)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + shortened
}
