package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/basetenlabs/baseten/credentials"
	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// AuthStatusCmd is `baseten auth status`.
type AuthStatusCmd struct {
	CommonFlags
}

func (c *AuthStatusCmd) Help() string {
	return "Show the credential API commands use now. It says where the key comes from (BASETEN_API_KEY, the OS keyring or the credentials file), its label, remote and key prefix, and checks it live against the API (GET /v1/users/me); then it lists the other stored credentials. Exits 0 when the key is valid, 3 when there is none or the API rejects it."
}

func (c *AuthStatusCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Show the credential in use, checked against the API", Command: "baseten auth status"},
		},
		JQExample: schema.Example{
			Description: "Print the email of the account in use",
			Command:     "baseten auth status --jq '.active.email'",
		},
		TextOutput: "One field per line on stdout (source, label, remote, key, account), then the other stored credentials.",
		Payload:    AuthStatus{},
	}
}

func (c *AuthStatusCmd) Rehearsal() schema.Rehearsal { return loggedIn }

// AuthStatus is the JSON payload of auth status.
type AuthStatus struct {
	Active *ActiveCredential  `json:"active"` // null when there is no key
	Stored []StoredCredential `json:"stored"`
}

// ActiveCredential is the key API commands use now.
type ActiveCredential struct {
	Source        string `json:"source"` // BASETEN_API_KEY, keyring or file
	Label         string `json:"label,omitempty"`
	RemoteURL     string `json:"remote_url"`
	KeyPrefix     string `json:"key_prefix"`
	Valid         bool   `json:"valid"`
	Problem       string `json:"problem,omitempty"` // why it is not valid
	UserID        string `json:"user_id,omitempty"`
	Email         string `json:"email,omitempty"`
	WorkspaceName string `json:"workspace_name,omitempty"`
}

// StoredCredential is one stored credential.
type StoredCredential struct {
	CredentialInfo
	Active bool `json:"active"`
}

func (c *AuthStatusCmd) Run(ctx context.Context, streams *render.IO, getenv Getenv) error {
	status := AuthStatus{Stored: []StoredCredential{}}
	store, err := storedCredentials(streams, getenv) // read once: listed, and maybe the key in use
	if err != nil {
		return err
	}
	// key is nil when there is none, else the one in use, usable or not.
	key, keyErr, set := envKey(getenv)
	if !set {
		key, keyErr = activeKey(streams, store)
	}
	if store != nil {
		activeLabel := ""
		if key != nil && key.stored != nil {
			activeLabel = key.stored.Label
		}
		for _, cred := range store.Credentials() {
			status.Stored = append(status.Stored, StoredCredential{CredentialInfo: credentialInfo(cred), Active: cred.Label == activeLabel})
		}
	}
	var failure error = keyErr
	if key != nil {
		remote, _ := c.remoteFor(key)
		active := &ActiveCredential{Source: key.source, RemoteURL: remote, KeyPrefix: key.shownPrefix()}
		if key.stored != nil {
			active.Label = key.stored.Label
		}
		if keyErr != nil {
			active.Problem = streams.Secrets.Redact(keyErr.Error())
		} else {
			failure = c.check(ctx, streams, key, active)
		}
		status.Active = active
	}
	if err := c.writeValue(ctx, streams, status, func(w io.Writer) error { return writeStatus(w, status) }); err != nil {
		return err
	}
	return failure
}

// check asks the API whose key it is; a rejection is exit 3.
func (c *AuthStatusCmd) check(ctx context.Context, streams *render.IO, key *apiKey, active *ActiveCredential) error {
	base, err := c.endpointFor(key)
	if err != nil {
		return err
	}
	client := c.newClient(streams, key.key, base)
	answer, err := client.GetUser(ctx)
	if err != nil {
		// On stdout, unlike an error line: the key a server repeats in its
		// refusal ("invalid token Bearer ...") is hidden here by hand.
		active.Problem = streams.Secrets.Redact(err.Error())
		if apiErr, ok := errors.AsType[*managementapi.APIError](err); ok && (apiErr.Status == 401 || apiErr.Status == 403) {
			return withCode(schema.ExitAuth, fmt.Errorf("the API rejects the key in use: %w", apiErr), loginHint)
		}
		return err
	}
	user, _ := answer.Decode()
	active.Valid, active.UserID, active.Email, active.WorkspaceName = true, user.UserID, deref(user.Email), deref(user.WorkspaceName)
	return nil
}

func writeStatus(w io.Writer, s AuthStatus) error {
	clean := render.Sanitize // every value may come from the API or the config
	var b strings.Builder
	if a := s.Active; a == nil {
		b.WriteString("No API key: BASETEN_API_KEY is not set and no stored credential is active.\n")
	} else {
		source := a.Source
		if a.Label != "" {
			source = fmt.Sprintf("%s (stored credential %q)", a.Source, clean(a.Label))
		}
		fmt.Fprintf(&b, "Key:       %s, from %s\n", clean(a.KeyPrefix), source)
		fmt.Fprintf(&b, "Remote:    %s\n", clean(a.RemoteURL))
		if a.Valid {
			account := credentials.Credential{Email: a.Email, UserID: a.UserID, Workspace: a.WorkspaceName}
			fmt.Fprintf(&b, "Account:   %s\n", clean(accountOf(account)))
		} else {
			fmt.Fprintf(&b, "Account:   not valid: %s\n", clean(a.Problem))
		}
	}
	var others []StoredCredential
	for _, c := range s.Stored {
		if !c.Active {
			others = append(others, c)
		}
	}
	if len(others) > 0 {
		b.WriteString("\nOther stored credentials:\n")
		for _, c := range others {
			fmt.Fprintf(&b, "  %s  %s  %s  %s\n", clean(c.Label), clean(c.RemoteURL), clean(c.Email), c.Storage)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
