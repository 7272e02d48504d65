package schema

// The exit codes are part of the CLI's contract with scripts, so they are
// declared once, here: main maps errors onto them and docgen prints this table.
const (
	ExitOK          = 0
	ExitError       = 1
	ExitUsage       = 2
	ExitAuth        = 3
	ExitNotFound    = 4
	ExitRejected    = 5
	ExitServer      = 6
	ExitInterrupted = 130
)

// ExitCode describes one exit code for humans.
type ExitCode struct {
	Code    int
	Meaning string
}

// ExitCodes lists every exit code the CLI can return, in numeric order.
var ExitCodes = []ExitCode{
	{ExitOK, "Success (including an empty list)."},
	{ExitError, "Other error: network failure or timeout, a redirect, an unexpected response, jq runtime error, unwritable output."},
	{ExitUsage, "Usage error: unknown or invalid flags, values or combinations, an ambiguous name or team, or a refusal such as deleting the key in use without --yes; nothing was changed, though a lookup may have been sent."},
	{ExitAuth, "Authentication failed: no API key (neither BASETEN_API_KEY nor a stored credential), or the API rejected it (401, 403)."},
	{ExitNotFound, "Not found: the API answered 404, or a name, prefix or team matched nothing."},
	{ExitRejected, "Request rejected by the API (any other 4xx)."},
	{ExitServer, "Server error (5xx)."},
	{ExitInterrupted, "Interrupted by Ctrl-C, Ctrl-\\ (SIGQUIT), SIGTERM or SIGHUP; the request in flight was cancelled."},
}
