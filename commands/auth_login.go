package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/credentials"
	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// AuthLoginCmd is `baseten auth login`.
type AuthLoginCmd struct {
	WithAPIKey      bool   `name:"with-api-key" help:"Read the API key from stdin: a pipe, or a prompt without echo on a terminal. Required: a key is never taken from a flag or an argument."`
	Label           string `help:"Name to store the credential under. Default: the account's email."`
	InsecureStorage bool   `name:"insecure-storage" help:"Store the key in a file in the config directory, readable by you only, instead of the OS keyring."`
	CommonFlags
}

func (c *AuthLoginCmd) Help() string {
	return "Log in with an API key. The key, read from stdin, is checked against the remote (GET /v1/users/me), then stored in the OS keyring, or in a private file in the config directory when there is no keyring or --insecure-storage says so. It becomes the active credential, used by every API command when BASETEN_API_KEY is not set. Logging in again with a label replaces that credential."
}

func (c *AuthLoginCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Log in with a key kept in a file", Command: "baseten auth login --with-api-key --label <label> < <key-file>"},
			{Description: "Log in, keeping the key in a file instead of the OS keyring", Command: "baseten auth login --with-api-key --insecure-storage < <key-file>"},
		},
		JQExample: schema.Example{
			Description: "Print where the key was stored",
			Command:     "baseten auth login --with-api-key --jq '.storage' < <key-file>",
		},
		TextOutput: `Prints "Logged in as <email> (<workspace>)" on stdout; where the key went, when not the OS keyring, on stderr.`,
		Payload:    CredentialInfo{},
	}
}

func (c *AuthLoginCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{Placeholders: map[string]string{"<label>": "example-key", "<key-file>": "key.txt"}}
}

func (c *AuthLoginCmd) AfterApply(kctx *kong.Context, getenv Getenv) error {
	if !c.WithAPIKey {
		return usageError("auth login needs --with-api-key: the key is read from stdin",
			"echo \"$KEY\" | baseten auth login --with-api-key (the browser login of the official CLI has no public contract)")
	}
	if flagGiven(kctx, "label") {
		if problem := labelProblem(c.Label); problem != "" {
			return usageError(fmt.Sprintf("--label %q %s", c.Label, problem), "")
		}
	}
	if c.InsecureStorage && getenv(schema.EnvCredentialStore) == string(credentials.Keyring) {
		// Two explicit wishes that cannot both hold: neither silently wins.
		return usageError("--insecure-storage stores the key in a file, but "+schema.EnvCredentialStore+"=keyring asks for the OS keyring", "Drop one of them.")
	}
	return nil
}

// A key pasted after `auth login` is already in the shell's history; the
// error must not also print it into a terminal's scrollback or a CI log.
func (c *AuthLoginCmd) secretArgumentsError() string {
	return "auth login takes the key on stdin, never on the command line (what was typed is not repeated here, in case it is a key)"
}

func (c *AuthLoginCmd) secretArgumentsHint() string {
	return "Pipe it in: echo \"$KEY\" | baseten auth login --with-api-key. A key typed on a command line is in the shell's history: revoke it if it was one."
}

func (c *AuthLoginCmd) Run(ctx context.Context, streams *render.IO, getenv Getenv) error {
	// Where the key would go is settled first: a config that does not
	// parse, or a keyring forced where there is none, is known before the
	// key is asked for, let alone sent to be checked.
	store, err := openStore(streams, getenv)
	if err != nil {
		return err
	}
	key, err := readKey(ctx, streams)
	if err != nil {
		return err
	}
	streams.Secrets.Add(key)
	// A label is stored in the config and shown in the clear; one that
	// holds the key (pasted there too) would put it there.
	if managementapi.ContainsKey(c.Label, key) {
		return usageError("--label holds the API key read from stdin; nothing was sent or stored", "Pass a name for the credential, such as work or ci.")
	}
	remote, _ := c.remoteFor(nil) // never a stored remote: this key is checked against the one named
	base, err := c.endpointFor(nil)
	if err != nil {
		return err
	}
	client := c.newClient(streams, key, base)
	answer, err := client.GetUser(ctx)
	if apiErr, ok := errors.AsType[*managementapi.APIError](err); ok && (apiErr.Status == 401 || apiErr.Status == 403) {
		return withCode(schema.ExitAuth, fmt.Errorf("the API rejected the key (%w); nothing was stored", apiErr),
			"Check the key, and that it belongs to "+remote+".")
	}
	if err != nil {
		return err
	}
	user, _ := answer.Decode() // checked by GetUser
	cred := credentials.Credential{Label: c.Label, RemoteURL: remote, APIURL: c.overrideURL(), UserID: user.UserID,
		Email: deref(user.Email), Workspace: deref(user.WorkspaceName), KeyPrefix: strings.TrimSuffix(keyPrefix(key), "****")}
	if cred.Label == "" {
		if cred.Label = cred.Email; cred.Label == "" {
			cred.Label = cred.UserID
		}
		if problem := labelProblem(cred.Label); problem != "" {
			return withCode(schema.ExitUsage, fmt.Errorf("the account's email %q %s as a label; nothing was stored", cred.Label, problem), "Pass --label.")
		}
	}
	if cred, err = store.Save(cred, key, c.InsecureStorage); err != nil {
		return storeError(err)
	}
	return c.writeValue(ctx, streams, credentialInfo(cred), func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "Logged in as %s\n", render.Sanitize(accountOf(cred)))
		return err
	})
}

// readKey reads the key to log in with: a line from a pipe, or from the
// terminal without echo. Never from a flag or an argument, which would put
// it in the shell's history and the process list.
func readKey(ctx context.Context, streams *render.IO) (string, error) {
	var line string
	var err error
	if streams.InIsTerminal && streams.ReadSecret != nil {
		line, err = streams.ReadSecret(ctx, "API key: ")
	} else {
		line, err = interruptible(ctx, func() (string, error) { return readLine(streams.In, 4<<10) })
	}
	if ctx.Err() != nil {
		return "", ctx.Err() // interrupted while waiting: exit 130
	}
	if err != nil {
		return "", failed("", "cannot read the API key from stdin: %w", err)
	}
	key := strings.TrimSpace(line)
	if key == "" {
		return "", usageError("no API key on stdin", "echo \"$KEY\" | baseten auth login --with-api-key")
	}
	if err := checkKey(key); err != nil {
		return "", withCode(schema.ExitAuth, fmt.Errorf("the key read from stdin %w", err), "Pass the key alone, on one line.")
	}
	return key, nil
}
