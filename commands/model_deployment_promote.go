package commands

import (
	"context"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeploymentPromoteCmd is `baseten model deployment promote`.
type ModelDeploymentPromoteCmd struct {
	ModelRef
	DeploymentRef
	Environment string `default:"production" predictor:"environment" help:"Environment to promote the deployment to."`
	PromoteFlags
	ConfirmFlag
	WaitFlags
	CommonFlags
}

func (c *ModelDeploymentPromoteCmd) Help() string {
	return "Promote a deployment to an environment (production by default). Traffic moves to it, in steps for a rolling promotion; the deployment the environment served is then scaled down unless --keep-previous is given. On a terminal it asks first; otherwise --yes is required. With --wait the command follows the promotion until it has succeeded, showing the share of traffic moved."
}

func (c *ModelDeploymentPromoteCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Promote a deployment to production without being asked", Command: "baseten model deployment promote --model-name <model-name> --deployment-id <deployment-id> --yes"},
			{Description: "Promote to staging, keep the previous deployment running, and wait", Command: "baseten model deployment promote --model-id <model-id> --deployment-id <deployment-id> --environment staging --keep-previous --yes --wait"},
		},
		JQExample: schema.Example{
			Description: "Print the promoted deployment's status",
			Command:     "baseten model deployment promote --model-id <model-id> --deployment-id <deployment-id> --yes --jq '.status'",
		},
		TextOutput: `Prints "Promoting deployment <id> to environment <name>" to stderr; no stdout output. With --wait, the promotion's progress follows on stderr (its status and the share of traffic on the deployment; on a terminal one live line, otherwise a line per change), then "The promotion of <id> to <name> is SUCCEEDED 100% (after <time>)". With --wait and --output json, prints the environment as it finally is (payload type managementapi.Environment).`,
		Payload:    managementapi.Deployment{},
	}
}

func (c *ModelDeploymentPromoteCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>", "<deployment-id>")
}

func (c *ModelDeploymentPromoteCmd) AfterApply() error {
	return checkPathID("--environment", "environment name", c.Environment, environmentListHint)
}

func (c *ModelDeploymentPromoteCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := lookupConfirmingDeployment(ctx, streams, client, &c.ModelRef, &c.YesFlag, c.DeploymentID, func(target string) string {
		return promotionQuestion(target, c.Environment, c.KeepPrevious)
	})
	if err != nil {
		return err
	}
	return promote(ctx, streams, client, &c.PromoteFlags, &c.WaitFlags, &c.CommonFlags, m, c.Environment, c.DeploymentID)
}
