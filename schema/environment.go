package schema

// EnvVar describes one environment variable the CLI reads, for humans.
type EnvVar struct {
	Name    string
	Meaning string // one line
}

// Environment lists every environment variable the CLI reads. `--help`, the
// overview page and every man page print it, so code that starts reading a
// variable adds one line here (TestEnvironmentTableMatchesCode fails until
// it does, for any BASETEN_* name and any os.Getenv("...")).
var Environment = []EnvVar{
	{"BASETEN_API_KEY", "The API key, sent as a bearer token; required by every command that calls the API."},
	{"BASETEN_REMOTE_URL", "The Baseten remote (default https://app.baseten.co); --remote-url overrides it."},
	{"BASETEN_MANAGEMENT_API_URL_OVERRIDE", "The management API's base URL itself; wins over --remote-url and BASETEN_REMOTE_URL."},
	{"NO_COLOR", "Set to anything: text output carries no styling (no bold table headers)."},
	{"TERM", "When \"dumb\", text output carries no styling, as with NO_COLOR."},
}
