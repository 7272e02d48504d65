package e2e_test

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// A Secret Service that is advertised but never answers (a headless box, a
// locked keyring) must not hang login: after the keyring's deadline the key
// goes to the file store, and stderr says why. The fake bus accepts
// connections and never says a word.
func TestLoginDoesNotHangOnASilentKeyring(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the keyring is reached over D-Bus on Linux and the BSDs only")
	}
	sock := filepath.Join(t.TempDir(), "bus")
	bus, err := net.Listen("unix", sock)
	assert.NilError(t, err)
	t.Cleanup(func() { bus.Close() })
	go func() {
		for {
			conn, err := bus.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { conn.Close() }) // held open, never answered
		}
	}()
	srv, _ := serveSandbox(t)
	cmd := exec.Command(binary, "auth", "login", "--with-api-key", "--label", "ci")
	configDir := t.TempDir()
	cmd.Env = []string{"BASETEN_REMOTE_URL=" + srv.URL, "BASETEN_CONFIG_DIR=" + configDir, "DBUS_SESSION_BUS_ADDRESS=unix:path=" + sock}
	cmd.Stdin = strings.NewReader(key + "\n")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	assert.NilError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.NilError(t, err, stderr.String())
	case <-time.After(30 * time.Second): // D-Bus itself would wait 120 s; the keyring's deadline is 3 s
		cmd.Process.Kill()
		t.Fatal("login hung on a keyring that never answers")
	}
	assert.Equal(t, stdout.String(), "Logged in as you@example.com (Sandbox)\n")
	assert.Assert(t, is.Contains(stderr.String(), "The OS keyring failed (it did not answer within 3s"), stderr.String())
	data, err := os.ReadFile(filepath.Join(configDir, "credentials.json"))
	assert.NilError(t, err)
	assert.Assert(t, is.Contains(string(data), key))
}
