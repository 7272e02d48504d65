package commands

import (
	"context"
	"fmt"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// SecretDeleteCmd is `baseten org secret delete`.
type SecretDeleteCmd struct {
	Name string `required:"" predictor:"secret-name" help:"Name of the secret to delete."`
	Team string `predictor:"team" help:"Team name or ID the secret belongs to. Default: the organization's default team."`
	YesFlag
	CommonFlags
}

func (c *SecretDeleteCmd) Help() string {
	return "Delete a secret by name, in the organization's default team or the team --team names. On a terminal it asks first; elsewhere --yes is required."
}

func (c *SecretDeleteCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Delete a secret of the default team", Command: "baseten org secret delete --name <secret-name> --yes"},
			{Description: "Delete a secret of one team", Command: "baseten org secret delete --name <team-secret-name> --team <team-name> --yes"},
		},
		JQExample: schema.Example{
			Description: "Print just the deleted secret's name",
			Command:     "baseten org secret delete --name <secret-name> --yes --jq '.name'",
		},
		TextOutput: `Prints "Deleted secret <name>" to stderr on success; no stdout output.`,
		Payload:    managementapi.SecretTombstone{},
	}
}

func (c *SecretDeleteCmd) AfterApply(kctx *kong.Context, streams *render.IO) error {
	if err := checkSecretName(c.Name); err != nil {
		return err
	}
	if err := refuseEmpty(kctx, "team", c.Team); err != nil {
		return err
	}
	return c.checkYes(kctx, streams)
}

func (c *SecretDeleteCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	where := "the default team"
	if c.Team != "" {
		where = "team " + c.Team
	}
	if err := c.confirm(ctx, streams, fmt.Sprintf("Delete secret %s in %s? Its value cannot be recovered.", c.Name, where)); err != nil {
		return err
	}
	teamID, err := secretTeamID(ctx, client, c.Team)
	if err != nil {
		return err
	}
	answer, goneEarlier, err := client.DeleteSecret(ctx, teamID, c.Name)
	if err != nil {
		return secretNotFound(err, c.Name, c.Team)
	}
	if goneEarlier {
		streams.Notef("Note: the retried request found the secret already gone; an earlier attempt deleted it.")
	}
	if c.output.Mode != render.Text {
		return c.write(ctx, streams, answer.Body, nil)
	}
	streams.Notef("Deleted secret %s", c.Name)
	return nil
}

// Rehearsal: a secret in the default team and one in Research to delete.
func (c *SecretDeleteCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{
		Before: []string{
			"baseten org secret set --name <secret-name> --from-file key.txt",
			"baseten org secret set --name <team-secret-name> --team <team-name> --from-file key.txt",
		},
		Placeholders: map[string]string{"<secret-name>": "example-secret", "<team-secret-name>": "example-team-secret", "<team-name>": "Research"},
	}
}
