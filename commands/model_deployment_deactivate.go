package commands

import (
	"context"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeploymentDeactivateCmd is `baseten model deployment deactivate`.
type ModelDeploymentDeactivateCmd struct {
	ModelRef
	DeploymentRef
	ConfirmFlag
	WaitFlags
	CommonFlags
}

func (c *ModelDeploymentDeactivateCmd) Help() string {
	return "Deactivate a deployment. Its replicas stop and it serves no requests until activated again. On a terminal it asks first, naming the deployment, its model and environment; otherwise --yes is required. With --wait the command follows it until it is INACTIVE."
}

func (c *ModelDeploymentDeactivateCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Deactivate a deployment without being asked", Command: "baseten model deployment deactivate --model-name <model-name> --deployment-id <deployment-id> --yes"},
			{Description: "Deactivate a deployment and wait until it has stopped", Command: "baseten model deployment deactivate --model-id <model-id> --deployment-id <deployment-id> --yes --wait"},
		},
		JQExample: schema.Example{
			Description: "Print whether the API accepted the deactivation",
			Command:     "baseten model deployment deactivate --model-id <model-id> --deployment-id <deployment-id> --yes --jq '.success'",
		},
		TextOutput: `Prints "Deactivated deployment <id>" to stderr; no stdout output. With --wait, its progress follows on stderr (on a terminal one live line; otherwise a line per status change), then "Deployment <id> is INACTIVE (after <time>)". With --wait and --output json, prints the deployment as it finally is (payload type managementapi.Deployment).`,
		Payload:    managementapi.DeactivateResponse{},
	}
}

func (c *ModelDeploymentDeactivateCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>", "<deployment-id>")
}

func (c *ModelDeploymentDeactivateCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := lookupConfirmingDeployment(ctx, streams, client, &c.ModelRef, &c.YesFlag, c.DeploymentID, func(target string) string {
		return "Deactivate " + target + "?"
	})
	if err != nil {
		return err
	}
	answer, err := client.DeactivateDeployment(ctx, m.ID, c.DeploymentID)
	if err != nil {
		return deploymentNotFound(err, m, c.DeploymentID)
	}
	streams.Notef("Deactivated deployment %s", c.DeploymentID)
	return followDeployment(ctx, streams, client, &c.WaitFlags, &c.CommonFlags, m.ID, c.DeploymentID, answer.Body,
		&deploymentWatch{want: []managementapi.DeploymentStatus{managementapi.StatusInactive}})
}
