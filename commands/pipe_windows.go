//go:build windows

package commands

import (
	"errors"

	"golang.org/x/sys/windows"
)

// pipeGone reports whether err is how Windows fails a write into a pipe
// whose reader has gone: ERROR_NO_DATA ("The pipe is being closed") or
// ERROR_BROKEN_PIPE. Windows has no SIGPIPE and never says EPIPE; os/exec
// treats these two alike when it copies into a pipe.
func pipeGone(err error) bool {
	return errors.Is(err, windows.ERROR_NO_DATA) || errors.Is(err, windows.ERROR_BROKEN_PIPE)
}
