package commands

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/basetenlabs/baseten/render"
)

// ConfirmFlag is --yes, for the commands that change or destroy something
// a person should see named before it happens. On a terminal they ask,
// naming exactly what will change; without one, there is nobody to ask,
// so they need --yes, and refuse before any request without it.
type ConfirmFlag struct {
	Yes bool `short:"y" help:"Do it without asking. Required when stdin is not a terminal."`
}

// AfterApply refuses, before any request, to act without --yes where no
// one can be asked.
func (f *ConfirmFlag) AfterApply(streams *render.IO) error {
	if !f.Yes && !streams.InIsTerminal {
		return usageError("this command changes what is running and stdin is not a terminal to confirm it on", "Pass --yes to go ahead without being asked.")
	}
	return nil
}

// errDeclined ends a command whose confirmation was not given: exit 1,
// so that `baseten ... && next` does not go on.
func errDeclined() error { return failed("", "not confirmed; nothing was changed") }

// confirm asks question (which names the target) on the terminal, unless
// --yes was given. Only "y" or "yes", in any case, goes ahead. Ctrl-C
// while it waits is exit 130 with nothing changed.
func (f *ConfirmFlag) confirm(ctx context.Context, streams *render.IO, question string) error {
	if f.Yes {
		return nil
	}
	fmt.Fprint(streams.Err, streams.Clean(question)+" [y/N] ")
	answer := make(chan string, 1)
	go func() { // abandoned when ctx ends first; the process ends soon after
		line, _ := bufio.NewReader(streams.In).ReadString('\n')
		answer <- line
	}()
	select {
	case line := <-answer:
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes":
			return nil
		}
		return errDeclined()
	case <-ctx.Done():
		fmt.Fprintln(streams.Err)
		return interrupted("interrupted; nothing was changed", "")
	}
}
