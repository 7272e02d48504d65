package commands

import (
	"errors"
	"fmt"
	"strings"

	"github.com/basetenlabs/baseten/credentials"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// apiKey is the key an API command runs with, and where it was found.
type apiKey struct {
	key    string
	source string                  // BASETEN_API_KEY, "keyring" or "file"
	stored *credentials.Credential // the stored credential it is, if any
}

// loginHint is what to do when there is no key.
const loginHint = "Log in with: echo \"$KEY\" | baseten auth login --with-api-key (or export " + schema.EnvAPIKey + "=...)"

// findKey finds the key every API command uses: BASETEN_API_KEY when set
// and not empty, else the active stored credential's. When that key cannot
// be used (unreadable, malformed), the error comes with the apiKey it would
// have been, without its key, for auth status to say which.
func findKey(streams *render.IO, getenv Getenv) (*apiKey, error) {
	if key, err, set := envKey(getenv); set {
		return key, err
	}
	store, err := storedCredentials(streams, getenv)
	if err != nil {
		return nil, err
	}
	return activeKey(streams, store)
}

// envKey is the key of BASETEN_API_KEY; set says whether there is one.
func envKey(getenv Getenv) (key *apiKey, err error, set bool) {
	value := strings.TrimSpace(getenv(schema.EnvAPIKey)) // (a secret since Main started)
	if value == "" {
		return nil, nil, false
	}
	if err := checkKey(value); err != nil {
		return &apiKey{source: schema.EnvAPIKey}, withCode(schema.ExitAuth, fmt.Errorf("%s %w", schema.EnvAPIKey, err), "Set it to the key alone, on one line."), true
	}
	return &apiKey{key: value, source: schema.EnvAPIKey}, nil, true
}

// activeKey is the key of the active credential of store (nil: nothing is
// stored anywhere).
func activeKey(streams *render.IO, store *credentials.Store) (*apiKey, error) {
	noKey := errors.New("no API key: " + schema.EnvAPIKey + " is not set and no stored credential is active")
	if store == nil {
		return nil, withCode(schema.ExitAuth, noKey, loginHint)
	}
	active, ok := store.Active()
	if !ok {
		if labels := store.Labels(); len(labels) > 0 {
			return nil, withCode(schema.ExitAuth, noKey, "Pick one with: baseten auth switch --user LABEL (stored: "+strings.Join(labels, ", ")+")")
		}
		return nil, withCode(schema.ExitAuth, noKey, loginHint)
	}
	unusable := &apiKey{source: string(active.Storage), stored: &active}
	key, err := store.Key(active)
	if err != nil {
		return unusable, storeError(err)
	}
	streams.Secrets.Add(key)
	if err := checkKey(key); err != nil {
		return unusable, withCode(schema.ExitAuth, fmt.Errorf("the stored key of %q %w", active.Label, err), "Log in again: baseten auth login --with-api-key --label "+shellQuote(active.Label))
	}
	return &apiKey{key: key, source: string(active.Storage), stored: &active}, nil
}

// storedCredentials opens the stored credentials, or returns nil when there
// is no config directory to have stored any in.
func storedCredentials(streams *render.IO, getenv Getenv) (*credentials.Store, error) {
	if _, err := configDir(getenv); err != nil {
		return nil, nil
	}
	return openStore(streams, getenv)
}

// checkCredentialStore validates BASETEN_CREDENTIAL_STORE before anything
// is sent or stored.
func checkCredentialStore(getenv Getenv) error {
	switch v := getenv(schema.EnvCredentialStore); v {
	case "", string(credentials.Keyring), string(credentials.File):
		return nil
	default:
		return settingError(fmt.Sprintf("invalid %s %q: want keyring or file", schema.EnvCredentialStore, v), "")
	}
}

// openStore opens the stored credentials of the config directory. The OS
// keyring is tried where there is one (see credentials.KeyringAvailable)
// unless BASETEN_CREDENTIAL_STORE=file says not to.
func openStore(streams *render.IO, getenv Getenv) (*credentials.Store, error) {
	dir, err := configDir(getenv)
	if err != nil {
		return nil, withCode(schema.ExitError, err, "")
	}
	policy := credentials.Storage(getenv(schema.EnvCredentialStore))
	opts := credentials.Options{Policy: policy, Note: func(note string) { streams.Notef("%s", note) }}
	if available, why := credentials.KeyringAvailable(getenv); !available {
		opts.WhyNoKeyring = why
	} else if policy != credentials.File {
		opts.Keyring = &credentials.BoundedKeyring{Timeout: credentials.KeyringTimeout}
	} else {
		opts.WhyNoKeyring = schema.EnvCredentialStore + "=file"
	}
	store, err := credentials.Open(dir, opts)
	if err != nil {
		return nil, storeError(err)
	}
	return store, nil
}

// storeError reports a problem with the stored credentials: exit 1, the
// file named.
func storeError(err error) error {
	if fileErr, ok := errors.AsType[*credentials.FileError](err); ok {
		return withCode(schema.ExitError, fileErr, "It was left as it is.")
	}
	return withCode(schema.ExitError, err, "Log in again, or set "+schema.EnvCredentialStore+"=file to keep keys in a file.")
}

// shownPrefix is the key prefix auth status shows for k: that of its key,
// else, for a stored key that could not be read, the one recorded at login.
func (k *apiKey) shownPrefix() string {
	if k.key == "" && k.stored != nil && k.stored.KeyPrefix != "" && prefixProblem(k.stored.KeyPrefix) == "" {
		return k.stored.KeyPrefix + "****"
	}
	return keyPrefix(k.key)
}

// keyPrefix is a key as list shows it: its public part and ****.
func keyPrefix(key string) string {
	prefix, _, found := strings.Cut(key, ".")
	if !found || prefixProblem(prefix) != "" {
		return "****"
	}
	return prefix + "****"
}
