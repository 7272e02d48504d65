package schema

// EnvVar describes one environment variable the CLI reads, for humans.
type EnvVar struct {
	Name    string
	Meaning string // one line
}

// Environment lists every environment variable the CLI reads. `--help`, the
// overview page and every man page print it, so code that starts reading a
// variable adds one line here (TestEnvironmentTableMatchesCode fails until
// it does, for any BASETEN_* name and any variable a getenv reads in the
// packages the binary links).
var Environment = []EnvVar{
	{"BASETEN_API_KEY", "The API key, sent as a bearer token; wins over the stored credentials of baseten auth login."},
	{"BASETEN_REMOTE_URL", "The Baseten remote (default https://app.baseten.co); --remote-url overrides it."},
	{"BASETEN_MANAGEMENT_API_URL_OVERRIDE", "The management API's base URL itself; wins over --remote-url and BASETEN_REMOTE_URL."},
	{"BASETEN_INFERENCE_BASE_URL_OVERRIDE", "The base URL inference requests go to instead of the model's or chain's own host (api inference, model predict); the Host header still names that host."},
	{"BASETEN_HTTP_TIMEOUT", "The most one API call may take, retries and reading the answer included: a Go duration such as 500ms, 30s or 2m (default 60s)."},
	{"BASETEN_CONFIG_DIR", "Where the CLI keeps its files: stored credentials, the sandbox's state (default: baseten in the user config directory, ~/.config/baseten on Linux)."},
	{"BASETEN_CREDENTIAL_STORE", "keyring or file: where baseten auth login stores keys and API commands read them, instead of the OS keyring with a file as fallback."},
	{"DBUS_SESSION_BUS_ADDRESS", "Linux and BSD: without it the OS keyring (the Secret Service, over D-Bus) is not tried and keys are stored in a file."},
	{"COMP_LINE", "Set by the shell when it asks for completions (see baseten completion): baseten then prints candidates for that line, and does nothing else."},
	{"COMP_POINT", "The cursor's position in COMP_LINE, in characters as bash counts them; what follows it is ignored."},
	{"BASETEN_COMPLETE_SHELL", "Set to zsh or fish by those shells' completion scripts: candidates are printed as text, for the shell to quote."},
	{"NO_COLOR", "Set to anything: text output carries no styling (no bold table headers)."},
	{"TERM", "When \"dumb\", text output carries no styling, as with NO_COLOR."},
	{"PATH", "sandbox exec runs its command with the running baseten's directory first on PATH, and the system's usual directories after it when PATH is empty."},
	{"SystemRoot", "Windows only: the system directory whose programs sandbox exec puts on an empty PATH (default C:\\Windows)."},
}
