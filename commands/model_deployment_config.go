package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v4"

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
			if text, err = jsonAsYAML(config.Config); err != nil {
				return err
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

// jsonAsYAML renders a JSON value as YAML with its keys in the order the
// API sent them and its numbers as spelled (no float64 on the way), by
// building the YAML node tree from the JSON tokens. The YAML library
// (go.yaml.in/yaml/v4) writes it: quoting rules are not ours to redo.
func jsonAsYAML(value []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(value))
	dec.UseNumber()
	node, err := yamlNode(dec)
	if err != nil {
		return "", &managementapi.ResponseError{Reason: fmt.Sprintf("the config is not JSON the YAML renderer can take (%v)", err)}
	}
	out, err := yaml.Dump(node, yaml.WithV3Defaults(), yaml.WithIndent(2), yaml.WithLineWidth(-1))
	return string(out), err
}

func yamlNode(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		node := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if t == '{' {
			node.Kind, node.Tag = yaml.MappingNode, "!!map"
		}
		for dec.More() {
			if node.Kind == yaml.MappingNode {
				key, err := dec.Token()
				if err != nil {
					return nil, err
				}
				node.Content = append(node.Content, yamlString(key.(string)))
			}
			child, err := yamlNode(dec)
			if err != nil {
				return nil, err
			}
			node.Content = append(node.Content, child)
		}
		_, err := dec.Token() // the closing delimiter
		return node, err
	case string:
		return yamlString(t), nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(t.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: t.String()}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(t)}, nil
	default: // nil
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
}

// yamlString is a string scalar, quoted when a YAML 1.1 reader (PyYAML,
// which truss uses) would take it for something else: "yes", "off", "~".
func yamlString(s string) *yaml.Node {
	node := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch strings.ToLower(s) {
	case "y", "yes", "n", "no", "on", "off", "true", "false", "null", "~", "":
		node.Style = yaml.DoubleQuotedStyle
	}
	return node
}
