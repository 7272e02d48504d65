package commands

import (
	"context"
	"fmt"
	"io"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelEnvironmentListCmd is `baseten model environment list`.
type ModelEnvironmentListCmd struct {
	ModelRef
	CommonFlags
}

func (c *ModelEnvironmentListCmd) Help() string {
	return "List a model's environments. Shows the deployment each serves, its status, any promotion in progress, and when the environment was created."
}

func (c *ModelEnvironmentListCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "List the environments of a model", Command: "baseten model environment list --model-name <model-name>"},
		},
		JQExample: schema.Example{
			Description: "Print each environment with the ID of the deployment it serves",
			Command:     `baseten model environment list --model-id <model-id> --jq '.environments[] | "\(.name) \(.current_deployment.id)"'`,
		},
		TextOutput: `Table with columns: NAME, DEPLOYMENT (the ID of the deployment it serves), STATUS (that deployment's, as the API spells it; colored on a terminal), PROMOTION (a promotion in progress: its status, the share of traffic on the candidate and the candidate's ID), CREATED (as the API sends it). When the model has no environments, prints "No environments found." to stderr.`,
		Payload:    managementapi.Environments{},
	}
}

func (c *ModelEnvironmentListCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>")
}

func (c *ModelEnvironmentListCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	answer, err := client.ListEnvironments(ctx, m.ID)
	if err != nil {
		return modelNotFound(err, m.ID)
	}
	if c.output.Mode != render.Text {
		return c.write(ctx, streams, answer.Body, nil)
	}
	list, err := answer.Decode()
	if err != nil {
		return err
	}
	if len(list.Environments) == 0 {
		streams.Notef("No environments found.")
		return nil
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		return render.Table{
			Header: []string{"NAME", "DEPLOYMENT", "STATUS", "PROMOTION", "CREATED"},
			Style:  columnStyle(2, statusStyle(streams.Styled())),
			Rows: func(row func(cells ...string) error) error {
				for _, e := range list.Environments {
					id, status := "", ""
					if d := e.CurrentDeployment; d != nil {
						id, status = d.ID, string(d.Status)
					}
					if err := row(e.Name, id, status, promotionSummary(&e), e.CreatedAt); err != nil {
						return err
					}
				}
				return nil
			},
		}.Write(w, streams.Styled())
	})
}

// promotionSummary says where an environment's promotion stands: its
// status, the traffic on the candidate and the candidate's ID; "" when
// none is in progress.
func promotionSummary(e *managementapi.Environment) string {
	p := e.InProgressPromotion
	if p == nil {
		return ""
	}
	s := fmt.Sprintf("%s %d%%", p.Status, p.PercentTrafficToNewVersion)
	if d := e.CandidateDeployment; d != nil {
		s += " to " + d.ID
	}
	return s
}
