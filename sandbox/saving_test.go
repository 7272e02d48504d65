package sandbox_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/internal/atomicfile"
	"github.com/basetenlabs/baseten/sandbox"
)

// diskFull makes every state write fail with ENOSPC until the test ends
// or the returned func is called.
func diskFull(t *testing.T) (recover func()) {
	restore := sandbox.SetStateWriter(func(string, []byte, os.FileMode) error {
		return &os.PathError{Op: "write", Path: "state", Err: syscall.ENOSPC}
	})
	t.Cleanup(restore)
	return restore
}

// assertMemoryIsDisk: what the sandbox holds in memory, all of it, is what
// its state file holds.
func assertMemoryIsDisk(t *testing.T, srv *sandbox.Server, path string) {
	t.Helper()
	onDisk, err := os.ReadFile(path)
	assert.NilError(t, err)
	assert.Equal(t, string(sandbox.StateBytes(srv)), string(onDisk))
}

// A change whose save fails (here a full disk) is answered 500 and undone:
// the list never shows a key the file does not hold, a delete that failed
// leaves the key in place, and refused creates do not pile up in memory.
func TestFailedSaveIsRolledBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e := open(t, path, "")
	admin := e.srv.AdminKey()
	kept := e.create("/v1/api_keys", `{"type":"PERSONAL","name":"kept"}`)
	keptPrefix, _, _ := strings.Cut(kept, ".")
	before, err := os.ReadFile(path)
	assert.NilError(t, err)

	recover := diskFull(t)
	for range 20 {
		r := e.call("POST", "/v1/api_keys", admin, `{"type":"PERSONAL","name":"lost"}`)
		assert.Equal(t, r.status, http.StatusInternalServerError)
		assert.Assert(t, is.Contains(detail(t, r), "no space left on device"))
	}
	r := e.call("POST", "/v1/teams/"+e.srv.Teams()[0].ID+"/api_keys", admin, `{"type":"PERSONAL","name":"lost"}`)
	assert.Equal(t, r.status, http.StatusInternalServerError)
	r = e.call("DELETE", "/v1/api_keys/"+keptPrefix, admin, "")
	assert.Equal(t, r.status, http.StatusInternalServerError)

	var names []string
	for _, k := range e.list(admin) {
		names = append(names, *k.Name)
	}
	assert.DeepEqual(t, names, []string{"sandbox-admin", "kept"})
	assert.Equal(t, len(e.srv.Keys()), 2, "refused creates are not kept in memory")
	after, err := os.ReadFile(path)
	assert.NilError(t, err)
	assert.Equal(t, string(after), string(before))
	assertMemoryIsDisk(t, e.srv, path)

	// The key still works, and once the disk has room the delete goes through.
	recover()
	assert.Equal(t, e.call("GET", "/v1/api_keys", kept, "").status, http.StatusOK)
	assert.Equal(t, e.call("DELETE", "/v1/api_keys/"+keptPrefix, admin, "").status, http.StatusOK)
	assertMemoryIsDisk(t, e.srv, path)
}

// A write that replaced the file but could not sync its directory leaves
// the new state in the file: memory keeps it too (the client hears of the
// risk), rather than rolling back to what the file no longer holds.
func TestReplacedButNotDurableKeepsTheChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e := open(t, path, "")
	defer sandbox.SetStateWriter(func(path string, data []byte, perm os.FileMode) error {
		if err := atomicfile.Write(path, data, perm); err != nil {
			return err
		}
		return &atomicfile.NotDurableError{Err: syscall.EIO}
	})()
	r := e.call("POST", "/v1/api_keys", e.srv.AdminKey(), `{"type":"PERSONAL","name":"written"}`)
	assert.Equal(t, r.status, http.StatusInternalServerError)
	assert.Equal(t, len(e.srv.Keys()), 2)
	assertMemoryIsDisk(t, e.srv, path)
}

// Concurrent changes while writes fail now and then (group commit puts
// several changes in one write, and changes made during a failing write
// are undone with it): every change answered 200 is in the file, every one
// answered 500 is nowhere, and memory is the file.
func TestRollbackUnderConcurrentChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e := open(t, path, "")
	admin := e.srv.AdminKey()
	var writes atomic.Int64
	defer sandbox.SetStateWriter(func(path string, data []byte, perm os.FileMode) error {
		if writes.Add(1)%3 == 0 {
			return syscall.ENOSPC
		}
		return atomicfile.Write(path, data, perm)
	})()
	const clients, each = 8, 25
	var mu sync.Mutex
	var saved, failed []string
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range each {
				name := fmt.Sprintf("c%d-%d", c, i)
				r := e.call("POST", "/v1/api_keys", admin, `{"type":"PERSONAL","name":"`+name+`"}`)
				mu.Lock()
				switch r.status {
				case http.StatusOK:
					saved = append(saved, name)
				case http.StatusInternalServerError:
					failed = append(failed, name)
				default:
					t.Errorf("%s: status %d", name, r.status)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Assert(t, len(saved) > 0 && len(failed) > 0, "saved %d, failed %d", len(saved), len(failed))
	assertMemoryIsDisk(t, e.srv, path)
	e.close()
	var names []string
	for _, k := range open(t, path, "").srv.Keys() {
		if *k.Name != "sandbox-admin" {
			names = append(names, *k.Name)
		}
	}
	slices.Sort(names)
	slices.Sort(saved)
	assert.DeepEqual(t, names, saved)
}

// A crash in the middle of a save leaves the temporary file it was
// writing; the next start removes it, and only files named as the
// sandbox's own saves name them.
func TestOpenRemovesStaleTempFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sandbox.json")
	open(t, path, "").close()
	stale := []string{".sandbox.json.123456789.tmp", ".sandbox.json.1.tmp"}
	others := []string{".sandbox.json.abc.tmp", ".sandbox.json.12.tmp.keep", ".other.json.123.tmp", "sandbox.json.123.tmp", ".sandbox.json.123.tmpx"}
	for _, name := range append(slices.Clone(stale), others...) {
		assert.NilError(t, os.WriteFile(filepath.Join(dir, name), []byte("partial"), 0o600))
	}
	assert.NilError(t, os.Mkdir(filepath.Join(dir, ".sandbox.json.999.tmp"), 0o700)) // not a file: not ours
	open(t, path, "").close()
	entries, err := os.ReadDir(dir)
	assert.NilError(t, err)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := append([]string{".sandbox.json.999.tmp", "sandbox.json", "sandbox.json.lock"}, others...)
	slices.Sort(want)
	assert.DeepEqual(t, left, want)
}
