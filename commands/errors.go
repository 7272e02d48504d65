package commands

import (
	"errors"
	"fmt"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/schema"
)

// The error vocabulary of the commands. A command returns one of these
// when it knows the exit code (schema/exitcodes.go) or has a hint; any
// other error is classified by its type when it is reported (report.go).
// Wrap, don't copy: an error that adds words to another keeps it as its
// cause (fmt.Errorf with %w, then withCode), so errors.Is and errors.As
// still see what went wrong underneath.

// exitError is an error that knows its exit code and, where the user can
// act, a hint printed on the line after it.
type exitError struct {
	code int
	// msg is the error line; "" means the cause's message (and, with no
	// cause either, that the command has already said what went wrong).
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

func (e *exitError) Error() string {
	if e.msg == "" && e.cause != nil {
		return e.cause.Error()
	}
	return e.msg
}

func (e *exitError) Unwrap() error { return e.cause }

// ExitCode is the code the process exits with (Kong's ExitCoder).
func (e *exitError) ExitCode() int { return e.code }

// withCode is err, exiting with code, followed by hint ("" for none). Its
// message is err's; errors.Is and errors.As see err through it.
func withCode(code int, err error, hint string) error {
	return &exitError{code: code, hint: hint, cause: err}
}

// failed is an error of our own words, exit 1: fmt.Errorf's arguments (a
// %w among them keeps that error as the cause).
func failed(hint, format string, args ...any) error {
	return withCode(schema.ExitError, fmt.Errorf(format, args...), hint)
}

// notFound says that what the user named does not exist: exit 4.
func notFound(hint, format string, args ...any) error {
	return withCode(schema.ExitNotFound, fmt.Errorf(format, args...), hint)
}

// asNotFound turns the API's 404 in err into notFound's error, in our
// words (the API's own, "Team not found", would say it twice) and keeping
// the API's error as the cause; any other err, nil included, is returned
// as it is.
func asNotFound(err error, hint, format string, args ...any) error {
	if apiErr, ok := errors.AsType[*managementapi.APIError](err); !ok || apiErr.Status != 404 {
		return err
	}
	return withCode(schema.ExitNotFound, &wrapped{msg: fmt.Sprintf(format, args...), cause: err}, hint)
}

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

// outsideArgs is err, exiting with code, found while the command line is
// parsed but not a mistake on it (help that could not be written): no
// usage block follows it.
func outsideArgs(code int, err error) error {
	return &exitError{code: code, notArgs: true, cause: err}
}

// quietExit is exit code, with nothing more to say: what the command ran
// has said what went wrong (sandbox exec passing on COMMAND's code).
func quietExit(code int) error {
	return &exitError{code: code}
}

// interrupted is Ctrl-C (or SIGTERM, SIGHUP) stopping a command: exit 130.
func interrupted(msg, hint string) error {
	return &exitError{code: schema.ExitInterrupted, msg: msg, hint: hint}
}

// wrapped is an error with a message of its own that keeps another as its
// cause without repeating its words.
type wrapped struct {
	msg   string
	cause error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.cause }
