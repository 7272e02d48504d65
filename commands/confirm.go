package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// YesFlag is --yes of a command that destroys something: on a terminal
// the command asks first, naming what it destroys; elsewhere (a script, a
// CI job) nobody can answer, so --yes must say it in advance.
type YesFlag struct {
	Yes bool `short:"y" help:"Do it without asking. Required when stdin is not a terminal."`
}

// checkYes refuses, before any request, a destructive run that could not
// be confirmed.
func (f *YesFlag) checkYes(kctx *kong.Context, streams *render.IO) error {
	if f.Yes || streams.InIsTerminal {
		return nil
	}
	path := strings.Join(nodePath(kctx.Selected()), " ")
	return usageError(fmt.Sprintf("%s %s needs --yes when stdin is not a terminal: there is nobody to confirm it", schema.Program, path), "Add --yes to confirm in advance.")
}

// confirm asks question on the terminal unless --yes was given; anything
// but y or yes is a no, which is exit 2 with nothing done (as gh exits on
// a cancelled prompt).
func (f *YesFlag) confirm(ctx context.Context, streams *render.IO, question string) error {
	if f.Yes {
		return nil
	}
	fmt.Fprint(streams.Err, streams.Clean(question)+" [y/N] ")
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
	return settingError("not confirmed; nothing was done", "")
}
