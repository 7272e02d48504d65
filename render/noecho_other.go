//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos)

package render

import (
	"context"

	"golang.org/x/term"
)

// readWithoutEcho reads a line without echo where there are no termios
// (Windows): term.ReadPassword, abandoned when ctx ends, with the console
// mode restored then.
func readWithoutEcho(ctx context.Context, fd int) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	done := make(chan lineRead, 1)
	go func() {
		secret, err := term.ReadPassword(fd)
		done <- lineRead{string(secret), err}
	}()
	select {
	case r := <-done:
		return r.line, r.err
	case <-ctx.Done():
		_ = term.Restore(fd, state)
		return "", ctx.Err()
	}
}
