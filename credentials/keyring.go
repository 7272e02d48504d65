package credentials

import (
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service the keys are stored under, one entry per
// stored credential (see Credential.KeyringUser).
const Service = "baseten"

// KeyringTimeout bounds every keyring call. A Secret Service that is
// installed but never answers (a headless box, a locked keyring) makes
// D-Bus wait 120 s per activation; other Go CLIs have hung that long.
const KeyringTimeout = 3 * time.Second

// ErrNotFound is a keyring without an entry for the label.
var ErrNotFound = keyring.ErrNotFound

// ErrKeyringTimeout is a keyring that did not answer in time.
var ErrKeyringTimeout = errors.New("the keyring did not answer in time")

// BoundedKeyring is the OS keyring (github.com/zalando/go-keyring: the
// macOS Keychain, the Windows Credential Manager, the Secret Service over
// D-Bus elsewhere) with every call bounded by a deadline. A call that runs
// out is abandoned, not waited for; the process ends soon after anyway.
type BoundedKeyring struct {
	Timeout time.Duration
	// Backend is the keyring called; nil is the OS keyring. (Tests plug in
	// one that never answers.)
	Backend Backend
}

// Backend is a keyring's three calls, as github.com/zalando/go-keyring has
// them.
type Backend interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// osKeyring is the OS keyring, through go-keyring.
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Set(service, user, secret string) error   { return keyring.Set(service, user, secret) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

func (k *BoundedKeyring) backend() Backend {
	if k.Backend == nil {
		return osKeyring{}
	}
	return k.Backend
}

func (k *BoundedKeyring) Get(user string) (string, error) {
	var key string
	err := k.within(func() (err error) {
		key, err = k.backend().Get(Service, user)
		return err
	})
	return key, err
}

func (k *BoundedKeyring) Set(user, key string) error {
	return k.within(func() error { return k.backend().Set(Service, user, key) })
}

func (k *BoundedKeyring) Delete(user string) error {
	return k.within(func() error { return k.backend().Delete(Service, user) })
}

func (k *BoundedKeyring) within(call func() error) error {
	done := make(chan error, 1)
	go func() { done <- call() }()
	timer := time.NewTimer(k.Timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return fmt.Errorf("it did not answer within %s: %w", k.Timeout, ErrKeyringTimeout)
	}
}

// KeyringAvailable says whether this machine has a keyring to try, and if
// not why. On Linux and the BSDs the keyring is the Secret Service, reached
// over the D-Bus session bus: without one advertised there is nothing to
// ask (containers, CI, SSH sessions), and asking would only wait.
func KeyringAvailable(getenv func(string) string) (bool, string) {
	switch runtime.GOOS {
	case "darwin", "windows":
		return true, ""
	}
	if getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false, "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
	}
	return true, ""
}
