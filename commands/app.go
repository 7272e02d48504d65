// Package commands holds the Kong command tree of the baseten CLI: one file
// per command group, each leaf a struct whose tags declare its flags and
// whose Spec declares how it is documented. Main runs the tree.
package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// CLI is the root of the command tree.
type CLI struct {
	VersionFlag kong.VersionFlag `name:"version" help:"Print the version and exit."`

	Org        OrgCmd        `cmd:"" help:"Manage your Baseten organization"`
	Model      ModelCmd      `cmd:"" help:"Manage models, their deployments, environments and replicas"`
	Auth       AuthCmd       `cmd:"" help:"Log in with an API key, and switch between stored credentials"`
	Whoami     WhoamiCmd     `cmd:""`
	API        APICmd        `cmd:"" name:"api" help:"Send raw requests to the management API or to a model's inference host"`
	Sandbox    SandboxCmd    `cmd:"" help:"Run a local stand-in for the management API, to try the CLI or test scripts"`
	Completion CompletionCmd `cmd:""`
	Version    VersionCmd    `cmd:""`
	Help       HelpCmd       `cmd:"" hidden:"" help:"Show help for a command."`
}

// Getenv reads an environment variable; tests pass a map-backed one.
type Getenv func(string) string

// Environ lists the process's environment as NAME=value lines, as
// os.Environ does: what `sandbox exec` hands on to its COMMAND unchanged.
// Main binds it beside Getenv, so no command reads os.Environ itself and a
// test decides what a child inherits. A nil Environ lists nothing.
type Environ func() []string

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
		kong.PostBuild(namePlaceholders),
		kong.PostBuild(foldEnums),
		kong.PostBuild(summarizeLeaves),
	}, options...)...)
}

// summarizeLeaves gives every command that describes itself (Help, Kong's
// HelpProvider) the summary Kong lists it by: its first sentence.
func summarizeLeaves(k *kong.Kong) error {
	return kong.Visit(k.Model, func(node kong.Visitable, next kong.Next) error {
		if n, ok := node.(*kong.Node); ok && n.Help == "" && n.Detail != "" {
			n.Help = schema.FirstSentence(n.Detail)
		}
		return next(nil)
	})
}

// namePlaceholders gives every flag Kong's placeholder for the word the help
// uses (schema.TypeName), so that its messages speak the same language:
// "missing flags: --type=TEXT", not "--type=STRING".
func namePlaceholders(k *kong.Kong) error {
	return kong.Visit(k.Model, func(node kong.Visitable, next kong.Next) error {
		if flag, ok := node.(*kong.Flag); ok && flag.PlaceHolder == "" && !flag.IsBool() {
			name, err := schema.TypeName(flag)
			if err != nil {
				return err
			}
			flag.PlaceHolder = name
		}
		return next(nil)
	})
}

// Main parses args, runs the selected command and returns the exit code.
// It is the whole program; main.go only supplies the real process's streams,
// environment and interrupt-aware context.
func Main(ctx context.Context, args []string, streams *render.IO, getenv Getenv, environ Environ) (code int) {
	defer func() {
		// Last line of defence for "never a stack trace": a bug becomes one
		// error line a user can report, not a goroutine dump.
		if p := recover(); p != nil {
			code = report(streams, fmt.Errorf("internal error: %v (please report this)", p))
		}
	}()
	// The configured key is a secret from the start: a usage error may echo
	// it back (pasted into --remote-url, another variable or a stray argument).
	streams.Secrets.Add(strings.TrimSpace(getenv(schema.EnvAPIKey)))
	if getenv(schema.EnvNoColor) != "" || getenv(schema.EnvTerm) == "dumb" {
		streams.NoColor = true
	}
	if getenv(schema.EnvCompletionLine) != "" {
		// The shell asks for candidates (see completion.go); its arguments
		// are the word being typed and the one before, not a command line.
		return answerCompletion(ctx, streams, getenv)
	}
	if len(args) == 1 && args[0] == "--version" {
		// The one answer that needs no command tree: building it would be
		// most of what this run costs. (Kong's --version prints the same.)
		if _, err := fmt.Fprintln(streams.Out, Version()); err != nil && !closedStdout(err) {
			return report(streams, err)
		}
		return schema.ExitOK
	}
	earlyExit := -1
	var cli CLI
	newParser := func(options ...kong.Option) (*kong.Kong, error) {
		cli = CLI{}
		return NewParser(&cli, streams, func(code int) {
			if earlyExit < 0 {
				earlyExit = code
			}
		}, append(options, kong.Bind(streams, getenv, environ), kong.BindTo(ctx, (*context.Context)(nil)))...)
	}
	leftOut := leaveOutUnnamed(args)
	parser, err := newParser(leftOut...)
	if err != nil { // the command tree itself is malformed: a programming error
		return report(streams, fmt.Errorf("internal error: %w", err))
	}

	if err := versionMisplaced(parser, args); err != nil {
		return report(streams, err)
	}
	kctx, err := parser.Parse(args)
	if e, ok := errors.AsType[*exitError](err); ok && e.notArgs {
		return report(streams, e) // not a mistake the whole tree would explain better
	}
	_, hookRefused := errors.AsType[*exitError](err)
	if err != nil && earlyExit < 0 && len(leftOut) > 0 && !closedStdout(err) && !hookRefused {
		// A mistake is explained from the whole tree (suggestions, the
		// usage of the right command), so parse again with all of it.
		// Not when a command's own hook refused: its command was found,
		// and a hook may have consumed what a second run would read
		// differently (stdin, a FIFO: api --input -, -F key=@-).
		if parser, err = newParser(); err != nil {
			return report(streams, fmt.Errorf("internal error: %w", err))
		}
		kctx, err = parser.Parse(args)
	}
	if closedStdout(err) { // help written into a closed pipe (`--help | head -1`)
		return schema.ExitOK
	}
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
			return schema.ExitOK
		}
		return report(streams, asUsageError(err, root, args))
	}
	// A command runs from here: Ctrl-C must cancel what it does. (The real
	// process's context catches signals only once asked for Done, which
	// --help, --version and usage errors never do.)
	ctx.Done()
	if err := kctx.Run(); err != nil {
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			err = interrupted("interrupted", "")
		}
		if cmd, ok := commandOf(kctx.Selected()).(interface{ explainRejection(error) error }); ok {
			err = cmd.explainRejection(err)
		}
		return report(streams, err)
	}
	return schema.ExitOK
}
