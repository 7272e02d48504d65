package e2e_test

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/icmd"

	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// Package e2e_test runs the built binary as a subprocess: its tests pin
// the contract scripts rely on (exit codes, streams, signals, the sandbox
// commands, every documented example) on the real process. Each file is
// named for what it guards; this one holds the binary and the helpers.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "baseten-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "baseten")
	if out, err := exec.Command("go", "build", "-o", binary, "github.com/basetenlabs/baseten").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const key = "bintest0.0123456789abcdef0123456789abcdef"

func baseten(apiURL string, args ...string) icmd.Cmd {
	cmd := icmd.Command(binary, args...)
	cmd.Env = []string{"BASETEN_API_KEY=" + key, "BASETEN_MANAGEMENT_API_URL_OVERRIDE=" + apiURL}
	return cmd
}

func serveSandbox(t *testing.T) (*httptest.Server, *sandbox.Server) {
	sb := sandbox.New(sandbox.Options{APIKey: key, Keys: []sandbox.SeedKey{
		{Prefix: "aaaa1111", Name: strPtr("laptop"), Type: sandbox.TypePersonal},
	}})
	srv := httptest.NewServer(sandboxtest.Contract(t, sb))
	t.Cleanup(srv.Close)
	return srv, sb
}

func strPtr(s string) *string { return &s }

// processEnv is a minimal environment: the system's PATH (without the
// binary's directory), a fresh HOME and config dir, and extra.
func processEnv(t *testing.T, extra ...string) []string {
	home := t.TempDir()
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "BASETEN_CONFIG_DIR=" + filepath.Join(home, "config")}, extra...)
}

// waitFor polls until out holds want; the deadline only keeps a broken
// binary from hanging the suite.
func waitFor(t *testing.T, out *sandboxtest.Buffer, want string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("waited for %q; output so far: %q", want, out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
