package commands

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/schema"
)

// SandboxCmd is the `baseten sandbox` group: the local stand-in for the
// management API (package sandbox) as a server others can use.
type SandboxCmd struct {
	Serve SandboxServeCmd `cmd:""`
	Exec  SandboxExecCmd  `cmd:""`
	Reset SandboxResetCmd `cmd:""`
}

// StateFlag is --state, shared by serve and exec.
type StateFlag struct {
	State string `placeholder:"FILE" help:"State file, kept across runs; '' keeps the state in memory only. Default: sandbox.json in $BASETEN_CONFIG_DIR, else in the baseten folder of the user config directory."`
}

// path is the state file --state names, or the default one; "" keeps
// the state in memory.
func (f *StateFlag) path(kctx *kong.Context, getenv Getenv) (string, error) {
	if flagGiven(kctx, "state") {
		return f.State, nil
	}
	dir, err := configDir(getenv)
	if err != nil {
		return "", withCode(schema.ExitError, err, "Or pass --state FILE, or --state '' to keep the state in memory.")
	}
	return filepath.Join(dir, "sandbox.json"), nil
}

// open opens the sandbox whose state --state names, seeding it on first use.
func (f *StateFlag) open(kctx *kong.Context, getenv Getenv, adminKey string) (*sandbox.Server, error) {
	path, err := f.path(kctx, getenv)
	if err != nil {
		return nil, err
	}
	sb, err := sandbox.Open(path, adminKey)
	if _, bad := errors.AsType[*sandbox.StateError](err); bad {
		return nil, withCode(schema.ExitError, err, "Move it away to start afresh, or pass --state with another file.")
	}
	if _, busy := errors.AsType[*sandbox.InUseError](err); busy {
		return nil, withCode(schema.ExitError, err, "Stop that sandbox, or pass --state with another file, or --state '' to keep the state in memory.")
	}
	return sb, err
}

// urlOf is the URL clients use to reach a listener; a wildcard address is
// reached through loopback.
func urlOf(addr net.Addr) string {
	host, port, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
		if ip.To4() == nil {
			host = "::1"
		}
	}
	return "http://" + net.JoinHostPort(host, port)
}

// serveUntil serves handler until ctx is done, then lets the requests in
// flight finish (for a while); closing the sandbox after it saves what they
// changed. A cancelled ctx is how the user stops the sandbox, so it is no
// error.
func serveUntil(ctx context.Context, listener net.Listener, handler http.Handler, errLog io.Writer) error {
	server := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       time.Minute,
		ErrorLog:          log.New(errLog, "sandbox: ", 0),
	}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	drain, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := server.Shutdown(drain); err != nil {
		server.Close() // a client kept a request open; stop waiting for it
	}
	return nil
}

func unwrapOpError(err error) error {
	if opErr, ok := errors.AsType[*net.OpError](err); ok {
		return opErr.Err
	}
	return err
}
