// Package sandbox is a local stand-in for the Baseten management API
// endpoints described by the official OpenAPI description
// (management-api.json): API keys, teams and the current user. It backs the
// CLI's tests and `baseten sandbox serve | exec`, so it mirrors what a client
// can observe of the real service: paths, status codes, JSON shapes,
// FastAPI-style error bodies, the key format and the key types' rights.
//
// New builds an in-memory sandbox for tests; Open builds the one the
// commands serve, seeded on first start and saved to a state file after
// every change (state.go). Nothing leaves the process but HTTP answers.
//
// Deliberate simplification: there is a single user, so "the user's keys"
// are simply all stored keys.
package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// KeyType is the API's APIKeyCategory enum.
type KeyType string

// The key types the API accepts on creation.
const (
	TypePersonal               KeyType = "PERSONAL"
	TypeWorkspaceManageAll     KeyType = "WORKSPACE_MANAGE_ALL"
	TypeWorkspaceExportMetrics KeyType = "WORKSPACE_EXPORT_METRICS"
	TypeWorkspaceInvoke        KeyType = "WORKSPACE_INVOKE"
)

// canManageKeys reports whether a key of type t may list, create and delete
// keys. Invoke and metrics keys are meant for machines that call models;
// the API answers them 403 on the key endpoints.
func (t KeyType) canManageKeys() bool {
	return t != TypeWorkspaceInvoke && t != TypeWorkspaceExportMetrics
}

// takesModelIDs reports whether a key of type t may be scoped to models.
func (t KeyType) takesModelIDs() bool {
	return t == TypeWorkspaceInvoke || t == TypeWorkspaceExportMetrics
}

// Defaults of the team New creates when Options.Teams is empty. CreatedAt is
// fixed rather than time.Now so that responses are reproducible in tests.
const (
	DefaultTeamID        = "team-default"
	DefaultTeamName      = "Default"
	DefaultTeamCreatedAt = "2024-01-01T00:00:00Z"
)

// Keys look like the real ones: "<8 lowercase hex>.<32 alphanumerics>".
const (
	prefixLength   = 8
	secretLength   = 32
	prefixAlphabet = "0123456789abcdef"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

// Options configures New. The zero value is a usable, empty sandbox.
type Options struct {
	// APIKey is a master key for tests: it authenticates every request with
	// the rights of a WORKSPACE_MANAGE_ALL key but is not listed. If empty,
	// New generates one in the usual "prefix.secret" format; see AdminKey.
	APIKey string
	// Teams seeds the organization's teams (with AddTeam's rules). If none
	// is usable, a single default team (DefaultTeamID) is created.
	Teams []Team
	// Keys seeds pre-existing keys (with AddKeys' rules), in creation order.
	Keys []SeedKey
	// User is the caller GET /v1/users/me describes; nil means DefaultUser.
	User *User
	// Now stamps teams added without CreatedAt; defaults to time.Now.
	Now func() time.Time
	// Users are the organization's members besides User; nil means a few
	// seeded ones (users.go). UsageSeed picks the usage figures (billing.go).
	Users     []User
	UsageSeed uint64
	// Models seeds the models (with AddModel's rules); nil means the two
	// every new sandbox has (see seedModelsLocked), empty means none.
	Models []SeedModel
	// StepDelay spaces a status change's steps (SetStepDelay; 0: at once).
	StepDelay time.Duration
}

// Server is the API. It implements http.Handler and is safe for concurrent
// use; construct it with New or Open (and Close what Open returns).
type Server struct {
	masterHash *[sha256.Size]byte // Options.APIKey's digest; nil for Open's servers
	now        func() time.Time
	saver      *saver // nil when nothing is persisted

	mu sync.RWMutex
	// liveState is everything the state file holds. It is a struct of its
	// own so that a failed save can put all of it back as it is on disk
	// in one assignment (rollback.go): new state goes there.
	liveState
	// pending collects the changes made since the last write began (see
	// changedLocked and save); replaced under mu.
	pending atomic.Pointer[batch]

	// Guarded by mu, but not state: a rollback keeps them.
	// stepDelay spaces the steps of the models' status changes.
	stepDelay time.Duration
	// downloads are the presigned download links handed out (not
	// persisted: they expire within minutes anyway).
	downloads map[string]presignedDownload
}

// liveState is the in-memory state of a Server, guarded by Server.mu. Every
// field is written to the state file (encodeState) and read back from it
// (restore); a field that is not must not be here.
type liveState struct {
	adminKey    string
	user        User
	teams       []Team
	defaultTeam int // index into teams; there is always at least one
	// keys holds the stored keys in creation order. Deleting a key leaves a
	// nil hole (O(1)) that compact removes once holes are the majority, so
	// deletes stay amortized O(1) and listing stays O(live keys).
	keys     []*storedKey
	holes    int
	byPrefix map[string]*storedKey
	// org holds secrets, the other users and the usage seed (secrets.go).
	org orgState
	// models are the models in creation order (models.go).
	models []*modelRecord
}

// storedKey is immutable once inserted, except for index (guarded by mu),
// which lets list responses use it after the lock is released.
type storedKey struct {
	info       KeyInfo // never handed out: callers get copies
	listJSON   []byte  // info encoded once, so listing 50k keys is a memcpy
	canAuth    bool
	secretHash [sha256.Size]byte
	index      int // position in Server.keys
}

// New returns an in-memory Server seeded from opts. Seed teams and keys
// that AddTeam or AddKeys would reject (e.g. a duplicate ID or prefix) are
// skipped; call those methods directly to see the errors.
func New(opts Options) *Server {
	s := newServer(opts.Now)
	s.adminKey = opts.APIKey
	if s.adminKey == "" {
		s.adminKey = newKey()
	}
	master := sha256.Sum256([]byte(s.adminKey))
	s.masterHash = &master
	if opts.User != nil {
		s.user = *opts.User
	}
	s.org.users, s.org.usageSeed = opts.Users, opts.UsageSeed
	if opts.Users == nil {
		s.org.users = seedUsers()
	}
	for _, t := range opts.Teams {
		_, _ = s.AddTeam(t)
	}
	if len(s.teams) == 0 {
		s.teams = []Team{{ID: DefaultTeamID, Name: DefaultTeamName, Default: true, CreatedAt: DefaultTeamCreatedAt}}
	}
	// The API always has exactly one default team; if the seeds named none,
	// defaultTeam still points at the first one, which is promoted.
	s.teams[s.defaultTeam].Default = true
	_ = s.AddKeys(opts.Keys...)
	s.stepDelay = max(opts.StepDelay, 0)
	if opts.Models == nil {
		s.seedModelsLocked() // nothing else holds s yet
	}
	for _, m := range opts.Models {
		_ = s.AddModel(m)
	}
	return s
}

func newServer(now func() time.Time) *Server {
	if now == nil {
		now = time.Now
	}
	s := &Server{now: now, liveState: liveState{user: DefaultUser(), byPrefix: map[string]*storedKey{}}}
	s.pending.Store(&batch{})
	return s
}

// AdminKey returns a key with every right: Options.APIKey (or the one New
// generated), or the admin key Open keeps in the state file.
func (s *Server) AdminKey() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.adminKey
}

// AddTeam adds a team and returns it as stored. An empty ID is generated and
// an empty CreatedAt is set from Options.Now. A team with Default set becomes
// the default team, replacing the previous one. The name must be non-empty
// and the ID unused.
func (s *Server) AddTeam(t Team) (Team, error) {
	if t.Name == "" {
		return Team{}, errors.New("sandbox: team name is empty")
	}
	if t.CreatedAt == "" {
		t.CreatedAt = s.now().UTC().Format(time.RFC3339)
	}
	s.mu.Lock()
	if t.ID == "" {
		for t.ID == "" || s.teamIndexLocked(t.ID) >= 0 {
			t.ID = "team-" + randomString(prefixAlphabet, prefixLength)
		}
	} else if s.teamIndexLocked(t.ID) >= 0 {
		s.mu.Unlock()
		return Team{}, fmt.Errorf("sandbox: team ID %q already exists", t.ID)
	}
	s.teams = append(s.teams, t)
	if t.Default && len(s.teams) > 1 {
		s.teams[s.defaultTeam].Default = false
		s.defaultTeam = len(s.teams) - 1
	}
	change := s.changedLocked()
	s.mu.Unlock()
	return t, s.save(change)
}

// Teams returns a copy of the teams, in the order they were added.
func (s *Server) Teams() []Team {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.teams)
}

// teamIndexLocked is a linear scan: organizations have a handful of teams,
// and a map would only add bookkeeping.
func (s *Server) teamIndexLocked(id string) int {
	return slices.IndexFunc(s.teams, func(t Team) bool { return t.ID == id })
}

// AddKeys stores pre-existing keys after the current ones, in order, in O(n).
// A key whose prefix is already taken is skipped and reported in the error;
// the others are still added.
func (s *Server) AddKeys(seeds ...SeedKey) error {
	s.mu.Lock()
	s.keys = slices.Grow(s.keys, len(seeds))
	var errs []error
	for i, seed := range seeds {
		if seed.Prefix == "" {
			seed.Prefix = s.unusedPrefixLocked()
		} else if _, taken := s.byPrefix[seed.Prefix]; taken {
			errs = append(errs, fmt.Errorf("sandbox: seed key %d: prefix %q already exists", i, seed.Prefix))
			continue
		}
		if seed.Type == "" {
			seed.Type = TypePersonal
		}
		info := KeyInfo{Prefix: seed.Prefix, Name: cloneString(seed.Name), Type: seed.Type, TeamName: cloneString(seed.TeamName)}
		if len(seed.ModelIDs) > 0 { // empty and absent both mean "not scoped"
			info.ModelIDs = slices.Clone(seed.ModelIDs)
		}
		k := &storedKey{info: info}
		if seed.Secret != "" {
			k.canAuth, k.secretHash = true, sha256.Sum256([]byte(seed.Secret))
		}
		s.insertLocked(k)
	}
	change := s.changedLocked()
	s.mu.Unlock()
	return errors.Join(append(errs, s.save(change))...)
}

// Keys returns a copy of the stored keys' metadata, in creation order.
func (s *Server) Keys() []KeyInfo {
	keys := s.snapshotKeys()
	out := make([]KeyInfo, len(keys))
	for i, k := range keys {
		info := k.info
		info.Name, info.TeamName, info.ModelIDs = cloneString(info.Name), cloneString(info.TeamName), slices.Clone(info.ModelIDs)
		out[i] = info
	}
	return out
}

// insertLocked stores k; its prefix must be unused.
func (s *Server) insertLocked(k *storedKey) {
	listJSON, err := json.Marshal(k.info)
	if err != nil { // unreachable: KeyInfo holds only strings
		return
	}
	k.listJSON, k.index = listJSON, len(s.keys)
	s.keys = append(s.keys, k)
	s.byPrefix[k.info.Prefix] = k
}

// changedLocked records a change made under mu and returns the batch it
// belongs to, for save: every change calls it before releasing mu, then
// save, and answers only once save has returned.
func (s *Server) changedLocked() *batch {
	b := s.pending.Load()
	b.changes++
	return b
}

// unusedPrefixLocked draws prefixes until one is free. With 16^8 possible
// prefixes a retry is rare even at a million keys.
func (s *Server) unusedPrefixLocked() string {
	for {
		p := randomString(prefixAlphabet, prefixLength)
		if _, taken := s.byPrefix[p]; !taken {
			return p
		}
	}
}

// createKey stores a new key in the team with the given ID ("" for the
// default team) and returns the key, or ok false when there is no such team.
func (s *Server) createKey(teamID string, info KeyInfo) (key string, ok bool, err error) {
	secret := randomString(secretAlphabet, secretLength)
	s.mu.Lock()
	team := s.defaultTeam
	if teamID != "" {
		team = s.teamIndexLocked(teamID)
	}
	if team < 0 {
		s.mu.Unlock()
		return "", false, nil
	}
	info.Prefix = s.unusedPrefixLocked()
	info.TeamName = ptr(s.teams[team].Name)
	s.insertLocked(&storedKey{info: info, canAuth: true, secretHash: sha256.Sum256([]byte(secret))})
	change := s.changedLocked()
	s.mu.Unlock()
	return info.Prefix + "." + secret, true, s.save(change)
}

// deleteKey removes the key with the given prefix and reports whether it existed.
func (s *Server) deleteKey(prefix string) (bool, error) {
	s.mu.Lock()
	if !s.removeLocked(prefix) {
		s.mu.Unlock()
		return false, nil
	}
	change := s.changedLocked()
	s.mu.Unlock()
	return true, s.save(change)
}

func (s *Server) removeLocked(prefix string) bool {
	k, ok := s.byPrefix[prefix]
	if !ok {
		return false
	}
	delete(s.byPrefix, prefix)
	s.keys[k.index] = nil
	s.holes++
	// Compacting only when holes outnumber live keys makes each O(n) pass
	// pay for at least n/2 deletes.
	if s.holes > 32 && s.holes*2 > len(s.keys) {
		live := s.keys[:0]
		for _, k := range s.keys {
			if k != nil {
				k.index = len(live)
				live = append(live, k)
			}
		}
		clear(s.keys[len(live):]) // let deleted keys be collected
		s.keys, s.holes = live, 0
	}
	return true
}

// snapshotKeys returns the live keys in creation order. The storedKeys are
// immutable, so callers may read them without the lock.
func (s *Server) snapshotKeys() []*storedKey {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.liveKeysLocked()
}

func (s *Server) liveKeysLocked() []*storedKey {
	out := make([]*storedKey, 0, len(s.keys)-s.holes)
	for _, k := range s.keys {
		if k != nil {
			out = append(out, k)
		}
	}
	return out
}

// keyType returns the type of the key a request presents: the master key
// counts as WORKSPACE_MANAGE_ALL; a stored key is "prefix.secret". Secrets
// are compared as SHA-256 digests in constant time, so response timing
// reveals neither length nor content.
func (s *Server) keyType(key string) (KeyType, bool) {
	sum := sha256.Sum256([]byte(key))
	if s.masterHash != nil && subtle.ConstantTimeCompare(sum[:], s.masterHash[:]) == 1 {
		return TypeWorkspaceManageAll, true
	}
	prefix, secret, ok := strings.Cut(key, ".")
	if !ok {
		return "", false
	}
	s.mu.RLock()
	k := s.byPrefix[prefix]
	s.mu.RUnlock()
	if k == nil || !k.canAuth {
		return "", false
	}
	sum = sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(sum[:], k.secretHash[:]) != 1 {
		return "", false
	}
	return k.info.Type, true
}

// newKey returns a fresh key in the API's format.
func newKey() string {
	return randomString(prefixAlphabet, prefixLength) + "." + randomString(secretAlphabet, secretLength)
}

// randomString returns n characters drawn uniformly from alphabet using
// crypto/rand. Bytes at or above the largest multiple of len(alphabet) are
// rejected; taking them modulo len(alphabet) would favour the first letters.
func randomString(alphabet string, n int) string {
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	var buf [64]byte
	for len(out) < n {
		_, _ = rand.Read(buf[:]) // never fails since Go 1.24 (it crashes instead)
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

func ptr(s string) *string { return &s }

func cloneString(p *string) *string {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
