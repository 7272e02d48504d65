package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// switch and logout take --label, the name login gives it, as well as
// --user (one of the two).
func TestSwitchAndLogoutTakeLabel(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	for _, label := range []string{"work", "play"} {
		r.stdin = testKey
		assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", label).Code, 0)
	}
	got := r.run("auth", "switch", "--label", "work")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stdout, "Switched to work: "), got.Stdout)
	assertResult(t, r.run("auth", "logout", "--label", "play"), "Logged out play\n", "", 0)
	got = r.run("auth", "logout", "--label", "work", "--user", "work")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --user and --label can't be used together\n"), got.Stderr)
}

// logout with nothing stored says so, and says what to do about a key in
// the environment.
func TestLogoutWithNothingStored(t *testing.T) {
	r := newRunner(nil)
	got := r.run("auth", "logout")
	assertResult(t, got, "", "Error: no credential is stored, so there is nothing to log out\nThe key in BASETEN_API_KEY is not stored; unset the variable to stop using it.\n", 4)
	delete(r.env, "BASETEN_API_KEY")
	got = r.run("auth", "logout", "--user", "work")
	assertResult(t, got, "", "Error: no credential is stored, so there is nothing to log out\n", 4)
}

// Logging in at a second remote under the default label (the email) would
// replace the first remote's credential: refused, naming that remote,
// unless --label or --replace says so.
func TestLoginAtASecondRemoteKeepsTheFirst(t *testing.T) {
	first, _ := sandboxAPI(t, sandbox.Options{})
	second, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(first)
	r.stdin = testKey
	got := r.run("auth", "login", "--with-api-key")
	assert.Equal(t, got.Code, 0, got.Stderr)
	r.env["BASETEN_REMOTE_URL"] = second.URL
	r.stdin = testKey
	got = r.run("auth", "login", "--with-api-key")
	assertResult(t, got, "", "Error: the label \"you@example.com\" already holds the credential for "+first.URL+"; nothing was stored\nPass --label with another name to keep both, or --replace to replace it.\n", 2)
	status := r.run("auth", "status", "-o", "json", "--jq", ".stored[0].remote_url")
	assert.Equal(t, strings.TrimSpace(status.Stdout), first.URL, status.Stderr)

	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "second").Code, 0)
	r.stdin = testKey
	got = r.run("auth", "login", "--with-api-key", "--replace")
	assert.Equal(t, got.Code, 0, got.Stderr)
	// Again at the same remote: replaced, as before.
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key").Code, 0)
}

// An API that cannot be reached has not judged the key: "not checked",
// "valid": null in JSON, and exit 1 (not 3, which says the key is bad).
func TestStatusWhenTheAPICannotBeReached(t *testing.T) {
	a := newAPI(t, reply(200, "application/json", "{}"))
	r := newRunner(a)
	a.Close()
	got := r.run("auth", "status")
	assert.Equal(t, got.Code, 1)
	host := strings.TrimPrefix(a.URL, "http://")
	assert.Assert(t, strings.Contains(got.Stdout, "Account:   not checked: cannot reach "+host), got.Stdout)
	got = r.run("auth", "status", "-o", "json", "--jq", ".active | [.valid, .key_prefix]")
	assert.Equal(t, got.Code, 1)
	assert.Equal(t, got.Stdout, "[\n  null,\n  \"admintest\"\n]\n")
}
