// Package commands holds the Kong command tree of the baseten CLI: one file
// per command group, each leaf a struct whose tags declare its flags and
// whose Spec declares how it is documented. Main runs the tree.
package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// CLI is the root of the command tree.
type CLI struct {
	VersionFlag kong.VersionFlag `name:"version" help:"Print the version and exit."`

	Org     OrgCmd     `cmd:"" help:"Manage your Baseten organization"`
	Sandbox SandboxCmd `cmd:"" help:"Run a local stand-in for the management API, to try the CLI or test scripts"`
	Version VersionCmd `cmd:"" help:"Print version information."`
	Help    HelpCmd    `cmd:"" hidden:"" help:"Show help for a command."`
}

// Getenv reads an environment variable; tests pass a map-backed one.
type Getenv func(string) string

// Exit codes, named once in schema (the docs print the same table).
const (
	exitOK          = schema.ExitOK
	exitOther       = schema.ExitError
	exitUsage       = schema.ExitUsage
	exitAuth        = schema.ExitAuth
	exitNotFound    = schema.ExitNotFound
	exitRejected    = schema.ExitRejected
	exitServer      = schema.ExitServer
	exitInterrupted = schema.ExitInterrupted
)

// NewParser builds the Kong parser for the whole tree. exit receives the code
// Kong wants to exit with after printing help; it must not exit the process.
func NewParser(cli *CLI, streams *render.IO, exit func(int), options ...kong.Option) (*kong.Kong, error) {
	return kong.New(cli, append([]kong.Option{
		kong.Name(schema.Program),
		kong.Description("Command-line client for the Baseten management API."),
		kong.Writers(streams.Out, streams.Err),
		kong.Exit(exit),
		kong.Help(helpPrinter(streams)),
		kong.Vars{"version": Version().String()},
	}, options...)...)
}

// Main parses args, runs the selected command and returns the exit code.
// It is the whole program; main.go only supplies the real process's streams,
// environment and interrupt-aware context.
func Main(ctx context.Context, args []string, streams *render.IO, getenv Getenv) (code int) {
	defer func() {
		// Last line of defence for "never a stack trace": a bug becomes one
		// error line a user can report, not a goroutine dump.
		if p := recover(); p != nil {
			code = report(streams, fmt.Errorf("internal error: %v (please report this)", p))
		}
	}()
	earlyExit := -1
	var cli CLI
	parser, err := NewParser(&cli, streams, func(code int) {
		if earlyExit < 0 {
			earlyExit = code
		}
	}, kong.Bind(streams, getenv), kong.BindTo(ctx, (*context.Context)(nil)))
	if err != nil { // the command tree itself is malformed: a programming error
		return report(streams, fmt.Errorf("internal error: %w", err))
	}

	kctx, err := parser.Parse(args)
	if earlyExit >= 0 { // --help or --version was handled (and printed) during parsing
		return earlyExit
	}
	if err != nil {
		root, buildErr := schema.Build(parser.Model)
		if buildErr != nil {
			return report(streams, fmt.Errorf("internal error: %w", buildErr))
		}
		if group := groupSelectedBy(root, args); group != nil {
			// `baseten org` alone: show what the group holds, like gh does.
			if err := writeHelp(streams.Out, group, streams.HelpWidth()); err != nil {
				return report(streams, err)
			}
			return exitOK
		}
		return report(streams, asUsageError(err, root))
	}
	if err := kctx.Run(); err != nil {
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			err = &exitError{code: exitInterrupted, msg: "interrupted"}
		}
		return report(streams, err)
	}
	return exitOK
}

// exitError is an error that knows its exit code and, where the user can
// act, a hint printed on the line after it.
type exitError struct {
	code int
	msg  string
	hint string
}

func (e *exitError) Error() string { return e.msg }

func usageError(msg, hint string) error { return &exitError{code: exitUsage, msg: msg, hint: hint} }

// asUsageError turns anything Kong's parsing returns (including our own hook
// errors) into exit 2, where Kong itself would exit 80, and follows the error
// with the selected command's usage line and a pointer to its --help.
func asUsageError(err error, root *schema.Command) error {
	cmd := root
	var perr *kong.ParseError
	if errors.As(err, &perr) && perr.Context != nil {
		if found := root.Find(nodePath(perr.Context.Selected())...); found != nil {
			cmd = found
		}
	}
	usage := usageLines(cmd)
	var e *exitError
	if errors.As(err, &e) {
		if e.hint != "" {
			usage = e.hint + "\n" + usage
		}
		return &exitError{code: exitUsage, msg: e.msg, hint: usage}
	}
	return &exitError{code: exitUsage, msg: err.Error(), hint: usage}
}

// report prints err as one "Error:" line plus an optional hint and returns
// the exit code it maps to.
func report(streams *render.IO, err error) int {
	if errors.Is(err, syscall.EPIPE) {
		// The reader of stdout went away (`list | head`): nothing to report.
		return exitOK
	}
	code, hint := classify(err)
	if err.Error() == "" { // the command has said what went wrong (sandbox exec's COMMAND)
		return code
	}
	streams.Notef("Error: %s", oneLine(err.Error()))
	if hint != "" {
		streams.Notef("%s", hint)
	}
	return code
}

func classify(err error) (code int, hint string) {
	var (
		exitErr *exitError
		apiErr  *managementapi.APIError
		netErr  *managementapi.NetworkError
	)
	switch {
	case errors.As(err, &exitErr):
		return exitErr.code, exitErr.hint
	case errors.As(err, &apiErr):
		switch s := apiErr.Status; {
		case s == 401:
			return exitAuth, "Check that " + envAPIKey + " holds a valid API key for this remote."
		case s == 403:
			return exitAuth, "The API key lacks permission for this operation."
		case s == 404:
			return exitNotFound, ""
		case s >= 500:
			return exitServer, "The Baseten API had a problem; try again later."
		default:
			return exitRejected, ""
		}
	case errors.As(err, &netErr):
		return exitOther, "Check your network connection, --remote-url and " + envRemoteURL + "."
	}
	return exitOther, ""
}

var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// oneLine keeps an error on its one line even when a server message or a
// wrapped cause contains line breaks.
func oneLine(s string) string { return lineBreaks.Replace(s) }
