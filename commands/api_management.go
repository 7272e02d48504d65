package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// APICmd is the `baseten api` group: raw requests, with every guarantee of
// the typed commands.
type APICmd struct {
	Management APIManagementCmd `cmd:""`
	Inference  APIInferenceCmd  `cmd:""`
}

// APIManagementCmd is `baseten api management`.
type APIManagementCmd struct {
	APIPath string `arg:"" name:"api-path" predictor:"api-path" help:"Path of the endpoint, relative to /v1/ (models, teams/TEAM_ID/secrets; a leading /v1/ or / is optional), with an optional query string."`
	RawRequestFlags
	CommonFlags

	path string // escaped, from /v1/ on, with the query typed
}

func (c *APIManagementCmd) Help() string {
	return "Send a request to any endpoint of the management API and print the answer. " +
		"The request has every guarantee of the typed commands: the same API key, sent only to the configured management API; the same deadlines and retries (GET, HEAD and DELETE are retried on a connection error or a 502, 503 or 504, GET and HEAD on a 429 too; POST, PUT and PATCH never); redirects refused; answers read up to 128 MiB. " +
		"A scheme, a host, a . or .. segment, a backslash, control characters or a fragment in the path are refused before anything is sent."
}

func (c *APIManagementCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "List the teams", Command: "baseten api management teams"},
			{Description: "Describe the user the API key belongs to, with the status line and headers on stderr", Command: "baseten api management /v1/users/me -i"},
			{Description: "Create a personal API key from fields (a JSON body, sent with POST)", Command: "baseten api management api_keys -f type=PERSONAL -f name=from-the-raw-api"},
			{Description: "Delete a key by prefix, with each attempt shown on stderr", Command: "baseten api management api_keys/<prefix> -X DELETE -v"},
		},
		JQExample: schema.Example{
			Description: "Print just the team IDs",
			Command:     "baseten api management teams --jq '.teams[].id'",
		},
		TextOutput: rawAnswerText,
		Payload:    managementapi.AnyJSON{},
	}
}

// Rehearsal gives the examples a key to delete.
func (c *APIManagementCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{
		Before:       []string{"baseten org api-key create --type personal --name doomed"},
		Placeholders: map[string]string{"<prefix>": `baseten org api-key list --jq '.keys[] | select(.name == "doomed") | .prefix'`},
	}
}

// AfterApply checks the path; the request flags check themselves
// (RawRequestFlags.AfterApply), as do the common ones.
func (c *APIManagementCmd) AfterApply() error {
	path, err := managementPath(c.APIPath)
	if err != nil {
		return usageError(fmt.Sprintf("<api-path> %q %v", c.APIPath, err), "Pass a path of the management API, such as models or teams/TEAM_ID/secrets; it is sent to the configured API only.")
	}
	c.path = path
	return nil
}

// withQuery appends the query of fields to a path that may have one.
func withQuery(path, query string) string {
	switch {
	case query == "":
		return path
	case strings.Contains(path, "?"):
		return path + "&" + query
	}
	return path + "?" + query
}

func (c *APIManagementCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	c.logHeaders(streams, c.Verbose)
	resp, err := client.Raw(ctx, managementapi.RawRequest{Method: c.request.method, Path: withQuery(c.path, c.request.query), Body: c.request.body, Header: c.request.header})
	if err != nil {
		return err
	}
	return c.writeRawAnswer(ctx, streams, c.Include, resp)
}

// logHeaders names, with -v, the headers added with -H: their names only,
// since a value may be a secret.
func (c *RawRequestFlags) logHeaders(streams *render.IO, verbose bool) {
	if !verbose || len(c.request.header) == 0 {
		return
	}
	names := make([]string, 0, len(c.request.header))
	for name := range c.request.header {
		names = append(names, name)
	}
	slices.Sort(names)
	streams.Notef("with headers %s (values not shown)", strings.Join(names, ", "))
}
