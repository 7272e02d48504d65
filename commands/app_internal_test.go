package commands

import (
	"errors"
	"os"
	"syscall"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/managementapi"
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
