//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package filelock

import (
	"errors"
	"os"
	"syscall"
)

// lock takes an flock, not an fcntl lock: an flock belongs to the open
// file, so two opens in one process exclude each other too (an fcntl lock
// is the process's, and closing any descriptor of the file drops it).
func lock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return ErrHeld
		}
		return &os.PathError{Op: "flock", Path: f.Name(), Err: err}
	}
}

// unlock has nothing to do: closing the file releases its flock.
func unlock(*os.File) error { return nil }
