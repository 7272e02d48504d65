package commands

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// maxErrorLine bounds the error line: a proxy's HTML error page must not
// flood the terminal.
const maxErrorLine = 300

// report prints err as one "Error:" line plus an optional hint and returns
// the exit code it maps to. The message and the hint may hold text from the
// server or the user, so each is redacted (secrets), then sanitized
// (terminal control), then shortened, in that order: a secret cut in half
// by shortening could not be recognised any more.
func report(streams *render.IO, err error) int {
	if closedStdout(err) {
		// The reader of stdout went away (`list | head`): nothing to report.
		return schema.ExitOK
	}
	code, hint := classify(err)
	if err.Error() == "" { // the command has said what went wrong (sandbox exec's COMMAND)
		return code
	}
	streams.Notef("Error: %s", shorten(streams.Clean(render.OneLine(err.Error())), maxErrorLine))
	if hint != "" {
		streams.Notef("%s", hint)
	}
	if e, ok := errors.AsType[*exitError](err); ok && e.usage != "" {
		fmt.Fprintln(streams.Err, e.usage)
	}
	return code
}

// closedStdout reports whether err is a write into a pipe nobody reads any
// more (render.BrokenPipe, which knows how each platform says it). A
// connection to the API can fail so too; that is an error to report, not
// the quiet end of a pipeline.
func closedStdout(err error) bool {
	_, network := errors.AsType[*managementapi.NetworkError](err)
	return render.BrokenPipe(err) && !network
}

// shorten cuts s to at most n characters, marking the cut with "...".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "..."
}

func classify(err error) (code int, hint string) {
	var (
		exitErr     *exitError
		apiErr      *managementapi.APIError
		netErr      *managementapi.NetworkError
		timeoutErr  *managementapi.TimeoutError
		redirectErr *managementapi.RedirectError
	)
	switch {
	case errors.As(err, &exitErr):
		return exitErr.ExitCode(), exitErr.hint
	case errors.As(err, &apiErr):
		code, hint := apiStatusCode(apiErr.Status)
		if apiErr.RetryAfter > 0 {
			hint = fmt.Sprintf("The API asked to retry after %s: try again at %s.", render.FormatDuration(apiErr.RetryAfter), retryTime(apiErr.RetryAt.Local(), time.Now()))
		}
		return code, hint
	case errors.As(err, &timeoutErr):
		if timeoutErr.While == "" { // the whole call's limit
			return schema.ExitError, "Set " + schema.EnvHTTPTimeout + " to allow more time, e.g. " + schema.EnvHTTPTimeout + "=2m."
		}
		return schema.ExitError, "Check your network connection, --remote-url and " + schema.EnvRemoteURL + "."
	case errors.As(err, &redirectErr):
		return schema.ExitError, "The management API never redirects: check --remote-url, " + schema.EnvRemoteURL + " and " + schema.EnvAPIURLOverride + "."
	case errors.As(err, &netErr):
		return schema.ExitError, "Check your network connection, --remote-url and " + schema.EnvRemoteURL + "."
	}
	return schema.ExitError, ""
}

// retryTime names when to retry: the time of day, and the date too when
// that is not today.
func retryTime(at, now time.Time) string {
	if y, m, d := at.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return at.Format("15:04:05 MST")
	}
	return at.Format("2006-01-02 15:04:05 MST")
}

// apiStatusCode maps an API error status to the exit code and a hint.
func apiStatusCode(status int) (code int, hint string) {
	switch {
	case status == 401:
		return schema.ExitAuth, "Check that " + schema.EnvAPIKey + " holds a valid API key for this remote."
	case status == 403:
		return schema.ExitAuth, "The API key lacks permission for this operation."
	case status == 404:
		return schema.ExitNotFound, ""
	case status >= 500:
		return schema.ExitServer, "The Baseten API had a problem; try again later."
	default:
		return schema.ExitRejected, ""
	}
}

// asUsageError turns anything Kong's parsing returns (including our own hook
// errors) into exit 2, where Kong itself would exit 80, and follows the error
// with the selected command's usage line and a pointer to its --help; an
// error that is not about the command line (notArgs) stays as it is.
func asUsageError(err error, root *schema.Command, args []string) error {
	cmd := root
	var perr *kong.ParseError
	if errors.As(err, &perr) && perr.Context != nil {
		if found := root.Find(nodePath(perr.Context.Selected())...); found != nil {
			cmd = found
		}
	}
	usage := usageLines(cmd)
	var hider secretArguments
	if perr != nil && perr.Context != nil {
		hider, _ = commandOf(perr.Context.Selected()).(secretArguments)
	}
	if e, ok := errors.AsType[*exitError](err); ok {
		msg := e.Error()
		if hider != nil { // our own checks say what is wrong: only the value goes
			msg = hideValues(msg, args, cmd.Path)
		}
		if e.notArgs { // not about the command line: no usage block
			setting := *e
			setting.msg = msg
			return &setting
		}
		return &exitError{code: schema.ExitUsage, msg: msg, hint: e.hint, usage: usage}
	}
	if hider != nil && echoesValues(err.Error(), args, cmd.Path) {
		return &exitError{code: schema.ExitUsage, msg: hider.secretArgumentsError(), hint: hider.secretArgumentsHint(), usage: usage}
	}
	return &exitError{code: schema.ExitUsage, usage: usage, cause: err}
}
