package commands

import (
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/basetenlabs/baseten/managementapi"
)

// ModelCmd is the `baseten model` group: models, their deployments,
// environments and replicas. Every leaf names its model with ModelRef
// (model_ref.go), except list.
type ModelCmd struct {
	List        ModelListCmd        `cmd:""`
	Describe    ModelDescribeCmd    `cmd:"" aliases:"fetch"`
	Deployment  ModelDeploymentCmd  `cmd:"" help:"List, inspect and change a model's deployments"`
	Environment ModelEnvironmentCmd `cmd:"" help:"List, inspect and promote to a model's environments"`
}

// ModelDeploymentCmd is the `baseten model deployment` group.
type ModelDeploymentCmd struct {
	List     ModelDeploymentListCmd     `cmd:""`
	Describe ModelDeploymentDescribeCmd `cmd:"" aliases:"fetch"`
	Logs     ModelDeploymentLogsCmd     `cmd:""`
}

// ModelEnvironmentCmd is the `baseten model environment` group.
type ModelEnvironmentCmd struct {
	List     ModelEnvironmentListCmd     `cmd:""`
	Describe ModelEnvironmentDescribeCmd `cmd:"" aliases:"fetch"`
	Logs     ModelEnvironmentLogsCmd     `cmd:""`
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
			return text.FgGreen.Sprint(status)
		case s.Failed():
			return text.FgRed.Sprint(status)
		case s.Settled():
			return status
		}
		return text.FgYellow.Sprint(status)
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
