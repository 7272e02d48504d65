package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// YesFlag is --yes of a command that destroys or changes something: on a
// terminal the command asks first, naming exactly what will change;
// elsewhere (a script, a CI job) nobody can answer, so --yes must say it in
// advance. A command that needs the confirmation only sometimes (rotate,
// secret delete) calls checkYes from its own AfterApply; one that always
// needs it embeds ConfirmFlag.
type YesFlag struct {
	Yes bool `short:"y" help:"Do it without asking. Required when stdin is not a terminal."`
}

// checkYes refuses, before any request, a run that could not be confirmed.
func (f *YesFlag) checkYes(kctx *kong.Context, streams *render.IO) error {
	if f.Yes || streams.InIsTerminal {
		return nil
	}
	path := strings.Join(nodePath(kctx.Selected()), " ")
	return usageError(fmt.Sprintf("%s %s needs --yes when stdin is not a terminal: there is nobody to confirm it", schema.Program, path), "Add --yes to confirm in advance.")
}

// confirm asks question (which names the target) on the terminal unless
// --yes was given. Only "y" or "yes", in any case, goes ahead; anything
// else is exit 2 with nothing changed (as gh exits on a cancelled prompt,
// and as exit 2 means everywhere). Ctrl-C while it waits is exit 130.
func (f *YesFlag) confirm(ctx context.Context, streams *render.IO, question string) error {
	if f.Yes {
		return nil
	}
	fmt.Fprint(streams.Err, streams.Clean(question)+" [y/N] ")
	line, err := interruptible(ctx, func() (string, error) { return readLine(streams.In, 1<<10) })
	if ctx.Err() != nil {
		fmt.Fprintln(streams.Err)
		return interrupted("interrupted; nothing was changed", "")
	}
	if err != nil {
		return failed("", "cannot read an answer: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return settingError("not confirmed; nothing was changed", "")
}

// ConfirmFlag is YesFlag for the commands that always change what is
// running (model delete, deactivate, promote, ...): its own hook refuses,
// before any request, to act without --yes where no one can be asked.
type ConfirmFlag struct {
	YesFlag
}

func (f *ConfirmFlag) AfterApply(kctx *kong.Context, streams *render.IO) error {
	return f.checkYes(kctx, streams)
}
