// Command baseten is a command-line client for the Baseten management API.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
)

func main() {
	// A closed stdout must surface as a write error (EPIPE), not kill the
	// process: `create` has to report the key it could not print. Notify
	// does that (the channel is never read) where Ignore would also be
	// inherited by what `sandbox exec` runs: there `yes | head` would
	// never end.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	// The first Ctrl-C (or SIGTERM, or SIGHUP from a closed terminal) cancels
	// the request in flight (exit 130); once it has,
	// signals get their default behaviour back, so a second one kills at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() { <-ctx.Done(); stop() }()
	os.Exit(commands.Main(ctx, os.Args[1:], render.Stdio(), os.Getenv))
}
