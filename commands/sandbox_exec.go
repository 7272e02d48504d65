package commands

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// SandboxExecCmd is `baseten sandbox exec`.
type SandboxExecCmd struct {
	Command []string `arg:"" passthrough:"" placeholder:"COMMAND [ARGS...]" help:"The command to run and its arguments."`
	StateFlag
}

func (c *SandboxExecCmd) Help() string {
	return "Run a command against a local sandbox. The sandbox listens on a free port of 127.0.0.1; COMMAND runs with BASETEN_REMOTE_URL, BASETEN_INFERENCE_BASE_URL_OVERRIDE and BASETEN_API_KEY pointing at it and with this baseten first on PATH, from a temporary directory that holds nothing else. SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to exec are passed on to COMMAND, which decides how to end (a terminal's Ctrl-C reaches it directly, once). When COMMAND ends, the sandbox saves and stops, and exec exits with COMMAND's exit code (128+N if signal N ended it, 127 if COMMAND is not found, 126 if it cannot be run)."
}

func (c *SandboxExecCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Create a key and list the keys, against the sandbox", Command: "baseten sandbox exec -- sh -c 'baseten org api-key create --type personal --name demo && baseten org api-key list'"},
			{Description: "Run a command against a fresh sandbox that keeps nothing", Command: "baseten sandbox exec --state '' -- baseten org api-key list"},
			{Description: "Show the URL any API client in COMMAND would use", Command: "baseten sandbox exec -- printenv BASETEN_REMOTE_URL"},
		},
		TextOutput: "Whatever COMMAND prints; exec itself prints nothing but its own errors.",
	}
}

// AfterApply drops the "--" that ends exec's own flags: Kong passes it
// through with the rest.
func (c *SandboxExecCmd) AfterApply() error {
	if len(c.Command) > 0 && c.Command[0] == "--" {
		c.Command = c.Command[1:]
	}
	if len(c.Command) == 0 {
		return usageError("missing COMMAND to run", "")
	}
	return nil
}

func (c *SandboxExecCmd) Run(ctx context.Context, kctx *kong.Context, streams *render.IO, getenv Getenv, environ Environ) error {
	sb, err := c.open(kctx, getenv, "")
	if err != nil {
		return err
	}
	defer sb.Close() // for the early returns; the last ones report its error
	if err := ctx.Err(); err != nil {
		return err // interrupted while the state loaded: COMMAND never starts
	}
	// From here to the end, a second signal must not end exec (main's
	// context would): the sandbox has to outlive COMMAND's cleanup, and
	// then save and remove what exec made. The signals go to COMMAND
	// (runCommand).
	if holder, ok := ctx.(interface{ HoldSignals() (release func()) }); ok {
		defer holder.HoldSignals()()
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("cannot listen on 127.0.0.1: %w", unwrapOpError(err))
	}
	// The sandbox lives as long as COMMAND, whatever signals exec gets:
	// COMMAND decides how to end, and its exit code is exec's.
	stop, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serveUntil(stop, listener, sb, streams.Err) }()

	code, runErr := runCommand(ctx, c.Command, urlOf(listener.Addr()), sb.AdminKey(), streams, getenv, environ)
	cancel()
	if err := errors.Join(runErr, <-served, sb.Close()); err != nil {
		return err
	}
	if code != 0 {
		return quietExit(code) // COMMAND has said what went wrong
	}
	return nil
}
