//go:build windows

package render

import (
	"errors"
	"syscall"

	"golang.org/x/sys/windows"
)

// BrokenPipe reports whether err is a write into a pipe whose reader has
// gone. Windows has no SIGPIPE and never says EPIPE: it fails such a write
// with ERROR_NO_DATA ("The pipe is being closed") or ERROR_BROKEN_PIPE,
// which os/exec treats alike when it copies into a pipe.
func BrokenPipe(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, windows.ERROR_NO_DATA) || errors.Is(err, windows.ERROR_BROKEN_PIPE)
}
