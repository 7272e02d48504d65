package commands_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/sandbox"
)

// loginRunner is a runner with no key in its environment, pointed at a by
// --remote-url semantics (BASETEN_REMOTE_URL), whose config dir is fresh.
func loginRunner(a *api) *runner {
	r := newRunner(nil)
	delete(r.env, "BASETEN_API_KEY")
	r.env["BASETEN_REMOTE_URL"] = a.URL
	return r
}

// filesOf returns every file of the config dir and its content.
func filesOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			files[filepath.Base(path)] = string(data)
		}
		return nil
	})
	return files
}

func TestLoginStoresAFileWithoutAKeyring(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	r.stdin = testKey + "\n"
	got := r.run("auth", "login", "--with-api-key", "-v")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, got.Stdout, "Logged in as you@example.com (Sandbox)\n")
	dir := r.env["BASETEN_CONFIG_DIR"]
	assert.Assert(t, is.Contains(got.Stderr, "No OS keyring here (no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)): storing the key in "+filepath.Join(dir, "credentials.json")+", readable by you only.\n"))
	assert.Assert(t, is.Regexp(`GET `+a.URL+`/v1/users/me 200 (?:\d+ms|\d+(?:\.\d)?s)\n`, got.Stderr))
	assertNoSecret(t, got, testKey)
	assert.Assert(t, !strings.Contains(got.Stdout, "S3CRET"))
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/users/me"})

	files := filesOf(t, dir)
	assert.Assert(t, !strings.Contains(files["config.json"], "S3CRET"), files["config.json"])
	assert.Assert(t, is.Contains(files["config.json"], `"label": "you@example.com"`))
	assert.Assert(t, is.Contains(files["config.json"], `"remote_url": "`+a.URL+`"`))
	assert.Assert(t, is.Contains(files["credentials.json"], testKey))
	if runtime.GOOS != "windows" {
		for _, name := range []string{"config.json", "credentials.json"} {
			info, err := os.Stat(filepath.Join(dir, name))
			assert.NilError(t, err)
			assert.Equal(t, info.Mode().Perm(), os.FileMode(0o600), name)
		}
	}
}

// Where there is a keyring (here go-keyring's in-memory stand-in: tests
// never touch the real one), the key goes there and the config says so.
func TestLoginStoresInTheKeyring(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	r.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent" // a session bus is advertised
	r.stdin = testKey
	got := r.run("auth", "login", "--with-api-key", "--label", "work", "-o", "json")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, got.Stderr, "")
	var info map[string]string
	assert.NilError(t, json.Unmarshal([]byte(got.Stdout), &info))
	assert.DeepEqual(t, info, map[string]string{"label": "work", "email": "you@example.com", "workspace_name": "Sandbox", "remote_url": a.URL, "storage": "keyring"})
	files := filesOf(t, r.env["BASETEN_CONFIG_DIR"])
	_, hasFile := files["credentials.json"]
	assert.Assert(t, !hasFile, "the key is not in a file")
	assert.Assert(t, !strings.Contains(files["config.json"], "S3CRET"))

	// API commands now use it, sent to the remote it was verified against.
	delete(r.env, "BASETEN_REMOTE_URL")
	a.Reset()
	assertResult(t, r.run("org", "api-key", "list"), "", "No API keys found.\n", 0)
	assert.Equal(t, a.Last().Authorization, "Bearer "+testKey)

	// Logging out deletes it from the keyring: the next command has no key.
	assertResult(t, r.run("auth", "logout"), "Logged out work\n", "", 0)
	got = r.run("org", "api-key", "list")
	assert.Equal(t, got.Code, 3)
	assert.Assert(t, is.Contains(got.Stderr, "no API key"))
}

func TestLoginWithARejectedKeyStoresNothing(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	r.stdin = "wrong123.NOTAKEYNOTAKEYNOTAKEY\n"
	got := r.run("auth", "login", "--with-api-key")
	assert.Equal(t, got.Code, 3)
	assert.Equal(t, got.Stdout, "")
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: the API rejected the key, nothing was stored: API request failed (401 Unauthorized): "), got.Stderr)
	assert.Assert(t, !strings.Contains(got.Stderr, "(API request failed ("), "no nested parentheses")
	assertNoSecret(t, got, "NOTAKEY")
	assert.DeepEqual(t, filesOf(t, r.env["BASETEN_CONFIG_DIR"]), map[string]string{})
}

func TestLoginInput(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	t.Run("--with-api-key is required", func(t *testing.T) {
		got := loginRunner(a).run("auth", "login")
		assert.Equal(t, got.Code, 2)
		assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: auth login needs --with-api-key: the key is read from stdin\n"), got.Stderr)
	})
	t.Run("an empty stdin", func(t *testing.T) {
		got := loginRunner(a).run("auth", "login", "--with-api-key")
		assert.Equal(t, got.Code, 2)
		assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: no API key on stdin\n"), got.Stderr)
	})
	t.Run("a key with a control character", func(t *testing.T) {
		r := loginRunner(a)
		r.stdin = "abcd1234.S3CR\x1bET\n"
		got := r.run("auth", "login", "--with-api-key")
		assert.Equal(t, got.Code, 3)
		assert.Assert(t, is.Contains(got.Stderr, "Error: the key read from stdin contains a line break, a space or another character an API key never has\n"))
	})
	t.Run("a line too long to be a key", func(t *testing.T) {
		r := loginRunner(a)
		r.stdin = strings.Repeat("k", 10000)
		got := r.run("auth", "login", "--with-api-key")
		assert.Equal(t, got.Code, 1)
		assert.Assert(t, is.Contains(got.Stderr, "longer than 4096 bytes"))
	})
	t.Run("a prompt without echo on a terminal", func(t *testing.T) {
		r := loginRunner(a)
		r.typed = []string{testKey}
		got := r.run("auth", "login", "--with-api-key", "--label", "typed")
		assert.Equal(t, got.Code, 0, got.Stderr)
		assert.Assert(t, strings.HasPrefix(got.Stderr, "API key: "), got.Stderr)
		assertNoSecret(t, got, testKey)
	})
	t.Run("labels", func(t *testing.T) {
		for _, label := range []string{"", "a\x1b[31m", strings.Repeat("l", 200)} {
			got := loginRunner(a).run("auth", "login", "--with-api-key", "--label="+label)
			assert.Equal(t, got.Code, 2, "%q", label)
		}
	})
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/users/me"}) // only the typed key was checked
}

// A key pasted on the command line is refused without being repeated:
// Kong's own errors would print it ("unexpected argument abcd1234.S3CRET").
func TestLoginNeverEchoesTheCommandLine(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	for _, args := range [][]string{
		{"auth", "login", "--with-api-key", testKey},
		{"auth", "login", testKey},
		{"auth", "login", "--with-api-key=" + testKey},
		{"auth", "login", "--insecure-storage=" + testKey, "--with-api-key"},
	} {
		got := loginRunner(a).run(args...)
		assert.Equal(t, got.Code, 2, "%q", args)
		assert.Equal(t, got.Stdout, "")
		assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: auth login takes the key on stdin, never on the command line (what was typed is not repeated here, in case it is a key)\n"), got.Stderr)
		assert.Assert(t, !strings.Contains(strings.ToLower(got.Stderr), "s3cret"), got.Stderr)
	}
	// A mistake that repeats no value is said as anywhere else, with its suggestion.
	got := loginRunner(a).run("auth", "login", "--lable", "ci")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: unknown flag --lable for baseten auth login\nDid you mean \"--label\"?\n"), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{})
}

// Logging in again under a label replaces that credential.
func TestLoginAgainReplaces(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "ci").Code, 0)
	// A second key of the same account, minted by the first.
	r.env["BASETEN_API_KEY"] = testKey
	created := r.run("org", "api-key", "create", "--type", "workspace-manage-all")
	second := strings.TrimSpace(created.Stdout)
	delete(r.env, "BASETEN_API_KEY")
	r.stdin = second
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "ci").Code, 0)
	files := filesOf(t, r.env["BASETEN_CONFIG_DIR"])
	assert.Assert(t, is.Contains(files["credentials.json"], second))
	assert.Assert(t, !strings.Contains(files["credentials.json"], testKey))
	assert.Equal(t, strings.Count(files["config.json"], `"label"`), 1)
	_ = sb
}

// The key in the environment wins over a stored one; a stored key follows
// the remote it was verified against unless --remote-url or
// BASETEN_REMOTE_URL says otherwise, and an environment key never goes to a
// stored credential's remote.
func TestWhichKeyGoesWhere(t *testing.T) {
	stored, _ := sandboxAPI(t, sandbox.Options{})
	other := newAPI(t, reply(200, "application/json", `{"keys":[]}`))
	r := loginRunner(stored)
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "sandbox").Code, 0)
	delete(r.env, "BASETEN_REMOTE_URL")

	stored.Reset()
	assert.Equal(t, r.run("org", "api-key", "list").Code, 0)
	assert.Equal(t, stored.Last().Authorization, "Bearer "+testKey, "the stored key, to its remote")

	// Named explicitly, another remote gets the stored key.
	assert.Equal(t, r.run("org", "api-key", "list", "--remote-url", other.URL).Code, 0)
	assert.Equal(t, other.Last().Authorization, "Bearer "+testKey)

	// A key in the environment wins, and goes to the default remote, not
	// the stored one (here BASETEN_REMOTE_URL names other).
	stored.Reset()
	r.env["BASETEN_API_KEY"] = "envkey00.ENVENVENVENVENVENV"
	r.env["BASETEN_REMOTE_URL"] = other.URL
	assert.Equal(t, r.run("org", "api-key", "list").Code, 0)
	assert.Equal(t, other.Last().Authorization, "Bearer envkey00.ENVENVENVENVENVENV")
	assert.DeepEqual(t, stored.Requests(), []string{})
}

func TestStatus(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "first").Code, 0)
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "second").Code, 0)
	delete(r.env, "BASETEN_REMOTE_URL")

	got := r.run("auth", "status")
	assertResult(t, got, ""+
		"Key:       admintest****, from file (stored credential \"second\")\n"+
		"Remote:    "+a.URL+"\n"+
		"Account:   you@example.com (Sandbox)\n"+
		"\n"+
		"Other stored credentials:\n"+
		"LABEL  REMOTE                  ACCOUNT          STORAGE\n"+
		"first  "+a.URL+"  you@example.com  file\n", "", 0)
	got = r.run("auth", "status", "--no-headers")
	assert.Assert(t, strings.HasSuffix(got.Stdout, "Other stored credentials:\nfirst  "+a.URL+"  you@example.com  file\n"), got.Stdout)

	got = r.run("auth", "status", "-o", "jsonl")
	assert.Equal(t, got.Code, 0)
	var status struct {
		Active map[string]any   `json:"active"`
		Stored []map[string]any `json:"stored"`
	}
	assert.NilError(t, json.Unmarshal([]byte(got.Stdout), &status))
	assert.Equal(t, status.Active["source"], "file")
	assert.Equal(t, status.Active["label"], "second")
	assert.Equal(t, status.Active["valid"], true)
	assert.Equal(t, status.Active["key_prefix"], "admintest", "bare, as in list's JSON")
	assert.Equal(t, len(status.Stored), 2)
	assert.Assert(t, !strings.Contains(got.Stdout, "S3CRET"))

	// The environment's key is the one in use: the stored ones are listed.
	r.env["BASETEN_API_KEY"] = testKey
	r.env["BASETEN_REMOTE_URL"] = a.URL
	got = r.run("auth", "status")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stdout, "Key:       admintest****, from BASETEN_API_KEY\nRemote:    "+a.URL+"\n"), got.Stdout)
	assert.Assert(t, is.Contains(got.Stdout, "Other stored credentials:\nLABEL   REMOTE"))
}

func TestStatusWithoutAValidKey(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	got := r.run("auth", "status")
	assert.Equal(t, got.Code, 3)
	// Said once, on stderr.
	assertResult(t, got, "", "Error: no API key: BASETEN_API_KEY is not set and no stored credential is active\nLog in with: echo \"$KEY\" | baseten auth login --with-api-key (or export BASETEN_API_KEY=...)\n", 3)

	r.env["BASETEN_API_KEY"] = "revoked0.REVOKEDREVOKEDREVOKED"
	got = r.run("auth", "status")
	assert.Equal(t, got.Code, 3)
	assert.Assert(t, is.Contains(got.Stdout, "Account:   not valid: API request failed (401 Unauthorized)"))
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: the API rejects the key in use: "), got.Stderr)
	assertNoSecret(t, got, "REVOKED")
}

func TestSwitchAndLogout(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	for _, label := range []string{"alpha", "beta"} {
		r.stdin = testKey
		assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", label).Code, 0)
	}
	assertResult(t, r.run("auth", "switch", "--user", "alpha"), "Switched to alpha: you@example.com (Sandbox) at "+a.URL+"\n", "", 0)
	assertResult(t, r.run("auth", "switch", "--user", "gamma"), "", "Error: no stored credential is labelled \"gamma\"\nStored labels: alpha, beta\n", 4)

	got := r.run("auth", "switch")
	assert.Equal(t, got.Code, 2, "no terminal to offer a choice on")
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: auth switch needs --user or --label when stdin is not a terminal\n"), got.Stderr)

	r.typed = []string{"2"}
	got = r.run("auth", "switch")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, got.Stdout, "Switched to beta: you@example.com (Sandbox) at "+a.URL+"\n")
	// The choices aligned, the active one marked.
	assert.Equal(t, got.Stderr, ""+
		"       LABEL  ACCOUNT                    REMOTE\n"+
		"1)  *  alpha  you@example.com (Sandbox)  "+a.URL+"\n"+
		"2)     beta   you@example.com (Sandbox)  "+a.URL+"\n"+
		"* is the active credential.\n"+
		"Switch to (number or label): ")
	r.typed = nil

	assertResult(t, r.run("auth", "logout", "--user", "alpha"), "Logged out alpha\n", "", 0)
	assertResult(t, r.run("auth", "logout", "--user", "alpha"), "", "Error: no stored credential is labelled \"alpha\"\nStored labels: beta\n", 4)
	assertResult(t, r.run("auth", "logout", "-o", "jsonl", "--jq", ".label"), "\"beta\"\n", "", 0)
	files := filesOf(t, r.env["BASETEN_CONFIG_DIR"])
	assert.Assert(t, !strings.Contains(files["credentials.json"], "S3CRET"), "logged out keys are gone from the file")
	assertResult(t, r.run("auth", "logout"), "", "Error: no credential is stored, so there is nothing to log out\n", 4)
}

func TestCredentialStoreSetting(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	r.stdin = testKey
	r.env["BASETEN_CREDENTIAL_STORE"] = "vault"
	got := r.run("auth", "login", "--with-api-key")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: invalid BASETEN_CREDENTIAL_STORE "vault": want keyring or file`), got.Stderr)

	r.env["BASETEN_CREDENTIAL_STORE"] = "keyring"
	got = r.run("auth", "login", "--with-api-key", "--insecure-storage")
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --insecure-storage stores the key in a file, but BASETEN_CREDENTIAL_STORE=keyring asks for the OS keyring\nDrop one of them.\n"), got.Stderr)

	// and there is no session bus
	got = r.run("auth", "login", "--with-api-key")
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: BASETEN_CREDENTIAL_STORE=keyring, but there is no keyring: no D-Bus session bus"), got.Stderr)
	assert.DeepEqual(t, filesOf(t, r.env["BASETEN_CONFIG_DIR"]), map[string]string{})
	assert.DeepEqual(t, a.Requests(), []string{}) // nowhere to store it: not even checked
}

// A config that does not parse is never written over.
func TestBrokenConfigIsLeftAlone(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	path := filepath.Join(r.env["BASETEN_CONFIG_DIR"], "config.json")
	assert.NilError(t, os.WriteFile(path, []byte("{broken"), 0o600))
	r.stdin = testKey
	got := r.run("auth", "login", "--with-api-key")
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: "+path+": does not parse"), got.Stderr)
	data, _ := os.ReadFile(path)
	assert.Equal(t, string(data), "{broken")
	got = r.run("org", "api-key", "list")
	assert.Equal(t, got.Code, 1)

	// Found before the key is asked for, let alone sent.
	r.typed = []string{testKey}
	got = r.run("auth", "login", "--with-api-key")
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: "+path+": does not parse"), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{})
}

func TestWhoami(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	assertResult(t, r.run("whoami"), "Email:      you@example.com\nName:       Sandbox User\nWorkspace:  Sandbox\nUser ID:    user-sandbox\n", "", 0)
	assertResult(t, r.run("whoami", "-o", "jsonl"), `{"user_id":"user-sandbox","email":"you@example.com","name":"Sandbox User","workspace_name":"Sandbox"}`+"\n", "", 0)

	// Only the ID is always there; escapes in names are shown harmless.
	b := newAPI(t, reply(http.StatusOK, "application/json", `{"user_id":"u1","name":"\u001b]0;pwned\u0007"}`))
	assertResult(t, newRunner(b).run("whoami"), "Email:\nName:       \uFFFD]0;pwned\uFFFD\nWorkspace:\nUser ID:    u1\n", "", 0)
}

// BASETEN_MANAGEMENT_API_URL_OVERRIDE names the API itself. A key checked
// through it at login was verified there, not at the remote: it goes back
// there, never to the remote's own API; and an override naming another API
// later must not carry a stored key away (only --remote-url or
// BASETEN_REMOTE_URL send one elsewhere).
func TestStoredKeyAndTheOverride(t *testing.T) {
	verified, _ := sandboxAPI(t, sandbox.Options{})
	decoy := newAPI(t, reply(200, "application/json", `{"keys":[]}`)) // the remote named at login, never asked
	other := newAPI(t, reply(200, "application/json", `{"keys":[]}`))
	r := loginRunner(decoy)
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = verified.URL
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "dev").Code, 0)
	assert.DeepEqual(t, verified.Requests(), []string{"GET /v1/users/me"})
	delete(r.env, "BASETEN_REMOTE_URL")

	// The override gone, the key still goes where it was verified.
	delete(r.env, "BASETEN_MANAGEMENT_API_URL_OVERRIDE")
	verified.Reset()
	assertResult(t, r.run("org", "api-key", "list"), "", "No API keys found.\n", 0)
	assert.DeepEqual(t, verified.Requests(), []string{"GET /v1/api_keys"})
	assert.Equal(t, verified.Last().Authorization, "Bearer "+testKey)
	assert.DeepEqual(t, decoy.Requests(), []string{})

	// An override naming another API is refused before anything is sent.
	r.env["BASETEN_MANAGEMENT_API_URL_OVERRIDE"] = other.URL
	for _, args := range [][]string{{"org", "api-key", "list"}, {"whoami"}, {"auth", "status"}} {
		got := r.run(args...)
		assert.Equal(t, got.Code, 2, "%q: %s", args, got.Stderr)
		assert.Assert(t, is.Contains(got.Stderr, "Error: BASETEN_MANAGEMENT_API_URL_OVERRIDE names "+other.URL+", but the stored key of \"dev\" was verified against "+verified.URL+"; it is not sent elsewhere\n"), "%q", args)
	}
	// Named explicitly, another remote may have it: the override decides
	// where that remote's API is, as for any key.
	assert.Equal(t, r.run("org", "api-key", "list", "--remote-url", decoy.URL).Code, 0)
	assert.Equal(t, other.Last().Authorization, "Bearer "+testKey)
	assert.Equal(t, len(other.Requests()), 1)
	assert.DeepEqual(t, decoy.Requests(), []string{})
}

// The OS keyring is one per user, shared by every config directory
// (BASETEN_CONFIG_DIR: a project's, a CI job's, the tests'). The same label
// in two of them must name two keys: one login must not replace the key the
// other's record points to (which would then go to the other's remote), nor
// one logout delete it.
func TestKeyringEntriesOfTwoConfigDirs(t *testing.T) {
	first, _ := sandboxAPI(t, sandbox.Options{})
	second := newAPI(t, reply(200, "application/json", `{"user_id":"u2","email":"two@example.com"}`))
	const secondKey = "second00.SECONDSECONDSECONDSECOND"
	login := func(a *api, key string) *runner {
		r := loginRunner(a)
		r.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent" // the keyring (go-keyring's stand-in)
		r.stdin = key
		got := r.run("auth", "login", "--with-api-key", "--label", "two-dirs")
		assert.Equal(t, got.Code, 0, got.Stderr)
		assert.Assert(t, is.Contains(filesOf(t, r.env["BASETEN_CONFIG_DIR"])["config.json"], `"storage": "keyring"`))
		delete(r.env, "BASETEN_REMOTE_URL")
		return r
	}
	r1 := login(first, testKey)
	r2 := login(second, secondKey)

	first.Reset()
	assertResult(t, r1.run("org", "api-key", "list"), "", "No API keys found.\n", 0)
	assert.Equal(t, first.Last().Authorization, "Bearer "+testKey, "the first directory's key, not the second's")

	assertResult(t, r2.run("auth", "logout"), "Logged out two-dirs\n", "", 0)
	first.Reset()
	assertResult(t, r1.run("org", "api-key", "list"), "", "No API keys found.\n", 0)
	assert.Equal(t, first.Last().Authorization, "Bearer "+testKey, "still there after the other's logout")
	assertResult(t, r1.run("auth", "logout"), "Logged out two-dirs\n", "", 0)
}

// Some servers repeat what they refuse ("invalid token Bearer abcd...").
// status shows why the key is not valid on stdout: that must not be the key.
func TestStatusNeverShowsTheKeyTheAPIRepeats(t *testing.T) {
	echo := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"detail":"invalid token %s"}`, r.Header.Get("Authorization"))
	}))
	r := loginRunner(echo)
	r.env["BASETEN_API_KEY"] = testKey
	for _, output := range []string{"text", "json"} {
		got := r.run("auth", "status", "-o", output)
		assert.Equal(t, got.Code, 3)
		assert.Assert(t, is.Contains(got.Stdout, "invalid token Bearer [redacted]"), got.Stdout)
		assert.Assert(t, !strings.Contains(got.Stdout, "S3CRET"), got.Stdout)
		assertNoSecret(t, got, "S3CRET")
	}
}

// The key must not end up in config.json or on stdout by way of what is
// stored and shown beside it: an account the API describes with the key
// itself (a server echoing the token into the email), or a --label that
// holds it (pasted there by mistake).
func TestLoginNeverStoresTheKeyAsAName(t *testing.T) {
	echo := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"user_id":"u1","email":"x@example.com","workspace_name":"ws %s","extra":{"t":"\u0061%s"}}`, token, token[1:])
	}))
	r := loginRunner(echo)
	r.stdin = testKey
	got := r.run("auth", "login", "--with-api-key")
	assert.Equal(t, got.Code, 1)
	assert.Equal(t, got.Stdout, "")
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: unexpected response from the API: GET /v1/users/me: the answer holds the API key it was sent with\n"), got.Stderr)
	assert.DeepEqual(t, filesOf(t, r.env["BASETEN_CONFIG_DIR"]), map[string]string{})

	r.env["BASETEN_API_KEY"] = testKey
	for _, args := range [][]string{{"whoami"}, {"whoami", "-o", "json"}, {"auth", "status"}, {"auth", "status", "-o", "json"}} {
		got := r.run(args...)
		assert.Assert(t, got.Code != 0, "%q", args)
		assert.Assert(t, !strings.Contains(got.Stdout, "S3CRET"), "%q: %s", args, got.Stdout)
		assertNoSecret(t, got, "S3CRET")
	}
	delete(r.env, "BASETEN_API_KEY")

	// A label holding the key is refused before anything is sent.
	echo.Reset()
	for _, label := range []string{testKey, "ci-" + testKey, strings.SplitN(testKey, ".", 2)[1]} {
		r.stdin = testKey
		got = r.run("auth", "login", "--with-api-key", "--label", label)
		assert.Equal(t, got.Code, 2)
		assert.Equal(t, got.Stdout, "")
		assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --label holds the API key read from stdin; nothing was sent or stored\n"), got.Stderr)
		assertNoSecret(t, got, "S3CRET")
	}
	assert.DeepEqual(t, echo.Requests(), []string{})
	assert.DeepEqual(t, filesOf(t, r.env["BASETEN_CONFIG_DIR"]), map[string]string{})
}

// A prompt waits for a person; Ctrl-C while it waits ends the command
// (exit 130) at once, and nothing happens after: no request, nothing
// stored, no switch. (A terminal read itself waits for Enter whatever
// signal comes, so the read is abandoned, not waited for.)
func TestInterruptAtAPrompt(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	for _, label := range []string{"alpha", "beta"} {
		r.stdin = testKey
		assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", label).Code, 0)
	}
	a.Reset()
	run := func(args ...string) result {
		never, _ := io.Pipe() // a person who does not answer
		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr bytes.Buffer
		streams := &render.IO{In: never, Out: &stdout, Err: &stderr, InIsTerminal: true}
		streams.ReadSecret = func(ctx context.Context, prompt string) (string, error) {
			fmt.Fprint(&stderr, prompt)
			<-ctx.Done() // nobody types; the real one gives the terminal back then
			return "", ctx.Err()
		}
		time.AfterFunc(100*time.Millisecond, cancel) // Ctrl-C
		done := make(chan int, 1)
		go func() { done <- commands.Main(ctx, args, streams, func(k string) string { return r.env[k] }, nil) }()
		select {
		case code := <-done:
			return result{Stdout: stdout.String(), Stderr: stderr.String(), Code: code}
		case <-time.After(10 * time.Second):
			t.Fatalf("%q still waits for its prompt after Ctrl-C", args)
			return result{}
		}
	}
	got := run("auth", "login", "--with-api-key", "--label", "gamma")
	assertResult(t, got, "", "API key: Error: interrupted\n", 130)

	got = run("auth", "switch")
	assert.Equal(t, got.Code, 130)
	assert.Assert(t, strings.HasSuffix(got.Stderr, "Switch to (number or label): Error: interrupted\n"), got.Stderr)
	assert.Assert(t, is.Contains(filesOf(t, r.env["BASETEN_CONFIG_DIR"])["config.json"], `"active": "beta"`))
	assert.DeepEqual(t, a.Requests(), []string{})
}

// BASETEN_CONFIG_DIR may name a directory others share (/tmp, a team's
// directory). Its mode is theirs: keys are not put there, and the mode is
// not "tightened" to 0700, which would lock everyone else out (as root,
// even of /tmp).
func TestSharedConfigDirIsLeftAlone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	dir := r.env["BASETEN_CONFIG_DIR"]
	assert.NilError(t, os.Chmod(dir, 0o777|os.ModeSticky))
	r.stdin = testKey
	got := r.run("auth", "login", "--with-api-key")
	assert.Equal(t, got.Code, 1)
	assert.Equal(t, got.Stdout, "")
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: "+dir+": others may write in it (mode 0777), so it holds no keys; set BASETEN_CONFIG_DIR to a directory of your own\n"), got.Stderr)
	info, err := os.Stat(dir)
	assert.NilError(t, err)
	assert.Equal(t, info.Mode(), os.ModeDir|os.ModeSticky|0o777)
	assert.DeepEqual(t, filesOf(t, dir), map[string]string{})

	// One that others may only read ($HOME, say) is refused too, and its
	// mode left alone: only a directory baseten made is given one.
	assert.NilError(t, os.Chmod(dir, 0o755))
	r.stdin = testKey
	got = r.run("auth", "login", "--with-api-key")
	assertResult(t, got, "", "Error: "+dir+": others may read it (mode 0755), so it holds no keys; make it private with chmod 700 "+dir+", or set BASETEN_CONFIG_DIR to a directory of your own\nIt was left as it is.\n", 1)
	info, err = os.Stat(dir)
	assert.NilError(t, err)
	assert.Equal(t, info.Mode().Perm(), os.FileMode(0o755))
	assert.DeepEqual(t, filesOf(t, dir), map[string]string{})
	for _, args := range [][]string{{"auth", "switch", "--user", "x"}, {"auth", "logout", "--user", "x"}} {
		got := r.run(args...)
		assert.Equal(t, got.Code, 1, "%v", args)
		assert.Assert(t, is.Contains(got.Stderr, "others may read it (mode 0755)"), "%v", args)
		info, err = os.Stat(dir)
		assert.NilError(t, err)
		assert.Equal(t, info.Mode().Perm(), os.FileMode(0o755), "%v", args)
	}

	// One it makes is private.
	r.env["BASETEN_CONFIG_DIR"] = filepath.Join(dir, "made", "baseten")
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key").Code, 0)
	info, err = os.Stat(r.env["BASETEN_CONFIG_DIR"])
	assert.NilError(t, err)
	assert.Equal(t, info.Mode().Perm(), os.FileMode(0o700))
}

// status says which key commands would use even when that key cannot be
// used: not "no stored credential is active" when one is, but unreadable.
func TestStatusOfAKeyThatCannotBeUsed(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	r.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent"
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "desktop").Code, 0)
	delete(r.env, "BASETEN_REMOTE_URL")
	delete(r.env, "DBUS_SESSION_BUS_ADDRESS") // an SSH session: no keyring to read it from
	a.Reset()

	got := r.run("auth", "status")
	assert.Equal(t, got.Code, 1)
	assert.Equal(t, got.Stdout, ""+
		"Key:       admintest****, from keyring (stored credential \"desktop\")\n"+
		"Remote:    "+a.URL+"\n"+
		"Account:   not checked: the key of \"desktop\" is in the OS keyring, which is not available here: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)\n")
	got = r.run("auth", "status", "-o", "json", "--jq", "[.active.label, .active.valid, .stored[0].active]")
	assert.Equal(t, got.Code, 1)
	assert.Equal(t, got.Stdout, "[\n  \"desktop\",\n  null,\n  true\n]\n")

	r.env["BASETEN_API_KEY"] = "abcd1234.S3CRET S3CRET"
	got = r.run("auth", "status")
	assert.Equal(t, got.Code, 3)
	assert.Assert(t, strings.HasPrefix(got.Stdout, ""+
		"Key:       ****, from BASETEN_API_KEY\n"+
		"Remote:    https://app.baseten.co\n"+
		"Account:   not valid: BASETEN_API_KEY contains a line break, a space or another character an API key never has\n"), got.Stdout)
	assert.Assert(t, !strings.Contains(got.Stdout, "S3CRET"))
	assert.DeepEqual(t, a.Requests(), []string{})
}

// The lock file is opened for writing (the holder writes its process ID
// there): one that is a link to another file (a symlink, or a hard link)
// must not have that file emptied.
func TestLockFileThatIsALink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no links to speak of")
	}
	a, _ := sandboxAPI(t, sandbox.Options{})
	for name, link := range map[string]func(target, path string) error{"symlink": os.Symlink, "hard link": os.Link} {
		t.Run(name, func(t *testing.T) {
			r := loginRunner(a)
			dir := r.env["BASETEN_CONFIG_DIR"]
			victim := filepath.Join(t.TempDir(), "notes.txt")
			assert.NilError(t, os.WriteFile(victim, []byte("precious\n"), 0o600))
			lock := filepath.Join(dir, "credentials.lock")
			assert.NilError(t, link(victim, lock))
			r.stdin = testKey
			got := r.run("auth", "login", "--with-api-key")
			assert.Equal(t, got.Code, 1)
			assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: "+lock+": is not a lock file of its own (a link to another file, or not a regular file); move it away\n"), got.Stderr)
			data, err := os.ReadFile(victim)
			assert.NilError(t, err)
			assert.Equal(t, string(data), "precious\n")
		})
	}
}

// A key pasted into another flag of auth login is not repeated either: the
// flag's own check would quote it ("invalid --remote-url: \"abcd...\""), so
// the value is left out of what is otherwise said.
func TestLoginNeverEchoesAKeyInAnotherFlag(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	for args, want := range map[string]string{
		"--remote-url " + testKey: `Error: invalid --remote-url: "[redacted]" must start with https:// or http://` + "\n",
		"--remote-url=" + testKey: `Error: invalid --remote-url: "[redacted]" must start with https:// or http://` + "\n",
		"--jq " + testKey:         `Error: invalid --jq expression "[redacted]": `,
		"-q" + testKey:            `Error: invalid --jq expression "[redacted]": `,
		"-o" + testKey:            `Error: --output must be one of text, json, jsonl, none, not "[redacted]"` + "\n",
	} {
		r := loginRunner(a)
		r.stdin = testKey
		got := r.run(append([]string{"auth", "login", "--with-api-key"}, strings.Fields(args)...)...)
		assert.Equal(t, got.Code, 2, args)
		assert.Assert(t, strings.HasPrefix(got.Stderr, want), "%s: %s", args, got.Stderr)
		assert.Assert(t, !strings.Contains(strings.ToLower(got.Stderr), "s3cret"), "%s: %s", args, got.Stderr)
	}
	// Short values are not keys: they are still shown.
	got := loginRunner(a).run("auth", "login", "--with-api-key", "--remote-url", "htps://x")
	assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: invalid --remote-url: "htps://x" must start with https:// or http://`), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{})
}

// A stored key the API rejects: the hint names where it comes from, not a
// variable that is not set.
func TestRejectedStoredKeyHint(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := loginRunner(a)
	r.stdin = testKey
	assert.Equal(t, r.run("auth", "login", "--with-api-key", "--label", "old").Code, 0)
	revoked := newAPI(t, reply(401, "application/json", `{"detail":"Invalid API key"}`))
	r.env["BASETEN_REMOTE_URL"] = revoked.URL
	assertResult(t, r.run("whoami"), "", "Error: API request failed (401 Unauthorized): Invalid API key\n"+
		"Check that the stored credential \"old\" holds a valid API key for this remote; see baseten auth status.\n", 3)
	r.env["BASETEN_API_KEY"] = testKey
	assertResult(t, r.run("whoami"), "", "Error: API request failed (401 Unauthorized): Invalid API key\n"+
		"Check that BASETEN_API_KEY holds a valid API key for this remote.\n", 3)
}
