package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/basetenlabs/baseten/credentials"
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

// loggedIn is the rehearsal of a command that acts on a stored credential:
// one is logged in first, labelled <label>.
var loggedIn = schema.Rehearsal{
	Before:       []string{"baseten auth login --with-api-key --label <label> < key.txt"},
	Placeholders: map[string]string{"<label>": "example-key"},
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
