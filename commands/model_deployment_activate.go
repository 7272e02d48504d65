package commands

import (
	"context"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeploymentActivateCmd is `baseten model deployment activate`.
type ModelDeploymentActivateCmd struct {
	ModelRef
	DeploymentRef
	WaitFlags
	CommonFlags
}

func (c *ModelDeploymentActivateCmd) Help() string {
	return "Activate a deployment. An inactive or scaled-to-zero deployment starts waking up; with --wait the command follows it until it is ACTIVE (or scaled to zero by its autoscaler)."
}

func (c *ModelDeploymentActivateCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Activate a deployment", Command: "baseten model deployment activate --model-name <model-name> --deployment-id <deployment-id>"},
			{Description: "Activate a deployment and wait until it is running", Command: "baseten model deployment activate --model-id <model-id> --deployment-id <deployment-id> --wait"},
		},
		JQExample: schema.Example{
			Description: "Wait, then print the deployment's final status",
			Command:     "baseten model deployment activate --model-id <model-id> --deployment-id <deployment-id> --wait --jq '.status'",
		},
		TextOutput: `Prints "Activated deployment <id>" to stderr; no stdout output. With --wait, its progress follows on stderr (on a terminal one live line with a spinner, the status and the elapsed time; otherwise a line per status change), then "Deployment <id> is <status> (after <time>)". With --wait and --output json, prints the deployment as it finally is (payload type managementapi.Deployment).`,
		Payload:    managementapi.ActivateResponse{},
	}
}

func (c *ModelDeploymentActivateCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>", "<deployment-id>")
}

func (c *ModelDeploymentActivateCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	answer, err := client.ActivateDeployment(ctx, m.ID, c.DeploymentID)
	if err != nil {
		return deploymentNotFound(err, m, c.DeploymentID)
	}
	streams.Notef("Activated deployment %s", c.DeploymentID)
	return followDeployment(ctx, streams, client, &c.WaitFlags, &c.CommonFlags, m.ID, c.DeploymentID, answer.Body,
		&deploymentWatch{want: []managementapi.DeploymentStatus{managementapi.StatusActive, managementapi.StatusScaledToZero}})
}
