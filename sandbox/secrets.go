package sandbox

// Secrets: the organization's secrets, per team, as /v1/secrets and
// /v1/teams/{team_id}/secrets serve them. Like the API, the sandbox never
// returns a value; unlike it, it never even keeps one: only the SHA-256 of
// each value is stored (and persisted), which is all a test needs to tell
// that a value was set or replaced.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of an upsert. The value may be up to 1 MiB (what the CLI sends at
// most); a JSON body escaping every byte of it is up to six times larger.
const (
	maxSecretNameLength = 256 // bytes, as the CLI counts
	maxSecretValueBytes = 1 << 20
	maxSecretBodyBytes  = 6*maxSecretValueBytes + 4096
)

// Secret is a secret's metadata as the API lists it (SecretV1).
type Secret struct {
	ID        string `json:"id"`
	CreatedAt string `json:"created_at"`
	Name      string `json:"name"`
	TeamName  string `json:"team_name"`
}

// storedSecret is one secret: its team by ID (team names are not unique)
// and the digest of its value.
type storedSecret struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	TeamID      string `json:"team_id"`
	CreatedAt   string `json:"created_at"`
	ValueSHA256 string `json:"value_sha256"`
}

// orgState is what the sandbox keeps beyond keys and teams: secrets, the
// other users of the organization, and the seed of its usage figures. It
// is part of the persisted state (state.go) and guarded by Server.mu.
type orgState struct {
	secrets   []storedSecret // in creation order
	users     []User         // the organization's users other than the caller
	usageSeed uint64
}

// SecretDigest is the hex SHA-256 of a value, as the state stores it.
func SecretDigest(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}

// SecretsOf returns the stored secrets with their value digests, for tests:
// team ID, name and digest of each, in creation order.
func (s *Server) SecretsOf() []struct{ TeamID, Name, Digest string } {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]struct{ TeamID, Name, Digest string }, len(s.org.secrets))
	for i, sec := range s.org.secrets {
		out[i].TeamID, out[i].Name, out[i].Digest = sec.TeamID, sec.Name, sec.ValueSHA256
	}
	return out
}

// SetSecret stores a secret as an upsert would, in the team with this ID
// ("" for the default team): a seed for tests and examples.
func (s *Server) SetSecret(teamID, name, value string) error {
	if problem := secretNameProblem(name); problem != "" {
		return fmt.Errorf("sandbox: secret name %q %s", name, problem)
	}
	_, found, err := s.upsertSecret(teamID, name, value)
	if !found {
		return fmt.Errorf("sandbox: no team %q", teamID)
	}
	return err
}

// secretNameProblem is what makes a name one the sandbox refuses, or "":
// what the CLI refuses before sending (it would change a URL path, or
// not be one line), and more than 256 bytes.
func secretNameProblem(name string) string {
	switch {
	case name == "" || name == "." || name == "..":
		return "is not a secret name"
	case len(name) > maxSecretNameLength:
		return fmt.Sprintf("is longer than %d bytes", maxSecretNameLength)
	case !utf8.ValidString(name) || strings.ContainsRune(name, '/') || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "contains a character a secret name cannot hold"
	}
	return ""
}

// teamLocked returns the index of the team with this ID, the default team
// for "", or -1.
func (s *Server) teamLocked(teamID string) int {
	if teamID == "" {
		return s.defaultTeam
	}
	return s.teamIndexLocked(teamID)
}

// secretJSONLocked is a stored secret as the API sends it.
func (s *Server) secretJSONLocked(sec storedSecret) Secret {
	team := ""
	if i := s.teamIndexLocked(sec.TeamID); i >= 0 {
		team = s.teams[i].Name
	}
	return Secret{ID: sec.ID, CreatedAt: sec.CreatedAt, Name: sec.Name, TeamName: team}
}

// upsertSecret creates or replaces a secret; found is false when there is
// no such team. A replaced secret keeps its ID and creation time (the
// description: the ID is "unchanged across rotation").
func (s *Server) upsertSecret(teamID, name, value string) (Secret, bool, error) {
	digest := SecretDigest(value)
	s.mu.Lock()
	team := s.teamLocked(teamID)
	if team < 0 {
		s.mu.Unlock()
		return Secret{}, false, nil
	}
	teamID = s.teams[team].ID
	i := slices.IndexFunc(s.org.secrets, func(sec storedSecret) bool { return sec.TeamID == teamID && sec.Name == name })
	if i < 0 {
		id := ""
		for id == "" || slices.ContainsFunc(s.org.secrets, func(sec storedSecret) bool { return sec.ID == id }) {
			id = randomString(secretAlphabet, 7)
		}
		s.org.secrets = append(s.org.secrets, storedSecret{ID: id, Name: name, TeamID: teamID, CreatedAt: s.now().UTC().Format(time.RFC3339)})
		i = len(s.org.secrets) - 1
	}
	s.org.secrets[i].ValueSHA256 = digest
	answer := s.secretJSONLocked(s.org.secrets[i])
	change := s.changedLocked()
	s.mu.Unlock()
	return answer, true, s.save(change)
}

func (s *Server) listSecretsHandler(w http.ResponseWriter, _ *http.Request, params []string) {
	s.mu.RLock()
	teamID := ""
	if len(params) > 0 {
		if i := s.teamIndexLocked(params[0]); i < 0 {
			s.mu.RUnlock()
			writeDetail(w, http.StatusNotFound, "Team not found")
			return
		}
		teamID = params[0]
	}
	list := []Secret{}
	for _, sec := range s.org.secrets {
		if teamID == "" || sec.TeamID == teamID {
			list = append(list, s.secretJSONLocked(sec))
		}
	}
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, struct {
		Secrets []Secret `json:"secrets"`
	}{list})
}

// upsertSecretHandler serves both upserts: params holds the team ID of the
// team variant. As for keys, the body is validated (422) before the team
// is looked up (404).
func (s *Server) upsertSecretHandler(w http.ResponseWriter, r *http.Request, params []string) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSecretBodyBytes))
	if err != nil {
		if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
			writeDetail(w, http.StatusRequestEntityTooLarge, "Request body too large (limit "+strconv.Itoa(maxSecretBodyBytes)+" bytes)")
		} else {
			writeDetail(w, http.StatusBadRequest, "Could not read request body")
		}
		return
	}
	name, value, problems := parseUpsertSecret(r.Header.Get("Content-Type"), body)
	if len(problems) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			Detail []validationError `json:"detail"`
		}{problems})
		return
	}
	teamID := ""
	if len(params) > 0 {
		teamID = params[0]
	}
	secret, found, err := s.upsertSecret(teamID, name, value)
	switch {
	case !found:
		writeDetail(w, http.StatusNotFound, "Team not found")
	case err != nil:
		writeSaveError(w, err)
	default:
		writeJSON(w, http.StatusOK, secret)
	}
}

// parseUpsertSecret validates an UpsertSecretRequestV1 the way pydantic
// would, with the sandbox's limits on top. No error repeats the value.
func parseUpsertSecret(contentType string, body []byte) (name, value string, problems []validationError) {
	if !isJSON(contentType) {
		return "", "", []validationError{{Loc: []any{"body"}, Msg: "Input should be a valid dictionary or object to extract fields from", Type: "model_attributes_type"}}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return "", "", []validationError{{Loc: []any{"body"}, Msg: "Input should be a valid dictionary or object to extract fields from", Type: "model_attributes_type"}}
	}
	for _, field := range []struct {
		key  string
		into *string
	}{{"name", &name}, {"value", &value}} {
		raw := fields[field.key]
		switch {
		case raw == nil:
			problems = append(problems, validationError{Loc: []any{"body", field.key}, Msg: "Field required", Type: "missing"})
		case json.Unmarshal(raw, field.into) != nil || string(raw) == "null":
			problems = append(problems, validationError{Loc: []any{"body", field.key}, Msg: "Input should be a valid string", Type: "string_type"})
		}
	}
	if len(problems) > 0 {
		return "", "", problems
	}
	if problem := secretNameProblem(name); problem != "" {
		problems = append(problems, validationError{Loc: []any{"body", "name"}, Msg: "Value error, the name " + problem, Type: "value_error"})
	}
	switch {
	case value == "":
		problems = append(problems, validationError{Loc: []any{"body", "value"}, Msg: "String should have at least 1 character", Type: "string_too_short", Ctx: map[string]any{"min_length": 1}})
	case len(value) > maxSecretValueBytes:
		problems = append(problems, validationError{Loc: []any{"body", "value"}, Msg: fmt.Sprintf("Value error, a secret value is at most %d bytes", maxSecretValueBytes), Type: "value_error"})
	}
	return name, value, problems
}

func (s *Server) deleteSecretHandler(w http.ResponseWriter, _ *http.Request, params []string) {
	teamID, name := "", params[len(params)-1]
	if len(params) > 1 {
		teamID = params[0]
	}
	s.mu.Lock()
	team := s.teamLocked(teamID)
	if team < 0 {
		s.mu.Unlock()
		writeDetail(w, http.StatusNotFound, "Team not found")
		return
	}
	teamID = s.teams[team].ID
	i := slices.IndexFunc(s.org.secrets, func(sec storedSecret) bool { return sec.TeamID == teamID && sec.Name == name })
	if i < 0 {
		s.mu.Unlock()
		writeDetail(w, http.StatusNotFound, "Secret not found")
		return
	}
	s.org.secrets = slices.Delete(s.org.secrets, i, i+1)
	change := s.changedLocked()
	s.mu.Unlock()
	if err := s.save(change); err != nil {
		writeSaveError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Name string `json:"name"`
	}{name})
}

// restoreSecrets checks and loads the persisted secrets; teams are loaded.
func (s *Server) restoreSecrets(secrets []storedSecret) error {
	for i, sec := range secrets {
		if sec.ID == "" || secretNameProblem(sec.Name) != "" || s.teamIndexLocked(sec.TeamID) < 0 {
			return fmt.Errorf("secret %d: empty id, unusable name or unknown team", i)
		}
		if slices.ContainsFunc(secrets[:i], func(o storedSecret) bool { return o.ID == sec.ID || o.TeamID == sec.TeamID && o.Name == sec.Name }) {
			return fmt.Errorf("secret %d: duplicate id, or name within its team", i)
		}
		if sum, err := hex.DecodeString(sec.ValueSHA256); err != nil || len(sum) != sha256.Size {
			return fmt.Errorf("secret %d: value_sha256 is not a hex SHA-256", i)
		}
		if _, err := time.Parse(time.RFC3339, sec.CreatedAt); err != nil {
			return fmt.Errorf("secret %d: created_at is not RFC 3339", i)
		}
	}
	s.org.secrets = secrets
	return nil
}
