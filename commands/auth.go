package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/credentials"
	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// AuthCmd is the `baseten auth` group: API keys stored once, in the OS
// keyring or a private file, instead of exported in every shell.
type AuthCmd struct {
	Login  AuthLoginCmd  `cmd:""`
	Status AuthStatusCmd `cmd:""`
	Switch AuthSwitchCmd `cmd:""`
	Logout AuthLogoutCmd `cmd:""`
}

// CredentialInfo is the JSON payload of login, switch and logout: what is
// stored about a credential, never its key.
type CredentialInfo struct {
	Label         string `json:"label"`
	Email         string `json:"email,omitempty"`
	WorkspaceName string `json:"workspace_name,omitempty"`
	RemoteURL     string `json:"remote_url"`
	Storage       string `json:"storage"`
}

func credentialInfo(c credentials.Credential) CredentialInfo {
	return CredentialInfo{Label: c.Label, Email: c.Email, WorkspaceName: c.Workspace, RemoteURL: c.RemoteURL, Storage: string(c.Storage)}
}

// accountOf is how a credential is named to a person: its email and
// workspace, else its user ID.
func accountOf(c credentials.Credential) string {
	who := c.Email
	if who == "" {
		who = c.UserID
	}
	if c.Workspace != "" {
		who += " (" + c.Workspace + ")"
	}
	return who
}

// ---- login ----

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

// loggedIn is the rehearsal of a command that acts on a stored credential:
// one is logged in first, labelled <label>.
var loggedIn = schema.Rehearsal{
	Before:       []string{"baseten auth login --with-api-key --label <label> < key.txt"},
	Placeholders: map[string]string{"<label>": "example-key"},
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

// labelProblem says what makes a label unusable, or "": it names a keyring
// entry and is shown in tables and prompts.
func labelProblem(label string) string {
	switch {
	case strings.TrimSpace(label) == "":
		return "is empty"
	case len(label) > maxIdentifier:
		return "is too long"
	case render.Sanitize(label) != label:
		return "contains control or invisible characters"
	}
	return ""
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

// interruptible returns what read returns, or ctx's error as soon as ctx
// ends: a read of stdin waits for its writer (a person at a prompt, a pipe)
// whatever signal comes, and Ctrl-C must end the command then, not let it
// carry on once Enter is pressed. The read is abandoned; the process ends
// soon after.
func interruptible(ctx context.Context, read func() (string, error)) (string, error) {
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		line, err := read()
		done <- result{line, err}
	}()
	select {
	case r := <-done:
		return r.line, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// readLine reads the first line of r, refusing one longer than limit: no
// key is, and stdin could be anything.
func readLine(r io.Reader, limit int) (string, error) {
	if r == nil {
		return "", errors.New("there is no stdin")
	}
	line, err := bufio.NewReaderSize(io.LimitReader(r, int64(limit)+1), 512).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	if len(line) > limit {
		return "", fmt.Errorf("the first line is longer than %d bytes", limit)
	}
	return line, nil
}

// ---- status ----

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

// ---- switch ----

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

// labelError turns an unknown label into exit 4 listing the labels.
func labelError(err error) error {
	if unknown, ok := errors.AsType[*credentials.UnknownLabelError](err); ok {
		hint := loginHint
		if len(unknown.Labels) > 0 {
			hint = "Stored labels: " + strings.Join(unknown.Labels, ", ")
		}
		return withCode(schema.ExitNotFound, err, hint)
	}
	return storeError(err)
}

// ---- logout ----

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
