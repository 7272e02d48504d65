package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// SecretSetCmd is `baseten org secret set`.
type SecretSetCmd struct {
	Name     string `required:"" predictor:"secret-name" help:"Name of the secret to create or replace."`
	Team     string `predictor:"team" help:"Team name or ID to set the secret in. Default: your primary team."`
	FromFile string `name:"from-file" placeholder:"PATH" help:"Read the value from this file, byte for byte (a final newline is kept); - reads stdin the same way. Without it the value comes from stdin when it is not a terminal (one trailing line ending removed), else from a prompt without echo, asked twice."`
	// Value is the official CLI's flag. It is recognised only to be
	// refused: a value on the command line is in the shell's history and
	// in the process list for every local user to read.
	Value string `name:"value" hidden:""`
	CommonFlags
}

// maxSecretValue bounds a value: what is read of stdin or a file stops
// there, so `yes | baseten org secret set` does not grow memory.
const maxSecretValue = 1 << 20

// setHint names the safe ways to pass a value.
const setHint = `Pipe it in (printf '%s\n' "$VALUE" | baseten org secret set --name NAME), use --from-file PATH, or run it on a terminal to be prompted.`

func (c *SecretSetCmd) Help() string {
	return "Create or replace a secret (the API upserts by name). The value is read from stdin when it is not a terminal, with exactly one trailing line ending removed; from --from-file byte for byte; or, on a terminal, from a prompt without echo, asked twice. It is never taken from the command line, never shown, and at most 1 MiB of UTF-8."
}

func (c *SecretSetCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Set a secret from a file (piping works too: printf '%s\\n' \"$TOKEN\" | baseten org secret set --name NAME)", Command: "baseten org secret set --name <secret-name> --from-file <secret-file>"},
			{Description: "Set a secret in one team", Command: "baseten org secret set --name <secret-name> --team <team-name> --from-file <secret-file>"},
		},
		JQExample: schema.Example{
			Description: "Print the secret's stable ID",
			Command:     "baseten org secret set --name <secret-name> --from-file <secret-file> --jq '.id'",
		},
		TextOutput: `Prints "Set secret <name> in team <team>" to stderr on success; no stdout output. The value is never printed.`,
		Payload:    managementapi.Secret{},
	}
}

// A value typed after --value, or as a stray argument, is already in the
// shell's history; errors must not also print it.
func (c *SecretSetCmd) secretArgumentsError() string {
	return "org secret set takes the value on stdin or from --from-file, never on the command line (what was typed is not repeated here, in case it is the value)"
}

func (c *SecretSetCmd) secretArgumentsHint() string { return setHint }

func (c *SecretSetCmd) AfterApply(kctx *kong.Context, streams *render.IO) error {
	if flagGiven(kctx, "value") {
		return usageError("--value is refused: a secret on the command line is kept in the shell's history and shown in the process list (it is not repeated here)", setHint)
	}
	if err := checkSecretName(c.Name); err != nil {
		return err
	}
	if err := refuseEmpty(kctx, "team", c.Team); err != nil {
		return err
	}
	if flagGiven(kctx, "from-file") && c.FromFile == "" {
		return usageError("--from-file needs a path, or - for stdin", setHint)
	}
	if c.FromFile == "-" && streams.InIsTerminal {
		return usageError("--from-file - reads stdin, which is a terminal", "Pipe the value in, or drop --from-file to be prompted without echo.")
	}
	return nil
}

func (c *SecretSetCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	value, err := c.readValue(ctx, streams)
	if err != nil {
		return err
	}
	// From here on the value is a secret: every stderr line is redacted of
	// it. A short value is not registered: it would turn up inside every
	// other word; nothing this command prints can hold it anyway (an API
	// message that quotes it is withheld, an answer that holds it refused).
	if len(value) >= 8 {
		streams.Secrets.Add(value)
	}
	teamID, err := secretTeamID(ctx, client, c.Team)
	if err != nil {
		return err
	}
	answer, err := client.UpsertSecret(ctx, teamID, managementapi.UpsertSecretRequest{Name: c.Name, Value: value})
	if err != nil {
		if managementapi.MayHaveArrived(err) {
			code, _ := classify(err)
			return withCode(code, fmt.Errorf("%w; the secret may have been set", err), "Setting it again is safe: the API replaces a secret of the same name.")
		}
		return err
	}
	if c.output.Mode != render.Text {
		return c.write(ctx, streams, answer.Body, nil)
	}
	secret, _ := answer.Decode() // decoded and checked by UpsertSecret
	streams.Notef("Set secret %s in team %s", secret.Name, secret.TeamName)
	return nil
}

// readValue reads the value from where the flags and the streams say, and
// refuses one the API cannot take or that is surely a mistake, before any
// request. Nothing it returns in an error holds the value.
func (c *SecretSetCmd) readValue(ctx context.Context, streams *render.IO) (string, error) {
	var (
		raw    []byte
		err    error
		source string
	)
	switch {
	case c.FromFile != "" && c.FromFile != "-":
		source = c.FromFile
		raw, err = readAtMost(ctx, func() (io.ReadCloser, error) { return openValueFile(c.FromFile) }, maxSecretValue+1)
	case c.FromFile == "-" || !streams.InIsTerminal:
		source = "stdin"
		raw, err = readAtMost(ctx, func() (io.ReadCloser, error) { return io.NopCloser(streams.In), nil }, maxSecretValue+3)
		if err == nil && c.FromFile == "" { // a pipe: the line ending echo adds is not part of the value
			if trimmed, found := bytes.CutSuffix(raw, []byte("\r\n")); found {
				raw = trimmed
			} else {
				raw, _ = bytes.CutSuffix(raw, []byte("\n"))
			}
		}
	default:
		source = "the prompt"
		raw, err = c.prompt(ctx, streams)
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		if _, usage := errors.AsType[*exitError](err); usage {
			return "", err
		}
		// Nothing was sent, and what to fix is the input: exit 2.
		if source == c.FromFile && len(source) >= minHiddenValue && !fileExists(source) {
			// The value itself given as the path, by mistake, is as likely
			// as a long path mistyped: the error (in a CI log, say) must
			// not print it, as a parse error would not.
			source = "the --from-file path (not repeated here, in case it is the value)"
		}
		return "", outsideArgs(schema.ExitUsage, fmt.Errorf("cannot read the secret value from %s: %w", source, withoutPath(err)))
	}
	switch {
	case len(raw) == 0:
		return "", settingError("the secret value read from "+source+" is empty", setHint)
	case len(raw) > maxSecretValue:
		return "", settingError(fmt.Sprintf("the secret value read from %s is larger than 1 MiB", source), "")
	case !utf8.Valid(raw):
		return "", settingError("the secret value read from "+source+" is not UTF-8 text; the API takes a JSON string", "Encode binary data first, e.g. with base64.")
	}
	return string(raw), nil
}

// prompt asks for the value twice without echo; a mismatch is exit 2.
func (c *SecretSetCmd) prompt(ctx context.Context, streams *render.IO) ([]byte, error) {
	if streams.ReadSecret == nil {
		return nil, settingError("stdin is a terminal that cannot be read without echo", setHint)
	}
	first, err := streams.ReadSecret(ctx, fmt.Sprintf("Value of secret %s: ", render.Sanitize(c.Name)))
	if err != nil {
		return nil, err
	}
	if first == "" {
		return nil, nil // refused as empty by the caller
	}
	second, err := streams.ReadSecret(ctx, "Repeat the value: ")
	if err != nil {
		return nil, err
	}
	if first != second {
		return nil, settingError("the two values typed differ; nothing was set", "Run the command again.")
	}
	return []byte(first), nil
}

// readAtMost reads what open opens, up to limit bytes, abandoning the read
// when ctx ends (stdin may be a writer that never finishes).
func readAtMost(ctx context.Context, open func() (io.ReadCloser, error), limit int64) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		r, err := open()
		if err != nil {
			done <- result{nil, err}
			return
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, limit))
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// openValueFile opens the --from-file path, refusing a terminal
// (/dev/stdin or /dev/tty on one): --from-file - is refused there, and
// another name for it must not show the value as it is typed.
func openValueFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if render.IsTerminal(f) {
		f.Close()
		return nil, usageError(fmt.Sprintf("--from-file %s is a terminal, which would show the value as it is typed", path), "Drop --from-file to be prompted without echo, or pipe the value in.")
	}
	return f, nil
}

// fileExists reports whether path names something, readable or not.
func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// withoutPath drops the path an *os.PathError repeats (the message
// already names the file).
func withoutPath(err error) error {
	if pathErr, ok := errors.AsType[*os.PathError](err); ok {
		return pathErr.Err
	}
	return err
}

// Rehearsal: the example's file is the key.txt every rehearsal has.
func (c *SecretSetCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{Placeholders: map[string]string{"<secret-name>": "example-secret", "<secret-file>": "key.txt", "<team-name>": "Research"}}
}
