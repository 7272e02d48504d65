package commands

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// APIInferenceCmd is `baseten api inference`.
type APIInferenceCmd struct {
	APIPath     string `arg:"" name:"api-path" help:"Path on the inference host, such as environments/production/predict or v1/chat/completions (a leading / is optional), with an optional query string."`
	ModelID     string `name:"model-id" xor:"inference-target" required:"" predictor:"model-id" help:"ID of the model whose inference host is called (model-ID.API_HOST)."`
	ChainID     string `name:"chain-id" xor:"inference-target" required:"" help:"ID of the chain whose inference host is called (chain-ID.API_HOST)."`
	Environment string `name:"environment" predictor:"environment" help:"Environment whose host is called: its name is appended to the host's first label (model-ID-NAME.API_HOST)."`
	RawRequestFlags
	CommonFlags

	path string
	// inferenceOverride is BASETEN_INFERENCE_BASE_URL_OVERRIDE, parsed.
	inferenceOverride *url.URL
}

func (c *APIInferenceCmd) Help() string {
	return "Send a request to a model's or a chain's inference host and print the answer, streamed as it arrives when the model streams. " +
		"The host is derived as the API derives it: model-ID.API_HOST or chain-ID.API_HOST, with -ENVIRONMENT appended to the first label when --environment is given (https://model-abc123-production.api.baseten.co for the default remote). " +
		"BASETEN_INFERENCE_BASE_URL_OVERRIDE replaces the base URL; the Host header then still names the derived host. " +
		"The request has the guarantees of the typed commands (the same API key and Authorization header, deadlines, retries by method, no redirects, answers read up to 128 MiB), but a stream is not cut by the whole call's deadline while it is sending: only a silence longer than the response-header deadline (30s) ends it, as an error."
}

func (c *APIInferenceCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Call the production environment's predict endpoint with a JSON body from fields", Command: `baseten api inference environments/production/predict --model-id <model-id> -F prompt=hello -F max_tokens=16`},
			{Description: "The same through the environment's own host, with fields", Command: "baseten api inference predict --model-id <model-id> --environment production -F prompt=hello"},
			{Description: "Stream the answer (server-sent events) as it arrives", Command: `baseten api inference environments/production/predict --model-id <model-id> -F stream=true -F 'prompt=one two three'`},
		},
		JQExample: schema.Example{
			Description: "Print each streamed word on its own line",
			Command:     `baseten api inference environments/production/predict --model-id <model-id> -F stream=true -F 'prompt=one two three' --jq .word`,
		},
		TextOutput: rawAnswerText,
		Payload:    managementapi.AnyJSON{},
	}
}

// Rehearsal names a model of every new sandbox for the examples.
func (c *APIInferenceCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{Placeholders: map[string]string{"<model-id>": rehearsedModelID}}
}

// maxHostLabel is the longest label a host name may have (RFC 1035).
const maxHostLabel = 63

// hostLabelPattern is what may go into an inference host's first label.
var hostLabelPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// AfterApply checks the path, the IDs and the override; the request flags
// check themselves (RawRequestFlags.AfterApply), as do the common ones.
func (c *APIInferenceCmd) AfterApply(kctx *kong.Context, getenv Getenv) error {
	for _, v := range []struct{ flag, value string }{{"--model-id", c.ModelID}, {"--chain-id", c.ChainID}, {"--environment", c.Environment}} {
		if (v.value != "" || flagGiven(kctx, strings.TrimPrefix(v.flag, "--"))) && !hostLabelPattern.MatchString(v.value) {
			return usageError(fmt.Sprintf("%s %q is not an ID or name: it may hold only letters, digits, - and _ (1 to 128 of them)", v.flag, v.value), "")
		}
	}
	path, err := inferencePath(c.APIPath)
	if err != nil {
		return usageError(fmt.Sprintf("<api-path> %q %v", c.APIPath, err), "Pass a path on the model's host, such as environments/production/predict.")
	}
	c.path = path
	if c.inferenceOverride, err = inferenceOverrideFrom(getenv); err != nil {
		return err
	}
	return nil
}

// inferenceOverrideFrom reads BASETEN_INFERENCE_BASE_URL_OVERRIDE.
func inferenceOverrideFrom(getenv Getenv) (*url.URL, error) {
	raw := getenv(schema.EnvInferenceOverride)
	if raw == "" {
		return nil, nil
	}
	u, err := managementapi.ParseAPIURL(raw)
	if err != nil {
		return nil, settingError(fmt.Sprintf("invalid %s: %v", schema.EnvInferenceOverride, err), "")
	}
	return u, nil
}

// inferencePath is <api-path> on an inference host: from its root, with
// the rules of a management path (see relativePath).
func inferencePath(raw string) (string, error) {
	escaped, err := relativePath(strings.TrimPrefix(raw, "/"), raw)
	if err != nil {
		return "", err
	}
	return "/" + escaped, nil
}

func (c *APIInferenceCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	kind, id := "model", c.ModelID
	if c.ChainID != "" {
		kind, id = "chain", c.ChainID
	}
	inference, host, err := c.inferenceClient(client, kind, id, c.Environment, c.inferenceOverride)
	if err != nil {
		return err
	}
	c.logHeaders(streams, c.Verbose)
	resp, err := inference.Raw(ctx, managementapi.RawRequest{Method: c.request.method, Path: withQuery(c.path, c.request.query), Body: c.request.body, Header: c.request.header, Host: host})
	if err != nil {
		return inferenceRedirect(err)
	}
	return c.writeRawAnswer(ctx, streams, c.Include, resp)
}

// inferenceClient is a client for the inference host of a model or chain
// (kind), derived from the management API's host (api's base URL): the
// same key, deadlines and policy, another base URL. With an override, the
// base URL is the override's and host is the Host header to send ("" when
// the base URL's own host is the derived one).
func (c *CommonFlags) inferenceClient(api *managementapi.Client, kind, id, environment string, override *url.URL) (*managementapi.Client, string, error) {
	label := kind + "-" + id
	if environment != "" {
		label += "-" + environment
	}
	if len(label) > maxHostLabel {
		// No resolver would find it: refused here rather than sent to DNS
		// and retried as a connection error.
		return nil, "", usageError(fmt.Sprintf("the inference host's first label %q is longer than the %d characters a host name's label may have", label, maxHostLabel),
			"Check the ID and the environment name.")
	}
	derived := label + "." + api.BaseURL.Host // the port, if any, stays
	inference := *api
	inference.StreamIdleTimeout = streamIdleTimeout
	if override != nil {
		// A stored key goes where it was verified unless --remote-url or
		// BASETEN_REMOTE_URL says otherwise (endpointFor): an override
		// left in a shell must not carry it to another server.
		if key := c.keyInUse; key != nil && key.stored != nil && c.remote == "" && !sameOrigin(override, api.BaseURL) {
			return nil, "", usageError(fmt.Sprintf("%s names %s, but the stored key of %q was verified against %s; it is not sent elsewhere", schema.EnvInferenceOverride, origin(override), key.stored.Label, origin(api.BaseURL)),
				"Unset "+schema.EnvInferenceOverride+", or pass --remote-url to send this key elsewhere on purpose.")
		}
		inference.BaseURL = override
		return &inference, derived, nil
	}
	if net.ParseIP(api.BaseURL.Hostname()) != nil {
		return nil, "", settingError(fmt.Sprintf("the API's host %s is an IP address, which has no %s-ID subdomains", api.BaseURL.Host, kind),
			"Set "+schema.EnvInferenceOverride+" to the server that answers for inference hosts (sandbox exec sets it).")
	}
	inference.BaseURL = &url.URL{Scheme: api.BaseURL.Scheme, Host: derived}
	return &inference, "", nil
}

// inferenceRedirect gives a redirect from an inference host the hint that
// names what chose that host (the management API's own hint names the
// management override).
func inferenceRedirect(err error) error {
	if redirect, ok := errors.AsType[*managementapi.RedirectError](err); ok {
		return failed("Inference hosts are not expected to redirect: check "+schema.EnvInferenceOverride+", --remote-url and "+schema.EnvRemoteURL+".", "%w", redirect)
	}
	return err
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}

func origin(u *url.URL) string { return u.Scheme + "://" + u.Host }
