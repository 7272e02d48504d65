package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/schema"
)

// SandboxServeCmd is `baseten sandbox serve`.
type SandboxServeCmd struct {
	Addr        string        `default:"127.0.0.1:8765" help:"Address to listen on, host:port; port 0 picks a free port."`
	AllowRemote bool          `name:"allow-remote" help:"Allow an --addr that is not a loopback address, making the sandbox reachable from other machines."`
	APIKey      string        `name:"api-key" xor:"api-key" help:"Admin key to serve with instead of the stored one, in the API's format (8 lowercase hex characters, a '.', a secret of at least 16 characters). It replaces the stored admin key. A value on the command line is visible to other users of this machine (ps); prefer --api-key-file."`
	APIKeyFile  string        `name:"api-key-file" xor:"api-key" placeholder:"PATH|-" help:"Read the admin key for --api-key from the first line of a file, or of stdin with -, where other users cannot see it."`
	Users       int           `placeholder:"N" help:"Make sure N generated users (user-gen-000001 ...) exist besides the seeded ones, so that org user list's paging can be tried; they are kept in the state file."`
	StepDelay   time.Duration `name:"step-delay" default:"1s" help:"Time between two steps of a status change (a deployment waking up, a promotion moving traffic), as in reality; 0 makes each happen at the next request."`
	LateLogs    float64       `name:"late-logs" help:"Fraction of log lines (0 to 1) delivered late, 3 to 23 seconds after their timestamp, as the real logging pipeline sometimes does; for trying model deployment logs --follow."`
	EnvFile     string        `name:"env-file" placeholder:"FILE" help:"Also write the export lines to FILE, mode 0600, in one atomic step once the sandbox listens, so a script can wait for FILE to exist and source it. It is removed when the sandbox stops."`
	StateFlag
	OutputFlags
}

// SandboxEnv is what `sandbox serve` prints: the environment that points a
// client at the sandbox.
type SandboxEnv struct {
	RemoteURL string `json:"remote_url"`
	// InferenceBaseURL is where inference requests go
	// (BASETEN_INFERENCE_BASE_URL_OVERRIDE): the sandbox answers for every
	// model's host, named in the Host header.
	InferenceBaseURL string `json:"inference_base_url"`
	APIKey           string `json:"api_key"`
}

func (c *SandboxServeCmd) Help() string {
	return "Serve a local stand-in for the Baseten management API in the foreground. It prints the three shell lines that point clients at it (export BASETEN_REMOTE_URL=..., export BASETEN_INFERENCE_BASE_URL_OVERRIDE=... and export BASETEN_API_KEY=...), then one line per request on stderr, after a line naming the state file. Keys, teams, secrets, users and models are kept in the state file across runs. Ctrl-C or SIGTERM finishes the requests in flight, saves and exits 0."
}

func (c *SandboxServeCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Serve on a free port, with the state in memory only", Command: "baseten sandbox serve --addr 127.0.0.1:0 --state ''"},
			{Description: "Serve with the state in a file of your choosing", Command: "baseten sandbox serve --addr 127.0.0.1:0 --state ./sandbox.json"},
			{Description: "Serve for a script, which waits for ./sandbox.env to exist and sources it", Command: "baseten sandbox serve --addr 127.0.0.1:0 --state '' --env-file ./sandbox.env"},
			{Description: "Serve with a fixed admin key, for a script that knows it", Command: "baseten sandbox serve --addr 127.0.0.1:0 --api-key 0123abcd.sandbox-secret-0123456789"},
			{Description: "Serve with status changes that happen at the next request, for tests", Command: "baseten sandbox serve --addr 127.0.0.1:0 --state '' --step-delay 0"},
			{Description: "Serve with 2,500 more users, for org user list to page through", Command: "baseten sandbox serve --addr 127.0.0.1:0 --state '' --users 2500"},
			{Description: "Serve with status changes that happen at the next request, for tests", Command: "baseten sandbox serve --addr 127.0.0.1:0 --state '' --step-delay 0"},
		},
		JQExample: schema.Example{
			Description: "Print just the URL to point clients at",
			Command:     "baseten sandbox serve --addr 127.0.0.1:0 --jq '.remote_url'",
		},
		TextOutput: `Prints "export BASETEN_REMOTE_URL=http://127.0.0.1:<port>", "export BASETEN_INFERENCE_BASE_URL_OVERRIDE=http://127.0.0.1:<port>" and "export BASETEN_API_KEY=<admin key>" on stdout, values shell-quoted where needed, then serves; one line per request (method, path, status, duration) goes to stderr.`,
		Payload:    SandboxEnv{},
	}
}

func (c *SandboxServeCmd) AfterApply(kctx *kong.Context, streams *render.IO) error {
	if c.StepDelay < 0 {
		return usageError(fmt.Sprintf("--step-delay %s: want 0 or a positive duration such as 500ms or 2s", c.StepDelay), "")
	}
	addr, err := checkListenAddr(c.Addr, c.AllowRemote)
	if err != nil {
		return err
	}
	c.Addr = addr
	if c.StepDelay < 0 {
		return usageError(fmt.Sprintf("--step-delay %s: want 0 or a positive duration such as 500ms or 2s", c.StepDelay), "")
	}
	if !(c.LateLogs >= 0 && c.LateLogs <= 1) { // NaN too
		return usageError(fmt.Sprintf("--late-logs must be a fraction from 0 to 1, not %g", c.LateLogs), "For example --late-logs 0.1 delivers one line in ten late.")
	}
	if c.Users < 0 || c.Users > 1_000_000 {
		return usageError("--users takes 0 to 1000000", "")
	}
	source := "--api-key"
	if flagGiven(kctx, "api-key-file") {
		source = "key in --api-key-file " + c.APIKeyFile
		if c.APIKey, err = readAdminKey(c.APIKeyFile, streams); err != nil {
			return err
		}
		streams.Secrets.Add(c.APIKey)
	}
	if flagGiven(kctx, "api-key") || flagGiven(kctx, "api-key-file") {
		if err := sandbox.CheckKey(c.APIKey); err != nil {
			return usageError("invalid "+source+": "+err.Error(), "")
		}
	}
	return nil
}

// readAdminKey reads the first line of path ("-": stdin), trimmed: the
// admin key, kept off the command line where ps shows it to everyone.
func readAdminKey(path string, streams *render.IO) (string, error) {
	in := streams.In
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", settingError("cannot read --api-key-file: "+unwrapPathError(err).Error(), "")
		}
		defer f.Close()
		if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
			return "", settingError("cannot read --api-key-file "+path+": not a regular file", "Pass - to read the key from stdin.")
		}
		in = f
	}
	line, err := readLine(in, 4<<10)
	if err != nil {
		return "", settingError("cannot read --api-key-file "+path+": "+err.Error(), "")
	}
	key := strings.TrimSpace(line)
	if key == "" {
		return "", settingError("--api-key-file "+path+" holds no key", "Put the admin key on its first line.")
	}
	return key, nil
}

func unwrapPathError(err error) error {
	if pathErr, ok := errors.AsType[*os.PathError](err); ok {
		return fmt.Errorf("%s: %w", pathErr.Path, pathErr.Err)
	}
	return err
}

// checkListenAddr refuses an address other machines could reach, unless
// --allow-remote says so: the sandbox hands out working keys to anyone. It
// returns the address to listen on: "localhost" is accepted as loopback,
// so it becomes 127.0.0.1 rather than whatever the resolver (or a stray
// /etc/hosts line) makes of the name.
func checkListenAddr(addr string, allowRemote bool) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err == nil {
		_, err = strconv.ParseUint(port, 10, 16)
	}
	if err != nil {
		return "", usageError(fmt.Sprintf("invalid --addr %q: want host:port", addr), "For example 127.0.0.1:8765, or 127.0.0.1:0 for a free port.")
	}
	if host == "localhost" {
		return net.JoinHostPort("127.0.0.1", port), nil
	}
	if ip := net.ParseIP(host); allowRemote || (ip != nil && ip.IsLoopback()) {
		return addr, nil
	}
	return "", usageError(fmt.Sprintf("--addr %s is not a loopback address; other machines could use the sandbox", addr),
		"Listen on 127.0.0.1, or pass --allow-remote if that is what you want.")
}

func (c *SandboxServeCmd) Run(ctx context.Context, kctx *kong.Context, streams *render.IO, getenv Getenv) error {
	sb, err := c.open(kctx, getenv, c.APIKey)
	if err != nil {
		return err
	}
	sb.SetStepDelay(c.StepDelay)
	sb.SetLateLogs(c.LateLogs)
	defer sb.Close() // for the early returns; the last one reports its error
	if err := sb.AddGeneratedUsers(c.Users); err != nil {
		return err
	}
	sb.SetStepDelay(c.StepDelay)
	// It goes to stdout only: a --jq error quoting it, or a request log
	// line, shows it redacted.
	streams.Secrets.Add(sb.AdminKey())
	c.sayWhereStateLives(kctx, streams, getenv)
	listener, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return listenError(c.Addr, err)
	}
	url := urlOf(listener.Addr())
	env := SandboxEnv{RemoteURL: url, InferenceBaseURL: url, APIKey: sb.AdminKey()}
	// The --env-file first: whoever sees the lines on stdout finds the
	// file too.
	if c.EnvFile != "" {
		if err := writeEnvFile(c.EnvFile, env); err != nil {
			listener.Close()
			return err
		}
		defer removeEnvFile(c.EnvFile, env)
	}
	// The lines go out in one write, so a reader polling the output never
	// sees the first line without the others.
	err = c.writeValue(ctx, streams, env, func(w io.Writer) error {
		_, err := w.Write(envLines(env))
		return err
	})
	if err != nil {
		listener.Close()
		return err
	}
	var logMu sync.Mutex // the log's writer may not be safe for concurrent use
	logged := sandbox.WithLog(sb, func(r sandbox.Request) {
		logMu.Lock()
		defer logMu.Unlock()
		// Durations are spelled as -v spells them: one rule in the whole CLI.
		streams.Notef("%s %s %d %s", r.Method, r.Path, r.Status, render.FormatDuration(r.Duration))
	})
	return errors.Join(serveUntil(ctx, listener, logged, streams.Err), sb.Close())
}
