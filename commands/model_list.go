package commands

import (
	"context"
	"io"
	"strconv"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelListCmd is `baseten model list`.
type ModelListCmd struct {
	Team string `predictor:"team" help:"List only the models of this team (name or ID)."`
	CommonFlags
}

func (c *ModelListCmd) Help() string {
	return "List models. Shows the organization's models, or one team's, with their names and IDs (what the other model commands take), production and development deployments, how many deployments each has, and when each was created."
}

func (c *ModelListCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "List all models", Command: "baseten model list"},
			{Description: "List the models of one team", Command: "baseten model list --team <team-name>"},
		},
		JQExample: schema.Example{
			Description: "Print each model's name with its production deployment's ID",
			Command:     `baseten model list --jq '.models[] | "\(.name) \(.production_deployment_id)"'`,
		},
		TextOutput: `Table with columns: NAME, ID, PRODUCTION (the production deployment's ID), DEVELOPMENT (the development deployment's ID), DEPLOYMENTS (how many), CREATED (as the API sends it); an absent deployment is an empty cell. When there are no models, prints "No models found." to stderr.`,
		Payload:    managementapi.Models{},
	}
}

func (c *ModelListCmd) AfterApply(kctx *kong.Context) error {
	return refuseEmpty(kctx, "team", c.Team)
}

func (c *ModelListCmd) Rehearsal() schema.Rehearsal { return modelRehearsal("<team-name>") }

func (c *ModelListCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	teamID := ""
	if c.Team != "" {
		var err error
		if teamID, _, err = modelTeam(ctx, client, c.Team); err != nil {
			return err
		}
	}
	answer, err := client.ListModels(ctx, teamID)
	if err != nil {
		return err
	}
	if c.output.Mode != render.Text { // the body as sent; no typed view needed
		return c.write(ctx, streams, answer.Body, nil)
	}
	list, err := answer.Decode()
	if err != nil {
		return err
	}
	if len(list.Models) == 0 {
		streams.Notef("No models found.")
		return nil
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		return render.Table{
			Header: []string{"NAME", "ID", "PRODUCTION", "DEVELOPMENT", "DEPLOYMENTS", "CREATED"},
			Rows: func(row func(cells ...string) error) error {
				for _, m := range list.Models {
					if err := row(m.Name, m.ID, deref(m.ProductionDeploymentID), deref(m.DevelopmentDeploymentID), strconv.FormatInt(m.DeploymentsCount, 10), m.CreatedAt); err != nil {
						return err
					}
				}
				return nil
			},
		}.Print(w, c.tableStyle(streams))
	})
}
