package commands

import (
	"context"
	"strconv"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeleteCmd is `baseten model delete`.
type ModelDeleteCmd struct {
	ModelRef
	ConfirmFlag
	CommonFlags
}

func (c *ModelDeleteCmd) Help() string {
	return "Delete a model with all its deployments and environments. It cannot be undone. On a terminal it asks first, naming the model, its team and how many deployments go with it; otherwise --yes is required."
}

func (c *ModelDeleteCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Delete a model by name without being asked", Command: "baseten model delete --model-name <model-name> --yes"},
			{Description: "Delete a model by ID without being asked", Command: "baseten model delete --model-id <model-id> --yes"},
		},
		JQExample: schema.Example{
			Description: "Print just the deleted model's ID",
			Command:     "baseten model delete --model-id <model-id> --yes --jq '.id'",
		},
		TextOutput: `Prints "Deleted model <name> (<id>)" to stderr on success; no stdout output.`,
		Payload:    managementapi.ModelTombstone{},
	}
}

func (c *ModelDeleteCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>")
}

func (c *ModelDeleteCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	// The model is fetched even with --yes: the line that says it is gone
	// names it, and a mistyped ID is "not found" before anything changes.
	m, err := c.fetch(ctx, client)
	if err != nil {
		return err
	}
	if err := c.confirm(ctx, streams, deleteModelQuestion(m.Model)); err != nil {
		return err
	}
	answer, goneEarlier, err := client.DeleteModel(ctx, m.ID)
	if err != nil {
		return modelNotFound(err, m.ID)
	}
	if goneEarlier {
		streams.Notef("Note: the retried request found the model already gone; an earlier attempt deleted it.")
	}
	streams.Notef("Deleted model %s (%s)", m.Model.Name, m.ID)
	return finishAction(ctx, streams, &c.OutputFlags, answer.Body)
}

func deleteModelQuestion(m *managementapi.Model) string {
	deployments := "its deployment"
	if m.DeploymentsCount != 1 {
		deployments = "its " + strconv.FormatInt(m.DeploymentsCount, 10) + " deployments"
	}
	return "Delete model " + m.Name + " (" + m.ID + ", team " + m.TeamName + ") with " + deployments + "? This cannot be undone."
}
