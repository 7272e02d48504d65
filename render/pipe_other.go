//go:build !windows

package render

import (
	"errors"
	"syscall"
)

// BrokenPipe reports whether err is a write into a pipe whose reader has
// gone: EPIPE (SIGPIPE is caught, so the write fails instead of killing the
// process; see main.go). Windows says it its own way (pipe_windows.go).
func BrokenPipe(err error) bool { return errors.Is(err, syscall.EPIPE) }
