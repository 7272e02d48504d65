package commands

import (
	"context"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelEnvironmentPromoteCmd is `baseten model environment promote`: the
// same promotion as `model deployment promote`, named from the
// environment's side.
type ModelEnvironmentPromoteCmd struct {
	ModelRef
	EnvironmentRef
	DeploymentRef
	PromoteFlags
	ConfirmFlag
	WaitFlags
	CommonFlags
}

func (c *ModelEnvironmentPromoteCmd) Help() string {
	return "Promote a deployment to this environment. Traffic moves to it, in steps for a rolling promotion; the deployment the environment served is then scaled down unless --keep-previous is given. On a terminal it asks first; otherwise --yes is required. With --wait the command follows the promotion until it has succeeded, showing the share of traffic moved."
}

func (c *ModelEnvironmentPromoteCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Promote a deployment to staging without being asked", Command: "baseten model environment promote --model-name <model-name> --environment staging --deployment-id <deployment-id> --yes"},
			{Description: "Promote it, keep the previous deployment running, and wait", Command: "baseten model environment promote --model-id <model-id> --environment staging --deployment-id <deployment-id> --keep-previous --yes --wait"},
		},
		JQExample: schema.Example{
			Description: "Print the promoted deployment's status",
			Command:     "baseten model environment promote --model-id <model-id> --environment staging --deployment-id <deployment-id> --yes --jq '.status'",
		},
		TextOutput: `Prints "Promoting deployment <id> to environment <name>" to stderr; no stdout output. With --wait, the promotion's progress follows on stderr (its status and the share of traffic on the deployment; on a terminal one live line, otherwise a line per change), then "The promotion of <id> to <name> is SUCCEEDED 100% (after <time>)". With --wait and --output json, prints the environment as it finally is (payload type managementapi.Environment).`,
		Payload:    managementapi.Deployment{},
	}
}

func (c *ModelEnvironmentPromoteCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>", "<deployment-id>")
}

func (c *ModelEnvironmentPromoteCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := lookupConfirmingDeployment(ctx, streams, client, &c.ModelRef, &c.YesFlag, c.DeploymentID, func(target string) string {
		return promotionQuestion(target, c.Environment, c.KeepPrevious)
	})
	if err != nil {
		return err
	}
	return promote(ctx, streams, client, &c.PromoteFlags, &c.WaitFlags, &c.CommonFlags, m, c.Environment, c.DeploymentID)
}
