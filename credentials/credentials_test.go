package credentials_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/credentials"
)

// memory is a keyring in memory; answer, when set, delays every call until
// it is closed (a Secret Service that never answers).
type memory struct {
	mu      sync.Mutex
	entries map[string]string
	answer  chan struct{}
	fail    error
}

func newMemory() *memory { return &memory{entries: map[string]string{}} }

func (m *memory) wait() error {
	if m.answer != nil {
		<-m.answer
	}
	return m.fail
}

func (m *memory) Get(service, user string) (string, error) {
	if err := m.wait(); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	key, ok := m.entries[service+"/"+user]
	if !ok {
		return "", credentials.ErrNotFound
	}
	return key, nil
}

func (m *memory) Set(service, user, secret string) error {
	if err := m.wait(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[service+"/"+user] = secret
	return nil
}

func (m *memory) Delete(service, user string) error {
	if err := m.wait(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.entries[service+"/"+user]; !ok {
		return credentials.ErrNotFound
	}
	delete(m.entries, service+"/"+user)
	return nil
}

const key = "abcd1234.S3CRETS3CRETS3CRETS3CRET"

func open(t *testing.T, dir string, kr *memory, policy credentials.Storage) (*credentials.Store, *[]string) {
	t.Helper()
	// t.TempDir makes its directories 0755 under the usual umask: a
	// directory others may read, which a store refuses (see
	// TestDirectoryOthersMayReadIsRefused). One's own config directory
	// is private.
	if _, err := os.Stat(dir); err == nil {
		assert.NilError(t, os.Chmod(dir, 0o700))
	}
	var notes []string
	opts := credentials.Options{Policy: policy, Note: func(n string) { notes = append(notes, n) }, WhyNoKeyring: "no D-Bus session bus"}
	if kr != nil {
		opts.Keyring = &credentials.BoundedKeyring{Timeout: 200 * time.Millisecond, Backend: kr}
	}
	s, err := credentials.Open(dir, opts)
	assert.NilError(t, err)
	return s, &notes
}

func cred(label string) credentials.Credential {
	return credentials.Credential{Label: label, RemoteURL: "https://app.baseten.co", Email: "ada@example.com", KeyPrefix: "abcd1234"}
}

// The keyring holds the key; the config holds where it is and never the key.
func TestSaveToKeyring(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "baseten")
	kr := newMemory()
	s, notes := open(t, dir, kr, "")
	saved, err := s.Save(cred("ada"), key, false)
	assert.NilError(t, err)
	assert.Equal(t, saved.Storage, credentials.Keyring)
	assert.Assert(t, strings.HasPrefix(saved.KeyringUser, "ada#"), saved.KeyringUser)
	assert.DeepEqual(t, kr.entries, map[string]string{"baseten/" + saved.KeyringUser: key})
	assert.DeepEqual(t, *notes, []string(nil))

	config := readFile(t, filepath.Join(dir, "config.json"))
	assert.Assert(t, !strings.Contains(config, "S3CRET"), config)
	assert.Assert(t, is.Contains(config, `"storage": "keyring"`))
	assertPrivate(t, dir)

	// Read back by a fresh store: no probing, the config says where.
	s, _ = open(t, dir, kr, "")
	active, ok := s.Active()
	assert.Assert(t, ok)
	got, err := s.Key(active)
	assert.NilError(t, err)
	assert.Equal(t, got, key)

	// Saved again, the label gets a new entry and the old one goes.
	again, err := s.Save(cred("ada"), key+"2", false)
	assert.NilError(t, err)
	assert.Assert(t, again.KeyringUser != saved.KeyringUser)
	assert.DeepEqual(t, kr.entries, map[string]string{"baseten/" + again.KeyringUser: key + "2"})

	// A record written before entries had their own name is under its label.
	kr.entries = map[string]string{"baseten/old": key}
	got, err = s.Key(credentials.Credential{Label: "old", Storage: credentials.Keyring})
	assert.NilError(t, err)
	assert.Equal(t, got, key)
}

// Without a keyring, or with --insecure-storage, or when the keyring fails
// or does not answer, the key goes to a 0600 file, and a note says why.
func TestSaveToFile(t *testing.T) {
	stalled := newMemory()
	stalled.answer = make(chan struct{})
	t.Cleanup(func() { close(stalled.answer) })
	failing := newMemory()
	failing.fail = errors.New("locked")
	cases := map[string]struct {
		kr       *memory
		insecure bool
		note     string
	}{
		"no keyring":            {nil, false, "No OS keyring here (no D-Bus session bus): storing the key in "},
		"insecure storage":      {newMemory(), true, "Storing the key in "},
		"keyring fails":         {failing, false, "The OS keyring failed (locked): storing the key in "},
		"keyring never answers": {stalled, false, "The OS keyring failed (it did not answer within 200ms: the keyring did not answer in time): storing the key in "},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s, notes := open(t, dir, tc.kr, "")
			saved, err := s.Save(cred("ada"), key, tc.insecure)
			assert.NilError(t, err)
			assert.Equal(t, saved.Storage, credentials.File)
			assert.Equal(t, len(*notes), 1)
			assert.Assert(t, strings.HasPrefix((*notes)[0], tc.note), (*notes)[0])
			assert.Assert(t, is.Contains(readFile(t, filepath.Join(dir, "credentials.json")), key))
			assert.Assert(t, !strings.Contains(readFile(t, filepath.Join(dir, "config.json")), key))
			assertPrivate(t, dir)
			got, err := s.Key(saved)
			assert.NilError(t, err)
			assert.Equal(t, got, key)
		})
	}
}

func TestForcedStorage(t *testing.T) {
	_, err := credentials.Open(t.TempDir(), credentials.Options{Policy: credentials.Keyring, WhyNoKeyring: "no D-Bus session bus"})
	assert.Error(t, err, "BASETEN_CREDENTIAL_STORE=keyring, but there is no keyring: no D-Bus session bus")

	failing := newMemory()
	failing.fail = errors.New("locked")
	s, _ := open(t, t.TempDir(), failing, credentials.Keyring)
	_, err = s.Save(cred("ada"), key, false)
	assert.Error(t, err, "cannot store the key in the OS keyring: locked")
	assert.DeepEqual(t, s.Labels(), []string(nil))

	kr := newMemory()
	s, notes := open(t, t.TempDir(), kr, credentials.File)
	saved, err := s.Save(cred("ada"), key, false)
	assert.NilError(t, err)
	assert.Equal(t, saved.Storage, credentials.File)
	assert.Equal(t, len(kr.entries), 0)
	assert.Equal(t, len(*notes), 0, "asked for: nothing to explain")
}

// Logging in again under a label replaces the credential, and a key that
// moved from the keyring to the file (or back) is not left behind.
func TestReplaceAndRemove(t *testing.T) {
	dir := t.TempDir()
	kr := newMemory()
	s, _ := open(t, dir, kr, "")
	_, err := s.Save(cred("ada"), key, false)
	assert.NilError(t, err)
	_, err = s.Save(cred("ada"), "abcd1234.NEWNEWNEWNEWNEWNEWNEW", true)
	assert.NilError(t, err)
	assert.Equal(t, len(kr.entries), 0, "the keyring copy is gone")
	assert.DeepEqual(t, s.Labels(), []string{"ada"})

	_, err = s.Save(cred("bob"), key, false)
	assert.NilError(t, err)
	active, _ := s.Active()
	assert.Equal(t, active.Label, "bob")
	assert.NilError(t, s.SetActive("ada"))
	active, _ = s.Active()
	assert.Equal(t, active.Label, "ada")

	removed, err := s.Remove("ada")
	assert.NilError(t, err)
	assert.Equal(t, removed.Label, "ada")
	assert.Assert(t, !strings.Contains(readFile(t, filepath.Join(dir, "credentials.json")), "NEWNEW"))
	_, ok := s.Active()
	assert.Assert(t, !ok, "the active one was removed")
	_, err = s.Remove("bob")
	assert.NilError(t, err)
	assert.Equal(t, len(kr.entries), 0)

	var unknown *credentials.UnknownLabelError
	assert.Assert(t, errors.As(s.SetActive("carol"), &unknown))
}

// Logins at once into one directory (parallel CI jobs, each its own
// process, each with the config read at start) all land: every change is
// made under the directory's lock to the config as it is then.
func TestConcurrentLoginsAllLand(t *testing.T) {
	dir := t.TempDir()
	kr := newMemory()
	const logins = 8
	stores := make([]*credentials.Store, logins)
	for i := range stores {
		stores[i], _ = open(t, dir, kr, "")
	}
	var wg sync.WaitGroup
	errs := make([]error, logins)
	for i, s := range stores {
		wg.Go(func() {
			label := fmt.Sprintf("job%d", i)
			_, errs[i] = s.Save(cred(label), "abcd1234.KEY"+label, i%2 == 0) // half to the file
		})
	}
	wg.Wait()
	for _, err := range errs {
		assert.NilError(t, err)
	}
	final, _ := open(t, dir, kr, "")
	var want []string
	for i := range logins {
		label := fmt.Sprintf("job%d", i)
		want = append(want, label)
		c, ok := final.Get(label)
		assert.Assert(t, ok, label)
		got, err := final.Key(c)
		assert.NilError(t, err)
		assert.Equal(t, got, "abcd1234.KEY"+label)
	}
	assert.DeepEqual(t, final.Labels(), want)
	assertPrivate(t, dir)
}

// A config that does not parse is named and never written over; so is one
// others may read.
func TestBadFilesAreLeftAlone(t *testing.T) {
	for name, setup := range map[string]func(dir string){
		"garbage": func(dir string) { write(t, filepath.Join(dir, "config.json"), "{not json", 0o600) },
		"unknown fields": func(dir string) {
			write(t, filepath.Join(dir, "config.json"), `{"version":1,"credentials":[],"token":"x"}`, 0o600)
		},
		"two of a label": func(dir string) {
			write(t, filepath.Join(dir, "config.json"), `{"version":1,"credentials":[{"label":"a","remote_url":"x","storage":"file"},{"label":"a","remote_url":"y","storage":"file"}]}`, 0o600)
		},
		"active unknown": func(dir string) {
			write(t, filepath.Join(dir, "config.json"), `{"version":1,"active":"b","credentials":[{"label":"a","remote_url":"x","storage":"file"}]}`, 0o600)
		},
		"readable by others": func(dir string) {
			write(t, filepath.Join(dir, "config.json"), `{"version":1,"credentials":[]}`, 0o644)
		},
	} {
		t.Run(name, func(t *testing.T) {
			if name == "readable by others" && runtime.GOOS == "windows" {
				t.Skip("modes mean nothing on Windows")
			}
			dir := t.TempDir()
			setup(dir)
			before := readFile(t, filepath.Join(dir, "config.json"))
			_, err := credentials.Open(dir, credentials.Options{})
			var fileErr *credentials.FileError
			assert.Assert(t, errors.As(err, &fileErr), "%v", err)
			assert.Equal(t, fileErr.Path, filepath.Join(dir, "config.json"))
			assert.Equal(t, readFile(t, filepath.Join(dir, "config.json")), before)
		})
	}
}

func write(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	assert.NilError(t, os.WriteFile(path, []byte(content), mode))
	assert.NilError(t, os.Chmod(path, mode))
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	assert.NilError(t, err)
	return string(data)
}

// assertPrivate: the directory is 0700 and every file in it 0600.
func assertPrivate(t *testing.T, dir string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	info, err := os.Stat(dir)
	assert.NilError(t, err)
	assert.Equal(t, info.Mode().Perm(), os.FileMode(0o700))
	entries, err := os.ReadDir(dir)
	assert.NilError(t, err)
	for _, e := range entries {
		info, err := e.Info()
		assert.NilError(t, err)
		assert.Equal(t, info.Mode().Perm(), os.FileMode(0o600), e.Name())
	}
}
