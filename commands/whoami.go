package commands

import (
	"context"
	"io"

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

func (c *WhoamiCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	answer, err := client.GetUser(ctx)
	if err != nil {
		return err
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		user, _ := answer.Decode() // checked by GetUser
		return render.WriteFields(w, []render.Field{
			{Label: "Email", Value: deref(user.Email)},
			{Label: "Name", Value: deref(user.Name)},
			{Label: "Workspace", Value: deref(user.WorkspaceName)},
			{Label: "User ID", Value: user.UserID},
		})
	})
}
