package commands

import (
	"context"
	"fmt"
	"io"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDescribeCmd is `baseten model describe` (alias fetch).
type ModelDescribeCmd struct {
	ModelRef
	CommonFlags
}

func (c *ModelDescribeCmd) Help() string {
	return "Show one model. It shows its name, ID, team, production and development deployment IDs, number of deployments, instance type and creation time. Also available as model fetch."
}

func (c *ModelDescribeCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Describe a model by name", Command: "baseten model describe --model-name <model-name>"},
			{Description: "Describe a model by ID", Command: "baseten model describe --model-id <model-id>"},
		},
		JQExample: schema.Example{
			Description: "Print just the production deployment's ID",
			Command:     "baseten model describe --model-id <model-id> --jq '.production_deployment_id'",
		},
		TextOutput: `One field per line: Name, ID, Team, Production (deployment ID, or "none"), Development (deployment ID, or "none"), Deployments (how many), Instance type, Created (as the API sends it).`,
		Payload:    managementapi.Model{},
	}
}

func (c *ModelDescribeCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>")
}

func (c *ModelDescribeCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.fetch(ctx, client)
	if err != nil {
		return err
	}
	return c.write(ctx, streams, m.Body, func(w io.Writer) error {
		return render.WriteFields(w, []render.Field{
			{Label: "Name", Value: m.Model.Name},
			{Label: "ID", Value: m.Model.ID},
			{Label: "Team", Value: m.Model.TeamName},
			{Label: "Production", Value: orNone(m.Model.ProductionDeploymentID)},
			{Label: "Development", Value: orNone(m.Model.DevelopmentDeploymentID)},
			{Label: "Deployments", Value: fmt.Sprint(m.Model.DeploymentsCount)},
			{Label: "Instance type", Value: m.Model.InstanceTypeName},
			{Label: "Created", Value: m.Model.CreatedAt},
		})
	})
}
