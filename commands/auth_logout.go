package commands

import (
	"context"
	"fmt"
	"io"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// AuthLogoutCmd is `baseten auth logout`.
type AuthLogoutCmd struct {
	User string `predictor:"credential-label" help:"Label of the stored credential to remove. Default: the active one."`
	OutputFlags
}

func (c *AuthLogoutCmd) Help() string {
	return "Remove a stored credential. It is the active one unless --user names another; its key is deleted from the OS keyring or the credentials file, and its record from the config. A key set in BASETEN_API_KEY is not affected."
}

func (c *AuthLogoutCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Remove the active credential", Command: "baseten auth logout"},
			{Description: "Remove the credential labelled <label>", Command: "baseten auth logout --user <label>"},
		},
		JQExample: schema.Example{
			Description: "Print the label that was removed",
			Command:     "baseten auth logout --user <label> --jq '.label'",
		},
		TextOutput: `Prints "Logged out <label>" on stdout.`,
		Payload:    CredentialInfo{},
	}
}

func (c *AuthLogoutCmd) Rehearsal() schema.Rehearsal { return loggedIn }

func (c *AuthLogoutCmd) AfterApply(kctx *kong.Context, getenv Getenv) error {
	if err := refuseEmpty(kctx, "user", c.User); err != nil {
		return err
	}
	return checkCredentialStore(getenv)
}

func (c *AuthLogoutCmd) Run(ctx context.Context, streams *render.IO, getenv Getenv) error {
	store, err := openStore(streams, getenv)
	if err != nil {
		return err
	}
	label := c.User
	if label == "" {
		active, ok := store.Active()
		if !ok {
			return notFound("Pass --user LABEL; run 'baseten auth status' to see the stored ones.", "no stored credential is active")
		}
		label = active.Label
	}
	cred, err := store.Remove(label)
	if err != nil {
		return labelError(err)
	}
	return c.writeValue(ctx, streams, credentialInfo(cred), func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "Logged out %s\n", render.Sanitize(cred.Label))
		return err
	})
}
