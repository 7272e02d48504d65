// Package filelock gives one open file at a time the sole use of a lock
// file: the lock is the operating system's (flock on Unix, LockFileEx on
// Windows), so it goes with the process however the process ends, and no
// stale lock is ever left to clean up by hand.
//
// The lock file is never removed: removing it would let a process that
// opened it just before the removal lock the old file while another locks
// a new one, both believing they are alone.
package filelock

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// ErrHeld is TryLock's answer while another open file holds the lock, in
// this process or another.
var ErrHeld = errors.New("the lock is held")

// ErrNotALockFile is TryLock's answer for a path that is a link (symbolic
// or hard) or not a regular file: the holder writes its ID into the lock
// file, which would overwrite whatever the link leads to.
var ErrNotALockFile = errors.New("is not a lock file of its own (a link to another file, or not a regular file); move it away")

// Lock is a held lock; Unlock releases it.
type Lock struct {
	f *os.File
}

// TryLock creates path (mode 0600, and its directory 0700) if need be and
// locks it without waiting. Once locked, it writes the process's ID into
// the file, for Holder. While another holds the lock, it returns ErrHeld.
func TryLock(path string) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := openLockFile(path)
	if err != nil {
		return nil, err
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, err
	}
	// Only a help for the message of whoever finds the lock held; the lock
	// stands without it.
	if f.Truncate(0) == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock; the file stays (see the package comment).
func (l *Lock) Unlock() error {
	// Emptied first, so that the ID of a process that no longer holds the
	// lock is not shown to anyone.
	_ = l.f.Truncate(0)
	return errors.Join(unlock(l.f), l.f.Close())
}

// Holder returns the process ID the holder of the lock at path wrote
// there, or 0 when there is none to read (not written yet, or not a lock
// file of this package).
func Holder(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	var buf [32]byte
	n, _ := io.ReadFull(f, buf[:])
	pid, err := strconv.Atoi(string(bytes.TrimSpace(buf[:n])))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
