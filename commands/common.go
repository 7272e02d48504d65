package commands

import (
	"bytes"
	"context"
	"encoding/json"
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
}

// CommonFlags are the four flags every API command takes. Leaves embed it
// and call resolve from their AfterApply hook, so that everything the flags
// alone can prove wrong fails with exit 2 before any request is sent.
type CommonFlags struct {
	OutputFlags
	RemoteURL string `name:"remote-url" group:"common" help:"Baseten remote URL, overrides BASETEN_REMOTE_URL (default https://app.baseten.co)"`
	Verbose   bool   `short:"v" group:"common" help:"Enable verbose logging"`

	baseURL *url.URL
	timeout time.Duration
}

// Environment variables the CLI reads.
const (
	envAPIKey      = "BASETEN_API_KEY"
	envRemoteURL   = "BASETEN_REMOTE_URL"
	envAPIOverride = "BASETEN_MANAGEMENT_API_URL_OVERRIDE" // honoured by the official client too
	envHTTPTimeout = "BASETEN_HTTP_TIMEOUT"
	envNoColor     = "NO_COLOR" // https://no-color.org
)

// resolve validates the common flags and fixes the output mode and API address.
func (c *CommonFlags) resolve(kctx *kong.Context, getenv Getenv) error {
	if err := c.OutputFlags.resolve(kctx); err != nil {
		return err
	}
	remote, source := managementapi.DefaultRemoteURL, ""
	if flagGiven(kctx, "remote-url") {
		remote, source = c.RemoteURL, "--remote-url"
	} else if v := getenv(envRemoteURL); v != "" {
		remote, source = v, envRemoteURL
	}
	base, err := managementapi.BaseURL(remote)
	if err != nil {
		invalid := usageError
		if source == envRemoteURL {
			invalid = settingError
		}
		return invalid(fmt.Sprintf("invalid %s: %v", source, err), "Pass an origin such as https://app.baseten.co.")
	}
	if override := getenv(envAPIOverride); override != "" {
		if base, err = managementapi.ParseAPIURL(override); err != nil {
			return settingError(fmt.Sprintf("invalid %s: %v", envAPIOverride, err), "")
		}
	}
	c.baseURL = base
	c.timeout = managementapi.DefaultTimeout
	if v := getenv(envHTTPTimeout); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return settingError(fmt.Sprintf("invalid %s %q: want a positive duration such as 500ms, 30s or 2m", envHTTPTimeout, v), "")
		}
		c.timeout = d
	}
	return nil
}

// resolve compiles --jq and settles the output mode it implies.
func (c *OutputFlags) resolve(kctx *kong.Context) error {
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
		return usageError(err.Error(), "")
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
	key := strings.TrimSpace(getenv(envAPIKey)) // (a secret since Main started)
	if key == "" {
		return nil, &exitError{code: schema.ExitAuth, msg: envAPIKey + " is not set", hint: "Create an API key in the Baseten dashboard and export it: export " + envAPIKey + "=..."}
	}
	if strings.IndexFunc(key, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
		// Go's HTTP client would refuse the header and call it a network error.
		return nil, &exitError{code: schema.ExitAuth, msg: envAPIKey + " contains a line break, a space or another character an API key never has",
			hint: "Set it to the key alone, on one line."}
	}
	client := managementapi.New(c.baseURL, key, userAgent())
	client.Timeout = c.timeout
	if c.Verbose {
		client.Log = func(line string) { streams.Notef("%s", line) }
	}
	return client, nil
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

// shellQuote returns s as one POSIX shell word: as is when it holds only
// characters no shell treats specially, else in single quotes.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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
