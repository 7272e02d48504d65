// Package atomicfile writes files so that a reader, or the next start after a
// crash, sees either the old content or the new, never a mix or a torn file.
package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
)

// Write replaces path with data: it writes a temporary file in the same
// directory (a rename is only atomic within one file system), syncs it to
// disk, gives it perm and renames it over path, then syncs the directory so
// the rename itself survives a crash. A missing directory is created with
// mode 0700, since the files written this way hold credentials.
func Write(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp makes the file 0600; perm is applied before any data is
	// written, so the content is never readable more widely than asked.
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return &NotDurableError{Err: err}
	}
	return nil
}

// NotDurableError is a write that replaced the file, whose directory could
// then not be synced: readers see the new content, but a crash may bring
// the old one back. A caller that keeps a copy of what the file holds
// must count the new content as written.
type NotDurableError struct {
	Err error
}

func (e *NotDurableError) Error() string {
	return "the file was replaced, but the change may not survive a crash: " + e.Err.Error()
}

func (e *NotDurableError) Unwrap() error { return e.Err }

// syncDir makes a rename in dir durable. Some systems cannot sync a
// directory (Windows cannot open one); the rename has happened regardless.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
