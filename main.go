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
	// process: `create` has to report the key it could not print.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := commands.Main(ctx, os.Args[1:], render.Stdio(), os.Getenv)
	stop()
	os.Exit(code)
}
