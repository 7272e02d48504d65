// Package commands holds the Kong command tree of the baseten CLI: one file
// per command group, each leaf a struct whose tags declare its flags and
// whose Spec declares how it is documented. Main runs the tree.
package commands

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
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
	Sandbox    SandboxCmd    `cmd:"" help:"Run a local stand-in for the management API, to try the CLI or test scripts"`
	Completion CompletionCmd `cmd:""`
	Version    VersionCmd    `cmd:""`
	Help       HelpCmd       `cmd:"" hidden:"" help:"Show help for a command."`
}

// Getenv reads an environment variable; tests pass a map-backed one.
type Getenv func(string) string

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
func Main(ctx context.Context, args []string, streams *render.IO, getenv Getenv) (code int) {
	defer func() {
		// Last line of defence for "never a stack trace": a bug becomes one
		// error line a user can report, not a goroutine dump.
		if p := recover(); p != nil {
			code = report(streams, fmt.Errorf("internal error: %v (please report this)", p))
		}
	}()
	// The configured key is a secret from the start: a usage error may echo
	// it back (pasted into --remote-url, another variable or a stray argument).
	streams.Secrets.Add(strings.TrimSpace(getenv(envAPIKey)))
	if getenv(envNoColor) != "" || getenv("TERM") == "dumb" {
		streams.NoColor = true
	}
	if getenv(envCompletionLine) != "" {
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
		}, append(options, kong.Bind(streams, getenv), kong.BindTo(ctx, (*context.Context)(nil)))...)
	}
	leftOut := leaveOutUnnamed(args)
	parser, err := newParser(leftOut...)
	if err != nil { // the command tree itself is malformed: a programming error
		return report(streams, fmt.Errorf("internal error: %w", err))
	}

	kctx, err := parser.Parse(args)
	if e, ok := errors.AsType[*exitError](err); ok && e.notArgs {
		return report(streams, e) // not a mistake the whole tree would explain better
	}
	if err != nil && earlyExit < 0 && len(leftOut) > 0 && !closedStdout(err) {
		// A mistake is explained from the whole tree (suggestions, the
		// usage of the right command), so parse again with all of it.
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
			err = &exitError{code: schema.ExitInterrupted, msg: "interrupted"}
		}
		if cmd, ok := commandOf(kctx.Selected()).(interface{ explainRejection(error) error }); ok {
			err = cmd.explainRejection(err)
		}
		return report(streams, err)
	}
	return schema.ExitOK
}

// leaveOutUnnamed returns the Kong option that leaves out of the model the
// commands a command line does not name: at each level of the path args
// spell (`org api-key list`), the siblings of the command named. Kong
// reflects over every struct it is given, and for `org api-key list --help`
// that was most of the run. Where the path ends, a group
// keeps all its commands (its help lists them); `help ...` and a bare
// command line keep the whole tree, and so does a parse error (Main parses
// again).
func leaveOutUnnamed(args []string) []kong.Option {
	var ignore []string
	for node, i := reflect.TypeFor[CLI](), 0; i < len(args) && args[i] != "help"; i++ {
		next, named := reflect.Type(nil), false
		for j := range node.NumField() {
			field := node.Field(j)
			if !isCommand(field) {
				continue
			}
			if commandName(field) == args[i] {
				next, named = field.Type, true
			} else {
				ignore = append(ignore, node.Name()+`\.`+field.Name)
			}
		}
		if !named {
			ignore = ignore[:len(ignore)-countCommands(node)] // a flag or a typo: keep this level whole
			break
		}
		if next == nil {
			break
		}
		node = next
	}
	if len(ignore) == 0 {
		return nil
	}
	// One alternation, not a pattern per field: Kong compiles each one,
	// and compiling was a sixth of `--help`.
	return []kong.Option{kong.IgnoreFields("^(?:" + strings.Join(ignore, "|") + ")$")}
}

func countCommands(node reflect.Type) int {
	n := 0
	for j := range node.NumField() {
		if isCommand(node.Field(j)) {
			n++
		}
	}
	return n
}

func isCommand(field reflect.StructField) bool {
	_, ok := field.Tag.Lookup("cmd")
	return ok
}

// commandName is the name Kong gives a command field: its name tag, else
// the field name in lower case. (Command fields without a name tag are
// single words; TestCommandNames holds this to the names Kong builds.)
func commandName(field reflect.StructField) string {
	if name := field.Tag.Get("name"); name != "" {
		return name
	}
	return strings.ToLower(field.Name)
}

// exitError is an error that knows its exit code and, where the user can
// act, a hint printed on the line after it.
type exitError struct {
	code int
	msg  string
	hint string
	// usage is the synopsis block that follows a command-line mistake; it
	// is ours (from the schema) and may span lines, unlike msg and hint.
	usage string
	// notArgs: found while the command line is parsed, but not a mistake
	// on it (an environment variable, where stdout goes, help that could
	// not be written), so no usage block follows it.
	notArgs bool
	cause   error // what went wrong underneath, if anything
}

func (e *exitError) Error() string { return e.msg }

func (e *exitError) Unwrap() error { return e.cause }

// ExitCode is the code the process exits with (Kong's ExitCoder).
func (e *exitError) ExitCode() int { return e.code }

// usageError is a mistake on the command line: exit 2, and the command's
// usage block after the error and its hint.
func usageError(msg, hint string) error {
	return &exitError{code: schema.ExitUsage, msg: msg, hint: hint}
}

// settingError is exit 2 too, for a value that is wrong before anything is
// sent but is not on the command line (an environment variable, stdout):
// the usage block would not help.
func settingError(msg, hint string) error {
	return &exitError{code: schema.ExitUsage, msg: msg, hint: hint, notArgs: true}
}

// asUsageError turns anything Kong's parsing returns (including our own hook
// errors) into exit 2, where Kong itself would exit 80, and follows the error
// with the selected command's usage line and a pointer to its --help; an
// error that is not about the command line (notArgs) stays as it is.
func asUsageError(err error, root *schema.Command, args []string) error {
	cmd := root
	var perr *kong.ParseError
	if errors.As(err, &perr) && perr.Context != nil {
		if found := root.Find(nodePath(perr.Context.Selected())...); found != nil {
			cmd = found
		}
	}
	usage := usageLines(cmd)
	var hider secretArguments
	if perr != nil && perr.Context != nil {
		hider, _ = commandOf(perr.Context.Selected()).(secretArguments)
	}
	if e, ok := errors.AsType[*exitError](err); ok {
		msg := e.msg
		if hider != nil { // our own checks say what is wrong: only the value goes
			msg = hideValues(msg, args, cmd.Path)
		}
		if e.notArgs { // not about the command line: no usage block
			setting := *e
			setting.msg = msg
			return &setting
		}
		return &exitError{code: schema.ExitUsage, msg: msg, hint: e.hint, usage: usage}
	}
	if hider != nil && echoesValues(err.Error(), args, cmd.Path) {
		return &exitError{code: schema.ExitUsage, msg: hider.secretArgumentsError(), hint: hider.secretArgumentsHint(), usage: usage}
	}
	return &exitError{code: schema.ExitUsage, msg: err.Error(), usage: usage}
}

// secretArguments is a command where a mistaken value on the command line
// is likely a secret (a key pasted after `auth login`): its parse errors
// say what is wrong without repeating what was typed, which Kong's would
// ("unexpected argument abcd1234.SECRET...").
type secretArguments interface {
	secretArgumentsError() string
	secretArgumentsHint() string
}

// commandOf is the command struct a Kong node stands for, or nil.
func commandOf(node *kong.Node) any {
	if node == nil || !node.Target.IsValid() || !node.Target.CanAddr() {
		return nil
	}
	return node.Target.Addr().Interface()
}

// echoesValues reports whether msg repeats a value from args (see
// typedValues), compared without case (Kong lower-cases some).
func echoesValues(msg string, args, path []string) bool {
	msg = strings.ToLower(msg)
	return slices.ContainsFunc(typedValues(args, path), func(value string) bool {
		return strings.Contains(msg, strings.ToLower(value))
	})
}

// typedValues are the values of a command line: its arguments, what
// follows "=" in a flag, and what follows the letter of a short flag
// written as one word ("-oVALUE") when that is long enough to be a key
// rather than more short flags ("-vq"). Flag names and the command's own
// words are not values.
func typedValues(args, path []string) []string {
	var values []string
	for _, arg := range args {
		switch {
		case slices.Contains(path, arg):
		case strings.HasPrefix(arg, "--"):
			if _, value, _ := strings.Cut(arg, "="); value != "" {
				values = append(values, value)
			}
		case strings.HasPrefix(arg, "-") && len(arg) > 2:
			if _, value, found := strings.Cut(arg, "="); found && value != "" {
				values = append(values, value)
			} else if len(arg)-2 >= minHiddenValue {
				values = append(values, arg[2:])
			}
		case !strings.HasPrefix(arg, "-"):
			values = append(values, arg)
		}
	}
	return values
}

// hideValues replaces in msg, a message of our own checks, every value of
// the command line long enough to be a key with render.Redacted: the rest
// still says what is wrong.
func hideValues(msg string, args, path []string) string {
	for _, value := range typedValues(args, path) {
		if len(value) >= minHiddenValue {
			quoted := strconv.Quote(value) // as %q writes it
			msg = strings.ReplaceAll(strings.ReplaceAll(msg, value, render.Redacted), quoted[1:len(quoted)-1], render.Redacted)
		}
	}
	return msg
}

// minHiddenValue is the length from which a typed value may be a key.
const minHiddenValue = 16

// maxErrorLine bounds the error line: a proxy's HTML error page must not
// flood the terminal.
const maxErrorLine = 300

// report prints err as one "Error:" line plus an optional hint and returns
// the exit code it maps to. The message and the hint may hold text from the
// server or the user, so each is redacted (secrets), then sanitized
// (terminal control), then shortened, in that order: a secret cut in half
// by shortening could not be recognised any more.
func report(streams *render.IO, err error) int {
	if closedStdout(err) {
		// The reader of stdout went away (`list | head`): nothing to report.
		return schema.ExitOK
	}
	code, hint := classify(err)
	if err.Error() == "" { // the command has said what went wrong (sandbox exec's COMMAND)
		return code
	}
	streams.Notef("Error: %s", shorten(streams.Clean(managementapi.OneLine(err.Error())), maxErrorLine))
	if hint != "" {
		streams.Notef("%s", hint)
	}
	if e, ok := errors.AsType[*exitError](err); ok && e.usage != "" {
		fmt.Fprintln(streams.Err, e.usage)
	}
	return code
}

// closedStdout reports whether err is a write into a pipe nobody reads any
// more (EPIPE; Windows says it its own way, see pipeGone). A connection to
// the API can fail so too; that is an error to report, not the quiet end
// of a pipeline.
func closedStdout(err error) bool {
	_, network := errors.AsType[*managementapi.NetworkError](err)
	return (errors.Is(err, syscall.EPIPE) || pipeGone(err)) && !network
}

// shorten cuts s to at most n characters, marking the cut with "...".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "..."
}

func classify(err error) (code int, hint string) {
	var (
		exitErr     *exitError
		apiErr      *managementapi.APIError
		netErr      *managementapi.NetworkError
		timeoutErr  *managementapi.TimeoutError
		redirectErr *managementapi.RedirectError
	)
	switch {
	case errors.As(err, &exitErr):
		return exitErr.ExitCode(), exitErr.hint
	case errors.As(err, &apiErr):
		code, hint := apiStatusCode(apiErr.Status)
		if apiErr.RetryAfter > 0 {
			hint = fmt.Sprintf("The API asked to retry after %s: try again at %s.", managementapi.FormatDuration(apiErr.RetryAfter), retryTime(apiErr.RetryAt.Local(), time.Now()))
		}
		return code, hint
	case errors.As(err, &timeoutErr):
		if timeoutErr.While == "" { // the whole call's limit
			return schema.ExitError, "Set " + envHTTPTimeout + " to allow more time, e.g. " + envHTTPTimeout + "=2m."
		}
		return schema.ExitError, "Check your network connection, --remote-url and " + envRemoteURL + "."
	case errors.As(err, &redirectErr):
		return schema.ExitError, "The management API never redirects: check --remote-url, " + envRemoteURL + " and " + envAPIOverride + "."
	case errors.As(err, &netErr):
		return schema.ExitError, "Check your network connection, --remote-url and " + envRemoteURL + "."
	}
	return schema.ExitError, ""
}

// retryTime names when to retry: the time of day, and the date too when
// that is not today.
func retryTime(at, now time.Time) string {
	if y, m, d := at.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return at.Format("15:04:05 MST")
	}
	return at.Format("2006-01-02 15:04:05 MST")
}

// apiStatusCode maps an API error status to the exit code and a hint.
func apiStatusCode(status int) (code int, hint string) {
	switch {
	case status == 401:
		return schema.ExitAuth, "Check that " + envAPIKey + " holds a valid API key for this remote."
	case status == 403:
		return schema.ExitAuth, "The API key lacks permission for this operation."
	case status == 404:
		return schema.ExitNotFound, ""
	case status >= 500:
		return schema.ExitServer, "The Baseten API had a problem; try again later."
	default:
		return schema.ExitRejected, ""
	}
}
