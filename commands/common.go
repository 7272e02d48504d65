package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// OutputFlags choose what a command prints on stdout: -q/--jq and -o/--output.
type OutputFlags struct {
	JQ     string `short:"q" name:"jq" group:"common" help:"Filter JSON output with a jq expression; implies --output json (or jsonl for streamed commands)"`
	Output string `short:"o" enum:"text,json,jsonl,none" default:"text" group:"common" help:"Output format"`

	output render.Output
	// resolved: the flags are settled (by AfterApply, or by CommonFlags'
	// own before it, so that --jq is judged before the environment).
	resolved bool
}

// CommonFlags are the four flags every API command takes. Leaves embed it;
// its AfterApply (and OutputFlags') settles them, so that everything the
// flags alone can prove wrong fails with exit 2 before any request is
// sent. Kong calls the hooks of embedded structs itself, after the leaf's
// own AfterApply, which therefore checks only the leaf's own flags.
type CommonFlags struct {
	OutputFlags
	RemoteURL string `name:"remote-url" group:"common" help:"Baseten remote URL, overrides BASETEN_REMOTE_URL (default https://app.baseten.co)"`
	Verbose   bool   `short:"v" group:"common" help:"Enable verbose logging"`

	// remote is the remote --remote-url or BASETEN_REMOTE_URL names
	// (validated), "" when neither does; remoteSource says which.
	remote, remoteSource string
	override             *url.URL // BASETEN_MANAGEMENT_API_URL_OVERRIDE
	timeout              time.Duration
	// keyInUse is the key ProvideClient found, for what an error says of it.
	keyInUse *apiKey
}

// AfterApply validates the common flags and the environment they read,
// before any request. (Kong calls it for every command that embeds
// CommonFlags.)
func (c *CommonFlags) AfterApply(kctx *kong.Context, getenv Getenv) error {
	if err := c.OutputFlags.resolve(kctx); err != nil {
		return err
	}
	var remoteFlag *string
	if flagGiven(kctx, "remote-url") {
		remoteFlag = &c.RemoteURL
	}
	return c.resolveEnvironment(remoteFlag, getenv)
}

// resolveEnvironment settles what the environment and --remote-url (nil
// when not given) say about where requests go and how long they may take.
// Shell completion resolves it too, from the command line being typed.
func (c *CommonFlags) resolveEnvironment(remoteFlag *string, getenv Getenv) error {
	if remoteFlag != nil {
		c.remote, c.remoteSource = *remoteFlag, "--remote-url"
	} else if v := getenv(schema.EnvRemoteURL); v != "" {
		c.remote, c.remoteSource = v, schema.EnvRemoteURL
	}
	if c.remote != "" {
		if _, err := managementapi.BaseURL(c.remote); err != nil {
			invalid := usageError
			if c.remoteSource == schema.EnvRemoteURL {
				invalid = settingError
			}
			return invalid(fmt.Sprintf("invalid %s: %v", c.remoteSource, err), "Pass an origin such as https://app.baseten.co.")
		}
	}
	if override := getenv(schema.EnvAPIURLOverride); override != "" {
		var err error
		if c.override, err = managementapi.ParseAPIURL(override); err != nil {
			return settingError(fmt.Sprintf("invalid %s: %v", schema.EnvAPIURLOverride, err), "")
		}
	}
	c.timeout = managementapi.DefaultTimeout
	if v := getenv(schema.EnvHTTPTimeout); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return settingError(fmt.Sprintf("invalid %s %q: want a positive duration such as 500ms, 30s or 2m", schema.EnvHTTPTimeout, v), "")
		}
		c.timeout = d
	}
	return checkCredentialStore(getenv)
}

// AfterApply settles the output flags of every command that embeds them
// (Kong calls it; see CommonFlags).
func (c *OutputFlags) AfterApply(kctx *kong.Context) error {
	return c.resolve(kctx)
}

// resolve compiles --jq and settles the output mode it implies, once.
func (c *OutputFlags) resolve(kctx *kong.Context) error {
	if c.resolved {
		return nil
	}
	c.resolved = true
	c.output = render.Output{Mode: render.Mode(c.Output)}
	if !flagGiven(kctx, "jq") {
		return nil
	}
	if c.JQ == "" {
		return usageError("--jq needs an expression", "")
	}
	if flagGiven(kctx, "output") && (c.output.Mode == render.Text || c.output.Mode == render.None) {
		return usageError(fmt.Sprintf("--jq cannot be combined with --output %s", c.Output), "--jq implies --output json; use --output json or jsonl with it, or drop --jq.")
	}
	code, err := render.CompileJQ(c.JQ)
	if err != nil {
		return withCode(schema.ExitUsage, err, "")
	}
	c.output.JQ = code
	if !flagGiven(kctx, "output") {
		c.output.Mode = render.JSON
	}
	return nil
}

// ProvideClient builds the API client a command's Run asks for: Kong calls
// it (a provider method on the embedded flags) only when such a Run runs,
// so --help, usage errors and docs generation never need a key.
func (c *CommonFlags) ProvideClient(streams *render.IO, getenv Getenv) (*managementapi.Client, error) {
	key, err := findKey(streams, getenv)
	if err != nil {
		return nil, err
	}
	c.keyInUse = key
	base, err := c.endpointFor(key)
	if err != nil {
		return nil, err
	}
	return c.newClient(streams, key.key, base), nil
}

// remoteFor is where a key goes: the remote --remote-url or
// BASETEN_REMOTE_URL names, else the one a stored key was verified against
// (a stored key is never sent elsewhere unless one of those says so), else
// the default. A key from BASETEN_API_KEY never goes to a stored
// credential's remote: it was not verified there.
func (c *CommonFlags) remoteFor(key *apiKey) (remote, source string) {
	switch {
	case c.remote != "":
		return c.remote, c.remoteSource
	case key != nil && key.stored != nil:
		return key.stored.RemoteURL, "the stored credential"
	}
	return managementapi.DefaultRemoteURL, "the default"
}

// endpointFor is where key's requests go. BASETEN_MANAGEMENT_API_URL_OVERRIDE,
// when set, names the API itself, beside whatever remote; else the API is
// the one beside remoteFor's remote. A stored key without a remote named
// explicitly goes back where it was verified at login, override or not
// then; an override that names another API now is refused: the key was
// never checked there, and an override left in a shell or set by a script
// must not carry it away (only --remote-url and BASETEN_REMOTE_URL send a
// stored key elsewhere).
func (c *CommonFlags) endpointFor(key *apiKey) (*url.URL, error) {
	remote, _ := c.remoteFor(key)
	if key == nil || key.stored == nil || c.remote != "" {
		return managementapi.Endpoint(remote, c.override)
	}
	stored := key.stored
	var verified *url.URL
	var err error
	if stored.APIURL != "" {
		verified, err = managementapi.ParseAPIURL(stored.APIURL)
	} else {
		verified, err = managementapi.BaseURL(stored.RemoteURL)
	}
	if err != nil { // a config someone edited: both were checked at login
		return nil, failed("Log in again: baseten auth login --with-api-key --label "+shellQuote(stored.Label), "invalid stored remote of %q: %w", stored.Label, err)
	}
	if c.override != nil && c.override.String() != verified.String() {
		return nil, usageError(fmt.Sprintf("%s names %s, but the stored key of %q was verified against %s; it is not sent elsewhere", schema.EnvAPIURLOverride, c.override, stored.Label, verified),
			"Unset "+schema.EnvAPIURLOverride+", or pass --remote-url to send this key elsewhere on purpose.")
	}
	return verified, nil
}

// overrideURL is the API BASETEN_MANAGEMENT_API_URL_OVERRIDE names, or "".
func (c *CommonFlags) overrideURL() string {
	if c.override == nil {
		return ""
	}
	return c.override.String()
}

// newClient builds a client for key that sends to base; -v lines go to
// stderr.
func (c *CommonFlags) newClient(streams *render.IO, key string, base *url.URL) *managementapi.Client {
	client := managementapi.New(base, key, userAgent())
	client.Timeout = c.timeout
	if c.Verbose {
		client.Log = func(line string) { streams.Notef("%s", line) }
	}
	return client
}

// commandLine is a baseten command line to show in a hint, with the
// --remote-url of this run when one was given, every argument quoted for
// the shell so that pasting it runs exactly that.
func (c *CommonFlags) commandLine(args ...string) string {
	if c.RemoteURL != "" {
		args = append(args, "--remote-url", c.RemoteURL)
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	return schema.Program + " " + strings.Join(quoted, " ")
}

// flagGiven reports whether the user typed the flag (as opposed to its default).
func flagGiven(kctx *kong.Context, name string) bool {
	for _, p := range kctx.Path {
		if p.Flag != nil && p.Flag.Name == name {
			return true
		}
	}
	return false
}

// writeValue renders a payload this CLI makes itself (not an API answer)
// as write does, encoded the way a server would send it.
func (c *OutputFlags) writeValue(ctx context.Context, streams *render.IO, v any, text func(w io.Writer) error) error {
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return c.write(ctx, streams, body.Bytes(), text)
}

// write renders a JSON body in the resolved output mode on stdout.
func (c *OutputFlags) write(ctx context.Context, streams *render.IO, body []byte, text func(w io.Writer) error) error {
	return c.outputFor(streams).Write(ctx, streams.Out, body, text)
}

// outputFor is the resolved output for these streams: on a terminal, server
// text is kept from acting on it.
func (c *OutputFlags) outputFor(streams *render.IO) render.Output {
	o := c.output
	o.Terminal = streams.OutIsTerminal
	return o
}

// explainRejection gives a 401 of a stored key the hint that names it:
// classify's names BASETEN_API_KEY, which is not set then.
func (c *CommonFlags) explainRejection(err error) error {
	apiErr, ok := errors.AsType[*managementapi.APIError](err)
	if !ok || apiErr.Status != 401 || c.keyInUse == nil || c.keyInUse.stored == nil {
		return err
	}
	return withCode(schema.ExitAuth, err,
		fmt.Sprintf("Check that the stored credential %q holds a valid API key for this remote; see baseten auth status.", c.keyInUse.stored.Label))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
