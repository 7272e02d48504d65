package commands

import (
	"context"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelEnvironmentActivateCmd is `baseten model environment activate`.
type ModelEnvironmentActivateCmd struct {
	ModelRef
	EnvironmentRef
	WaitFlags
	CommonFlags
}

func (c *ModelEnvironmentActivateCmd) Help() string {
	return "Activate the deployment an environment serves. With --wait the command follows it until it is ACTIVE (or scaled to zero by its autoscaler)."
}

func (c *ModelEnvironmentActivateCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Activate a model's staging environment", Command: "baseten model environment activate --model-name <model-name> --environment staging"},
			{Description: "Activate it and wait until it is running", Command: "baseten model environment activate --model-id <model-id> --environment staging --wait"},
		},
		JQExample: schema.Example{
			Description: "Wait, then print the status of the deployment the environment serves",
			Command:     "baseten model environment activate --model-id <model-id> --environment staging --wait --jq '.current_deployment.status'",
		},
		TextOutput: `Prints "Activated environment <name>" to stderr; no stdout output. With --wait, the progress of the deployment it serves follows on stderr (on a terminal one live line, otherwise a line per status change), then "Environment <name> is <status> (after <time>)". With --wait and --output json, prints the environment as it finally is (payload type managementapi.Environment).`,
		Payload:    managementapi.ActivateResponse{},
	}
}

func (c *ModelEnvironmentActivateCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>")
}

func (c *ModelEnvironmentActivateCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	answer, err := client.ActivateEnvironment(ctx, m.ID, c.Environment)
	if err != nil {
		return environmentNotFound(err, m, c.Environment)
	}
	streams.Notef("Activated environment %s", c.Environment)
	return followEnvironment(ctx, streams, client, &c.WaitFlags, &c.CommonFlags, m.ID, c.Environment, answer.Body,
		&deploymentWatch{want: []managementapi.DeploymentStatus{managementapi.StatusActive, managementapi.StatusScaledToZero}})
}
