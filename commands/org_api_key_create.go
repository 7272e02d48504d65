package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// APIKeyCreateCmd is `baseten org api-key create`.
type APIKeyCreateCmd struct {
	ModelID []string `name:"model-id" sep:"none" help:"Restrict the key to a specific model. May be repeated. Only valid with --type workspace-export-metrics or workspace-invoke."`
	Name    string   `help:"Optional human-readable name for the key."`
	Team    string   `predictor:"team" help:"Team name or ID to create the key in. Defaults to the organization's default team."`
	Type    string   `required:"" enum:"personal,workspace-export-metrics,workspace-invoke,workspace-manage-all" help:"API key category."`
	CommonFlags
}

func (c *APIKeyCreateCmd) Help() string {
	return "Create a new API key. The key value is printed to stdout exactly once and cannot be retrieved later; capture or pipe it on creation. --model-id may be repeated to scope the key to specific models and is only valid with --type workspace-export-metrics or --type workspace-invoke."
}

func (c *APIKeyCreateCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Create a personal API key", Command: "baseten org api-key create --type personal --name <label>"},
			{Description: "Create a workspace-invoke key scoped to specific models", Command: "baseten org api-key create --type workspace-invoke --model-id <id-1> --model-id <id-2>"},
		},
		JQExample: schema.Example{
			Description: "Print just the raw key value",
			Command:     "baseten org api-key create --type personal --jq '.api_key'",
		},
		TextOutput: `Prints the raw API key value on stdout (one line). Also prints "Save this key now. It will not be shown again." to stderr.`,
		Payload:    managementapi.APIKey{},
	}
}

func (c *APIKeyCreateCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{Placeholders: map[string]string{"<label>": "example-key", "<id-1>": "model-1", "<id-2>": "model-2"}}
}

// categories maps --type values to the API's enum.
var categories = map[string]managementapi.APIKeyCategory{
	"personal":                 managementapi.CategoryPersonal,
	"workspace-export-metrics": managementapi.CategoryWorkspaceExportMetrics,
	"workspace-invoke":         managementapi.CategoryWorkspaceInvoke,
	"workspace-manage-all":     managementapi.CategoryWorkspaceManageAll,
}

func (c *APIKeyCreateCmd) AfterApply(kctx *kong.Context, streams *render.IO) error {
	if c.Output == string(render.None) {
		return usageError("--output none would discard the new key, which is shown only once", "Use --output text, json or jsonl.")
	}
	if streams.OutIsDiscarded {
		return settingError("stdout is "+os.DevNull+", which would discard the new key, shown only once", "Redirect stdout to a file or a pipe that keeps it.")
	}
	if err := refuseEmpty(kctx, "name", c.Name); err != nil {
		return err
	}
	if err := refuseEmpty(kctx, "team", c.Team); err != nil {
		return err
	}
	if len(c.ModelID) > 0 {
		category := categories[c.Type]
		if category != managementapi.CategoryWorkspaceExportMetrics && category != managementapi.CategoryWorkspaceInvoke {
			return usageError("--model-id is only valid with --type workspace-export-metrics or workspace-invoke", "Drop --model-id, or pick one of those types.")
		}
		for _, id := range c.ModelID {
			if strings.TrimSpace(id) == "" {
				return usageError("--model-id must not be empty", "")
			}
		}
	}
	return nil
}

func (c *APIKeyCreateCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	req := managementapi.CreateAPIKeyRequest{Type: categories[c.Type], ModelIDs: c.ModelID}
	if c.Name != "" {
		req.Name = &c.Name
	}
	teamID, err := "", error(nil)
	if c.Team != "" {
		if teamID, err = resolveTeam(ctx, client, c.Team); err != nil {
			return err
		}
	}
	answer, err := client.CreateAPIKey(ctx, teamID, req)
	var key *managementapi.APIKey
	if err == nil {
		key, _ = answer.Decode() // decoded and checked by CreateAPIKey
		streams.Secrets.Add(key.APIKey)
		err = checkNewKey(key.APIKey)
	}
	if err != nil {
		return c.outcomeUnknown(err)
	}
	// The key exists now: a Ctrl-C from here on must not stop it from being
	// shown (jq would stop with "context canceled" and the key be lost).
	if err := c.show(context.WithoutCancel(ctx), streams, answer.Body, key); err != nil {
		return err
	}
	if c.Name != "" {
		c.warnIfNameTaken(ctx, streams, client, key)
	}
	return nil
}

// warnIfNameTaken says on stderr when other keys already have the new
// key's name. Names are not unique in the API, so the create was right to
// happen; but a later delete --name would refuse to choose, and the user
// had better know now. It looks after the key is created and shown, so
// that nothing delays or blocks that: a list that fails only means no
// warning.
func (c *APIKeyCreateCmd) warnIfNameTaken(ctx context.Context, streams *render.IO, client *managementapi.Client, key *managementapi.APIKey) {
	answer, err := client.ListAPIKeys(ctx)
	if err != nil {
		return
	}
	newPrefix, _, _ := strings.Cut(key.APIKey, ".")
	var others []string
	err = managementapi.EachKey(answer, func(k *managementapi.APIKeyInfo) error {
		if k.Name != nil && *k.Name == c.Name && k.Prefix != newPrefix {
			others = append(others, shorten(k.Prefix, 16))
		}
		return nil
	})
	if err != nil || len(others) == 0 {
		return
	}
	sort.Strings(others)
	which := fmt.Sprintf("another API key is already named %q (prefix %s)", c.Name, others[0])
	if n := len(others); n > 1 {
		const most = 5 // prefixes shown; the list comes from the API
		if n > most {
			others = append(others[:most], "...")
		}
		which = fmt.Sprintf("%d other API keys are already named %q (prefixes %s)", n, c.Name, strings.Join(others, ", "))
	}
	streams.Notef("Warning: %s. Names are not unique: delete one of them with --prefix, not --name.", which)
}

// outcomeUnknown says out loud when a failed create may still have created
// the key: a user who sees an ordinary network error tries again and leaves
// orphaned keys behind. The exit code stays the one the error maps to.
func (c *APIKeyCreateCmd) outcomeUnknown(err error) error {
	wasInterrupted := errors.Is(err, context.Canceled)
	if !wasInterrupted && !managementapi.MayHaveArrived(err) {
		return err
	}
	hint := "Before creating another, check with: " + c.commandLine("org", "api-key", "list")
	if wasInterrupted {
		// Not wrapped: Main would make a cancellation a bare "interrupted".
		return interrupted("interrupted while creating the key; it may have been created", hint)
	}
	code, _ := classify(err)
	return withCode(code, fmt.Errorf("%w; the key may have been created", err), hint)
}

// checkNewKey refuses a created key that could not be printed faithfully
// and pasted safely: one that is not printable ASCII without spaces, quotes
// or backslashes (JSON would escape them, terminals could act on them).
func checkNewKey(key string) error {
	if strings.IndexFunc(key, func(r rune) bool { return r <= ' ' || r > '~' || r == '"' || r == '\\' }) >= 0 {
		return &managementapi.ResponseError{Reason: "the api_key in the create response holds characters an API key never has"}
	}
	return nil
}

// show writes the new key, once. The output is rendered into memory first so
// that a jq error, a filter that drops the key or an unwritable stdout is
// caught while the key is still at hand: the error then names the key's
// prefix and how to revoke it, and the key is never lost without a trace
// (nor printed anywhere but stdout).
func (c *APIKeyCreateCmd) show(ctx context.Context, streams *render.IO, body []byte, key *managementapi.APIKey) error {
	var out bytes.Buffer
	err := c.outputFor(streams).Write(ctx, &out, body, func(w io.Writer) error {
		_, err := io.WriteString(w, key.APIKey+"\n")
		return err
	})
	if err != nil {
		return c.keyNotShown(key, err.Error())
	}
	if !bytes.Contains(out.Bytes(), []byte(key.APIKey)) {
		return c.keyNotShown(key, "the --jq filter's output does not contain it")
	}
	if _, err := streams.Out.Write(out.Bytes()); err != nil {
		return c.keyNotShown(key, err.Error())
	}
	if c.output.Mode == render.Text && c.output.JQ == nil {
		streams.Notef("Save this key now. It will not be shown again.")
	}
	return nil
}

// keyNotShown is the error for a key that was created but did not reach stdout.
// It deliberately does not wrap the cause: a broken pipe here is a lost key,
// not the quiet end of a pipeline. (The key itself is redacted from the
// cause when it is printed: jq quotes the value it failed on.)
func (c *APIKeyCreateCmd) keyNotShown(key *managementapi.APIKey, cause string) error {
	prefix, _, found := strings.Cut(key.APIKey, ".")
	if !found || checkPrefix(prefix) != nil {
		// Not the documented prefix.secret shape, or a prefix that could not
		// go into a command line or a URL: name no prefix at all.
		return failed("Find its prefix with: "+c.commandLine("org", "api-key", "list")+" (then revoke it with delete --prefix)",
			"the new API key was created but not shown: %s", cause)
	}
	revoke := []string{"org", "api-key", "delete", "--prefix", prefix}
	if strings.HasPrefix(prefix, "-") { // "--prefix -x" would not parse
		revoke = []string{"org", "api-key", "delete", "--prefix=" + prefix}
	}
	return failed("Revoke it with: "+c.commandLine(revoke...), "the new API key %s... was created but not shown: %s", prefix, cause)
}
