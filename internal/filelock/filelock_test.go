package filelock_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/internal/filelock"
)

// Two opens in one process exclude each other; the holder's ID can be
// read while it holds the lock; after Unlock the lock can be taken again.
func TestTryLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "x.lock")
	l, err := filelock.TryLock(path)
	assert.NilError(t, err)
	info, err := os.Stat(path)
	assert.NilError(t, err)
	assert.Equal(t, info.Mode().Perm(), os.FileMode(0o600))

	_, err = filelock.TryLock(path)
	assert.ErrorIs(t, err, filelock.ErrHeld)
	assert.Equal(t, filelock.Holder(path), os.Getpid())

	assert.NilError(t, l.Unlock())
	assert.Equal(t, filelock.Holder(path), 0, "no ID once released")
	again, err := filelock.TryLock(path)
	assert.NilError(t, err)
	assert.NilError(t, again.Unlock())
	_, err = os.Stat(path)
	assert.NilError(t, err, "the lock file stays")
}

func TestHolderOfNoLock(t *testing.T) {
	dir := t.TempDir()
	assert.Equal(t, filelock.Holder(filepath.Join(dir, "missing")), 0)
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "junk"), []byte("not a pid"), 0o600))
	assert.Equal(t, filelock.Holder(filepath.Join(dir, "junk")), 0)
}

// The lock is the process's, for the OS: another process is refused
// while it lives, and once it is killed (no chance to unlock) the lock is
// free.
func TestLockDiesWithTheProcess(t *testing.T) {
	if path := os.Getenv("FILELOCK_TEST_HOLD"); path != "" {
		_, err := filelock.TryLock(path)
		if err != nil {
			os.Stdout.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		time.Sleep(time.Minute) // the test kills it long before: only a guard
		os.Exit(2)
	}
	path := filepath.Join(t.TempDir(), "x.lock")
	holder := exec.Command(os.Args[0], "-test.run=^TestLockDiesWithTheProcess$")
	holder.Env = append(os.Environ(), "FILELOCK_TEST_HOLD="+path)
	out, err := holder.StdoutPipe()
	assert.NilError(t, err)
	assert.NilError(t, holder.Start())
	line, err := bufio.NewReader(out).ReadString('\n')
	assert.NilError(t, err)
	assert.Equal(t, line, "locked\n")

	_, err = filelock.TryLock(path)
	assert.ErrorIs(t, err, filelock.ErrHeld)
	assert.Equal(t, filelock.Holder(path), holder.Process.Pid)

	assert.NilError(t, holder.Process.Kill())
	var exitErr *exec.ExitError
	assert.Assert(t, errors.As(holder.Wait(), &exitErr))
	l, err := filelock.TryLock(path)
	assert.NilError(t, err)
	assert.NilError(t, l.Unlock())
}

// A lock file that is a link is refused, and what it links to is left as
// it is: the holder's ID would have overwritten it.
func TestTryLockRefusesALink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("links are a Unix matter here")
	}
	dir := t.TempDir()
	victim := filepath.Join(dir, "notes.txt")
	assert.NilError(t, os.WriteFile(victim, []byte("precious\n"), 0o600))
	for name, link := range map[string]func(target, path string) error{"symlink": os.Symlink, "hard link": os.Link} {
		path := filepath.Join(dir, name+".lock")
		assert.NilError(t, link(victim, path))
		_, err := filelock.TryLock(path)
		assert.ErrorIs(t, err, filelock.ErrNotALockFile, name)
	}
	data, err := os.ReadFile(victim)
	assert.NilError(t, err)
	assert.Equal(t, string(data), "precious\n")
}
