package commands

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/schema"
)

// SandboxResetCmd is `baseten sandbox reset`.
type SandboxResetCmd struct {
	Yes bool `help:"Delete without asking. Without it, reset asks on a terminal and refuses otherwise."`
	StateFlag
}

func (c *SandboxResetCmd) Help() string {
	return "Delete the sandbox's state file, so that the next sandbox serve or exec starts afresh: a new admin key, the seeded teams and user, no other keys. It names the file and asks first on a terminal; --yes deletes without asking. A sandbox running on the file is not stopped: reset refuses until it is."
}

func (c *SandboxResetCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Delete the default state file without asking", Command: "baseten sandbox reset --yes"},
			{Description: "Delete a state file of your choosing", Command: "baseten sandbox reset --state ./sandbox.json --yes"},
		},
		TextOutput: `Prints "Deleted the sandbox state <path>" on stderr, or that there was none; nothing on stdout.`,
	}
}

func (c *SandboxResetCmd) AfterApply(kctx *kong.Context) error {
	if flagGiven(kctx, "state") && c.State == "" {
		return usageError("--state '' keeps the state in memory only: there is nothing to reset", "")
	}
	return nil
}

func (c *SandboxResetCmd) Run(ctx context.Context, kctx *kong.Context, streams *render.IO, getenv Getenv) error {
	path, err := c.path(kctx, getenv)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		streams.Notef("No sandbox state at %s; nothing to reset.", path)
		return nil
	}
	if !c.Yes {
		if err := confirmReset(ctx, streams, path); err != nil {
			return err
		}
	}
	removed, err := sandbox.Remove(path)
	if _, busy := errors.AsType[*sandbox.InUseError](err); busy {
		return withCode(schema.ExitError, err, "Stop that sandbox first; nothing was deleted.")
	}
	if _, bad := errors.AsType[*sandbox.StateError](err); bad {
		return withCode(schema.ExitError, err, "It is not a sandbox state, so it was left alone.")
	}
	if err != nil {
		return failed("", "cannot delete the sandbox state: %w", err)
	}
	if !removed {
		streams.Notef("No sandbox state at %s; nothing to reset.", path)
		return nil
	}
	streams.Notef("Deleted the sandbox state %s", path)
	return nil
}

// confirmReset asks a person at the terminal; anywhere else --yes is
// needed (exit 2, nothing deleted).
func confirmReset(ctx context.Context, streams *render.IO, path string) error {
	if !streams.InIsTerminal {
		return usageError(fmt.Sprintf("sandbox reset would delete %s, and needs --yes when stdin is not a terminal", path), "Nothing was deleted.")
	}
	fmt.Fprintf(streams.Err, "Delete the sandbox state %s? Its keys and teams are lost. [y/N] ", streams.Clean(path))
	line, err := interruptible(ctx, func() (string, error) { return readLine(streams.In, 1<<10) })
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		return failed("", "cannot read an answer: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return usageError("the sandbox state was not deleted", "")
}
