package commands

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// APIKeyRotateCmd is `baseten org api-key rotate`. No endpoint rotates a
// key: this creates the replacement, shows it, and only then deletes the
// old key, saying at every failure which keys are live and how to finish.
type APIKeyRotateCmd struct {
	Name    string `xor:"identifier" required:"" predictor:"key-name" help:"Human-readable name of the API key to rotate; refused when several keys share it."`
	Prefix  string `xor:"identifier" required:"" predictor:"key-prefix" help:"Prefix of the API key to rotate (as shown in list)."`
	KeepOld bool   `name:"keep-old" help:"Keep the old key (for a grace period) and print the command that deletes it."`
	YesFlag
	CommonFlags
}

func (c *APIKeyRotateCmd) Help() string {
	return "Replace an API key with a new one of the same type, name, model IDs and team, then delete the old key by its prefix. The new key is printed to stdout exactly once, under the rules of create; the old key is deleted only after that succeeded, and every failure says which keys are live and the command that finishes or undoes the rotation. On a terminal it asks first; elsewhere --yes is required, unless --keep-old."
}

func (c *APIKeyRotateCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Rotate a key by name", Command: "baseten org api-key rotate --name <label> --yes"},
			{Description: "Rotate a key by prefix, keeping the old one for a grace period", Command: "baseten org api-key rotate --prefix <prefix> --keep-old"},
		},
		JQExample: schema.Example{
			Description: "Print just the new key",
			Command:     "baseten org api-key rotate --name <label> --yes --jq '.api_key'",
		},
		TextOutput: `Prints the new API key on stdout (one line), "Save this key now. It will not be shown again." and what became of the old key on stderr.`,
		Payload:    managementapi.APIKey{},
	}
}

func (c *APIKeyRotateCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{
		Before: []string{"baseten org api-key create --type workspace-invoke --name <label> --model-id model-1"},
		Placeholders: map[string]string{
			"<label>":  "example-key",
			"<prefix>": `baseten org api-key list --jq '.keys[] | select(.name == "example-key") | .prefix'`,
		},
	}
}

func (c *APIKeyRotateCmd) AfterApply(kctx *kong.Context, streams *render.IO) error {
	if c.Output == string(render.None) {
		return usageError("--output none would discard the new key, which is shown only once", "Use --output text, json or jsonl.")
	}
	if streams.OutIsDiscarded {
		return settingError("stdout is "+os.DevNull+", which would discard the new key, shown only once", "Redirect stdout to a file or a pipe that keeps it.")
	}
	if err := refuseEmpty(kctx, "name", c.Name); err != nil {
		return err
	}
	if flagGiven(kctx, "prefix") {
		c.Prefix = strings.TrimRight(c.Prefix, "*")
		if err := checkPrefix(c.Prefix); err != nil {
			return err
		}
	}
	if c.KeepOld {
		return nil // nothing is deleted: nothing to confirm
	}
	return c.checkYes(kctx, streams)
}

func (c *APIKeyRotateCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	old, err := c.find(ctx, client)
	if err != nil {
		return err
	}
	teamID, err := c.teamOf(ctx, client, old)
	if err != nil {
		return err
	}
	if !c.KeepOld {
		question := fmt.Sprintf("Rotate API key %s (%s)? A replacement is created and the old key deleted.", old.Prefix, keyLabel(old))
		if err := c.confirm(ctx, streams, question); err != nil {
			return err
		}
	}
	create := &APIKeyCreateCmd{CommonFlags: c.CommonFlags}
	req := managementapi.CreateAPIKeyRequest{Name: old.Name, Type: old.Type, ModelIDs: old.ModelIDs}
	answer, err := client.CreateAPIKey(ctx, teamID, req)
	var key *managementapi.APIKey
	if err == nil {
		key, _ = answer.Decode() // decoded and checked by CreateAPIKey
		streams.Secrets.Add(key.APIKey)
		err = checkNewKey(key.APIKey)
	}
	if err != nil {
		err = create.outcomeUnknown(err)
		return withCode(exitCodeOf(err), fmt.Errorf("%w; the old key %s is unchanged", err, old.Prefix), hintOf(err))
	}
	newPrefix, _, _ := strings.Cut(key.APIKey, ".")
	// From here the new key exists: a Ctrl-C must not lose it, nor leave
	// the user without the state of both keys. It is still heeded, before
	// the delete: an interrupted rotation deletes nothing.
	interrupt := ctx
	ctx = context.WithoutCancel(ctx)
	if err := create.show(ctx, streams, answer.Body, key); err != nil {
		return withCode(schema.ExitError, fmt.Errorf("%s; the old key %s was kept and still works", err.Error(), old.Prefix), hintOf(err))
	}
	deleteOld := c.commandLine(deleteArgs(old.Prefix)...)
	if newPrefix == old.Prefix {
		// Deleting "the old key" by that prefix could delete the one just
		// printed: the delete names the old key only by its prefix.
		return failed("Check which keys there are with: "+c.commandLine("org", "api-key", "list"),
			"the API gave the new key printed above the old key's prefix %s, so nothing was deleted (a delete by that prefix could delete the new key); both keys may be live", old.Prefix)
	}
	if c.KeepOld {
		streams.Notef("Kept the old key %s: both keys work. Delete it when the grace period is over: %s", old.Prefix, deleteOld)
		return nil
	}
	if interrupt.Err() != nil {
		hint := "Finish the rotation with: " + deleteOld
		if checkPrefix(newPrefix) == nil { // (a key of another shape has no prefix to name)
			hint += " (or undo it with: " + c.commandLine(deleteArgs(newPrefix)...) + ")"
		}
		return interrupted(fmt.Sprintf("interrupted: the new key %s is printed above, and the old key %s was not deleted; both keys work", newPrefix, old.Prefix), hint)
	}
	_, _, err = client.DeleteAPIKey(ctx, old.Prefix)
	if apiErr, ok := errors.AsType[*managementapi.APIError](err); ok && apiErr.Status == 404 {
		streams.Notef("Rotated: %s replaces %s, which was already gone.", newPrefix, old.Prefix)
		return nil
	}
	if err != nil {
		state := "is still live"
		if managementapi.MayHaveArrived(err) {
			state = "may still be live"
		}
		return withCode(exitCodeOf(err), fmt.Errorf("the new key %s is printed above, but deleting the old key %s failed (%w); the old key %s", newPrefix, old.Prefix, err, state),
			"Delete it with: "+deleteOld)
	}
	streams.Notef("Rotated: %s replaces %s, which is deleted.", newPrefix, old.Prefix)
	if note := c.ranWithOldKey(old.Prefix); note != "" {
		streams.Notef("%s", note)
	}
	return nil
}

// ranWithOldKey says what to do when the key this command ran with is the
// one it just deleted: every later command would fail with a 401 and no
// word of why. "" when it is another key.
func (c *APIKeyRotateCmd) ranWithOldKey(oldPrefix string) string {
	k := c.keyInUse
	if k == nil {
		return ""
	}
	if prefix, _, found := strings.Cut(k.key, "."); !found || prefix != oldPrefix {
		return ""
	}
	if k.stored != nil {
		return fmt.Sprintf("This command ran with the old key, stored as %q, which no longer works. Store the new one under that label: baseten auth login --with-api-key --label %s", k.stored.Label, shellQuote(k.stored.Label))
	}
	return "This command ran with the old key, from " + schema.EnvAPIKey + ", which no longer works: set it to the new one."
}

// deleteArgs is the delete command line of a prefix ("--prefix -x" would
// not parse).
func deleteArgs(prefix string) []string {
	if strings.HasPrefix(prefix, "-") {
		return []string{"org", "api-key", "delete", "--prefix=" + prefix}
	}
	return []string{"org", "api-key", "delete", "--prefix", prefix}
}

// hintOf is the hint an error of ours carries, or "".
func hintOf(err error) string {
	if e, ok := errors.AsType[*exitError](err); ok {
		return e.hint
	}
	return ""
}

// keyLabel names a key in a question: its name, type and team.
func keyLabel(k *managementapi.APIKeyInfo) string {
	name := "no name"
	if k.Name != nil {
		name = fmt.Sprintf("named %q", *k.Name)
	}
	return fmt.Sprintf("%s, %s, team %s", name, typeFlagValue(k.Type), deref(k.TeamName))
}

// find is the key --name or --prefix selects, by delete's rules: a name
// shared by several keys is refused, listing their prefixes.
func (c *APIKeyRotateCmd) find(ctx context.Context, client *managementapi.Client) (*managementapi.APIKeyInfo, error) {
	answer, err := client.ListAPIKeys(ctx)
	if err != nil {
		return nil, err
	}
	var matches []managementapi.APIKeyInfo
	err = managementapi.EachKey(answer, func(k *managementapi.APIKeyInfo) error {
		if c.Prefix != "" && k.Prefix == c.Prefix || c.Name != "" && k.Name != nil && *k.Name == c.Name {
			matches = append(matches, managementapi.APIKeyInfo{ // the strings may share the body: copied
				Prefix: strings.Clone(k.Prefix), Name: clonePtr(k.Name), Type: managementapi.APIKeyCategory(strings.Clone(string(k.Type))),
				ModelIDs: cloneAll(k.ModelIDs), TeamName: clonePtr(k.TeamName),
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch {
	case len(matches) == 0 && c.Prefix != "":
		return nil, notFound(prefixHint, "no API key has the prefix %q", c.Prefix)
	case len(matches) == 0:
		return nil, notFound("Run 'baseten org api-key list' to see key names.", "no API key named %q", c.Name)
	case len(matches) > 1:
		prefixes := make([]string, len(matches))
		for i, m := range matches {
			prefixes[i] = m.Prefix
		}
		slices.Sort(prefixes)
		return nil, usageError(fmt.Sprintf("%d API keys are named %q: %s", len(matches), c.Name, strings.Join(prefixes, ", ")), "Nothing was created or deleted. Pass --prefix with one of these prefixes.")
	}
	old := &matches[0]
	if problem := prefixProblem(old.Prefix); problem != "" {
		return nil, failed("", "the API lists the key with prefix %q, which %s; nothing was created or deleted", old.Prefix, problem)
	}
	return old, nil
}

// teamOf resolves the old key's team (the list names it by name, which is
// not unique) to the ID the replacement is created in; anything but
// exactly one team of that name stops the rotation before anything is
// created.
func (c *APIKeyRotateCmd) teamOf(ctx context.Context, client *managementapi.Client, old *managementapi.APIKeyInfo) (string, error) {
	if old.TeamName == nil {
		return "", failed("Create the replacement yourself with org api-key create --team, then delete the old key.",
			"the API lists key %s without a team, so its replacement's team is unknown; nothing was created or deleted", old.Prefix)
	}
	answer, err := client.ListTeams(ctx)
	if err != nil {
		return "", err
	}
	list, err := answer.Decode()
	if err != nil {
		return "", err
	}
	named := teamsNamed(list.Teams, *old.TeamName)
	if len(named) != 1 {
		return "", failed(teamsHint("Teams: ", list.Teams),
			"key %s belongs to team %q, which names %d teams, not one; nothing was created or deleted", old.Prefix, *old.TeamName, len(named))
	}
	id := list.Teams[named[0]].ID
	if problem := teamIDProblem(id); problem != "" {
		return "", failed("", "the API lists team %q with ID %q, which %s; nothing was created or deleted", *old.TeamName, id, problem)
	}
	return id, nil
}

func clonePtr(s *string) *string {
	if s == nil {
		return nil
	}
	v := strings.Clone(*s)
	return &v
}

func cloneAll(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.Clone(s)
	}
	return out
}
