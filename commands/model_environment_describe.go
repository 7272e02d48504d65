package commands

import (
	"context"
	"fmt"
	"io"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelEnvironmentDescribeCmd is `baseten model environment describe` (alias fetch).
type ModelEnvironmentDescribeCmd struct {
	ModelRef
	EnvironmentRef
	CommonFlags
}

func (c *ModelEnvironmentDescribeCmd) Help() string {
	return "Show one environment of a model. It shows the deployment it serves and its status, the candidate deployment and the state of a promotion in progress, its instance type, autoscaling bounds and creation time. Also available as model environment fetch."
}

func (c *ModelEnvironmentDescribeCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Describe a model's production environment", Command: "baseten model environment describe --model-name <model-name> --environment production"},
		},
		JQExample: schema.Example{
			Description: "Print the share of traffic a promotion in progress has moved",
			Command:     "baseten model environment describe --model-id <model-id> --environment production --jq '.in_progress_promotion.percent_traffic_to_new_version'",
		},
		TextOutput: `One field per line: Name, Model (its ID), Deployment (the current deployment's name and ID, or "none"), Status (its status, as the API spells it; colored on a terminal), Candidate (the deployment being promoted, or "none"), Promotion (status and share of traffic on the candidate, or "none"), Promotion error (only when there is one), Instance type, Autoscaling (minimum to maximum replicas), Created (as the API sends it).`,
		Payload:    managementapi.Environment{},
	}
}

func (c *ModelEnvironmentDescribeCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>")
}

func (c *ModelEnvironmentDescribeCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	answer, err := client.GetEnvironment(ctx, m.ID, c.Environment)
	if err != nil {
		return environmentNotFound(err, m, c.Environment)
	}
	e, err := answer.Decode()
	if err != nil {
		return err
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		return render.WriteFields(w, environmentFields(e, streams.Styled()))
	})
}

func environmentFields(e *managementapi.Environment, styled bool) []render.Field {
	named := func(d *managementapi.Deployment) string {
		if d == nil {
			return "none"
		}
		return fmt.Sprintf("%s (%s)", d.Name, d.ID)
	}
	status := ""
	if d := e.CurrentDeployment; d != nil {
		status = string(d.Status)
	}
	promotion := "none"
	if p := e.InProgressPromotion; p != nil {
		promotion = fmt.Sprintf("%s, %d%% of traffic on the candidate", p.Status, p.PercentTrafficToNewVersion)
	}
	fields := []render.Field{
		{Label: "Name", Value: e.Name},
		{Label: "Model", Value: e.ModelID},
		{Label: "Deployment", Value: named(e.CurrentDeployment)},
		{Label: "Status", Value: status, Style: statusStyle(styled)},
		{Label: "Candidate", Value: named(e.CandidateDeployment)},
		{Label: "Promotion", Value: promotion},
	}
	if p := e.InProgressPromotion; p != nil && p.ErrorMessage != nil {
		fields = append(fields, render.Field{Label: "Promotion error", Value: *p.ErrorMessage})
	}
	a := e.AutoscalingSettings
	return append(fields,
		render.Field{Label: "Instance type", Value: e.InstanceType.Name},
		render.Field{Label: "Autoscaling", Value: fmt.Sprintf("%d to %d replicas", a.MinReplica, a.MaxReplica)},
		render.Field{Label: "Created", Value: e.CreatedAt},
	)
}
