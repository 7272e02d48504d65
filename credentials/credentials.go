// Package credentials keeps the API keys a user logged in with, so that no
// key has to live in a shell's history or environment. The config file
// (config.json in the config directory) records, for every key, a label,
// the remote it was verified against, the account it belongs to and where
// the key itself lives: in the OS keyring, or in a credentials file beside
// the config (0600) when there is no keyring or the user asks for that.
// The config never holds a key the keyring holds.
//
// Every file is written atomically, the directory is 0700 and every file
// 0600, and a file that does not parse is never overwritten.
package credentials

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/basetenlabs/baseten/internal/filelock"
)

// Storage is where a key lives.
type Storage string

const (
	Keyring Storage = "keyring"
	File    Storage = "file"
)

// Credential is what the config records about one stored key: never the
// key itself.
type Credential struct {
	Label     string `json:"label"`
	RemoteURL string `json:"remote_url"` // the remote it was verified against
	// APIURL is the management API the key was verified against when
	// BASETEN_MANAGEMENT_API_URL_OVERRIDE named it at login, instead of the
	// API beside RemoteURL; "" when it did not.
	APIURL    string  `json:"api_url,omitempty"`
	Email     string  `json:"email,omitempty"`
	Workspace string  `json:"workspace_name,omitempty"`
	UserID    string  `json:"user_id,omitempty"`
	KeyPrefix string  `json:"key_prefix,omitempty"` // the key's public part, shown as abcd1234****
	Storage   Storage `json:"storage"`
	// KeyringUser is the keyring entry (service baseten) holding the key
	// when Storage is Keyring: the label and a random suffix. The keyring
	// is one per user, shared by every config directory, so the label alone
	// would let a login in one directory replace the key another's record
	// points to (and send it to that record's remote), and a logout there
	// delete it. "" in a record written before it existed: the label.
	KeyringUser string `json:"keyring_user,omitempty"`
}

// keyringUser is the keyring entry of a credential stored there.
func (c Credential) keyringUser() string {
	if c.KeyringUser == "" {
		return c.Label
	}
	return c.KeyringUser
}

// newKeyringUser names a fresh keyring entry for label, one no other
// credential of any config directory has.
func newKeyringUser(label string) (string, error) {
	var suffix [8]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return "", err
	}
	return label + "#" + hex.EncodeToString(suffix[:]), nil
}

// The files of a config directory.
const (
	configFile  = "config.json"
	secretsFile = "credentials.json"
	lockFile    = "credentials.lock" // held while either changes
	configV1    = 1
)

type config struct {
	Version     int          `json:"version"`
	Active      string       `json:"active,omitempty"`
	Credentials []Credential `json:"credentials"`
}

// Store is the stored credentials of one config directory.
type Store struct {
	dir     string
	cfg     config
	keyring *BoundedKeyring
	// whyNoKeyring says why keyring is nil.
	whyNoKeyring string
	// policy is "" (the keyring when there is one, else the file), or a
	// Storage forced by BASETEN_CREDENTIAL_STORE.
	policy Storage
	// note tells the user why a key went where it went (stderr).
	note func(string)
}

// Options configure Open.
type Options struct {
	// Keyring is the OS keyring behind its deadline; nil when this machine
	// has none (Open's caller decides: see KeyringAvailable).
	Keyring *BoundedKeyring
	// WhyNoKeyring says, when Keyring is nil, why ("no D-Bus session bus").
	WhyNoKeyring string
	// Policy forces a storage ("" for the default).
	Policy Storage
	// Note receives messages for the user.
	Note func(string)
}

// FileError is a file of the config directory that cannot be used: it is
// named, and left as it is.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *FileError) Unwrap() error { return e.Err }

// Open reads the config of dir. A missing config is an empty one; a config
// that does not parse is a *FileError and is never written over.
func Open(dir string, opts Options) (*Store, error) {
	s := &Store{dir: dir, keyring: opts.Keyring, policy: opts.Policy, note: opts.Note, cfg: config{Version: configV1}}
	if s.note == nil {
		s.note = func(string) {}
	}
	if opts.Keyring == nil && opts.Policy == Keyring {
		return nil, fmt.Errorf("BASETEN_CREDENTIAL_STORE=keyring, but there is no keyring: %s", opts.WhyNoKeyring)
	}
	s.whyNoKeyring = opts.WhyNoKeyring
	if err := s.reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// reload reads the config as it is on disk now. A missing config is an
// empty one.
func (s *Store) reload() error {
	path := filepath.Join(s.dir, configFile)
	data, err := s.readPrivate(path)
	if errors.Is(err, fs.ErrNotExist) {
		s.cfg = config{Version: configV1}
		return nil
	}
	if err != nil {
		return err
	}
	var cfg config
	if err := strictJSON(data, &cfg); err != nil || cfg.Version != configV1 || !cfg.valid() {
		if err == nil {
			err = errors.New("not a config this version of baseten understands")
		}
		return &FileError{Path: path, Err: fmt.Errorf("does not parse (%v); %s", err, s.recovery())}
	}
	s.cfg = cfg
	return nil
}

// lockWait is how long a change waits for another baseten changing the
// same directory (a login takes a keyring call and a few small writes).
const lockWait = 10 * time.Second

// locked runs change with the directory's lock held, on the config as it is
// on disk once the lock is taken: two logins at once (parallel CI jobs)
// both land, where reading before and writing after would lose one.
func (s *Store) locked(change func() error) error {
	path := filepath.Join(s.dir, lockFile)
	if err := s.privateDir(); err != nil {
		return err
	}
	deadline := time.Now().Add(lockWait)
	for {
		lock, err := filelock.TryLock(path)
		if err == nil {
			defer lock.Unlock()
			break
		}
		if errors.Is(err, filelock.ErrNotALockFile) {
			return &FileError{Path: path, Err: filelock.ErrNotALockFile} // (the path once)
		}
		if !errors.Is(err, filelock.ErrHeld) {
			return &FileError{Path: path, Err: err}
		}
		if time.Now().After(deadline) {
			return &FileError{Path: path, Err: fmt.Errorf("is held by process %d, changing the credentials; try again when it is done", filelock.Holder(path))}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.reload(); err != nil {
		return err
	}
	return change()
}

// valid: labels are unique and not empty, storages known, the active label
// one of them.
func (c config) valid() bool {
	seen := map[string]bool{}
	for _, cred := range c.Credentials {
		if cred.Label == "" || seen[cred.Label] || (cred.Storage != Keyring && cred.Storage != File) {
			return false
		}
		seen[cred.Label] = true
	}
	return c.Active == "" || seen[c.Active]
}

// Dir is the config directory.
func (s *Store) Dir() string { return s.dir }

// Credentials lists the stored credentials, the active one first.
func (s *Store) Credentials() []Credential {
	out := slices.Clone(s.cfg.Credentials)
	slices.SortStableFunc(out, func(a, b Credential) int {
		switch {
		case a.Label == s.cfg.Active:
			return -1
		case b.Label == s.cfg.Active:
			return 1
		}
		return strings.Compare(a.Label, b.Label)
	})
	return out
}

// Labels lists the stored labels, sorted.
func (s *Store) Labels() []string {
	var labels []string
	for _, c := range s.cfg.Credentials {
		labels = append(labels, c.Label)
	}
	slices.Sort(labels)
	return labels
}

// Active returns the credential API commands use when the environment
// names no key.
func (s *Store) Active() (Credential, bool) {
	return s.Get(s.cfg.Active)
}

// Get returns the credential with this label.
func (s *Store) Get(label string) (Credential, bool) {
	i := s.index(label)
	if i < 0 || label == "" {
		return Credential{}, false
	}
	return s.cfg.Credentials[i], true
}

func (s *Store) index(label string) int {
	return slices.IndexFunc(s.cfg.Credentials, func(c Credential) bool { return c.Label == label })
}

// Key reads the key of a stored credential from where the config says it
// lives: no probing.
func (s *Store) Key(c Credential) (string, error) {
	switch c.Storage {
	case Keyring:
		if s.keyring == nil {
			return "", fmt.Errorf("the key of %q is in the OS keyring, which is not available here: %s", c.Label, s.whyNoKeyring)
		}
		key, err := s.keyring.Get(c.keyringUser())
		if err != nil {
			return "", fmt.Errorf("cannot read the key of %q from the OS keyring: %w", c.Label, err)
		}
		return key, nil
	default:
		secrets, err := s.readSecrets()
		if err != nil {
			return "", err
		}
		key, ok := secrets[c.Label]
		if !ok {
			return "", &FileError{Path: s.secretsPath(), Err: fmt.Errorf("holds no key for %q", c.Label)}
		}
		return key, nil
	}
}

// Save stores key under c.Label, replacing a credential of that label, and
// makes it the active one. The key goes to the keyring unless the file is
// asked for (insecure, or the policy), or there is no keyring, or the
// keyring fails or does not answer in time; the note says which and why.
// It returns the credential as stored.
func (s *Store) Save(c Credential, key string, insecure bool) (stored Credential, err error) {
	err = s.locked(func() error {
		stored, err = s.save(c, key, insecure)
		return err
	})
	return stored, err
}

func (s *Store) save(c Credential, key string, insecure bool) (Credential, error) {
	c, err := bounded(c, key)
	if err != nil {
		return Credential{}, err
	}
	// The config must stay readable: its size is checked before the key
	// goes anywhere, with the longer of the two records it may get.
	probe := c
	probe.Storage, probe.KeyringUser = Keyring, c.Label+"#"+strings.Repeat("0", 16)
	if _, err := s.encodeConfig(s.with(probe)); err != nil {
		return Credential{}, err
	}
	previous, replacing := s.Get(c.Label)
	c.Storage, c.KeyringUser = File, ""
	switch {
	case s.policy == File:
	case insecure:
		s.note(fmt.Sprintf("Storing the key in %s, readable by you only (--insecure-storage).", s.secretsPath()))
	case s.keyring == nil:
		s.note(fmt.Sprintf("No OS keyring here (%s): storing the key in %s, readable by you only.", s.whyNoKeyring, s.secretsPath()))
	default:
		user, err := newKeyringUser(c.Label)
		if err == nil {
			err = s.keyring.Set(user, key)
		}
		if err == nil {
			c.Storage, c.KeyringUser = Keyring, user
			break
		}
		if s.policy == Keyring {
			return Credential{}, fmt.Errorf("cannot store the key in the OS keyring: %w", err)
		}
		s.note(fmt.Sprintf("The OS keyring failed (%v): storing the key in %s, readable by you only.", err, s.secretsPath()))
	}
	if c.Storage == File {
		if err := s.updateSecrets(func(m map[string]string) { m[c.Label] = key }); err != nil {
			return Credential{}, err
		}
	}
	if err := s.writeConfig(s.with(c)); err != nil {
		return Credential{}, err
	}
	// The key now lives where c says; a copy left where the replaced
	// credential kept it would be a stale secret. (In the file, the new key
	// took the old one's place.)
	if replacing && previous.Storage == Keyring {
		s.forget(previous)
	}
	return c, nil
}

// with is the config with c stored (replacing a credential of its label)
// and active.
func (s *Store) with(c Credential) config {
	cfg := s.cfg
	cfg.Credentials = slices.Clone(cfg.Credentials)
	if i := s.index(c.Label); i >= 0 {
		cfg.Credentials[i] = c
	} else {
		cfg.Credentials = append(cfg.Credentials, c)
	}
	cfg.Active = c.Label
	return cfg
}

// SetActive makes the credential of this label the active one.
func (s *Store) SetActive(label string) error {
	return s.locked(func() error {
		if _, ok := s.Get(label); !ok {
			return &UnknownLabelError{Label: label, Labels: s.Labels()}
		}
		cfg := s.cfg
		cfg.Active = label
		return s.writeConfig(cfg)
	})
}

// Remove deletes the credential of this label: its key from where it lives,
// then its record. Removing the active one leaves none active.
func (s *Store) Remove(label string) (removed Credential, err error) {
	err = s.locked(func() error {
		removed, err = s.remove(label)
		return err
	})
	return removed, err
}

func (s *Store) remove(label string) (Credential, error) {
	c, ok := s.Get(label)
	if !ok {
		return Credential{}, &UnknownLabelError{Label: label, Labels: s.Labels()}
	}
	if err := s.forget(c); err != nil {
		return Credential{}, err
	}
	cfg := s.cfg
	cfg.Credentials = slices.DeleteFunc(slices.Clone(cfg.Credentials), func(x Credential) bool { return x.Label == label })
	if cfg.Active == label {
		cfg.Active = ""
	}
	return c, s.writeConfig(cfg)
}

// forget deletes a credential's key from where it lives. A key already
// gone is no error.
func (s *Store) forget(c Credential) error {
	if c.Storage == Keyring {
		if s.keyring == nil {
			return fmt.Errorf("the key of %q is in the OS keyring, which is not available here: %s", c.Label, s.whyNoKeyring)
		}
		if err := s.keyring.Delete(c.keyringUser()); err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("cannot delete the key of %q from the OS keyring: %w", c.Label, err)
		}
		return nil
	}
	return s.updateSecrets(func(m map[string]string) { delete(m, c.Label) })
}

// UnknownLabelError names a label no credential has, and those that exist.
type UnknownLabelError struct {
	Label  string
	Labels []string
}

func (e *UnknownLabelError) Error() string {
	return fmt.Sprintf("no stored credential is labelled %q", e.Label)
}

func (s *Store) secretsPath() string { return filepath.Join(s.dir, secretsFile) }
