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
	return "Show the credential API commands use now. It says where the key comes from (BASETEN_API_KEY, the OS keyring or the credentials file), its label, remote and key prefix, and checks it live against the API (GET /v1/users/me); then it lists the other stored credentials in a table. Exits 0 when the key is valid, 3 when there is none or the API rejects it, 1 when it could not be checked (the API cannot be reached, or the stored key cannot be read)."
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
		TextOutput: "One field per line on stdout (source, label, remote, key, account: not valid, or not checked when the API could not say), then a table of the other stored credentials.",
		Payload:    AuthStatus{},
	}
}

func (c *AuthStatusCmd) Rehearsal() schema.Rehearsal { return loggedIn }

// AuthStatus is the JSON payload of auth status.
type AuthStatus struct {
	Active *ActiveCredential  `json:"active"` // null when there is no key
	Stored []StoredCredential `json:"stored"`
	// wanted is the label --profile or BASETEN_PROFILE asked for, when
	// no credential has it (text only: the error line says it too).
	wanted string
}

// ActiveCredential is the key API commands use now.
type ActiveCredential struct {
	Source    string `json:"source"` // BASETEN_API_KEY, keyring or file
	Label     string `json:"label,omitempty"`
	RemoteURL string `json:"remote_url"`
	KeyPrefix string `json:"key_prefix"` // bare, as list's JSON has it; "" when unknown
	// Valid is whether the API accepts the key; null when it was not
	// checked (the API could not be reached, or the key not read).
	Valid         *bool  `json:"valid"`
	Problem       string `json:"problem,omitempty"` // why it is not valid, or was not checked
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
	key, keyErr := selectKey(streams, getenv, store, c.Profile)
	if key == nil && keyErr != nil {
		status.wanted = wantedProfile(getenv, c.Profile)
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
		active := &ActiveCredential{Source: key.source, RemoteURL: remote, KeyPrefix: strings.TrimSuffix(key.shownPrefix(), "****")}
		if key.stored != nil {
			active.Label = key.stored.Label
		}
		if keyErr != nil {
			active.Problem = streams.Secrets.Redact(keyErr.Error())
			if e, ok := errors.AsType[*exitError](keyErr); ok && e.code == schema.ExitAuth {
				active.Valid = new(bool) // malformed: no API key looks like it
			} // else unreadable: not checked, Valid null
		} else {
			failure = c.check(ctx, streams, key, active)
		}
		status.Active = active
	}
	if err := c.writeValue(ctx, streams, status, func(w io.Writer) error { return writeStatus(w, status, c.tableStyle(streams)) }); err != nil {
		return err
	}
	return failure
}

// check asks the API whose key it is; a rejection is exit 3.
func (c *AuthStatusCmd) check(ctx context.Context, streams *render.IO, key *apiKey, active *ActiveCredential) error {
	base, err := c.endpointFor(key)
	if err != nil { // not sent: the status says why, not an empty reason
		active.Problem = streams.Secrets.Redact(err.Error())
		return err
	}
	client := c.newClient(streams, key.key, base)
	answer, err := client.GetUser(ctx)
	if err != nil {
		// On stdout, unlike an error line: the key a server repeats in its
		// refusal ("invalid token Bearer ...") is hidden here by hand.
		active.Problem = streams.Secrets.Redact(err.Error())
		if apiErr, ok := errors.AsType[*managementapi.APIError](err); ok && (apiErr.Status == 401 || apiErr.Status == 403) {
			active.Valid = new(bool)
			return withCode(schema.ExitAuth, fmt.Errorf("the API rejects the key in use: %w", apiErr), loginHint)
		}
		return err // not checked: Valid stays null
	}
	user, _ := answer.Decode()
	valid := true
	active.Valid, active.UserID, active.Email, active.WorkspaceName = &valid, user.UserID, deref(user.Email), deref(user.WorkspaceName)
	return nil
}

func writeStatus(w io.Writer, s AuthStatus, style render.TableStyle) error {
	clean := render.Sanitize // every value may come from the API or the config
	var b strings.Builder
	// No key is said once, by the error on stderr; stdout only lists what
	// is stored.
	if a := s.Active; a != nil {
		source := a.Source
		if a.Label != "" {
			source = fmt.Sprintf("%s (stored credential %q)", a.Source, clean(a.Label))
		}
		prefix := "****"
		if a.KeyPrefix != "" {
			prefix = a.KeyPrefix + "****"
		}
		fmt.Fprintf(&b, "Key:       %s, from %s\n", clean(prefix), source)
		fmt.Fprintf(&b, "Remote:    %s\n", clean(a.RemoteURL))
		switch {
		case a.Valid == nil:
			fmt.Fprintf(&b, "Account:   not checked: %s\n", clean(a.Problem))
		case *a.Valid:
			account := credentials.Credential{Email: a.Email, UserID: a.UserID, Workspace: a.WorkspaceName}
			fmt.Fprintf(&b, "Account:   %s\n", clean(accountOf(account)))
		default:
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
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString("Other stored credentials:\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil || len(others) == 0 {
		return err
	}
	return render.Table{
		Header: []string{"LABEL", "REMOTE", "ACCOUNT", "STORAGE"},
		Rows: func(row func(cells ...string) error) error {
			for _, c := range others {
				if err := row(c.Label, c.RemoteURL, c.Email, string(c.Storage)); err != nil {
					return err
				}
			}
			return nil
		},
	}.Print(w, style)
}
