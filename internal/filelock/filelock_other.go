//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package filelock

import "os"

// Elsewhere (Plan 9, Solaris, WebAssembly, ...) there is no lock: the
// file is still made and the ID written, but nothing is excluded.
func lock(*os.File) error { return nil }

func unlock(*os.File) error { return nil }

// openLockFile opens (or creates) the lock file at path for writing. (Links
// are a Unix matter.)
func openLockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}
