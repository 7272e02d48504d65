package commands

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/internal/atomicfile"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// What sandbox serve says about itself besides the two export lines:
// where its state lives, the --env-file a script can wait for, and what
// to do when its port is taken.

// envLines are the two lines serve prints, and writes to --env-file.
func envLines(env SandboxEnv) []byte {
	return fmt.Appendf(nil, "export %s=%s\nexport %s=%s\nexport %s=%s\n", schema.EnvRemoteURL, shellQuote(env.RemoteURL),
		schema.EnvInferenceOverride, shellQuote(env.InferenceBaseURL), schema.EnvAPIKey, shellQuote(env.APIKey))
}

// writeEnvFile writes the lines to path in one atomic step (a temporary
// file renamed over it), mode 0600 since they hold the admin key: a script
// that sees the file sees every line, and never an earlier run's.
func writeEnvFile(path string, env SandboxEnv) error {
	if err := atomicfile.Write(path, envLines(env), 0o600); err != nil {
		return failed("Pass another --env-file.", "cannot write --env-file: %w", err)
	}
	return nil
}

// removeEnvFile removes the --env-file when the sandbox stops, unless it
// no longer holds this run's lines (another run wrote it since): a script
// started later must not source a port nothing listens on.
func removeEnvFile(path string, env SandboxEnv) {
	if data, err := os.ReadFile(path); err == nil && bytes.Equal(data, envLines(env)) {
		os.Remove(path)
	}
}

// sayWhereStateLives tells, on stderr, which file holds the sandbox's keys
// and teams (the one `sandbox reset` deletes), or that nothing is kept.
func (c *SandboxServeCmd) sayWhereStateLives(kctx *kong.Context, streams *render.IO, getenv Getenv) {
	path, err := c.StateFlag.path(kctx, getenv)
	switch {
	case err != nil:
	case path == "":
		streams.Notef("State: in memory only; nothing is kept when the sandbox stops.")
	default:
		streams.Notef("State: %s", path)
	}
}

// listenError says why serve cannot listen; a port another program holds
// gets the way out.
func listenError(addr string, err error) error {
	hint := ""
	if errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use") {
		hint = "Another program listens there. Pass --addr 127.0.0.1:0 to pick a free port."
	}
	return failed(hint, "cannot listen on %s: %w", addr, unwrapOpError(err))
}
