package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelPredictCmd is `baseten model predict`: the most common inference
// call, typed.
type ModelPredictCmd struct {
	ModelRef
	Environment  string `name:"environment" default:"production" predictor:"environment" help:"Environment whose deployment answers. Not with --deployment-id."`
	DeploymentID string `name:"deployment-id" predictor:"deployment-id" help:"Deployment that answers, instead of an environment's."`
	Data         string `name:"data" xor:"predict-input" required:"" placeholder:"JSON" help:"The request body, checked to be JSON before it is sent."`
	File         string `name:"file" xor:"predict-input" required:"" placeholder:"PATH" predictor:"file" help:"Send the contents of PATH (- for stdin) as the request body, as they are."`
	CommonFlags

	body []byte
	// inferenceOverride is BASETEN_INFERENCE_BASE_URL_OVERRIDE, parsed.
	inferenceOverride *url.URL
}

func (c *ModelPredictCmd) Help() string {
	return "Call a model's predict endpoint and print its answer, streamed as it arrives when the model streams. " +
		"It POSTs the body to /environments/NAME/predict (production unless --environment names another) or to /deployment/ID/predict on the model's inference host (model-ID.API_HOST; BASETEN_INFERENCE_BASE_URL_OVERRIDE replaces its base URL, the Host header still naming it), with the API key as every command sends it. " +
		"The body is exactly one of --data or --file. Deadlines, redirects, limits and streams are as for api inference; a predict is never retried."
}

func (c *ModelPredictCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Call the production environment of a model found by name", Command: `baseten model predict --model-name <model-name> --data '{"prompt": "hello"}'`},
			{Description: "Call another environment of a model found by ID", Command: `baseten model predict --model-id <model-id> --environment <environment> --data '["any", "JSON"]'`},
			{Description: "Call one deployment", Command: `baseten model predict --model-id <model-id> --deployment-id <deployment-id> --data '{"prompt": "hello"}'`},
			{Description: "Stream the answer (server-sent events) as it arrives", Command: `baseten model predict --model-id <model-id> --data '{"prompt": "one two three", "stream": true}'`},
		},
		JQExample: schema.Example{
			Description: "Print each streamed word on its own line",
			Command:     `baseten model predict --model-id <model-id> --data '{"prompt": "one two three", "stream": true}' --jq .word`,
		},
		TextOutput: rawAnswerText,
		Payload:    managementapi.AnyJSON{},
	}
}

// Rehearsal names a model, an environment and a deployment of every new
// sandbox for the examples.
func (c *ModelPredictCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{Placeholders: map[string]string{
		"<model-name>":    "llama-chat",
		"<environment>":   "staging",
		"<model-id>":      rehearsedModelID,
		"<deployment-id>": "baseten model describe --model-name llama-chat --jq .development_deployment_id",
	}}
}

// rehearsedModelID is the command line that prints the ID of a model of
// every new sandbox.
const rehearsedModelID = `baseten model list --jq '.models[] | select(.name == "llama-chat") | .id'`

// AfterApply refuses, before anything is sent, a target given twice, a
// name unfit for the path, a --data that is not JSON, a --file that cannot
// be read. (The model and common flags check themselves.)
func (c *ModelPredictCmd) AfterApply(kctx *kong.Context, streams *render.IO, getenv Getenv) error {
	if flagGiven(kctx, "model-id") && !hostLabelPattern.MatchString(c.ModelID) {
		return usageError(fmt.Sprintf("--model-id %q cannot name an inference host: it may hold only letters, digits, - and _", c.ModelID), modelListHint)
	}
	if flagGiven(kctx, "deployment-id") {
		if flagGiven(kctx, "environment") {
			return usageError("--environment and --deployment-id can't be used together", "A predict goes to an environment's deployment or to the deployment named; pass one.")
		}
		if err := checkPathID("--deployment-id", "deployment ID", c.DeploymentID, deploymentListHint); err != nil {
			return err
		}
	} else if err := checkPathID("--environment", "environment name", c.Environment, environmentListHint); err != nil {
		return err
	}
	if flagGiven(kctx, "data") {
		if !json.Valid([]byte(c.Data)) {
			return usageError("--data is not JSON", `Pass a JSON value, such as --data '{"prompt": "hello"}', or the body's file with --file.`)
		}
		c.body = []byte(c.Data)
	} else {
		var err error
		if c.body, err = readInput("--file", c.File, streams); err != nil {
			return err
		}
	}
	var err error
	c.inferenceOverride, err = inferenceOverrideFrom(getenv)
	return err
}

func (c *ModelPredictCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	model, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	// An ID from the API's list goes into a host name: the user's rules.
	if !hostLabelPattern.MatchString(model.ID) {
		return failed("", "the model ID %q cannot name an inference host", model.ID)
	}
	inference, host, err := c.inferenceClient(client, "model", model.ID, "", c.inferenceOverride)
	if err != nil {
		return err
	}
	path := "/environments/" + url.PathEscape(c.Environment) + "/predict"
	if c.DeploymentID != "" {
		path = "/deployment/" + url.PathEscape(c.DeploymentID) + "/predict"
	}
	resp, err := inference.Raw(ctx, managementapi.RawRequest{Method: http.MethodPost, Path: path, Body: c.body, Host: host})
	if err != nil {
		return inferenceRedirect(err)
	}
	if err := c.writeRawAnswer(ctx, streams, false, resp); err != nil {
		return predictNotFound(err, model, c.Environment, c.DeploymentID)
	}
	return nil
}

// predictNotFound adds, to a 404 of the inference host, what was not
// found and where to look.
func predictNotFound(err error, model *resolvedModel, environment, deploymentID string) error {
	if deploymentID != "" {
		return asNotFound(err, deploymentListHint, "%s has no deployment %q that answers predict", model.label(), deploymentID)
	}
	return asNotFound(err, environmentListHint, "%s has no environment %q that answers predict", model.label(), environment)
}
