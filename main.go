// Command baseten is a command-line client for the Baseten management API.
package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
)

func main() {
	// A closed stdout must surface as a write error (EPIPE), not kill the
	// process: `create` has to report the key it could not print.
	// (`sandbox exec` gives what it runs the default back.)
	signal.Ignore(syscall.SIGPIPE)
	os.Exit(commands.Main(&interrupts{}, os.Args[1:], render.Stdio(), os.Getenv))
}

// interrupts is the context commands run in: the first Ctrl-C (or SIGTERM,
// or SIGHUP from a closed terminal) cancels it, and with it the request in
// flight (exit 130); once it has, signals get their default behaviour back,
// so a second one kills at once.
//
// Signals are caught only once something asks for Done (Main does, when a
// command is about to run): catching them starts a thread of the
// runtime's, which is a good part of what `--version` or `--help` would
// otherwise cost.
type interrupts struct {
	once sync.Once
	ctx  context.Context
}

func (i *interrupts) caught() context.Context {
	i.once.Do(func() {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
		go func() { <-ctx.Done(); stop() }()
		i.ctx = ctx
	})
	return i.ctx
}

func (i *interrupts) Done() <-chan struct{}       { return i.caught().Done() }
func (i *interrupts) Err() error                  { return i.caught().Err() }
func (i *interrupts) Deadline() (time.Time, bool) { return time.Time{}, false }
func (i *interrupts) Value(any) any               { return nil }
