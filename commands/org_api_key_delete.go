package commands

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// APIKeyDeleteCmd is `baseten org api-key delete`.
type APIKeyDeleteCmd struct {
	Name   string `xor:"identifier" required:"" predictor:"key-name" help:"Human-readable name of the API key to delete."`
	Prefix string `xor:"identifier" required:"" predictor:"key-prefix" help:"Prefix of the API key to delete (as shown in list)."`
	CommonFlags
}

func (c *APIKeyDeleteCmd) Help() string {
	return "Delete an API key. Exactly one of --name or --prefix is required: --name matches the human-readable name, --prefix matches the leading characters shown in org api-key list."
}

func (c *APIKeyDeleteCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Delete an API key by name", Command: "baseten org api-key delete --name <label>"},
			{Description: "Delete by visible prefix", Command: "baseten org api-key delete --prefix <prefix>"},
		},
		JQExample: schema.Example{
			Description: "Print just the deleted key's prefix",
			Command:     "baseten org api-key delete --name <label> --jq '.prefix'",
		},
		TextOutput: `Prints "Deleted API key <prefix>" to stderr on success; no stdout output.`,
		Payload:    managementapi.APIKeyTombstone{},
	}
}

func (c *APIKeyDeleteCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{
		Before: []string{"baseten org api-key create --type personal --name <label>"},
		Placeholders: map[string]string{
			"<label>":  "example-key",
			"<prefix>": `baseten org api-key list --jq '.keys[] | select(.name == "example-key") | .prefix'`,
		},
	}
}

func (c *APIKeyDeleteCmd) AfterApply(kctx *kong.Context) error {
	if err := refuseEmpty(kctx, "name", c.Name); err != nil {
		return err
	}
	if flagGiven(kctx, "prefix") {
		// Pasted from list's KEY column, a prefix comes with the stars that
		// stand for the rest of the key; no prefix ends in one.
		c.Prefix = strings.TrimRight(c.Prefix, "*")
		return checkPrefix(c.Prefix)
	}
	return nil
}

func (c *APIKeyDeleteCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	prefix, err := c.Prefix, error(nil)
	if c.Name != "" {
		if prefix, err = prefixForName(ctx, client, c.Name); err != nil {
			return err
		}
	}
	answer, goneEarlier, err := client.DeleteAPIKey(ctx, prefix)
	if err != nil {
		// The hint says what a prefix is: what helps when none matches.
		return asNotFound(err, prefixHint, "no API key has the prefix %q", prefix)
	}
	if goneEarlier {
		streams.Notef("Note: the retried request found the key already gone; an earlier attempt deleted it.")
	}
	if c.output.Mode != render.Text {
		return c.write(ctx, streams, answer.Body, nil)
	}
	tombstone, err := answer.Decode()
	if err != nil {
		return err
	}
	deleted := tombstone.Prefix
	if deleted == "" {
		deleted = prefix
	}
	streams.Notef("Deleted API key %s", deleted)
	return nil
}

// prefixForName finds the one key with this exact name. Several matches
// delete nothing: the user must choose with --prefix.
func prefixForName(ctx context.Context, client *managementapi.Client, name string) (string, error) {
	answer, err := client.ListAPIKeys(ctx)
	if err != nil {
		return "", err
	}
	var prefixes []string
	err = managementapi.EachKey(answer, func(k *managementapi.APIKeyInfo) error {
		if k.Name != nil && *k.Name == name {
			prefixes = append(prefixes, strings.Clone(k.Prefix))
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	switch len(prefixes) {
	case 1:
		if problem := prefixProblem(prefixes[0]); problem != "" {
			return "", failed("", "the API lists the key named %q with prefix %q, which %s; nothing was deleted", name, prefixes[0], problem)
		}
		return prefixes[0], nil
	case 0:
		return "", notFound("Run 'baseten org api-key list' to see key names.", "no API key named %q", name)
	default:
		sort.Strings(prefixes)
		return "", usageError(fmt.Sprintf("%d API keys are named %q: %s", len(prefixes), name, strings.Join(prefixes, ", ")), "Nothing was deleted. Pass --prefix with one of these prefixes.")
	}
}
