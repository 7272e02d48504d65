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
