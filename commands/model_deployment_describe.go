package commands

import (
	"context"
	"fmt"
	"io"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeploymentDescribeCmd is `baseten model deployment describe` (alias fetch).
type ModelDeploymentDescribeCmd struct {
	ModelRef
	DeploymentRef
	CommonFlags
}

func (c *ModelDeploymentDescribeCmd) Help() string {
	return "Show one deployment of a model. It shows its name, ID, status, the environment it serves, whether it is the production or development deployment, replicas, instance type, autoscaling bounds and creation time. Also available as model deployment fetch."
}

func (c *ModelDeploymentDescribeCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Describe a deployment", Command: "baseten model deployment describe --model-name <model-name> --deployment-id <deployment-id>"},
		},
		JQExample: schema.Example{
			Description: "Print just the deployment's status",
			Command:     "baseten model deployment describe --model-id <model-id> --deployment-id <deployment-id> --jq '.status'",
		},
		TextOutput: `One field per line: Name, ID, Model (its ID), Status (as the API spells it; colored on a terminal), Environment ("none" when it serves none), Production and Development (yes or no), Replicas (active), Instance type, Autoscaling (minimum to maximum replicas, or "not deployed yet"), Created (as the API sends it).`,
		Payload:    managementapi.Deployment{},
	}
}

func (c *ModelDeploymentDescribeCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>", "<deployment-id>")
}

func (c *ModelDeploymentDescribeCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	answer, err := client.GetDeployment(ctx, m.ID, c.DeploymentID)
	if err != nil {
		return deploymentNotFound(err, m, c.DeploymentID)
	}
	d, err := answer.Decode()
	if err != nil {
		return err
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		return render.WriteFields(w, deploymentFields(d, streams.Styled()))
	})
}

// deploymentFields are a deployment's fields, one a line; environment
// describe shows them too, for its current and candidate deployments.
func deploymentFields(d *managementapi.Deployment, styled bool) []render.Field {
	autoscaling := "not deployed yet"
	if a := d.AutoscalingSettings; a != nil {
		autoscaling = fmt.Sprintf("%d to %d replicas", a.MinReplica, a.MaxReplica)
	}
	return []render.Field{
		{Label: "Name", Value: d.Name},
		{Label: "ID", Value: d.ID},
		{Label: "Model", Value: d.ModelID},
		{Label: "Status", Value: string(d.Status), Style: statusStyle(styled)},
		{Label: "Environment", Value: orNone(d.Environment)},
		{Label: "Production", Value: yesNo(d.IsProduction)},
		{Label: "Development", Value: yesNo(d.IsDevelopment)},
		{Label: "Replicas", Value: fmt.Sprint(d.ActiveReplicaCount)},
		{Label: "Instance type", Value: orNone(d.InstanceTypeName)},
		{Label: "Autoscaling", Value: autoscaling},
		{Label: "Created", Value: d.CreatedAt},
	}
}
