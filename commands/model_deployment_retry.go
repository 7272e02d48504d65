package commands

import (
	"context"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeploymentRetryCmd is `baseten model deployment retry`.
type ModelDeploymentRetryCmd struct {
	ModelRef
	DeploymentRef
	WaitFlags
	CommonFlags
}

func (c *ModelDeploymentRetryCmd) Help() string {
	return "Retry a failed deployment. A deployment whose build or deploy failed is built and deployed again; with --wait the command follows it until it is ACTIVE, or fails again (exit 1). A deployment that is not in a failed state is not retried (exit 1, with the API's reason)."
}

func (c *ModelDeploymentRetryCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Retry a deployment whose build failed", Command: "baseten model deployment retry --model-name <model-name> --deployment-id <failed-deployment-id>"},
			{Description: "Retry it and wait for the outcome", Command: "baseten model deployment retry --model-id <model-id> --deployment-id <failed-deployment-id> --wait"},
		},
		JQExample: schema.Example{
			Description: "Print the status the retried deployment starts from",
			Command:     "baseten model deployment retry --model-id <model-id> --deployment-id <failed-deployment-id> --jq '.deployment.status'",
		},
		TextOutput: `Prints "Retrying deployment <id>" to stderr; no stdout output. With --wait, its progress follows on stderr (on a terminal one live line; otherwise a line per status change), then "Deployment <id> is <status> (after <time>)". With --wait and --output json, prints the deployment as it finally is (payload type managementapi.Deployment).`,
		Payload:    managementapi.RetryDeploymentResponse{},
	}
}

func (c *ModelDeploymentRetryCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>", "<failed-deployment-id>")
}

func (c *ModelDeploymentRetryCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	answer, err := client.RetryDeployment(ctx, m.ID, c.DeploymentID)
	if err != nil {
		return deploymentNotFound(err, m, c.DeploymentID)
	}
	retry, err := answer.Decode()
	if err != nil {
		return err
	}
	if !retry.Retried {
		reason := "the API gave no reason"
		if retry.Reason != nil {
			reason = *retry.Reason
		}
		if err := finishAction(ctx, streams, &c.OutputFlags, answer.Body); err != nil {
			return err
		}
		return failed("", "deployment %s was not retried: %s", c.DeploymentID, reason)
	}
	streams.Notef("Retrying deployment %s", c.DeploymentID)
	return followDeployment(ctx, streams, client, &c.WaitFlags, &c.CommonFlags, m.ID, c.DeploymentID, answer.Body,
		&deploymentWatch{want: []managementapi.DeploymentStatus{managementapi.StatusActive, managementapi.StatusScaledToZero}, staleFailure: true})
}
