package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/credentials"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// AuthLogoutCmd is `baseten auth logout`.
type AuthLogoutCmd struct {
	User  string `xor:"label" predictor:"credential-label" help:"Label of the stored credential to remove. Default: the active one."`
	Label string `xor:"label" predictor:"credential-label" help:"The same as --user, named as auth login names it."`
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
	if err := refuseEmpty(kctx, "label", c.Label); err != nil {
		return err
	}
	return checkCredentialStore(getenv)
}

func (c *AuthLogoutCmd) Run(ctx context.Context, streams *render.IO, getenv Getenv) error {
	store, err := openStore(streams, getenv)
	if err != nil {
		return err
	}
	label := cmp.Or(c.User, c.Label)
	if label == "" {
		if len(store.Credentials()) == 0 {
			return nothingStored(getenv)
		}
		active, ok := store.Active()
		if !ok {
			return notFound("Pass --user LABEL; run 'baseten auth status' to see the stored ones.", "no stored credential is active")
		}
		label = active.Label
	}
	cred, err := store.Remove(label)
	if err != nil {
		if _, unknown := errors.AsType[*credentials.UnknownLabelError](err); unknown && len(store.Credentials()) == 0 {
			return nothingStored(getenv)
		}
		return labelError(err)
	}
	return c.writeValue(ctx, streams, credentialInfo(cred), func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "Logged out %s\n", render.Sanitize(cred.Label))
		return err
	})
}

// nothingStored is logout's answer when no credential is stored at all.
func nothingStored(getenv Getenv) error {
	hint := ""
	if getenv(schema.EnvAPIKey) != "" {
		hint = "The key in " + schema.EnvAPIKey + " is not stored; unset the variable to stop using it."
	}
	return notFound(hint, "no credential is stored, so there is nothing to log out")
}
