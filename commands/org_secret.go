package commands

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/basetenlabs/baseten/managementapi"
)

// SecretCmd is the `baseten org secret` group: the organization's secrets,
// per team. Values go in and never come out.
type SecretCmd struct {
	List   SecretListCmd   `cmd:"" aliases:"ls"`
	Set    SecretSetCmd    `cmd:""`
	Delete SecretDeleteCmd `cmd:"" aliases:"rm"`
}

// secretListHint points at the command that shows the secrets' names.
const secretListHint = "Run 'baseten org secret list' to see the secrets and their teams."

// maxSecretName bounds a secret name, in bytes.
const maxSecretName = 256

// secretNameProblem says what makes name unfit to go into
// /v1/secrets/{secret_name}, or "" when nothing does: "." and ".." would
// make that another path, a "/" another segment, and a control character
// has no business in a name shown on a terminal. Anything else is
// path-escaped.
func secretNameProblem(name string) string {
	switch {
	case name == "":
		return "is empty"
	case name == "." || name == "..":
		return "is not a secret name"
	case len(name) > maxSecretName:
		return fmt.Sprintf("is longer than %d bytes", maxSecretName)
	case !utf8.ValidString(name) || strings.ContainsRune(name, utf8.RuneError):
		// (Invalid bytes on the command line reach the command as U+FFFD:
		// a name with one is not the name that was typed.)
		return "is not valid UTF-8"
	case strings.ContainsRune(name, '/'):
		return "contains a '/', which a secret name never has"
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "contains control characters"
	}
	return ""
}

// checkSecretName is secretNameProblem as a usage error for --name.
func checkSecretName(name string) error {
	if problem := secretNameProblem(name); problem != "" {
		return usageError(fmt.Sprintf("--name %q %s", name, problem), secretListHint)
	}
	return nil
}

// secretTeamID resolves --team (a name or an ID) into a team ID; "" when
// --team was not given.
func secretTeamID(ctx context.Context, client *managementapi.Client, team string) (string, error) {
	if team == "" {
		return "", nil
	}
	return resolveTeam(ctx, client, team)
}

// secretNotFound turns the API's 404 for a secret into exit 4 naming it
// (the team was found in the team list just before).
func secretNotFound(err error, name, team string) error {
	where := "in the default team"
	if team != "" {
		where = fmt.Sprintf("in team %q", team)
	}
	return asNotFound(err, secretListHint, "no secret named %q %s", name, where)
}
