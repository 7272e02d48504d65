//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package filelock

import (
	"errors"
	"os"
	"syscall"
)

// openLockFile opens (or creates, 0600) the lock file at path for writing,
// refusing a symbolic link (O_NOFOLLOW), a file with other names (a hard
// link) and anything but a regular file: the ID written into it would
// overwrite another file.
func openLockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		// ELOOP on Linux, other errors elsewhere: the link says it.
		if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&os.ModeSymlink != 0 {
			return nil, &os.PathError{Op: "lock", Path: path, Err: ErrNotALockFile}
		}
		return nil, err
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		f.Close()
		return nil, err
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Nlink != 1 {
		f.Close()
		return nil, &os.PathError{Op: "lock", Path: path, Err: ErrNotALockFile}
	}
	return f, nil
}

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
