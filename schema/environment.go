package schema

// EnvVar describes one environment variable the CLI reads, for humans.
type EnvVar struct {
	Name    string
	Meaning string // one line
}

// The names of the environment variables the CLI reads, each declared once,
// here beside the table that documents it: code reads them through these
// constants (getenv(schema.EnvAPIKey)), never a copy of the string.
const (
	EnvAPIKey         = "BASETEN_API_KEY"
	EnvProfile        = "BASETEN_PROFILE"
	EnvRemoteURL      = "BASETEN_REMOTE_URL"
	EnvAPIURLOverride = "BASETEN_MANAGEMENT_API_URL_OVERRIDE" // honoured by the official client too
	EnvHTTPTimeout    = "BASETEN_HTTP_TIMEOUT"
	// EnvInferenceOverride replaces the inference hosts' base URL; the
	// Host header still names the derived host, so one local server (the
	// sandbox) answers for every model.
	EnvInferenceOverride = "BASETEN_INFERENCE_BASE_URL_OVERRIDE"
	EnvConfigDir         = "BASETEN_CONFIG_DIR"
	EnvCredentialStore   = "BASETEN_CREDENTIAL_STORE"
	EnvDBusSession       = "DBUS_SESSION_BUS_ADDRESS"
	EnvCompletionLine    = "COMP_LINE"
	EnvCompletionPoint   = "COMP_POINT"
	EnvCompletionShell   = "BASETEN_COMPLETE_SHELL" // set by the zsh, fish and PowerShell scripts
	EnvNoColor           = "NO_COLOR"               // https://no-color.org
	EnvTerm              = "TERM"
	EnvPath              = "PATH"
	EnvSystemRoot        = "SystemRoot"
	// The locale: the first of them set says whether the terminal takes
	// UTF-8 (org billing usage --daily draws its bars with block characters).
	EnvLCAll   = "LC_ALL"
	EnvLCCtype = "LC_CTYPE"
	EnvLang    = "LANG"
)

// SetByShell is true for the variables of the completion protocol: the
// shell sets them when it asks for candidates, nobody sets them by hand.
// Only the environment topic (baseten help environment) and completion's
// own help list them.
func (v EnvVar) SetByShell() bool {
	switch v.Name {
	case EnvCompletionLine, EnvCompletionPoint, EnvCompletionShell:
		return true
	}
	return false
}

// UserEnvironment is Environment without the variables set by the shell:
// the ones a person or a script sets.
func UserEnvironment() []EnvVar {
	var vars []EnvVar
	for _, v := range Environment {
		if !v.SetByShell() {
			vars = append(vars, v)
		}
	}
	return vars
}

// Environment lists every environment variable the CLI reads. `--help`, the
// overview page and every man page print it, so code that starts reading a
// variable adds one line here (TestEnvironmentTableMatchesCode fails until
// it does, for any BASETEN_* name and any variable a getenv reads in the
// packages the binary links).
var Environment = []EnvVar{
	{EnvAPIKey, "The API key, sent as a bearer token; wins over the stored credentials of baseten auth login."},
	{EnvProfile, "The label of a stored credential to use instead of the active one; BASETEN_API_KEY and --profile win over it."},
	{EnvRemoteURL, "The Baseten remote (default https://app.baseten.co); --remote-url overrides it."},
	{EnvAPIURLOverride, "The management API's base URL itself; wins over --remote-url and BASETEN_REMOTE_URL."},
	{EnvInferenceOverride, "The base URL that inference requests (baseten api inference) go to instead of the derived inference host; the Host header still names that host, so one server can answer for many."},
	{EnvHTTPTimeout, "The most one API call may take, retries and reading the answer included: a Go duration such as 500ms, 30s or 2m (default 60s)."},
	{EnvConfigDir, "Where the CLI keeps its files: stored credentials, the sandbox's state (default: baseten in the user config directory, ~/.config/baseten on Linux)."},
	{EnvCredentialStore, "keyring or file: where baseten auth login stores keys and API commands read them, instead of the OS keyring with a file as fallback."},
	{EnvDBusSession, "Linux and BSD: without it the OS keyring (the Secret Service, over D-Bus) is not tried and keys are stored in a file."},
	{EnvCompletionLine, "Set by the shell when it asks for completions (see baseten completion): baseten then prints candidates for that line, and does nothing else."},
	{EnvCompletionPoint, "The cursor's position in COMP_LINE, in characters as bash counts them; what follows it is ignored."},
	{EnvCompletionShell, "Set to zsh, fish or powershell by those shells' completion scripts: candidates are printed as text, for the shell to quote."},
	{EnvNoColor, "Set to anything: text output carries no styling (no bold table headers)."},
	{EnvTerm, "When \"dumb\", text output carries no styling, as with NO_COLOR."},
	{EnvPath, "sandbox exec runs its command with the running baseten's directory first on PATH, and the system's usual directories after it when PATH is empty."},
	{EnvSystemRoot, "Windows only: the system directory whose programs sandbox exec puts on an empty PATH (default C:\\Windows)."},
	{EnvLCAll, "The locale; the first of LC_ALL, LC_CTYPE and LANG that is set decides whether a terminal is UTF-8: then org billing usage --daily draws its bars with block characters, else with #."},
	{EnvLCCtype, "See LC_ALL."},
	{EnvLang, "See LC_ALL."},
}
