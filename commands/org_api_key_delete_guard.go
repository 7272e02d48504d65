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

// What delete does before it deletes: --dry-run, and the guard on the key
// the command itself is using, which deleting revokes (the next command
// with it fails with 401).

// inUsePrefix is the prefix of the key this command sends, "" if unknown.
func (c *CommonFlags) inUsePrefix() string {
	if c.keyInUse == nil {
		return ""
	}
	prefix, _, found := strings.Cut(c.keyInUse.key, ".")
	if !found || prefixProblem(prefix) != "" {
		return ""
	}
	return prefix
}

// keySource says where the key in use came from, for a message.
func (c *CommonFlags) keySource() string {
	if k := c.keyInUse; k != nil && k.stored != nil {
		return fmt.Sprintf("the stored credential %q", k.stored.Label)
	}
	return schema.EnvAPIKey
}

// guardKeyInUse lets the deletion of the key in use go ahead only with
// --yes, or when a person at the terminal says so. Nothing has been
// changed when it refuses (exit 2).
func (c *APIKeyDeleteCmd) guardKeyInUse(ctx context.Context, streams *render.IO, prefix string) error {
	if c.Yes || prefix == "" || prefix != c.inUsePrefix() {
		return nil
	}
	what := fmt.Sprintf("API key %s is the key this command is using, from %s", prefix, c.keySource())
	if !streams.InIsTerminal {
		return usageError(what+"; deleting it revokes it, and commands using it fail", "Nothing was deleted. Pass --yes to delete it anyway.")
	}
	fmt.Fprintf(streams.Err, "%s; deleting it revokes it, and commands using it fail.\nDelete API key %s? [y/N] ", streams.Clean(what), prefix)
	line, err := interruptible(ctx, func() (string, error) { return readLine(streams.In, 1<<10) })
	if ctx.Err() != nil {
		return ctx.Err() // interrupted while waiting: exit 130, nothing deleted
	}
	if err != nil {
		return failed("", "cannot read an answer: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return usageError("API key "+prefix+" was not deleted", "")
}

// dryRun shows the key a deletion would revoke, found by the lookup
// (the list of keys), and deletes nothing. JSON output is the key as the
// list describes it.
func (c *APIKeyDeleteCmd) dryRun(ctx context.Context, streams *render.IO, client *managementapi.Client, prefix string) error {
	list, err := client.ListAPIKeys(ctx)
	if err != nil {
		return err
	}
	var found *managementapi.APIKeyInfo
	err = managementapi.EachKey(list, func(k *managementapi.APIKeyInfo) error {
		if k.Prefix == prefix {
			key := *k
			key.Prefix, key.Name, key.TeamName = strings.Clone(k.Prefix), cloned(k.Name), cloned(k.TeamName)
			key.ModelIDs = nil
			for _, id := range k.ModelIDs {
				key.ModelIDs = append(key.ModelIDs, strings.Clone(id))
			}
			found = &key
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return err
	}
	if found == nil {
		return notFound(prefixHint, "no API key has the prefix %q", prefix)
	}
	if c.output.Mode != render.Text {
		return c.writeValue(ctx, streams, found, nil)
	}
	return c.writeValue(ctx, streams, found, func(io.Writer) error {
		details := []string{typeFlagValue(found.Type)}
		if found.Name != nil {
			details = append([]string{fmt.Sprintf("named %q", *found.Name)}, details...)
		}
		if found.TeamName != nil {
			details = append(details, "team "+*found.TeamName)
		}
		streams.Notef("Would delete API key %s: %s. Nothing was deleted.", prefix, strings.Join(details, ", "))
		if prefix == c.inUsePrefix() {
			streams.Notef("It is the key this command is using, from %s.", c.keySource())
		}
		return nil
	})
}

func cloned(s *string) *string {
	if s == nil {
		return nil
	}
	c := strings.Clone(*s)
	return &c
}
