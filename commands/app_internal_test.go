package commands

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/alecthomas/kong"
	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

// Only a write into a pipe nobody reads is the quiet end of a pipeline; a
// connection to the API failing with EPIPE is an error to report.
func TestClosedStdout(t *testing.T) {
	stdoutGone := &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}
	assert.Assert(t, closedStdout(stdoutGone))
	assert.Assert(t, closedStdout(errors.Join(errors.New("help"), stdoutGone)))
	apiGone := &managementapi.NetworkError{Host: "api.baseten.co", Err: &os.SyscallError{Syscall: "write", Err: syscall.EPIPE}}
	assert.Assert(t, !closedStdout(apiGone))
	assert.Assert(t, !closedStdout(errors.New("other")))
}

// A real pipe whose reader is gone, as each platform reports it (EPIPE on
// Unix, ERROR_NO_DATA on Windows).
func TestClosedPipeIsClosedStdout(t *testing.T) {
	r, w, err := os.Pipe()
	assert.NilError(t, err)
	r.Close()
	defer w.Close()
	_, err = w.Write([]byte("data\n"))
	assert.Assert(t, closedStdout(err), "%v", err)
}

// leaveOutUnnamed names commands as Kong does, at every level.
func TestCommandNames(t *testing.T) {
	var cli CLI
	parser, err := NewParser(&cli, &render.IO{Out: io.Discard, Err: io.Discard}, func(int) {})
	assert.NilError(t, err)
	var walk func(node *kong.Node, typ reflect.Type)
	walk = func(node *kong.Node, typ reflect.Type) {
		var ours []string
		var types []reflect.Type
		for i := range typ.NumField() {
			if field := typ.Field(i); isCommand(field) {
				ours = append(ours, commandName(field))
				types = append(types, field.Type)
			}
		}
		var built []string
		for _, child := range node.Children {
			built = append(built, child.Name)
		}
		assert.DeepEqual(t, ours, built)
		for i, child := range node.Children {
			walk(child, types[i])
		}
	}
	walk(parser.Model.Node, reflect.TypeFor[CLI]())
}

// The pruned tree holds exactly the path the arguments name.
func TestLeaveOutUnnamed(t *testing.T) {
	model := func(args ...string) string {
		var cli CLI
		parser, err := NewParser(&cli, &render.IO{Out: io.Discard, Err: io.Discard}, func(int) {}, leaveOutUnnamed(args)...)
		assert.NilError(t, err)
		var names []string
		var walk func(node *kong.Node)
		walk = func(node *kong.Node) {
			for _, child := range node.Children {
				names = append(names, child.Path())
				walk(child)
			}
		}
		walk(parser.Model.Node)
		return strings.Join(names, ", ")
	}
	assert.Equal(t, model("org", "api-key", "list", "--help"), "org, org api-key, org api-key list")
	assert.Equal(t, model("org", "api-key", "--help"), "org, org api-key, org api-key list, org api-key create, org api-key delete")
	assert.Equal(t, model("org", "api-key", "lsit"), "org, org api-key, org api-key list, org api-key create, org api-key delete")
	whole := model()
	assert.Assert(t, strings.Contains(whole, "sandbox serve"), whole)
	assert.Equal(t, model("help", "org"), whole)
	assert.Equal(t, model("--help"), whole)
	assert.Equal(t, model("nope"), whole)
}

// typeFlagValue spells every category as --type takes it.
func TestTypeFlagValue(t *testing.T) {
	for flag, category := range categories {
		assert.Equal(t, typeFlagValue(category), flag)
	}
	assert.Equal(t, typeFlagValue("SOMETHING_NEW"), "something-new")
}

// A wait that ends today names the time; one that ends on another day
// names the date too (a Retry-After of two days, or a date).
func TestRetryTime(t *testing.T) {
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	assert.Equal(t, retryTime(now.Add(2*time.Minute), now), "08:02:00 UTC")
	assert.Equal(t, retryTime(now.Add(48*time.Hour), now), "2026-12-04 08:00:00 UTC")
	assert.Equal(t, retryTime(now.Add(16*time.Hour), now), "2026-12-03 00:00:00 UTC")
}
