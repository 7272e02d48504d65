package commands

import (
	"fmt"
	"strings"

	"github.com/basetenlabs/baseten/credentials"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// --profile and BASETEN_PROFILE run one command with the stored credential
// of a label, as auth switch would make it active, without changing the
// active one: scripts for two accounts can run side by side. Precedence:
// --profile, then BASETEN_API_KEY, then BASETEN_PROFILE, then the active
// credential.

// selectKey finds the key a command runs with, by that precedence; store
// is the stored credentials (nil when there is no config directory).
// profile is --profile's value, "" when not given.
func selectKey(streams *render.IO, getenv Getenv, store *credentials.Store, profile string) (*apiKey, error) {
	if profile != "" {
		return profileKey(streams, store, profile, "--profile")
	}
	if key, err, set := envKey(getenv); set {
		return key, err
	}
	if label := getenv(schema.EnvProfile); label != "" {
		return profileKey(streams, store, label, schema.EnvProfile)
	}
	return activeKey(streams, store)
}

// profileKey is the key of the credential stored under label, which
// source (the flag or the variable) named. An unknown label is exit 3,
// naming the labels there are.
func profileKey(streams *render.IO, store *credentials.Store, label, source string) (*apiKey, error) {
	var cred credentials.Credential
	found := false
	if store != nil {
		cred, found = store.Get(label)
	}
	if !found {
		hint := loginHint
		if store != nil && len(store.Labels()) > 0 {
			hint = "Stored labels: " + strings.Join(store.Labels(), ", ")
		}
		return nil, withCode(schema.ExitAuth, fmt.Errorf("%s names %s, but no credential is stored under that label", source, quotedLabel(label)), hint)
	}
	unusable := &apiKey{source: string(cred.Storage), stored: &cred}
	key, err := store.Key(cred)
	if err != nil {
		return unusable, storeError(err)
	}
	streams.Secrets.Add(key)
	if err := checkKey(key); err != nil {
		return unusable, withCode(schema.ExitAuth, fmt.Errorf("the stored key of %q %w", cred.Label, err), "Log in again: baseten auth login --with-api-key --label "+shellQuote(cred.Label))
	}
	return &apiKey{key: key, source: string(cred.Storage), stored: &cred, namedBy: source}, nil
}

// wantedProfile is the label a run asks for by --profile or, when
// BASETEN_API_KEY does not win over it, BASETEN_PROFILE; "" for none.
func wantedProfile(getenv Getenv, profile string) string {
	if profile != "" {
		return profile
	}
	if _, _, set := envKey(getenv); set {
		return ""
	}
	return getenv(schema.EnvProfile)
}

// quotedLabel is label as a message quotes it, unless it has the shape of
// an API key (a prefix, a ".", and a long run of key characters): a key
// pasted into --profile or BASETEN_PROFILE by mistake is a secret, and an
// error must not repeat it (a label that only looks like one loses nothing
// but its echo).
func quotedLabel(label string) string {
	if looksLikeAPIKey(label) {
		return "a value that looks like an API key (not repeated here)"
	}
	return fmt.Sprintf("%q", label)
}

// looksLikeAPIKey reports whether s has the documented prefix.secret shape
// of an API key, with a secret part long enough to be one.
func looksLikeAPIKey(s string) bool {
	prefix, secret, found := strings.Cut(s, ".")
	return found && prefixProblem(prefix) == "" && len(secret) >= minHiddenValue &&
		strings.IndexFunc(secret, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
		}) < 0
}
