package commands

import (
	"context"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeploymentDeleteCmd is `baseten model deployment delete`.
type ModelDeploymentDeleteCmd struct {
	ModelRef
	DeploymentRef
	ConfirmFlag
	CommonFlags
}

func (c *ModelDeploymentDeleteCmd) Help() string {
	return "Delete a deployment of a model. It cannot be undone. The API refuses to delete the production deployment (promote another one first). On a terminal it asks first, naming the deployment, its model and environment; otherwise --yes is required."
}

func (c *ModelDeploymentDeleteCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Delete a deployment without being asked", Command: "baseten model deployment delete --model-name <model-name> --deployment-id <deployment-id> --yes"},
		},
		JQExample: schema.Example{
			Description: "Print just the deleted deployment's ID",
			Command:     "baseten model deployment delete --model-id <model-id> --deployment-id <deployment-id> --yes --jq '.id'",
		},
		TextOutput: `Prints "Deleted deployment <id> of model <model-id>" to stderr; no stdout output.`,
		Payload:    managementapi.DeploymentTombstone{},
	}
}

func (c *ModelDeploymentDeleteCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>", "<deployment-id>")
}

func (c *ModelDeploymentDeleteCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := lookupConfirmingDeployment(ctx, streams, client, &c.ModelRef, &c.YesFlag, c.DeploymentID, func(target string) string {
		return "Delete " + target + "? This cannot be undone."
	})
	if err != nil {
		return err
	}
	answer, goneEarlier, err := client.DeleteDeployment(ctx, m.ID, c.DeploymentID)
	if err != nil {
		return deploymentNotFound(err, m, c.DeploymentID)
	}
	if goneEarlier {
		streams.Notef("Note: the retried request found the deployment already gone; an earlier attempt deleted it.")
	}
	streams.Notef("Deleted deployment %s of model %s", c.DeploymentID, m.ID)
	return finishAction(ctx, streams, &c.OutputFlags, answer.Body)
}
