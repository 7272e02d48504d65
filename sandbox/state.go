package sandbox

// The served sandbox's state: how Open seeds it on first start, how it is
// written after every change, and how it is read back. The file is the
// sandbox's own format, not the API's: it also holds the secrets' digests
// and the admin key that `serve` prints on every start.

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/basetenlabs/baseten/internal/filelock"
)

// stateVersion is written in every state file; a file of another version
// is refused rather than misread.
const stateVersion = 1

// maxStateBytes bounds what Open reads: a state of a million keys is ~170 MB.
// The sandbox never writes a larger one (see write). A variable only so
// that a test can reach it.
var maxStateBytes = 256 << 20

// adminKeyName is the name the admin key is listed with.
const adminKeyName = "sandbox-admin"

// state is the content of a state file.
type state struct {
	Version int `json:"version"`
	// AdminKey is the one secret kept in clear: serve prints it on every
	// start. It is also one of Keys (hashed, like every other key).
	AdminKey string     `json:"admin_key"`
	User     User       `json:"user"`
	Teams    []Team     `json:"teams"`
	Keys     []stateKey `json:"keys"`
	// Secrets (value digests only), the users besides User, and the seed
	// of the usage figures: secrets.go, users.go, billing.go.
	Secrets   []storedSecret `json:"secrets,omitempty"`
	Users     []User         `json:"users,omitempty"`
	UsageSeed uint64         `json:"usage_seed,omitempty"`
	// Models are the model records (models.go) as JSON; absent in a file
	// written before there were models, which is then given the seed ones.
	Models json.RawMessage `json:"models,omitempty"`
}

// stateKey is a stored key: its listed metadata and the SHA-256 of its
// secret in hex (absent for a key that cannot authenticate).
type stateKey struct {
	KeyInfo
	SecretSHA256 string `json:"secret_sha256,omitempty"`
}

// StateError is a state file that Open refuses. Open never writes over it.
type StateError struct {
	Path string
	Err  error
}

func (e *StateError) Error() string {
	return fmt.Sprintf("state file %s is not a sandbox state (%v); it was left as it is", e.Path, e.Err)
}

func (e *StateError) Unwrap() error { return e.Err }

// InUseError is a state file that another sandbox has open, in this
// process or another. A state file has a single owner: two sandboxes
// saving to one file would each overwrite the keys the other created.
type InUseError struct {
	Path string
	PID  int // the owner's process ID; 0 when it could not be read
}

func (e *InUseError) Error() string {
	msg := fmt.Sprintf("sandbox state file %s is in use by another baseten sandbox", e.Path)
	if e.PID > 0 {
		msg += fmt.Sprintf(" (pid %d)", e.PID)
	}
	return msg
}

// CheckKey reports whether key has the API's format, "<8 lowercase
// hex>.<secret of at least 16 characters>", which an admin key must have.
func CheckKey(key string) error {
	prefix, secret, _ := strings.Cut(key, ".")
	if len(prefix) != prefixLength || strings.Trim(prefix, prefixAlphabet) != "" {
		return errors.New("an API key starts with 8 lowercase hexadecimal characters and a '.'")
	}
	if len(secret) < 16 || strings.IndexFunc(secret, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
		return errors.New("an API key's secret (after the '.') is at least 16 printable ASCII characters without spaces")
	}
	return nil
}

// Open returns the sandbox `baseten sandbox serve` and `exec` run. Its state
// is read from path or, when path does not exist yet, seeded: a default team
// and a second one, a user, and an admin key of type WORKSPACE_MANAGE_ALL.
// After that, every change is written to path before it is answered (see
// save). path "" keeps the state in memory only, seeded afresh.
//
// adminKey, when not empty, becomes the admin key (replacing the previous
// one); it must pass CheckKey. Without it the stored admin key is kept, or
// a new one made if the old one was deleted through the API.
//
// A file that exists but is not a valid state is a *StateError; it is
// never written. The sandbox owns its state file until Close: while it
// does, Open refuses the same file with an *InUseError.
func Open(path, adminKey string) (_ *Server, err error) {
	s := newServer(nil)
	s.stepDelay = DefaultStepDelay
	if path != "" {
		if path, err = resolveLink(path); err != nil {
			return nil, err
		}
		var lock *filelock.Lock
		if lock, err = lockState(path); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil { // the file stays free for the next try
				lock.Unlock()
			}
		}()
		s.saver = &saver{path: path, lock: lock}
		s.saver.done = sync.NewCond(&s.saver.mu)
		removeStaleTemps(path)
	}
	st, raw, err := readState(path)
	if err != nil {
		return nil, err
	}
	if s.saver != nil {
		s.saver.lastSaved = raw // what is on disk; nil when nothing is
	}
	if st == nil {
		s.seed()
	} else if err := s.restore(st); err != nil {
		return nil, &StateError{Path: path, Err: err}
	} else if err := makePrivate(path); err != nil {
		return nil, err
	}
	if adminKey == "" && !s.storesKeyLocked(s.adminKey) { // nothing else holds s yet
		adminKey = newKey()
	}
	if adminKey != "" && adminKey != s.adminKey {
		if err := s.replaceAdminKey(adminKey); err != nil {
			return nil, err
		}
	}
	if err := s.Flush(); err != nil {
		return nil, err
	}
	return s, nil
}

// resolveLink returns the target of a state file that is a symbolic link
// (into a dotfiles repository, say), so that the sandbox reads, locks and
// writes the target, atomically in the target's directory: renaming the
// new state over the link would replace the link with a regular file.
// Any other path is returned as it is.
func resolveLink(path string) (string, error) {
	info, err := os.Lstat(path)
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return path, nil // a missing file is created; other errors show when it is read
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("state file %s is a symbolic link that cannot be followed: %w", path, err)
	}
	return target, nil
}

// makePrivate gives a state file that others may read the mode every save
// gives it, 0600: it holds the admin key in clear, and a file copied or
// written by hand would otherwise stay readable until the first change.
// It is done quietly (there is nothing left for the user to do) and only
// to a file that is a valid state, so a wrong --state is left as it is.
// Windows guards files with ACLs, not these bits: nothing to do there.
func makePrivate(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if mode := info.Mode().Perm(); mode&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return fmt.Errorf("state file %s holds the admin key, other users may read it (mode %#o), and it cannot be made private: %w", path, mode, err)
		}
	}
	return nil
}

// lockState takes the lock that makes the state file at path single-owner.
// The lock is a file of its own beside it: the state file is replaced on
// every save, and a lock held on it would stay with the replaced file.
func lockState(path string) (*filelock.Lock, error) {
	lockPath := path + ".lock"
	lock, err := filelock.TryLock(lockPath)
	if errors.Is(err, filelock.ErrHeld) {
		return nil, &InUseError{Path: path, PID: filelock.Holder(lockPath)}
	}
	return lock, err
}

// seed fills a new sandbox. The second team lets `--team` be tried.
func (s *Server) seed() {
	created := s.now().UTC().Format(time.RFC3339)
	s.teams = []Team{
		{ID: "team-" + randomString(prefixAlphabet, prefixLength), Name: DefaultTeamName, Default: true, CreatedAt: created},
		{ID: "team-" + randomString(prefixAlphabet, prefixLength), Name: "Research", CreatedAt: created},
	}
	s.user.UserID = "user-" + randomString(prefixAlphabet, prefixLength)
	s.org.users = seedUsers()
	var seed [8]byte
	_, _ = rand.Read(seed[:])
	s.org.usageSeed = binary.BigEndian.Uint64(seed[:])
	s.seedModelsLocked()
	s.changedLocked() // a seeded state is a change: it has never been saved
}

// storesKeyLocked reports whether key authenticates as a stored key.
func (s *Server) storesKeyLocked(key string) bool {
	prefix, secret, _ := strings.Cut(key, ".")
	k := s.byPrefix[prefix]
	return k != nil && k.canAuth && k.secretHash == sha256.Sum256([]byte(secret))
}

// replaceAdminKey makes key the admin key, deleting the previous one.
func (s *Server) replaceAdminKey(key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	prefix, secret, _ := strings.Cut(key, ".")
	s.mu.Lock()
	defer s.mu.Unlock()
	old := ""
	if s.storesKeyLocked(s.adminKey) {
		old, _, _ = strings.Cut(s.adminKey, ".")
	}
	if _, taken := s.byPrefix[prefix]; taken && prefix != old {
		return fmt.Errorf("the API key prefix %s is already another key's in this sandbox", prefix)
	}
	s.removeLocked(old)
	team := s.teams[s.defaultTeam].Name
	s.insertLocked(&storedKey{
		info:    KeyInfo{Prefix: prefix, Name: ptr(adminKeyName), Type: TypeWorkspaceManageAll, TeamName: &team},
		canAuth: true, secretHash: sha256.Sum256([]byte(secret)),
	})
	s.adminKey = key
	s.changedLocked()
	return nil
}

// readState reads and decodes path; a missing file (or path "") is nil.
// It returns the bytes read as well: until the first save, they are what
// a failed change rolls back to. Anything but a regular file (a FIFO,
// which would block the open until a writer came, a device) is refused.
func readState(path string) (*state, []byte, error) {
	if path == "" {
		return nil, nil, nil
	}
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if info.IsDir() {
		return nil, nil, &StateError{Path: path, Err: errors.New("is a directory")}
	}
	if !info.Mode().IsRegular() {
		return nil, nil, &StateError{Path: path, Err: fmt.Errorf("not a regular file but a %s", fileKind(info.Mode()))}
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() { // replaced since
		return nil, nil, &StateError{Path: path, Err: errors.New("not a regular file")}
	}
	raw, err := io.ReadAll(io.LimitReader(f, int64(maxStateBytes)+1))
	if err != nil {
		return nil, nil, &StateError{Path: path, Err: err}
	}
	if len(raw) > maxStateBytes {
		return nil, nil, &StateError{Path: path, Err: fmt.Errorf("larger than %d MiB", maxStateBytes>>20)}
	}
	st, err := decodeState(raw)
	if err != nil {
		return nil, nil, &StateError{Path: path, Err: err}
	}
	return st, raw, nil
}

// decodeState decodes a state file's bytes, refusing unknown fields and
// anything after the object.
func decodeState(raw []byte) (*state, error) {
	var st state
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("data after the JSON object")
	}
	return &st, nil
}

// fileKind names what a non-regular file is, for the error.
func fileKind(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "socket"
	case mode&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// restore loads st into s after checking everything a response or a
// lookup relies on, so that a hand-edited file cannot make the sandbox
// answer what the API never would.
func (s *Server) restore(st *state) error {
	if st.Version != stateVersion {
		return fmt.Errorf("version %d, want %d", st.Version, stateVersion)
	}
	if err := CheckKey(st.AdminKey); err != nil {
		return fmt.Errorf("admin_key: %v", err)
	}
	if st.User.UserID == "" {
		return errors.New("user has no user_id")
	}
	defaults := 0
	for i, t := range st.Teams {
		if t.ID == "" || t.Name == "" || slices.ContainsFunc(st.Teams[:i], func(o Team) bool { return o.ID == t.ID }) {
			return fmt.Errorf("team %d: empty or duplicate id, or empty name", i)
		}
		if _, err := time.Parse(time.RFC3339, t.CreatedAt); err != nil {
			return fmt.Errorf("team %s: created_at is not RFC 3339", t.ID)
		}
		if t.Default {
			defaults++
			s.defaultTeam = i
		}
	}
	if defaults != 1 {
		return fmt.Errorf("%d default teams, want exactly 1", defaults)
	}
	s.adminKey, s.user, s.teams = st.AdminKey, st.User, st.Teams
	if err := s.restoreSecrets(st.Secrets); err != nil {
		return err
	}
	if err := s.restoreUsers(st.Users); err != nil {
		return err
	}
	s.org.usageSeed = st.UsageSeed
	for i, sk := range st.Keys {
		k := &storedKey{info: sk.KeyInfo}
		switch p := sk.Prefix; {
		case p == "" || strings.IndexFunc(p, badPrefixRune) >= 0 || s.byPrefix[p] != nil:
			return fmt.Errorf("key %d: empty, duplicate or malformed prefix", i)
		case sk.Type == "":
			return fmt.Errorf("key %s: no type", p)
		case !knownType(sk.Type):
			return fmt.Errorf("key %s: type %q is not one of the API's", p, sk.Type)
		case len(sk.ModelIDs) > 0 && !sk.Type.takesModelIDs():
			return fmt.Errorf("key %s: model_ids on a key of type %s", p, sk.Type)
		}
		if sk.SecretSHA256 != "" {
			sum, err := hex.DecodeString(sk.SecretSHA256)
			if err != nil || len(sum) != sha256.Size {
				return fmt.Errorf("key %s: secret_sha256 is not a hex SHA-256", sk.Prefix)
			}
			k.canAuth = true
			copy(k.secretHash[:], sum)
		}
		s.insertLocked(k)
	}
	return s.restoreModels(st.Models)
}

// badPrefixRune reports a character no usable prefix holds: one that would
// change the path of DELETE /v1/api_keys/{prefix} or that a client
// refuses in a prefix (whitespace, control characters).
func badPrefixRune(r rune) bool {
	return r == '.' || r == '/' || r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r)
}

// encodeState returns the state with every change made so far, and the
// batch of those changes not yet written: pending is swapped for a fresh
// batch in the same read-locked section, so the batch holds exactly the
// changes the data has and an earlier write lacked. (Only one write runs
// at a time, and changes take the write lock, so the swap races with
// nothing.)
func (s *Server) encodeState() (data []byte, written *batch, err error) {
	s.mu.RLock()
	st := state{Version: stateVersion, AdminKey: s.adminKey, User: s.user, Teams: slices.Clone(s.teams),
		Secrets: slices.Clone(s.org.secrets), Users: slices.Clone(s.org.users), UsageSeed: s.org.usageSeed}
	// Model records change in place, so they are encoded under the lock
	// (they are few and small).
	models := s.models
	if models == nil {
		models = []*modelRecord{}
	}
	st.Models, err = json.Marshal(models)
	keys := s.liveKeysLocked()
	written = s.pending.Swap(&batch{})
	s.mu.RUnlock()
	// Encoding happens outside the lock: storedKeys are immutable.
	st.Keys = make([]stateKey, len(keys))
	for i, k := range keys {
		st.Keys[i].KeyInfo = k.info
		if k.canAuth {
			st.Keys[i].SecretSHA256 = hex.EncodeToString(k.secretHash[:])
		}
	}
	// Compact: indenting would double the size of a key with many model
	// IDs, each on a line of its own.
	if err != nil {
		return nil, written, err
	}
	data, err = json.Marshal(st)
	return append(data, '\n'), written, err
}
