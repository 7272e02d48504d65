package credentials

// The files of a config directory: how they are read, written and kept
// private, and how large they may grow.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/basetenlabs/baseten/internal/atomicfile"
)

// maxFileBytes bounds what is read of a file of the directory, and so what
// is ever written to one: a file the next command could not read would
// lock every command out of the store, logout included.
const maxFileBytes = 1 << 20

// TooLargeError is a change refused because it would make a file of the
// directory larger than baseten reads back. Nothing was changed.
type TooLargeError struct {
	Path string
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s would grow past %d MiB, more than baseten reads back; nothing was stored", e.Path, maxFileBytes>>20)
}

// recovery is what to do about a config or credentials file that cannot be
// read: both files go, since a credentials file without its config holds
// keys nothing points to any more.
func (s *Store) recovery() string {
	return fmt.Sprintf("remove %s and %s to start afresh (keys kept in the OS keyring stay there, under the service %q)",
		filepath.Join(s.dir, configFile), s.secretsPath(), Service)
}

func (s *Store) encodeConfig(cfg config) ([]byte, error) {
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileBytes {
		return nil, &TooLargeError{Path: filepath.Join(s.dir, configFile)}
	}
	return data, nil
}

func (s *Store) writeConfig(cfg config) error {
	data, err := s.encodeConfig(cfg)
	if err != nil {
		return err
	}
	if err := s.write(configFile, data); err != nil {
		return err
	}
	s.cfg = cfg
	return nil
}

// readSecrets reads the credentials file: label -> key.
func (s *Store) readSecrets() (map[string]string, error) {
	data, err := s.readPrivate(s.secretsPath())
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	var secrets struct {
		Keys map[string]string `json:"keys"`
	}
	if err := strictJSON(data, &secrets); err != nil || secrets.Keys == nil {
		return nil, &FileError{Path: s.secretsPath(), Err: errors.New("does not parse; " + s.recovery() + ", then log in again")}
	}
	return secrets.Keys, nil
}

// encodeSecrets returns the credentials file with change made, or a
// *TooLargeError; nothing is written.
func (s *Store) encodeSecrets(change func(map[string]string)) ([]byte, error) {
	secrets, err := s.readSecrets()
	if err != nil {
		return nil, err
	}
	change(secrets)
	data, err := json.MarshalIndent(struct {
		Keys map[string]string `json:"keys"`
	}{secrets}, "", "  ")
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileBytes {
		return nil, &TooLargeError{Path: s.secretsPath()}
	}
	return data, nil
}

func (s *Store) updateSecrets(change func(map[string]string)) error {
	data, err := s.encodeSecrets(change)
	if err != nil {
		return err
	}
	return s.write(secretsFile, data)
}

// privateDir makes the directory, 0700. An existing one that others may
// read or write in is refused and left as it is: its mode is its owner's
// (BASETEN_CONFIG_DIR=$HOME would otherwise take $HOME private, and as
// root, BASETEN_CONFIG_DIR=/ the whole file system), and files others may
// have put there cannot be trusted. Only a directory made here, which a
// umask cannot widen, is ever given its mode.
func (s *Store) privateDir() error {
	_, err := os.Stat(s.dir)
	created := false
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(s.dir, 0o700); err != nil {
			return &FileError{Path: s.dir, Err: err}
		}
		created = true
	}
	info, err := os.Stat(s.dir)
	if err != nil {
		return &FileError{Path: s.dir, Err: err}
	}
	mode := info.Mode()
	switch {
	case !info.IsDir():
		return &FileError{Path: s.dir, Err: errors.New("is not a directory")}
	case runtime.GOOS == "windows" || mode.Perm()&0o077 == 0:
		return nil
	case created:
		if err := os.Chmod(s.dir, 0o700); err != nil {
			return &FileError{Path: s.dir, Err: err}
		}
		return nil
	case mode&os.ModeSticky != 0 || mode.Perm()&0o002 != 0:
		return &FileError{Path: s.dir, Err: fmt.Errorf("others may write in it (mode %04o), so it holds no keys; set BASETEN_CONFIG_DIR to a directory of your own", mode.Perm())}
	}
	return &FileError{Path: s.dir, Err: fmt.Errorf("others may read it (mode %04o), so it holds no keys; make it private with chmod 700 %s, or set BASETEN_CONFIG_DIR to a directory of your own", mode.Perm(), s.dir)}
}

// write replaces a file of the directory atomically, 0600. (The directory
// is made private first: every change runs under locked.) A file that is
// a symbolic link (into a dotfiles repository, say) is written through:
// the new content goes to a temporary file beside the link's target and
// is renamed over the target, so the link stays and the store is not
// forked into a regular file the link no longer sees.
func (s *Store) write(name string, data []byte) error {
	path := filepath.Join(s.dir, name)
	target, err := linkTarget(path)
	if err != nil {
		return &FileError{Path: path, Err: err}
	}
	if err := atomicfile.Write(target, data, 0o600); err != nil {
		return &FileError{Path: path, Err: err}
	}
	return nil
}

// linkTarget is the file a write of path replaces: path itself, or, when
// path is a symbolic link, the file it leads to. A link that leads nowhere
// is refused: writing would either replace the link or create a file at a
// place the user never named.
func linkTarget(path string) (string, error) {
	info, err := os.Lstat(path)
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return path, nil // missing: created; other errors show when it is written
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("is a symbolic link that cannot be followed (%w); point it at a file, or remove it", err)
	}
	return target, nil
}

// readPrivate reads a file of the directory, refusing one others may read
// or write where modes mean something: it holds keys, or says where they
// are, and someone may have tampered with it.
func (s *Store) readPrivate(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, &FileError{Path: path, Err: err}
	}
	if !info.Mode().IsRegular() {
		return nil, &FileError{Path: path, Err: errors.New("is not a regular file")}
	}
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, &FileError{Path: path, Err: fmt.Errorf("is readable by others (mode %04o); make it 0600", info.Mode().Perm())}
	}
	if info.Size() > maxFileBytes {
		return nil, &FileError{Path: path, Err: fmt.Errorf("is larger than %d MiB, more than baseten ever writes; %s", maxFileBytes>>20, s.recovery())}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	return data, nil
}

// strictJSON decodes data refusing unknown fields and trailing data.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}
