package commands

import (
	"context"
	"io"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// SecretListCmd is `baseten org secret list`.
type SecretListCmd struct {
	Team string `predictor:"team" help:"Team name or ID whose secrets to list. Default: the secrets of every team you belong to."`
	CommonFlags
}

func (c *SecretListCmd) Help() string {
	return "List secrets: their names, teams and creation times. Values are never returned by the API and never shown."
}

func (c *SecretListCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "List the secrets of every team you belong to", Command: "baseten org secret list"},
			{Description: "List the secrets of one team", Command: "baseten org secret list --team <team-name>"},
		},
		JQExample: schema.Example{
			Description: "Print just the names of the secrets",
			Command:     "baseten org secret list --jq '.secrets[].name'",
		},
		TextOutput: `Table with columns: NAME, TEAM, CREATED (as the API sends it). When no secrets exist, prints "No secrets found." to stderr.`,
		Payload:    managementapi.Secrets{},
	}
}

func (c *SecretListCmd) AfterApply(kctx *kong.Context) error {
	return refuseEmpty(kctx, "team", c.Team)
}

func (c *SecretListCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	teamID, err := secretTeamID(ctx, client, c.Team)
	if err != nil {
		return err
	}
	answer, err := client.ListSecrets(ctx, teamID)
	if err != nil {
		return err
	}
	if c.output.Mode != render.Text {
		return c.write(ctx, streams, answer.Body, nil)
	}
	list, err := answer.Decode()
	if err != nil {
		return err
	}
	if len(list.Secrets) == 0 {
		streams.Notef("No secrets found.")
		return nil
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		return render.Table{
			Header: []string{"NAME", "TEAM", "CREATED"},
			Rows: func(row func(cells ...string) error) error {
				for _, s := range list.Secrets {
					if err := row(s.Name, s.TeamName, s.CreatedAt); err != nil {
						return err
					}
				}
				return nil
			},
		}.Print(w, c.tableStyle(streams))
	})
}

func (c *SecretListCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{
		Before:       []string{"baseten org secret set --name example-secret --team <team-name> --from-file key.txt"},
		Placeholders: map[string]string{"<team-name>": "Research"},
	}
}
