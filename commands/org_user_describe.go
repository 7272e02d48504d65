package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// UserDescribeCmd is `baseten org user describe`.
type UserDescribeCmd struct {
	UserID    string `name:"user-id" xor:"user-ref" required:"" predictor:"user-id" help:"ID of the user, as org user list shows it, or me for the user the API key belongs to."`
	UserEmail string `name:"user-email" xor:"user-ref" required:"" predictor:"user-email" help:"Email of the user, matched without regard to ASCII case."`
	CommonFlags
}

func (c *UserDescribeCmd) Help() string {
	return "Show one user: ID, email, name and workspace. Exactly one of --user-id or --user-email is required: --user-id me is the user the API key belongs to, another ID is asked for by ID, and an email is looked for in the pages of the user list, stopping at the first match."
}

func (c *UserDescribeCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Describe yourself", Command: "baseten org user describe --user-id me"},
			{Description: "Describe a user by email", Command: "baseten org user describe --user-email <user-email>"},
		},
		JQExample: schema.Example{
			Description: "Print just a user's name",
			Command:     "baseten org user describe --user-id <user-id> --jq '.name'",
		},
		TextOutput: "One field per line: User ID, Email, Name and Workspace (empty when the API sends none).",
		Payload:    managementapi.UserInfo{},
	}
}

func (c *UserDescribeCmd) AfterApply(kctx *kong.Context) error {
	if flagGiven(kctx, "user-email") {
		if strings.TrimSpace(c.UserEmail) == "" {
			return usageError("--user-email must not be empty", "")
		}
		if render.Sanitize(c.UserEmail) != c.UserEmail || len(c.UserEmail) > 320 {
			return usageError(fmt.Sprintf("--user-email %q is not an email address", c.UserEmail), userListHint)
		}
	}
	if flagGiven(kctx, "user-id") && c.UserID != "me" {
		if problem := userIDProblem(c.UserID); problem != "" {
			return usageError(fmt.Sprintf("--user-id %q %s", c.UserID, problem), userListHint)
		}
	}
	return nil
}

func (c *UserDescribeCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	body, err := c.find(ctx, client)
	if err != nil {
		return err
	}
	return c.write(ctx, streams, body, func(w io.Writer) error {
		var user managementapi.UserInfo
		if err := json.Unmarshal(body, &user); err != nil {
			return &managementapi.ResponseError{Reason: "the user is not the JSON the API documents (" + err.Error() + ")"}
		}
		return render.WriteFields(w, []render.Field{
			{Label: "User ID", Value: user.UserID},
			{Label: "Email", Value: deref(user.Email)},
			{Label: "Name", Value: deref(user.Name)},
			{Label: "Workspace", Value: deref(user.WorkspaceName)},
		})
	})
}

// find returns the user the flags name, as the API sent it.
func (c *UserDescribeCmd) find(ctx context.Context, client *managementapi.Client) ([]byte, error) {
	switch {
	case c.UserID == "me":
		answer, err := client.GetUser(ctx)
		if err != nil {
			return nil, err
		}
		return answer.Body, nil
	case c.UserID != "":
		answer, err := client.GetUserByID(ctx, c.UserID)
		if err != nil {
			return nil, asNotFound(err, userListHint, "no user with ID %q", c.UserID)
		}
		return answer.Body, nil
	}
	var found []byte
	err := eachUserPage(ctx, client, 0, c.UserEmail, func(page *managementapi.UsersPage) (bool, error) {
		var problem error
		page.EachItem(func(e []byte) bool {
			var user managementapi.UserInfo
			if err := json.Unmarshal(e, &user); err != nil {
				problem = &managementapi.ResponseError{Reason: "GET /v1/users: a user is not the JSON the API documents (" + err.Error() + ")"}
				return false
			}
			if user.Email != nil && sameEmail(*user.Email, c.UserEmail) {
				found = e
				return false
			}
			return true
		})
		return found == nil && problem == nil, problem
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, notFound(userListHint, "no user with the email %q", c.UserEmail)
	}
	return found, nil
}

// Rehearsal: the second user of a fresh sandbox (the first is the caller).
func (c *UserDescribeCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{Placeholders: map[string]string{
		"<user-email>": "baseten org user list --jq '.items[1].email'",
		"<user-id>":    "baseten org user list --jq '.items[1].user_id'",
	}}
}
