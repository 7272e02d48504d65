package commands

import (
	"context"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelEnvironmentDeactivateCmd is `baseten model environment deactivate`.
type ModelEnvironmentDeactivateCmd struct {
	ModelRef
	EnvironmentRef
	ConfirmFlag
	WaitFlags
	CommonFlags
}

func (c *ModelEnvironmentDeactivateCmd) Help() string {
	return "Deactivate the deployment an environment serves. The environment serves no requests until activated again. On a terminal it asks first, naming the environment, its model and deployment; otherwise --yes is required. With --wait the command follows it until it is INACTIVE."
}

func (c *ModelEnvironmentDeactivateCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Deactivate a model's production environment without being asked", Command: "baseten model environment deactivate --model-name <model-name> --environment production --yes"},
			{Description: "Deactivate it and wait until it has stopped", Command: "baseten model environment deactivate --model-id <model-id> --environment production --yes --wait"},
		},
		JQExample: schema.Example{
			Description: "Print whether the API accepted the deactivation",
			Command:     "baseten model environment deactivate --model-id <model-id> --environment production --yes --jq '.success'",
		},
		TextOutput: `Prints "Deactivated environment <name>" to stderr; no stdout output. With --wait, the progress of the deployment it serves follows on stderr (on a terminal one live line, otherwise a line per status change), then "Environment <name> is INACTIVE (after <time>)". With --wait and --output json, prints the environment as it finally is (payload type managementapi.Environment).`,
		Payload:    managementapi.DeactivateResponse{},
	}
}

func (c *ModelEnvironmentDeactivateCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>")
}

func (c *ModelEnvironmentDeactivateCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := lookupConfirmingEnvironment(ctx, streams, client, &c.ModelRef, &c.YesFlag, c.Environment, func(target string, _ *managementapi.Environment) string {
		return "Deactivate " + target + "?"
	})
	if err != nil {
		return err
	}
	answer, err := client.DeactivateEnvironment(ctx, m.ID, c.Environment)
	if err != nil {
		return environmentNotFound(err, m, c.Environment)
	}
	streams.Notef("Deactivated environment %s", c.Environment)
	return followEnvironment(ctx, streams, client, &c.WaitFlags, &c.CommonFlags, m.ID, c.Environment, answer.Body,
		&deploymentWatch{want: []managementapi.DeploymentStatus{managementapi.StatusInactive}})
}
