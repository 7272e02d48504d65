package sandbox

// Users: the organization's members, as GET /v1/users pages them and GET
// /v1/users/{user_id} describes one. The caller (GET /v1/users/me) is the
// first of them; the others are seeded with a few and can be multiplied
// with AddGeneratedUsers (`sandbox serve --users N`) so that paging can be
// tried.

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Page sizes of GET /v1/users, as the description documents them.
const (
	defaultUsersLimit = 100
	maxUsersLimit     = 1000
)

// seedUsers are the members a new sandbox has besides the caller.
func seedUsers() []User {
	return []User{
		{UserID: "user-ada", Email: ptr("ada@example.com"), Name: ptr("Ada Lovelace"), WorkspaceName: ptr("Sandbox")},
		{UserID: "user-grace", Email: ptr("Grace.Hopper@example.com"), Name: ptr("Grace Hopper"), WorkspaceName: ptr("Sandbox")},
		{UserID: "user-alan", Email: nil, Name: ptr("Alan Turing"), WorkspaceName: ptr("Sandbox")},
	}
}

// generatedUserID is the ID of the n-th generated user (from 1): fixed, so
// that asking for N users again adds none twice.
func generatedUserID(n int) string { return fmt.Sprintf("user-gen-%06d", n) }

// AddGeneratedUsers makes sure the generated users 1 to n exist (user-gen-
// 000001 ...), adding the missing ones after the others, and saves. Asking
// again for the same n, or a smaller one, adds nothing.
func (s *Server) AddGeneratedUsers(n int) error {
	if n < 0 || n > 1_000_000 {
		return fmt.Errorf("sandbox: %d generated users: want 0 to 1,000,000", n)
	}
	s.mu.Lock()
	have := map[string]bool{}
	for _, u := range s.org.users {
		have[u.UserID] = true
	}
	added := false
	for i := 1; i <= n; i++ {
		id := generatedUserID(i)
		if have[id] {
			continue
		}
		s.org.users = append(s.org.users, User{UserID: id, Email: ptr(fmt.Sprintf("user%06d@example.com", i)), Name: ptr(fmt.Sprintf("Generated User %d", i)), WorkspaceName: s.user.WorkspaceName})
		added = true
	}
	if !added {
		s.mu.Unlock()
		return nil
	}
	change := s.changedLocked()
	s.mu.Unlock()
	return s.save(change)
}

// Users returns every member, the caller first, for tests.
func (s *Server) Users() []User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]User{s.user}, s.org.users...)
}

// usersCursor encodes the position of the next page. It is opaque to
// clients, as the description says, but a plain offset underneath.
func usersCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("users:" + strconv.Itoa(offset)))
}

func parseUsersCursor(cursor string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return 0, false
	}
	digits, ok := strings.CutPrefix(string(raw), "users:")
	offset, err := strconv.Atoi(digits)
	return offset, ok && err == nil && offset > 0
}

func (s *Server) listUsersHandler(w http.ResponseWriter, r *http.Request, _ []string) {
	query := r.URL.Query()
	limit := defaultUsersLimit
	if v := query.Get("limit"); query.Has("limit") {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			writeValidation(w, validationError{Loc: []any{"query", "limit"}, Msg: "Input should be a valid integer, unable to parse string as an integer", Type: "int_parsing"})
			return
		case n < 1:
			writeValidation(w, validationError{Loc: []any{"query", "limit"}, Msg: "Input should be greater than or equal to 1", Type: "greater_than_equal", Ctx: map[string]any{"ge": 1}})
			return
		case n > maxUsersLimit:
			writeValidation(w, validationError{Loc: []any{"query", "limit"}, Msg: fmt.Sprintf("Input should be less than or equal to %d", maxUsersLimit), Type: "less_than_equal", Ctx: map[string]any{"le": maxUsersLimit}})
			return
		}
		limit = n
	}
	offset := 0
	if cursor := query.Get("cursor"); cursor != "" {
		var ok bool
		if offset, ok = parseUsersCursor(cursor); !ok {
			writeDetail(w, http.StatusBadRequest, "Invalid cursor")
			return
		}
	}
	type pagination struct {
		HasMore bool    `json:"has_more"`
		Cursor  *string `json:"cursor"`
	}
	page := struct {
		Items      []User     `json:"items"`
		Pagination pagination `json:"pagination"`
	}{Items: []User{}}
	// Only the page is copied: the caller is user 0, the others follow.
	s.mu.RLock()
	total := 1 + len(s.org.users)
	for i := offset; i < min(offset+limit, total); i++ {
		if i == 0 {
			page.Items = append(page.Items, s.user)
		} else {
			page.Items = append(page.Items, s.org.users[i-1])
		}
	}
	s.mu.RUnlock()
	if next := offset + limit; next < total {
		page.Pagination = pagination{HasMore: true, Cursor: ptr(usersCursor(next))}
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) getUserByIDHandler(w http.ResponseWriter, _ *http.Request, params []string) {
	s.mu.RLock()
	all := append([]User{s.user}, s.org.users...)
	s.mu.RUnlock()
	i := slices.IndexFunc(all, func(u User) bool { return u.UserID == params[0] })
	if i < 0 {
		writeDetail(w, http.StatusNotFound, "User not found")
		return
	}
	writeJSON(w, http.StatusOK, all[i])
}

// writeValidation answers 422 with one FastAPI validation error.
func writeValidation(w http.ResponseWriter, problem validationError) {
	writeJSON(w, http.StatusUnprocessableEntity, struct {
		Detail []validationError `json:"detail"`
	}{[]validationError{problem}})
}

// restoreUsers checks and loads the persisted members other than the caller.
func (s *Server) restoreUsers(users []User) error {
	seen := map[string]bool{s.user.UserID: true}
	for i, u := range users {
		if u.UserID == "" || seen[u.UserID] {
			return fmt.Errorf("user %d: empty or duplicate user_id", i)
		}
		seen[u.UserID] = true
	}
	s.org.users = users
	return nil
}
