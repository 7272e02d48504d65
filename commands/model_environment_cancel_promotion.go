package commands

import (
	"context"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelEnvironmentCancelPromotionCmd is `baseten model environment cancel-promotion`.
type ModelEnvironmentCancelPromotionCmd struct {
	ModelRef
	EnvironmentRef
	ConfirmFlag
	CommonFlags
}

func (c *ModelEnvironmentCancelPromotionCmd) Help() string {
	return "Cancel an environment's promotion in progress. When no traffic has moved yet it is canceled at once; otherwise traffic ramps back down to the deployment the environment served. On a terminal it asks first, naming the environment and its model; otherwise --yes is required."
}

func (c *ModelEnvironmentCancelPromotionCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Cancel the promotion to staging without being asked", Command: "baseten model environment cancel-promotion --model-name <model-name> --environment staging --yes"},
		},
		JQExample: schema.Example{
			Description: "Print whether the promotion is canceled or ramping down",
			Command:     "baseten model environment cancel-promotion --model-id <model-id> --environment staging --yes --jq '.status'",
		},
		TextOutput: `Prints "Canceled the promotion to <name>" (or, while traffic ramps back down, "Canceling the promotion to <name>: traffic is ramping back down") to stderr, followed by the API's message; no stdout output. When no promotion is in progress, the API refuses (exit 5).`,
		Payload:    managementapi.CancelPromotionResponse{},
	}
}

func (c *ModelEnvironmentCancelPromotionCmd) Rehearsal() schema.Rehearsal {
	// Something to cancel: a promotion to staging, which a sandbox moves
	// along a step delay (1s unless serve says otherwise) at a time.
	r := modelRehearsal("<model-name>", "<model-id>")
	r.Before = []string{"baseten model environment promote --model-id <model-id> --environment staging --deployment-id " + modelExampleValues["<deployment-id>"] + " --yes"}
	return r
}

func (c *ModelEnvironmentCancelPromotionCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := lookupConfirmingEnvironment(ctx, streams, client, &c.ModelRef, &c.YesFlag, c.Environment, func(target string, e *managementapi.Environment) string {
		if d := e.CandidateDeployment; d != nil {
			return "Cancel the promotion of deployment " + d.ID + " to " + target + "?"
		}
		return "Cancel the promotion to " + target + "?"
	})
	if err != nil {
		return err
	}
	answer, err := client.CancelPromotion(ctx, m.ID, c.Environment)
	if err != nil {
		return environmentNotFound(err, m, c.Environment)
	}
	canceled, err := answer.Decode()
	if err != nil {
		return err
	}
	if canceled.Status == "RAMPING_DOWN" {
		streams.Notef("Canceling the promotion to %s: traffic is ramping back down (%s)", c.Environment, canceled.Message)
	} else {
		streams.Notef("Canceled the promotion to %s (%s)", c.Environment, canceled.Message)
	}
	return finishAction(ctx, streams, &c.OutputFlags, answer.Body)
}
