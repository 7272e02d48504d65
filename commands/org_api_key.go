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
	"unsafe"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// OrgCmd groups organization-wide commands.
type OrgCmd struct {
	APIKey APIKeyCmd `cmd:"" name:"api-key" help:"Manage API keys"`
	Team   TeamCmd   `cmd:"" help:"List and describe teams"`
}

// APIKeyCmd is the `baseten org api-key` group.
type APIKeyCmd struct {
	List   APIKeyListCmd   `cmd:""`
	Create APIKeyCreateCmd `cmd:""`
	Delete APIKeyDeleteCmd `cmd:""`
}

// ---- list ----

// APIKeyListCmd is `baseten org api-key list`.
type APIKeyListCmd struct {
	CommonFlags
}

// Help is the command's description (Kong's HelpProvider): each leaf owns
// its words, here and in Spec.
func (c *APIKeyListCmd) Help() string {
	return "List API keys (metadata only; key values are never returned)."
}

func (c *APIKeyListCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "List all API keys in the org", Command: "baseten org api-key list"},
		},
		JQExample: schema.Example{
			Description: "Print just the prefixes of personal keys",
			Command:     `baseten org api-key list --jq '.keys[] | select(.type == "PERSONAL") | .prefix'`,
		},
		TextOutput: `Table with columns: NAME, KEY (prefix + ****), TYPE, TEAM. When no keys exist, prints "No API keys found." to stderr.`,
		Payload:    managementapi.APIKeys{},
	}
}

func (c *APIKeyListCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	answer, err := client.ListAPIKeys(ctx)
	if err != nil {
		return err
	}
	if c.output.Mode != render.Text { // the body as sent; no typed view needed
		return c.write(ctx, streams, answer.Body, nil)
	}
	empty := true
	if err := managementapi.EachKey(answer, func(*managementapi.APIKeyInfo) error { empty = false; return errStop }); err != nil && err != errStop {
		return err
	}
	if empty {
		streams.Notef("No API keys found.")
		return nil
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		return keyTable(answer).Write(w, streams.Styled())
	})
}

// Rehearsal: the jq example prints personal keys; a fresh sandbox has only
// its admin key.
func (c *APIKeyListCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{Before: []string{"baseten org api-key create --type personal --name example-key"}}
}

// errStop ends an iteration early; it never reaches the user.
var errStop = errors.New("stop")

// keyTable lays keys out as the reference describes: NAME, KEY (prefix +
// ****), TYPE in lowercase kebab form, TEAM; missing values are empty cells.
//
// The table keeps the cells it reads (64 bytes a key, sharing the body's
// strings) when that is less memory than the body: decoding the keys again
// costs more than that (measured with go run ./bench). A list of keys that
// small on the wire is read twice instead, so memory stays within twice
// the body whatever it holds.
func keyTable(list *managementapi.Answer[managementapi.APIKeys]) render.Table {
	keep := list.Elements()
	if keep*int(unsafe.Sizeof([4]string{})) > len(list.Body) {
		keep = 0
	}
	return render.Table{
		Keep:   keep,
		Header: []string{"NAME", "KEY", "TYPE", "TEAM"},
		Suffix: []string{"", "****"},
		Rows: func(row func(cells ...string) error) error {
			var cells [4]string // one array for every row
			return managementapi.EachKey(list, func(k *managementapi.APIKeyInfo) error {
				cells = [4]string{deref(k.Name), k.Prefix, typeFlagValue(k.Type), deref(k.TeamName)}
				return row(cells[:]...)
			})
		},
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ---- create ----

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

// typeFlagValue is the lowercase kebab form --type takes and list prints.
// The known categories are spelled out: this runs for every row of a list.
func typeFlagValue(c managementapi.APIKeyCategory) string {
	switch c {
	case managementapi.CategoryPersonal:
		return "personal"
	case managementapi.CategoryWorkspaceExportMetrics:
		return "workspace-export-metrics"
	case managementapi.CategoryWorkspaceInvoke:
		return "workspace-invoke"
	case managementapi.CategoryWorkspaceManageAll:
		return "workspace-manage-all"
	}
	return strings.ReplaceAll(strings.ToLower(string(c)), "_", "-")
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

// refuseEmpty rejects a flag typed with a blank value (--name ""), which
// would otherwise silently mean "not given".
func refuseEmpty(kctx *kong.Context, flag, value string) error {
	if flagGiven(kctx, flag) && strings.TrimSpace(value) == "" {
		return usageError(fmt.Sprintf("--%s must not be empty", flag), "")
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

// resolveTeam turns --team (an ID or a name) into a team ID. An exact ID
// match wins over names; a name shared by several teams is ambiguous.
func resolveTeam(ctx context.Context, client *managementapi.Client, team string) (string, error) {
	answer, err := client.ListTeams(ctx)
	if err != nil {
		return "", err
	}
	teams, err := answer.Decode()
	if err != nil {
		return "", err
	}
	id, err := pickTeam(teams.Teams, team)
	if err != nil {
		return "", err
	}
	if problem := teamIDProblem(id); problem != "" {
		return "", failed("", "the API lists team %q with ID %q, which %s; nothing was created", team, id, problem)
	}
	return id, nil
}

// pickTeam finds the team --team names among teams.
func pickTeam(teams []managementapi.Team, team string) (string, error) {
	for _, t := range teams {
		if t.ID == team {
			return t.ID, nil
		}
	}
	named := teamsNamed(teams, team)
	switch len(named) {
	case 1:
		return teams[named[0]].ID, nil
	case 0:
		return "", notFound(teamsHint("Teams you can use: ", teams), "no team with ID or name %q", team)
	default:
		return "", usageError(fmt.Sprintf("%d teams are named %q: %s", len(named), team, teamIDs(teams, named)), "Pass --team with one of these IDs.")
	}
}

// teamsNamed returns the indexes of the teams named exactly name. Names are
// not unique in the API.
func teamsNamed(teams []managementapi.Team, name string) []int {
	var named []int
	for i, t := range teams {
		if t.Name == name {
			named = append(named, i)
		}
	}
	return named
}

// teamIDs lists the IDs of the teams at these indexes, for an error that
// asks to pick one.
func teamIDs(teams []managementapi.Team, indexes []int) string {
	ids := make([]string, len(indexes))
	for i, j := range indexes {
		ids[i] = teams[j].ID
	}
	return strings.Join(ids, ", ")
}

// teamsHint names the teams there are, after lead; the first few only, each
// cut short, since names and IDs come from the API.
func teamsHint(lead string, teams []managementapi.Team) string {
	if len(teams) == 0 {
		return ""
	}
	const most = 10
	var names []string
	for i, t := range teams {
		if i == most {
			names = append(names, fmt.Sprintf("and %d more", len(teams)-most))
			break
		}
		names = append(names, fmt.Sprintf("%s (%s)", shorten(t.Name, 64), shorten(t.ID, 64)))
	}
	return lead + strings.Join(names, ", ")
}

// ---- delete ----

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

// checkPrefix refuses a --prefix that could delete something other than
// the one key meant. The same rules (prefixProblem) apply to prefixes the
// server sends before they go into a URL or a command line.
func checkPrefix(prefix string) error {
	switch problem := prefixProblem(prefix); {
	case problem == "":
		return nil
	case strings.Contains(prefix, "."):
		// A whole key pasted by mistake; not echoed, since it is a secret.
		return usageError("--prefix takes the prefix shown by 'baseten org api-key list', not a whole key", "A prefix is the part of the key before the first '.'.")
	case prefix == "":
		return usageError("--prefix must not be empty", prefixHint)
	default:
		return usageError(fmt.Sprintf("--prefix %q %s", prefix, problem), prefixHint)
	}
}

// prefixHint says what a prefix is, where one is wanted.
const prefixHint = "A prefix is the 8 characters before **** in the KEY column of 'baseten org api-key list'."

// maxIdentifier bounds prefixes and team IDs; real ones are a few characters.
const maxIdentifier = 128

// prefixProblem says what makes prefix unfit to name one key in a URL path
// and a command line, or "" when nothing does: it must be non-empty and
// short, and hold no "." (a dot segment would change the URL's meaning), no
// slash or backslash, no whitespace, no control or invisible characters.
func prefixProblem(prefix string) string {
	switch {
	case prefix == "":
		return "is empty"
	case len(prefix) > maxIdentifier:
		return "is too long to be a prefix"
	case strings.IndexFunc(prefix, func(r rune) bool { return r <= ' ' || r > '~' || strings.ContainsRune(".\\/", r) }) >= 0:
		return "contains characters a prefix never has"
	}
	return ""
}

// teamIDProblem is prefixProblem's counterpart for team IDs, which go into
// /v1/teams/{team_id}/api_keys: "." and ".." would make that another path,
// and a slash, backslash, "%", "?" or "#" could be read as one by a proxy
// that decodes the path.
func teamIDProblem(id string) string {
	switch {
	case id == "" || id == "." || id == "..":
		return "is not a team ID"
	case len(id) > maxIdentifier:
		return "is too long to be a team ID"
	case strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r > '~' || strings.ContainsRune(`/\%?#`, r) }) >= 0:
		return "contains characters a team ID never has"
	}
	return ""
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
