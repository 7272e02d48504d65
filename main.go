// Command baseten is a command-line client for the Baseten management API.
package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

func main() {
	// A closed stdout must surface as a write error (EPIPE), not kill the
	// process: `create` has to report the key it could not print.
	// (`sandbox exec` gives what it runs the default back.)
	signal.Ignore(syscall.SIGPIPE)
	os.Exit(commands.Main(&interrupts{}, os.Args[1:], render.Stdio(), os.Getenv, os.Environ))
}

// endSignals end a command: Ctrl-C, Ctrl-\ (SIGQUIT, which would otherwise
// make the Go runtime dump every goroutine and leave a prompt's terminal
// without echo), SIGTERM, and SIGHUP from a closed terminal.
var endSignals = []os.Signal{os.Interrupt, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP}

// interrupts is the context commands run in: the first of endSignals
// cancels it, and with it the request in flight (exit 130); a second one
// ends the process at once (a Ctrl-C or SIGTERM by its default action, a
// SIGQUIT with exit 130 and no goroutine dump), unless something holds
// signals (see HoldSignals).
//
// Signals are caught only once something asks for Done (Main does, when a
// command is about to run): catching them starts a thread of the
// runtime's, which is a good part of what `--version` or `--help` would
// otherwise cost.
type interrupts struct {
	once sync.Once
	ctx  context.Context
	held atomic.Int32
}

func (i *interrupts) caught() context.Context {
	i.once.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, endSignals...)
		go func() {
			<-signals
			cancel()
			for sig := range signals {
				if i.held.Load() == 0 {
					endNow(sig)
				}
			}
		}()
		i.ctx = ctx
	})
	return i.ctx
}

// HoldSignals keeps a second signal from ending the process until release
// is called: `sandbox exec` holds them while COMMAND runs (COMMAND decides
// how to end), and the key prompt while the terminal's echo is off (so
// that it is always turned back on). The first signal still cancels the
// context.
func (i *interrupts) HoldSignals() (release func()) {
	i.caught()
	i.held.Add(1)
	return sync.OnceFunc(func() { i.held.Add(-1) })
}

// endNow ends the process for a second signal: by the signal's default
// action where that is to end quietly, so the parent sees how it ended,
// else (SIGQUIT, or a system that cannot signal itself) with exit 130.
func endNow(sig os.Signal) {
	if sig != syscall.SIGQUIT {
		signal.Reset(sig)
		if self, err := os.FindProcess(os.Getpid()); err == nil && self.Signal(sig) == nil {
			time.Sleep(time.Second) // the default action ends the process meanwhile
		}
	}
	os.Exit(schema.ExitInterrupted)
}

func (i *interrupts) Done() <-chan struct{}       { return i.caught().Done() }
func (i *interrupts) Err() error                  { return i.caught().Err() }
func (i *interrupts) Deadline() (time.Time, bool) { return time.Time{}, false }
func (i *interrupts) Value(any) any               { return nil }
