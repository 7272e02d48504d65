package credentials_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/credentials"
)

// A server's account details are stored shortened: a 180 KB workspace name
// of '<' (six bytes each once JSON-escaped) would otherwise make a config
// no command could read again, logout included.
func TestServerTextIsBounded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "baseten")
	s, _ := open(t, dir, nil, "")
	c := cred("ada")
	c.Workspace = strings.Repeat("<", 180_000)
	c.Email = strings.Repeat("é", 1000) + "@example.com"
	saved, err := s.Save(c, key, false)
	assert.NilError(t, err)
	assert.Equal(t, saved.Workspace, strings.Repeat("<", 253)+"...")
	assert.Assert(t, len(saved.Email) <= 256 && strings.HasSuffix(saved.Email, "..."), saved.Email)
	assert.Assert(t, strings.HasPrefix(saved.Email, "éé"))
	info, err := os.Stat(filepath.Join(dir, "config.json"))
	assert.NilError(t, err)
	assert.Assert(t, info.Size() < 4<<10, info.Size())

	s, _ = open(t, dir, nil, "") // and it reads back
	active, ok := s.Active()
	assert.Assert(t, ok)
	assert.Equal(t, active.Workspace, saved.Workspace)
	_, err = s.Remove("ada")
	assert.NilError(t, err)
}

// A login that would take the config past what baseten reads back (a few
// thousand logins with long labels) is refused before anything is stored:
// not the key in the credentials file, not the record; the store stays
// readable, so logout still works.
func TestLoginThatWouldOverflowTheConfigIsRefused(t *testing.T) {
	dir := t.TempDir()
	assert.NilError(t, os.Chmod(dir, 0o700))
	// A config just under 1 MiB, as ~2,300 earlier logins would leave it.
	type record struct {
		Label       string `json:"label"`
		RemoteURL   string `json:"remote_url"`
		Storage     string `json:"storage"`
		KeyringUser string `json:"keyring_user"`
	}
	var records []record
	encode := func() []byte {
		data, err := json.MarshalIndent(map[string]any{"version": 1, "credentials": records}, "", "  ")
		assert.NilError(t, err)
		return data
	}
	add := func() {
		label := fmt.Sprintf("%04d-%s", len(records), strings.Repeat("x", 120))
		records = append(records, record{label, "https://app.baseten.co", "file", label + "#0123456789abcdef"})
	}
	add()
	one := len(encode())
	add()
	per := len(encode()) - one
	for len(records) < (1<<20-1-one)/per+1 { // as many as fit
		add()
	}
	data := encode()
	assert.Assert(t, len(data) < 1<<20 && len(data) > 1<<20-per, len(data))
	write(t, filepath.Join(dir, "config.json"), string(data), 0o600)

	s, _ := open(t, dir, nil, "")
	long := strings.Repeat("y", 250) // a record of more than per bytes
	_, err := s.Save(cred(long), key, true)
	var tooLarge *credentials.TooLargeError
	assert.Assert(t, errors.As(err, &tooLarge), "%v", err)
	assert.Error(t, err, filepath.Join(dir, "config.json")+" would grow past 1 MiB, more than baseten reads back; nothing was stored")
	assert.Equal(t, readFile(t, filepath.Join(dir, "config.json")), string(data))
	_, err = os.Stat(filepath.Join(dir, "credentials.json"))
	assert.Assert(t, errors.Is(err, os.ErrNotExist), "the key was stored: %v", err)

	// Still readable, and logout makes room again.
	s, _ = open(t, dir, nil, "")
	_, err = s.Remove(records[0].Label)
	assert.NilError(t, err)
}

// The credentials file is bounded the same way: its size is checked before
// it is written.
func TestKeyThatWouldOverflowTheCredentialsFileIsRefused(t *testing.T) {
	dir := t.TempDir()
	assert.NilError(t, os.Chmod(dir, 0o700))
	keys := map[string]string{}
	for i := range 261 {
		keys[fmt.Sprintf("k%d", i)] = strings.Repeat("s", 4000)
	}
	data, err := json.Marshal(map[string]any{"keys": keys})
	assert.NilError(t, err)
	write(t, filepath.Join(dir, "credentials.json"), string(data), 0o600)
	s, _ := open(t, dir, nil, "")
	_, err = s.Save(cred("ada"), "abcd1234."+strings.Repeat("k", 4000), true)
	var tooLarge *credentials.TooLargeError
	assert.Assert(t, errors.As(err, &tooLarge), "%v", err)
	assert.Equal(t, readFile(t, filepath.Join(dir, "credentials.json")), string(data))
	assert.DeepEqual(t, s.Labels(), []string(nil))
	_, err = os.Stat(filepath.Join(dir, "config.json"))
	assert.Assert(t, errors.Is(err, os.ErrNotExist))
}

// What a record holds that the user chose is refused when too long, not
// cut: a label or a URL cut short would be another one.
func TestLongFieldsAreRefused(t *testing.T) {
	s, _ := open(t, t.TempDir(), nil, "")
	c := cred("ada")
	c.RemoteURL = "https://" + strings.Repeat("a", 3000) + ".example"
	_, err := s.Save(c, key, true)
	assert.ErrorContains(t, err, "the remote URL is 3016 bytes long, more than the 2048 a stored credential may hold; nothing was stored")
	_, err = s.Save(cred("ada"), "abcd1234."+strings.Repeat("k", 5000), true)
	assert.ErrorContains(t, err, "the API key is 5009 bytes long")
	assert.DeepEqual(t, s.Labels(), []string(nil))
}

// A config that cannot be read says how to start afresh without leaving
// the keys behind: the credentials file goes too.
func TestRecoveryAdviceRemovesTheKeysToo(t *testing.T) {
	dir := t.TempDir()
	assert.NilError(t, os.Chmod(dir, 0o700))
	write(t, filepath.Join(dir, "config.json"), `{"version":1,"credentials":[]}`+strings.Repeat(" ", 1<<20), 0o600)
	_, err := credentials.Open(dir, credentials.Options{})
	assert.ErrorContains(t, err, "is larger than 1 MiB, more than baseten ever writes; remove "+filepath.Join(dir, "config.json")+" and "+filepath.Join(dir, "credentials.json")+" to start afresh")

	write(t, filepath.Join(dir, "config.json"), `{not json`, 0o600)
	_, err = credentials.Open(dir, credentials.Options{})
	assert.Assert(t, is.Contains(err.Error(), "and "+filepath.Join(dir, "credentials.json")+" to start afresh"))
}

// A config directory that exists and others may read is refused, and its
// mode left as it is: BASETEN_CONFIG_DIR=$HOME must not take $HOME
// private. Only a directory the store made itself is given its mode.
func TestDirectoryOthersMayReadIsRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	home := t.TempDir()
	assert.NilError(t, os.Chmod(home, 0o755))
	s, err := credentials.Open(home, credentials.Options{WhyNoKeyring: "none"})
	assert.NilError(t, err) // reading is fine: nothing is there
	_, err = s.Save(cred("ada"), key, true)
	assert.Error(t, err, home+": others may read it (mode 0755), so it holds no keys; make it private with chmod 700 "+home+", or set BASETEN_CONFIG_DIR to a directory of your own")
	info, err := os.Stat(home)
	assert.NilError(t, err)
	assert.Equal(t, info.Mode().Perm(), os.FileMode(0o755))
	entries, err := os.ReadDir(home)
	assert.NilError(t, err)
	assert.Equal(t, len(entries), 0)

	// One it makes is private, whatever the umask allowed.
	made := filepath.Join(home, "baseten")
	s, err = credentials.Open(made, credentials.Options{WhyNoKeyring: "none"})
	assert.NilError(t, err)
	_, err = s.Save(cred("ada"), key, true)
	assert.NilError(t, err)
	assertPrivate(t, made)
}

// config.json and credentials.json may be links (a dotfiles repository):
// a write goes through to the target, atomically beside it, and the link
// stays a link.
func TestLinkedFilesAreWrittenThrough(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges there")
	}
	dir := t.TempDir()
	assert.NilError(t, os.Chmod(dir, 0o700))
	dotfiles := t.TempDir()
	for _, name := range []string{"config.json", "credentials.json"} {
		write(t, filepath.Join(dotfiles, name), map[string]string{"config.json": `{"version":1,"credentials":[]}`, "credentials.json": `{"keys":{}}`}[name], 0o600)
		assert.NilError(t, os.Symlink(filepath.Join(dotfiles, name), filepath.Join(dir, name)))
	}
	s, _ := open(t, dir, nil, "")
	_, err := s.Save(cred("ada"), key, true)
	assert.NilError(t, err)
	for _, name := range []string{"config.json", "credentials.json"} {
		info, err := os.Lstat(filepath.Join(dir, name))
		assert.NilError(t, err)
		assert.Assert(t, info.Mode()&os.ModeSymlink != 0, "%s is no longer a link", name)
		target, err := os.Stat(filepath.Join(dotfiles, name))
		assert.NilError(t, err)
		assert.Equal(t, target.Mode().Perm(), os.FileMode(0o600))
	}
	assert.Assert(t, is.Contains(readFile(t, filepath.Join(dotfiles, "config.json")), `"label": "ada"`))
	assert.Assert(t, is.Contains(readFile(t, filepath.Join(dotfiles, "credentials.json")), key))
	entries, err := os.ReadDir(dotfiles)
	assert.NilError(t, err)
	assert.Equal(t, len(entries), 2, "a temporary file was left beside the targets")

	s, _ = open(t, dir, nil, "")
	active, _ := s.Active()
	got, err := s.Key(active)
	assert.NilError(t, err)
	assert.Equal(t, got, key)

	// A link that leads nowhere is refused, not replaced.
	assert.NilError(t, os.Remove(filepath.Join(dotfiles, "config.json")))
	_, err = s.Save(cred("bob"), key, true)
	assert.ErrorContains(t, err, filepath.Join(dir, "config.json")+": is a symbolic link that cannot be followed")
	info, err := os.Lstat(filepath.Join(dir, "config.json"))
	assert.NilError(t, err)
	assert.Assert(t, info.Mode()&os.ModeSymlink != 0)
}
