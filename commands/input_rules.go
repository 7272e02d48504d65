package commands

import (
	"errors"
	"fmt"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/render"
)

// The rules values from the user and from the API pass before they go into
// a URL path, a command line or a keyring entry: one place, so that a flag
// and the API's list of the same thing are held to the same rules.

// refuseEmpty rejects a flag typed with a blank value (--name ""), which
// would otherwise silently mean "not given".
func refuseEmpty(kctx *kong.Context, flag, value string) error {
	if flagGiven(kctx, flag) && strings.TrimSpace(value) == "" {
		return usageError(fmt.Sprintf("--%s must not be empty", flag), "")
	}
	return nil
}

// checkPrefix refuses a --prefix that could delete something other than
// the one key meant. The same rules (prefixProblem) apply to prefixes the
// server sends before they go into a URL or a command line.
func checkPrefix(prefix string) error {
	switch problem := prefixProblem(prefix); {
	case problem == "":
		return nil
	case strings.Contains(prefix, "."):
		// A whole key pasted by mistake; not echoed, since it is a secret.
		return usageError("--prefix takes the prefix shown by 'baseten org api-key list', not a whole key", "A prefix is the part of the key before the first '.'.")
	case prefix == "":
		return usageError("--prefix must not be empty", prefixHint)
	default:
		return usageError(fmt.Sprintf("--prefix %q %s", prefix, problem), prefixHint)
	}
}

// prefixHint says what a prefix is, where one is wanted.
const prefixHint = "A prefix is the 8 characters before **** in the KEY column of 'baseten org api-key list'."

// maxIdentifier bounds prefixes and team IDs; real ones are a few characters.
const maxIdentifier = 128

// prefixProblem says what makes prefix unfit to name one key in a URL path
// and a command line, or "" when nothing does: it must be non-empty and
// short, and hold no "." (a dot segment would change the URL's meaning), no
// slash or backslash, no whitespace, no control or invisible characters.
func prefixProblem(prefix string) string {
	switch {
	case prefix == "":
		return "is empty"
	case len(prefix) > maxIdentifier:
		return "is too long to be a prefix"
	case strings.IndexFunc(prefix, func(r rune) bool { return r <= ' ' || r > '~' || strings.ContainsRune(".\\/", r) }) >= 0:
		return "contains characters a prefix never has"
	}
	return ""
}

// teamIDProblem is prefixProblem's counterpart for team IDs, which go into
// /v1/teams/{team_id}/api_keys: "." and ".." would make that another path,
// and a slash, backslash, "%", "?" or "#" could be read as one by a proxy
// that decodes the path.
func teamIDProblem(id string) string {
	switch {
	case id == "" || id == "." || id == "..":
		return "is not a team ID"
	case len(id) > maxIdentifier:
		return "is too long to be a team ID"
	case strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r > '~' || strings.ContainsRune(`/\%?#`, r) }) >= 0:
		return "contains characters a team ID never has"
	}
	return ""
}

// labelProblem says what makes a label unusable, or "": it names a keyring
// entry and is shown in tables and prompts.
func labelProblem(label string) string {
	switch {
	case strings.TrimSpace(label) == "":
		return "is empty"
	case len(label) > maxIdentifier:
		return "is too long"
	case render.Sanitize(label) != label:
		return "contains control or invisible characters"
	}
	return ""
}

// checkKey refuses what no API key holds: Go's HTTP client would refuse the
// header and call it a network error.
func checkKey(key string) error {
	if strings.IndexFunc(key, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
		return errors.New("contains a line break, a space or another character an API key never has")
	}
	return nil
}

// pathIDProblem is teamIDProblem's rule for the IDs and names of models,
// deployments, replicas and environments, which go into paths such as
// /v1/models/{model_id}/deployments/{deployment_id}: "." and ".." would
// make that another path, and a slash, backslash, "%", "?" or "#" could be
// read as one by a proxy that decodes the path. Values from the API pass
// it too before they go into a URL.
func pathIDProblem(what, id string) string {
	article := "a "
	if strings.HasPrefix(what, "e") {
		article = "an "
	}
	switch {
	case id == "" || id == "." || id == "..":
		return "is not " + article + what
	case len(id) > maxIdentifier:
		return "is too long to be " + article + what
	case strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r > '~' || strings.ContainsRune(`/\%?#`, r) }) >= 0:
		return "contains characters " + article + what + " never has"
	}
	return ""
}
