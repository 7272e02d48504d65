package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

// twoAccounts logs in "alpha" against one sandbox and "beta" against
// another, leaves alpha active, and returns a runner with no key, remote
// or override in its environment: stored credentials decide.
func twoAccounts(t *testing.T) (r *runner, alpha, beta *api) {
	alpha, _ = sandboxAPI(t, sandbox.Options{User: &sandbox.User{UserID: "u-alpha", Email: strptr("alpha@example.com")}})
	beta, _ = sandboxAPI(t, sandbox.Options{User: &sandbox.User{UserID: "u-beta", Email: strptr("beta@example.com")}})
	r = loginRunner(alpha)
	for label, a := range map[string]*api{"beta": beta, "alpha": alpha} {
		r.env["BASETEN_REMOTE_URL"] = a.URL
		r.stdin = testKey
		got := r.run("auth", "login", "--with-api-key", "--label", label)
		assert.Equal(t, got.Code, 0, got.Stderr)
	}
	assert.Equal(t, r.run("auth", "switch", "--user", "alpha").Code, 0)
	delete(r.env, "BASETEN_REMOTE_URL")
	alpha.Reset()
	beta.Reset()
	return r, alpha, beta
}

func email(t *testing.T, got result) string {
	t.Helper()
	assert.Equal(t, got.Code, 0, got.Stderr)
	return strings.TrimSpace(got.Stdout)
}

// --profile > BASETEN_API_KEY > BASETEN_PROFILE > the active credential;
// each stored key goes to the remote it was verified against, and the
// active credential never changes.
func TestProfilePrecedence(t *testing.T) {
	r, alpha, beta := twoAccounts(t)
	assert.Equal(t, email(t, r.run("whoami", "--jq", ".email")), "alpha@example.com")
	assert.Equal(t, email(t, r.run("whoami", "--jq", ".email", "--profile", "beta")), "beta@example.com")
	assert.Equal(t, email(t, r.run("whoami", "--jq", ".email")), "alpha@example.com", "the active credential is unchanged")

	r.env["BASETEN_PROFILE"] = "beta"
	assert.Equal(t, email(t, r.run("whoami", "--jq", ".email")), "beta@example.com")
	assert.Equal(t, email(t, r.run("whoami", "--jq", ".email", "--profile", "alpha")), "alpha@example.com")

	// BASETEN_API_KEY beats BASETEN_PROFILE, and --profile beats it.
	other, _ := sandboxAPI(t, sandbox.Options{User: &sandbox.User{UserID: "u-env", Email: strptr("env@example.com")}})
	r.env["BASETEN_API_KEY"] = testKey
	r.env["BASETEN_REMOTE_URL"] = other.URL
	assert.Equal(t, email(t, r.run("whoami", "--jq", ".email")), "env@example.com")
	delete(r.env, "BASETEN_REMOTE_URL")
	assert.Equal(t, email(t, r.run("whoami", "--jq", ".email", "--profile", "beta")), "beta@example.com")
	assert.Equal(t, len(alpha.Requests())+len(beta.Requests())+len(other.Requests()), 7)

	// auth status shows the credential in use.
	delete(r.env, "BASETEN_API_KEY")
	delete(r.env, "BASETEN_PROFILE")
	got := r.run("auth", "status", "--profile", "beta", "--jq", ".active.label, .active.email")
	assertResult(t, got, "beta\nbeta@example.com\n", "", 0)
	got = r.run("auth", "status", "--jq", ".active.label")
	assertResult(t, got, "alpha\n", "", 0)
}

func TestProfileUnknownOrBad(t *testing.T) {
	r, alpha, beta := twoAccounts(t)
	assertResult(t, r.run("whoami", "--profile", "gamma"), "",
		"Error: --profile names \"gamma\", but no credential is stored under that label\nStored labels: alpha, beta\n", 3)
	r.env["BASETEN_PROFILE"] = "gamma"
	assertResult(t, r.run("org", "team", "list"), "",
		"Error: BASETEN_PROFILE names \"gamma\", but no credential is stored under that label\nStored labels: alpha, beta\n", 3)
	got := r.run("auth", "status")
	assert.Equal(t, got.Code, 3)
	// No key is said once, on stderr (issue 16); stdout lists what is stored.
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: BASETEN_PROFILE names \"gamma\", but no credential is stored under that label\n"), got.Stderr)
	assert.Assert(t, !strings.Contains(got.Stdout, "gamma"), got.Stdout)
	// A key pasted as a label is not repeated, by the flag or the
	// variable, in the error or in auth status.
	const pasted = "abcd1234.S3CRETpastedS3CRETpasted"
	r.env["BASETEN_PROFILE"] = pasted
	for _, args := range [][]string{{"org", "team", "list"}, {"auth", "status"}, {"whoami", "--profile", pasted}, {"auth", "status", "--profile", pasted}} {
		got := r.run(args...)
		assert.Equal(t, got.Code, 3, "%v: %s", args, got.Stderr)
		assert.Assert(t, !strings.Contains(got.Stdout+got.Stderr, "S3CRET"), "%v: %s%s", args, got.Stdout, got.Stderr)
		assert.Assert(t, is.Contains(got.Stdout+got.Stderr, "a value that looks like an API key (not repeated here)"), "%v: %s%s", args, got.Stdout, got.Stderr)
	}
	delete(r.env, "BASETEN_PROFILE")
	for _, args := range [][]string{
		{"whoami", "--profile", ""},
		{"whoami", "--profile", "a\x1b[31m"},
		{"auth", "login", "--with-api-key", "--profile", "alpha"},
	} {
		got := r.run(args...)
		assert.Equal(t, got.Code, 2, "%v: %s", args, got.Stderr)
		assert.Assert(t, !strings.Contains(got.Stderr, "\x1b"))
	}
	assert.DeepEqual(t, append(alpha.Requests(), beta.Requests()...), []string{})
}

// A hint's command line names the profile of the run, so that pasting it
// acts on the same account.
func TestProfileInHints(t *testing.T) {
	r, _, beta := twoAccounts(t)
	r.stdout = brokenWriter{}
	got := r.run("org", "api-key", "create", "--type", "personal", "--profile", "beta")
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, is.Regexp(`\nRevoke it with: baseten org api-key delete --prefix [0-9a-f]{8} --profile beta\n$`, got.Stderr))
	assert.Equal(t, beta.Requests()[0], "POST /v1/api_keys")
}

func TestProfileCompletion(t *testing.T) {
	r, _, beta := twoAccounts(t)
	assert.DeepEqual(t, candidates(t, r.complete("baseten whoami --profile ")), []string{"alpha", "beta"})
	// Live values come from the account the line names.
	assert.DeepEqual(t, candidates(t, r.complete("baseten org team describe --profile beta --team-name D")), []string{"Default"})
	assert.DeepEqual(t, beta.Requests(), []string{"GET /v1/teams"})
}

// A credential chosen by --profile or BASETEN_PROFILE goes only to the
// remote it was verified against: BASETEN_REMOTE_URL, exported for the
// other account's script, is refused before anything is sent, while
// --remote-url on the same line sends it elsewhere on purpose.
func TestProfileKeepsItsRemote(t *testing.T) {
	r, alpha, beta := twoAccounts(t)
	r.env["BASETEN_REMOTE_URL"] = alpha.URL
	got := r.run("whoami", "--profile", "beta")
	assert.Equal(t, got.Code, 2, got.Stderr)
	assert.Assert(t, is.Contains(got.Stderr, "Error: BASETEN_REMOTE_URL names "+alpha.URL+", but the stored key of \"beta\" (chosen by --profile) was verified against "), got.Stderr)
	r.env["BASETEN_PROFILE"] = "beta"
	got = r.run("org", "team", "list")
	assert.Equal(t, got.Code, 2, got.Stderr)
	assert.Assert(t, is.Contains(got.Stderr, "(chosen by BASETEN_PROFILE)"), got.Stderr)
	got = r.run("auth", "status")
	assert.Equal(t, got.Code, 2, got.Stderr)
	assert.Assert(t, is.Contains(got.Stdout, "Account:   not checked: BASETEN_REMOTE_URL names "+alpha.URL+", but the stored key of \"beta\" (chosen by BASETEN_PROFILE) was verified against "), got.Stdout)
	assert.DeepEqual(t, append(alpha.Requests(), beta.Requests()...), []string{})

	// The variable naming beta's own remote is no other remote.
	r.env["BASETEN_REMOTE_URL"] = beta.URL
	assert.Equal(t, email(t, r.run("whoami", "--jq", ".email", "--profile", "beta")), "beta@example.com")
	// --remote-url is on purpose.
	delete(r.env, "BASETEN_PROFILE")
	assert.Equal(t, email(t, r.run("whoami", "--jq", ".email", "--profile", "beta", "--remote-url", alpha.URL)), "alpha@example.com")
	// The active credential keeps the documented rule: the variable moves it.
	r.env["BASETEN_REMOTE_URL"] = beta.URL
	assert.Equal(t, email(t, r.run("whoami", "--jq", ".email")), "beta@example.com")
}
