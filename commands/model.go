package commands

import (
	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelCmd is the `baseten model` group: models, their deployments,
// environments and replicas. Every leaf names its model with ModelRef
// (model_ref.go), except list.
type ModelCmd struct {
	List        ModelListCmd        `cmd:""`
	Describe    ModelDescribeCmd    `cmd:"" aliases:"fetch"`
	Delete      ModelDeleteCmd      `cmd:""`
	Predict     ModelPredictCmd     `cmd:""`
	Deployment  ModelDeploymentCmd  `cmd:"" help:"List, inspect and change a model's deployments"`
	Environment ModelEnvironmentCmd `cmd:"" help:"List, inspect and promote to a model's environments"`
}

// ModelDeploymentCmd is the `baseten model deployment` group.
type ModelDeploymentCmd struct {
	List       ModelDeploymentListCmd       `cmd:""`
	Describe   ModelDeploymentDescribeCmd   `cmd:"" aliases:"fetch"`
	Config     ModelDeploymentConfigCmd     `cmd:""`
	Activate   ModelDeploymentActivateCmd   `cmd:""`
	Deactivate ModelDeploymentDeactivateCmd `cmd:""`
	Promote    ModelDeploymentPromoteCmd    `cmd:""`
	Retry      ModelDeploymentRetryCmd      `cmd:""`
	Delete     ModelDeploymentDeleteCmd     `cmd:""`
	Download   ModelDeploymentDownloadCmd   `cmd:""`
	Replica    ModelDeploymentReplicaCmd    `cmd:"" help:"Act on one replica of a deployment"`
}

// ModelEnvironmentCmd is the `baseten model environment` group.
type ModelEnvironmentCmd struct {
	List            ModelEnvironmentListCmd            `cmd:""`
	Describe        ModelEnvironmentDescribeCmd        `cmd:"" aliases:"fetch"`
	Activate        ModelEnvironmentActivateCmd        `cmd:""`
	Deactivate      ModelEnvironmentDeactivateCmd      `cmd:""`
	Promote         ModelEnvironmentPromoteCmd         `cmd:""`
	CancelPromotion ModelEnvironmentCancelPromotionCmd `cmd:"" name:"cancel-promotion"`
}

// statusStyle colors a deployment status on a terminal: green when
// running, yellow on its way somewhere, red when failed; a stopped one
// (INACTIVE, SCALED_TO_ZERO) stays plain. nil when styling is off (not a
// terminal, NO_COLOR): the status is then printed as the API spells it.
func statusStyle(styled bool) func(string) string {
	if !styled {
		return nil
	}
	return func(status string) string {
		s := managementapi.DeploymentStatus(status)
		switch {
		case s == managementapi.StatusActive:
			return render.Green(status)
		case s.Failed():
			return render.Red(status)
		case s.Settled():
			return status
		}
		return render.Yellow(status)
	}
}

// columnStyle applies style to one column of a table only.
func columnStyle(column int, style func(string) string) func(int, string) string {
	if style == nil {
		return nil
	}
	return func(j int, cell string) string {
		if j == column {
			return style(cell)
		}
		return cell
	}
}

// orNone is the text of an optional value: "none" when there is none.
func orNone(s *string) string {
	if s == nil || *s == "" {
		return "none"
	}
	return *s
}

// yesNo spells a flag of the API for a field per line.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// modelExampleValues are what the model commands' examples stand for in
// a fresh sandbox: its seed model llama-chat, and deployments of it
// (development, which every deployment action may act on, since the
// production deployment may not be deleted; v3, whose build failed). The
// sandbox seeds them with fixed IDs (sandbox.Seed*, which a test holds
// these to).
var modelExampleValues = map[string]string{
	"<model-name>":           "llama-chat",
	"<team-name>":            "Default",
	"<model-id>":             "q4o7k2zw",
	"<deployment-id>":        "w2k9j4hx",
	"<failed-deployment-id>": "f3k8p2lw",
}

// modelRehearsal is the Rehearsal of a model command whose examples use
// these placeholders (schema.Rehearsal).
func modelRehearsal(placeholders ...string) schema.Rehearsal {
	values := map[string]string{}
	for _, p := range placeholders {
		values[p] = modelExampleValues[p]
	}
	return schema.Rehearsal{Placeholders: values}
}
