package commands_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/sandbox"
)

func TestUserList(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{User: &sandbox.User{UserID: "user-me", Email: strptr("me@example.com"), Name: strptr("Me")}})
	r := newRunner(a)
	assertResult(t, r.run("org", "user", "list"), ""+
		"USER ID     EMAIL                     NAME\n"+
		"user-me     me@example.com            Me\n"+
		"user-ada    ada@example.com           Ada Lovelace\n"+
		"user-grace  Grace.Hopper@example.com  Grace Hopper\n"+
		"user-alan                             Alan Turing\n", "", 0)
	assertResult(t, r.run("org", "user", "list", "--jq", ".items[].user_id", "--limit", "2"), "user-me\nuser-ada\n", "", 0)
	assertResult(t, r.run("org", "user", "list", "-o", "jsonl", "--jq", ".name", "--limit", "2"), "\"Me\"\n\"Ada Lovelace\"\n", "", 0)
	assertResult(t, r.run("org", "user", "list", "-o", "json", "--limit", "1"),
		"{\n  \"items\": [\n    {\n      \"user_id\": \"user-me\",\n      \"email\": \"me@example.com\",\n      \"name\": \"Me\",\n      \"workspace_name\": null\n    }\n  ]\n}\n", "", 0)

	// 2,503 users: three pages of at most 1,000, every user once, in order.
	assert.NilError(t, sb.AddGeneratedUsers(2499))
	a.Reset()
	got := r.run("org", "user", "list", "-o", "jsonl")
	assert.Equal(t, got.Code, 0, got.Stderr)
	lines := strings.Split(strings.TrimSuffix(got.Stdout, "\n"), "\n")
	assert.Equal(t, len(lines), 2503)
	assert.Assert(t, strings.HasPrefix(lines[2502], `{"user_id":"user-gen-002499",`), lines[2502])
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/users", "GET /v1/users", "GET /v1/users"})

	// The whole document is valid JSON holding them all.
	got = r.run("org", "user", "list", "-o", "json")
	var doc struct{ Items []json.RawMessage }
	assert.NilError(t, json.Unmarshal([]byte(got.Stdout), &doc))
	assert.Equal(t, len(doc.Items), 2503)
	// The table's header comes once.
	got = r.run("org", "user", "list")
	assert.Equal(t, strings.Count(got.Stdout, "USER ID"), 1)
	assert.Equal(t, strings.Count(got.Stdout, "\n"), 2504)

	// -v shows each page; --limit asks for no more than it needs.
	got = r.run("org", "user", "list", "-v", "--limit", "1500", "-o", "none")
	assert.Equal(t, got.Code, 0)
	assert.Assert(t, is.Regexp(`^GET http://127\.0\.0\.1:\d+/v1/users\?limit=1000 200 \S+\nGET http://127\.0\.0\.1:\d+/v1/users\?cursor=\S+&limit=500 200 \S+\n$`, got.Stderr))

	got = r.run("org", "user", "list", "--limit", "0")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --limit must be at least 1\n"), got.Stderr)
}

func TestUserListEmpty(t *testing.T) {
	a := newAPI(t, ok(`{"items":[],"pagination":{"has_more":false,"cursor":null}}`))
	r := newRunner(a)
	assertResult(t, r.run("org", "user", "list"), "", "No users found.\n", 0)
	assertResult(t, r.run("org", "user", "list", "-o", "json"), "{\n  \"items\": []\n}\n", "", 0)
	assertResult(t, r.run("org", "user", "list", "-o", "jsonl"), "", "", 0)
	assertResult(t, r.run("org", "user", "list", "--jq", ".items | length"), "0\n", "", 0)
}

// pages serves the pages of a purpose-built server: page n (from 0) for
// a request whose cursor is "c<n>", or the first without one.
func pages(bodies ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			fmt.Sscanf(c, "c%d", &n)
		}
		if n >= len(bodies) {
			n = len(bodies) - 1
		}
		if strings.HasPrefix(bodies[n], "status ") {
			var status int
			fmt.Sscanf(bodies[n], "status %d", &status)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprint(w, `{"detail":"boom"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, bodies[n])
	}
}

func usersPage(ids []string, hasMore bool, cursor string) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = fmt.Sprintf(`{"user_id":%q,"email":"%s@example.com","name":null,"extra":1.50}`, id, id)
	}
	c := "null"
	if cursor != "" {
		c = `"` + cursor + `"`
	}
	return fmt.Sprintf(`{"items":[%s],"pagination":{"has_more":%t,"cursor":%s}}`, strings.Join(items, ","), hasMore, c)
}

// A server that lies about its pages ends the list with exit 1 after what
// was printed, never a loop; a 500 mid-pages is exit 6, likewise.
func TestUserListHostilePaging(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bodies []string
		code   int
		stderr string
	}{
		{"repeated cursor", []string{usersPage([]string{"u1"}, true, "c1"), usersPage([]string{"u2"}, true, "c1")}, 1,
			"Error: the API sent the cursor of page 2 again; stopped rather than loop\n"},
		{"cursor of an earlier page", []string{usersPage([]string{"u1"}, true, "c1"), usersPage([]string{"u2"}, true, "c2"), usersPage([]string{"u3"}, true, "c1")}, 1,
			"Error: the API sent the cursor of page 3 again; stopped rather than loop\n"},
		{"has_more without a cursor", []string{usersPage([]string{"u1"}, true, "c1"), usersPage([]string{"u2"}, true, "")}, 1,
			"Error: the API said more users follow page 2 but gave no cursor to ask for them\n"},
		{"a cursor of 1 MiB", []string{usersPage([]string{"u1"}, true, "c1"), usersPage([]string{"u2"}, true, strings.Repeat("c", 1<<20))}, 1,
			"Error: the API sent a cursor of 1048576 bytes after page 2, more than the 8 KiB a cursor may be; stopped\n"},
		{"500 mid-pages", []string{usersPage([]string{"u1"}, true, "c1"), usersPage([]string{"u2"}, true, "c2"), "status 500"}, 6,
			"Error: page 3 of users: API request failed (500 Internal Server Error): boom\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAPI(t, pages(tc.bodies...))
			r := newRunner(a)
			r.env["BASETEN_HTTP_TIMEOUT"] = "2s" // the 500 is retried within it
			got := r.run("org", "user", "list", "-o", "jsonl", "--jq", ".user_id")
			assert.Equal(t, got.Code, tc.code, got.Stderr)
			assert.Equal(t, got.Stderr, tc.stderr+"The users printed before this error are not all of them.\n")
			assert.Assert(t, strings.HasPrefix(got.Stdout, "\"u1\"\n\"u2\"\n"), got.Stdout)
		})
	}

	// An endless server: new cursors, empty pages, forever.
	var n int
	var mu sync.Mutex
	endlessAPI := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		n++
		cursor := fmt.Sprintf("c%d", n)
		mu.Unlock()
		ok(usersPage(nil, true, cursor))(w, nil)
	}))
	got := newRunner(endlessAPI).run("org", "user", "list")
	assertResult(t, got, "", "Error: the API sent 3 empty pages of users in a row, each saying more follow; stopped\n", 1)
	assert.Equal(t, len(endlessAPI.Requests()), 3)

	// An endless server that sends users: stopped at the page limit.
	defer commands.SetMaxUserPages(5)()
	n = 0
	endlessUsers := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		n++
		page := usersPage([]string{fmt.Sprintf("u%d", n)}, true, fmt.Sprintf("c%d", n))
		mu.Unlock()
		ok(page)(w, nil)
	}))
	got = newRunner(endlessUsers).run("org", "user", "list", "-o", "jsonl", "--jq", ".user_id")
	assertResult(t, got, "\"u1\"\n\"u2\"\n\"u3\"\n\"u4\"\n\"u5\"\n", "Error: the API is still sending pages of users after 5; stopped\n"+
		"The users printed before this error are not all of them.\n", 1)

	// describe by email stops at the lie too.
	a := newAPI(t, pages(usersPage([]string{"u1"}, true, "c1"), usersPage([]string{"u2"}, true, "c1")))
	got = newRunner(a).run("org", "user", "describe", "--user-email", "nobody@example.com")
	assertResult(t, got, "", "Error: the API sent the cursor of page 2 again; stopped rather than loop\n", 1)
}

// With --jq in json mode every user is held for the filter: an endless
// server stops at the document's bound, not at the memory's end, and
// nothing was printed (nor said to be).
func TestUserListJQDocumentIsBounded(t *testing.T) {
	defer commands.SetMaxUserDocument(1 << 20)()
	var n int
	var mu sync.Mutex
	endless := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		n++
		id := fmt.Sprintf("u%d-%s", n, strings.Repeat("x", 100_000)) // 200 kB a user, with its email
		page := usersPage([]string{id}, true, fmt.Sprintf("c%d", n))
		mu.Unlock()
		ok(page)(w, nil)
	}))
	got := newRunner(endless).run("org", "user", "list", "--jq", ".items | length")
	assertResult(t, got, "", "Error: the users are more than the 1 MiB --jq reads into one document; stopped\n"+
		"Filter each user as it arrives instead: -o jsonl --jq FILTER.\n", 1)
	assert.Equal(t, len(endless.Requests()), 6)
}

// signalWriter reports its first write.
type signalWriter struct {
	mu    sync.Mutex
	buf   strings.Builder
	first chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() == 0 {
		close(w.first)
	}
	return w.buf.Write(p)
}

// With -o jsonl a script sees the first page before the second is even
// asked for: the server holds page 2 until stdout has page 1.
func TestUserListStreamsPages(t *testing.T) {
	out := &signalWriter{first: make(chan struct{})}
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			ok(usersPage([]string{"u1"}, true, "c1"))(w, r)
			return
		}
		select {
		case <-out.first:
		case <-time.After(time.Minute): // a guard, not an assertion
		}
		ok(usersPage([]string{"u2"}, false, ""))(w, r)
	}))
	r := newRunner(a)
	r.stdout = out
	start := time.Now()
	got := r.run("org", "user", "list", "-o", "jsonl")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, time.Since(start) < 30*time.Second, "page 2 waited for page 1 to reach stdout")
	assert.Equal(t, out.buf.String(), ""+
		`{"user_id":"u1","email":"u1@example.com","name":null,"extra":1.50}`+"\n"+
		`{"user_id":"u2","email":"u2@example.com","name":null,"extra":1.50}`+"\n")
}

func TestUserDescribe(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{User: &sandbox.User{UserID: "user-me", Email: strptr("me@example.com")}})
	r := newRunner(a)
	assertResult(t, r.run("org", "user", "describe", "--user-id", "me"),
		"User ID:    user-me\nEmail:      me@example.com\nName:\nWorkspace:\n", "", 0)
	assertResult(t, r.run("org", "user", "describe", "--user-id", "user-ada", "--jq", ".name"), "Ada Lovelace\n", "", 0)
	a.Reset()
	// Emails match without regard to ASCII case; the hint goes along.
	assertResult(t, r.run("org", "user", "describe", "--user-email", "grace.HOPPER@example.com", "-o", "jsonl"),
		`{"user_id":"user-grace","email":"Grace.Hopper@example.com","name":"Grace Hopper","workspace_name":"Sandbox"}`+"\n", "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/users"})
	assertResult(t, r.run("org", "user", "describe", "--user-email", "nobody@example.com"), "",
		"Error: no user with the email \"nobody@example.com\"\nRun 'baseten org user list' to see the users, their IDs and emails.\n", 4)
	assertResult(t, r.run("org", "user", "describe", "--user-id", "user-nobody"), "",
		"Error: no user with ID \"user-nobody\"\nRun 'baseten org user list' to see the users, their IDs and emails.\n", 4)
	// Only ASCII case folds: a Kelvin sign is not a k.
	assert.Equal(t, r.run("org", "user", "describe", "--user-email", "\u212aate@example.com").Code, 4)

	a.Reset()
	for _, args := range [][]string{
		{"--user-id", "../x"}, {"--user-id", "a/b"}, {"--user-id", "a b"}, {"--user-email", ""}, {"--user-email", "a\x1b@b"},
		{"--user-id", "me", "--user-email", "a@b"}, {},
	} {
		got := r.run(append([]string{"org", "user", "describe"}, args...)...)
		assert.Equal(t, got.Code, 2, "%v: %s", args, got.Stderr)
		assert.Assert(t, !strings.Contains(got.Stderr, "\x1b"))
	}
	assert.DeepEqual(t, a.Requests(), []string{})
}

// The server's emails are matched by the CLI: a server that ignores the
// email hint still finds the user, on a later page.
func TestUserDescribeByEmailOnALaterPage(t *testing.T) {
	a := newAPI(t, pages(usersPage([]string{"u1"}, true, "c1"), usersPage([]string{"u2", "target"}, true, "c2"), usersPage([]string{"u3"}, false, "")))
	r := newRunner(a)
	assertResult(t, r.run("org", "user", "describe", "--user-email", "TARGET@example.com", "--jq", ".user_id"), "target\n", "", 0)
	assert.Equal(t, len(a.Requests()), 2, "stopped at the first match")
}

func TestUserCompletion(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{User: &sandbox.User{UserID: "user-me", Email: strptr("me@example.com")}})
	r := newRunner(a)
	assert.DeepEqual(t, candidates(t, r.complete("baseten org user describe --user-id ")), []string{"me", "user-ada", "user-alan", "user-grace", "user-me"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten org user describe --user-email a")), []string{"ada@example.com"})
}
