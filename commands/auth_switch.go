package commands

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/credentials"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// AuthSwitchCmd is `baseten auth switch`.
type AuthSwitchCmd struct {
	User string `predictor:"credential-label" help:"Label of the stored credential to make active. Without it, on a terminal, the stored labels are offered to pick from."`
	OutputFlags
}

func (c *AuthSwitchCmd) Help() string {
	return "Make a stored credential the active one. Its key is the one every API command uses when BASETEN_API_KEY is not set, sent to the remote it was logged in against."
}

func (c *AuthSwitchCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Make the credential labelled <label> the active one", Command: "baseten auth switch --user <label>"},
		},
		JQExample: schema.Example{
			Description: "Print the remote the active credential now goes to",
			Command:     "baseten auth switch --user <label> --jq '.remote_url'",
		},
		TextOutput: `Prints "Switched to <label>: <email> (<workspace>) at <remote>" on stdout.`,
		Payload:    CredentialInfo{},
	}
}

func (c *AuthSwitchCmd) Rehearsal() schema.Rehearsal { return loggedIn }

func (c *AuthSwitchCmd) AfterApply(kctx *kong.Context, streams *render.IO, getenv Getenv) error {
	if err := refuseEmpty(kctx, "user", c.User); err != nil {
		return err
	}
	if !flagGiven(kctx, "user") && !streams.InIsTerminal {
		return usageError("auth switch needs --user when stdin is not a terminal", "Run 'baseten auth status' to see the stored labels.")
	}
	return checkCredentialStore(getenv)
}

func (c *AuthSwitchCmd) Run(ctx context.Context, streams *render.IO, getenv Getenv) error {
	store, err := openStore(streams, getenv)
	if err != nil {
		return err
	}
	label := c.User
	if label == "" {
		if label, err = pickLabel(ctx, streams, store); err != nil {
			return err
		}
	}
	if err := store.SetActive(label); err != nil {
		return labelError(err)
	}
	cred, _ := store.Get(label)
	return c.writeValue(ctx, streams, credentialInfo(cred), func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "Switched to %s: %s at %s\n", render.Sanitize(cred.Label), render.Sanitize(accountOf(cred)), render.Sanitize(cred.RemoteURL))
		return err
	})
}

// pickLabel offers the stored labels on the terminal and reads a choice.
func pickLabel(ctx context.Context, streams *render.IO, store *credentials.Store) (string, error) {
	creds := store.Credentials()
	if len(creds) == 0 {
		return "", notFound(loginHint, "no credential is stored")
	}
	for i, cred := range creds {
		streams.Notef("%d) %s  %s at %s", i+1, cred.Label, accountOf(cred), cred.RemoteURL)
	}
	fmt.Fprint(streams.Err, "Switch to (number or label): ")
	line, err := interruptible(ctx, func() (string, error) { return readLine(streams.In, 1<<10) })
	if ctx.Err() != nil {
		return "", ctx.Err() // interrupted while waiting: exit 130, no switch
	}
	if err != nil {
		return "", failed("", "cannot read a choice: %w", err)
	}
	choice := strings.TrimSpace(line)
	if n, err := strconv.Atoi(choice); err == nil && n >= 1 && n <= len(creds) {
		return creds[n-1].Label, nil
	}
	if choice == "" {
		return "", usageError("nothing was chosen", "")
	}
	return choice, nil
}
