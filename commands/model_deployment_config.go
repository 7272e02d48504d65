package commands

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeploymentConfigCmd is `baseten model deployment config`.
type ModelDeploymentConfigCmd struct {
	ModelRef
	DeploymentRef
	Parsed bool `help:"Show the config as the API parsed it, with the server's defaults filled in, rather than the config.yaml as uploaded."`
	CommonFlags
}

func (c *ModelDeploymentConfigCmd) Help() string {
	return "Show a deployment's config.yaml. Text mode prints it as it was uploaded (comments and order kept); a deployment pushed without one, or --parsed, shows the config as the API parsed it, with the server's defaults, rendered as YAML."
}

func (c *ModelDeploymentConfigCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Print a deployment's config.yaml", Command: "baseten model deployment config --model-name <model-name> --deployment-id <deployment-id>"},
			{Description: "Print the parsed config, with the server's defaults", Command: "baseten model deployment config --model-id <model-id> --deployment-id <deployment-id> --parsed"},
		},
		JQExample: schema.Example{
			Description: "Print the Python version the deployment runs",
			Command:     "baseten model deployment config --model-id <model-id> --deployment-id <deployment-id> --jq '.config.python_version'",
		},
		TextOutput: `The config.yaml exactly as the API returns it (raw_config); when the deployment has none, or with --parsed, the parsed config (config) as YAML, keys in the API's order. The JSON modes print the API's answer: both raw_config and config, or config alone with --parsed.`,
		Payload:    managementapi.DeploymentConfigResponse{},
	}
}

func (c *ModelDeploymentConfigCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>", "<deployment-id>")
}

func (c *ModelDeploymentConfigCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	// One request serves text mode either way: with both, the raw text
	// when there is one, else the parsed config.
	format := managementapi.ConfigBoth
	if c.Parsed {
		format = managementapi.ConfigParsed
	}
	answer, err := client.GetDeploymentConfig(ctx, m.ID, c.DeploymentID, format)
	if err != nil {
		return deploymentNotFound(err, m, c.DeploymentID)
	}
	if c.output.Mode != render.Text {
		return c.write(ctx, streams, answer.Body, nil)
	}
	config, err := answer.Decode()
	if err != nil {
		return err
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		var text string
		switch {
		case !c.Parsed && config.RawConfig != nil:
			text = *config.RawConfig
		case len(config.Config) == 0 || string(config.Config) == "null":
			return failed("", "the API sent no config for deployment %s", c.DeploymentID)
		default:
			if text, err = render.JSONAsYAML(config.Config); err != nil {
				return &managementapi.ResponseError{Reason: fmt.Sprintf("the config cannot be shown as YAML (%v)", err)}
			}
		}
		if !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		if streams.OutIsTerminal {
			text = sanitizeLines(text) // server text: no escapes reach a terminal
		}
		_, err := io.WriteString(w, text)
		return err
	})
}

// sanitizeLines makes each line of text harmless for a terminal, keeping
// the line breaks.
func sanitizeLines(text string) string {
	lines := strings.SplitAfter(text, "\n")
	for i, line := range lines {
		body, nl := strings.CutSuffix(line, "\n")
		lines[i] = render.Sanitize(body)
		if nl {
			lines[i] += "\n"
		}
	}
	return strings.Join(lines, "")
}
