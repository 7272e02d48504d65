package commands

import (
	"context"
	"fmt"
	"io"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// WhoamiCmd is `baseten whoami`.
type WhoamiCmd struct {
	CommonFlags
}

func (c *WhoamiCmd) Help() string {
	return "Show who the API key in use belongs to. It asks the API (GET /v1/users/me) for the user's email, name, workspace and ID."
}

func (c *WhoamiCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Show who the key in use belongs to", Command: "baseten whoami"},
		},
		JQExample: schema.Example{
			Description: "Print just the workspace name",
			Command:     "baseten whoami --jq '.workspace_name'",
		},
		TextOutput: "One field per line on stdout: email, name, workspace and user ID; a field the API leaves out is empty.",
		Payload:    managementapi.UserInfo{},
	}
}

func (c *WhoamiCmd) AfterApply(kctx *kong.Context, getenv Getenv) error {
	return c.resolve(kctx, getenv)
}

func (c *WhoamiCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	answer, err := client.GetUser(ctx)
	if err != nil {
		return err
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		user, _ := answer.Decode() // checked by GetUser
		_, err := fmt.Fprintf(w, "Email:      %s\nName:       %s\nWorkspace:  %s\nUser ID:    %s\n",
			render.Sanitize(deref(user.Email)), render.Sanitize(deref(user.Name)), render.Sanitize(deref(user.WorkspaceName)), render.Sanitize(user.UserID))
		return err
	})
}
