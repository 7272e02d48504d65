package commands

import (
	"context"
	"io"
	"strconv"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeploymentListCmd is `baseten model deployment list`.
type ModelDeploymentListCmd struct {
	ModelRef
	CommonFlags
}

func (c *ModelDeploymentListCmd) Help() string {
	return "List a model's deployments. Shows their names, IDs, statuses, the environment each serves, replicas and creation time."
}

func (c *ModelDeploymentListCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "List the deployments of a model", Command: "baseten model deployment list --model-name <model-name>"},
		},
		JQExample: schema.Example{
			Description: "Print the IDs of the deployments that are running",
			Command:     `baseten model deployment list --model-id <model-id> --jq '.deployments[] | select(.status == "ACTIVE") | .id'`,
		},
		TextOutput: `Table with columns: NAME, ID, STATUS (as the API spells it; on a terminal green when ACTIVE, yellow while changing, red when failed), ENVIRONMENT (the environment it serves; "development" for the development deployment), REPLICAS (active), CREATED (as the API sends it). When the model has no deployments, prints "No deployments found." to stderr.`,
		Payload:    managementapi.Deployments{},
	}
}

func (c *ModelDeploymentListCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>")
}

func (c *ModelDeploymentListCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	answer, err := client.ListDeployments(ctx, m.ID)
	if err != nil {
		return modelNotFound(err, m.ID)
	}
	if c.output.Mode != render.Text {
		return c.write(ctx, streams, answer.Body, nil)
	}
	list, err := answer.Decode()
	if err != nil {
		return err
	}
	if len(list.Deployments) == 0 {
		streams.Notef("No deployments found.")
		return nil
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		return render.Table{
			Header: []string{"NAME", "ID", "STATUS", "ENVIRONMENT", "REPLICAS", "CREATED"},
			Style:  columnStyle(2, statusStyle(streams.Styled())),
			Rows: func(row func(cells ...string) error) error {
				for _, d := range list.Deployments {
					if err := row(d.Name, d.ID, string(d.Status), deploymentEnvironment(&d), strconv.FormatInt(d.ActiveReplicaCount, 10), d.CreatedAt); err != nil {
						return err
					}
				}
				return nil
			},
		}.Write(w, streams.Styled())
	})
}

// deploymentEnvironment is where a deployment serves: its environment, or
// "development" for the development deployment, or "".
func deploymentEnvironment(d *managementapi.Deployment) string {
	switch {
	case d.Environment != nil:
		return *d.Environment
	case d.IsDevelopment:
		return "development"
	}
	return ""
}
