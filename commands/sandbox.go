package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/sandbox"
	"github.com/basetenlabs/baseten/schema"
)

// SandboxCmd is the `baseten sandbox` group: the local stand-in for the
// management API (package sandbox) as a server others can use.
type SandboxCmd struct {
	Serve SandboxServeCmd `cmd:""`
	Exec  SandboxExecCmd  `cmd:""`
}

// StateFlag is --state, shared by serve and exec.
type StateFlag struct {
	State string `placeholder:"FILE" help:"State file, kept across runs; '' keeps the state in memory only. Default: sandbox.json in $BASETEN_CONFIG_DIR, else in the baseten folder of the user config directory."`
}

// open opens the sandbox whose state --state names, seeding it on first use.
func (f *StateFlag) open(kctx *kong.Context, getenv Getenv, adminKey string) (*sandbox.Server, error) {
	path := f.State
	if !flagGiven(kctx, "state") {
		dir, err := configDir(getenv)
		if err != nil {
			return nil, &exitError{code: schema.ExitError, msg: err.Error(), hint: "Or pass --state FILE, or --state '' to keep the state in memory."}
		}
		path = filepath.Join(dir, "sandbox.json")
	}
	sb, err := sandbox.Open(path, adminKey)
	if _, bad := errors.AsType[*sandbox.StateError](err); bad {
		return nil, &exitError{code: schema.ExitError, msg: err.Error(), hint: "Move it away to start afresh, or pass --state with another file."}
	}
	if _, busy := errors.AsType[*sandbox.InUseError](err); busy {
		return nil, &exitError{code: schema.ExitError, msg: err.Error(), hint: "Stop that sandbox, or pass --state with another file, or --state '' to keep the state in memory."}
	}
	return sb, err
}

// ---- serve ----

// SandboxServeCmd is `baseten sandbox serve`.
type SandboxServeCmd struct {
	Addr        string        `default:"127.0.0.1:8765" help:"Address to listen on, host:port; port 0 picks a free port."`
	AllowRemote bool          `name:"allow-remote" help:"Allow an --addr that is not a loopback address, making the sandbox reachable from other machines."`
	APIKey      string        `name:"api-key" help:"Admin key to serve with instead of the stored one, in the API's format (8 lowercase hex characters, a '.', a secret of at least 16 characters). It replaces the stored admin key."`
	StepDelay   time.Duration `name:"step-delay" default:"1s" help:"Time between two steps of a status change (a deployment waking up, a promotion moving traffic), as in reality; 0 makes each happen at the next request."`
	LateLogs    float64       `name:"late-logs" help:"Fraction of log lines (0 to 1) delivered late, 3 to 23 seconds after their timestamp, as the real logging pipeline sometimes does; for trying model deployment logs --follow."`
	StateFlag
	OutputFlags
}

// SandboxEnv is what `sandbox serve` prints: the environment that points a
// client at the sandbox.
type SandboxEnv struct {
	RemoteURL string `json:"remote_url"`
	APIKey    string `json:"api_key"`
}

func (c *SandboxServeCmd) Help() string {
	return "Serve a local stand-in for the Baseten management API in the foreground. It prints the two shell lines that point clients at it (export BASETEN_REMOTE_URL=... and export BASETEN_API_KEY=...), then one line per request on stderr. Keys, teams and models are kept in the state file across runs. Ctrl-C or SIGTERM finishes the requests in flight, saves and exits 0."
}

func (c *SandboxServeCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Serve on a free port, with the state in memory only", Command: "baseten sandbox serve --addr 127.0.0.1:0 --state ''"},
			{Description: "Serve with the state in a file of your choosing", Command: "baseten sandbox serve --addr 127.0.0.1:0 --state ./sandbox.json"},
			{Description: "Serve with a fixed admin key, for a script that knows it", Command: "baseten sandbox serve --addr 127.0.0.1:0 --api-key 0123abcd.sandbox-secret-0123456789"},
			{Description: "Serve with status changes that happen at the next request, for tests", Command: "baseten sandbox serve --addr 127.0.0.1:0 --state '' --step-delay 0"},
		},
		JQExample: schema.Example{
			Description: "Print just the URL to point clients at",
			Command:     "baseten sandbox serve --addr 127.0.0.1:0 --jq '.remote_url'",
		},
		TextOutput: `Prints "export BASETEN_REMOTE_URL=http://127.0.0.1:<port>" and "export BASETEN_API_KEY=<admin key>" on stdout, values shell-quoted where needed, then serves; one line per request (method, path, status, duration) goes to stderr.`,
		Payload:    SandboxEnv{},
	}
}

func (c *SandboxServeCmd) AfterApply(kctx *kong.Context) error {
	if c.StepDelay < 0 {
		return usageError(fmt.Sprintf("--step-delay %s: want 0 or a positive duration such as 500ms or 2s", c.StepDelay), "")
	}
	if err := c.resolve(kctx); err != nil {
		return err
	}
	addr, err := checkListenAddr(c.Addr, c.AllowRemote)
	if err != nil {
		return err
	}
	c.Addr = addr
	if !(c.LateLogs >= 0 && c.LateLogs <= 1) { // NaN too
		return usageError(fmt.Sprintf("--late-logs must be a fraction from 0 to 1, not %g", c.LateLogs), "For example --late-logs 0.1 delivers one line in ten late.")
	}
	if flagGiven(kctx, "api-key") {
		if err := sandbox.CheckKey(c.APIKey); err != nil {
			return usageError("invalid --api-key: "+err.Error(), "")
		}
	}
	return nil
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
	defer sb.Close() // for the early returns; the last one reports its error
	sb.SetLateLogs(c.LateLogs)
	// It goes to stdout only: a --jq error quoting it, or a request log
	// line, shows it redacted.
	streams.Secrets.Add(sb.AdminKey())
	listener, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", c.Addr, unwrapOpError(err))
	}
	env := SandboxEnv{RemoteURL: urlOf(listener.Addr()), APIKey: sb.AdminKey()}
	// Both lines go out in one write, so a reader polling the output
	// never sees the first line without the second.
	err = c.writeValue(ctx, streams, env, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "export %s=%s\nexport %s=%s\n", envRemoteURL, shellQuote(env.RemoteURL), envAPIKey, shellQuote(env.APIKey))
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
		streams.Notef("%s %s %d %s", r.Method, r.Path, r.Status, managementapi.FormatDuration(r.Duration))
	})
	return errors.Join(serveUntil(ctx, listener, logged, streams.Err), sb.Close())
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

// ---- exec ----

// SandboxExecCmd is `baseten sandbox exec`.
type SandboxExecCmd struct {
	Command []string `arg:"" passthrough:"" placeholder:"COMMAND [ARGS...]" help:"The command to run and its arguments."`
	StateFlag
}

func (c *SandboxExecCmd) Help() string {
	return "Run a command against a local sandbox. The sandbox listens on a free port of 127.0.0.1; COMMAND runs with BASETEN_REMOTE_URL and BASETEN_API_KEY pointing at it and with this baseten first on PATH. When COMMAND ends, the sandbox saves and stops, and exec exits with COMMAND's exit code (128+N if signal N ended it, 127 if COMMAND is not found, 126 if it cannot be run)."
}

func (c *SandboxExecCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Create a key and list the keys, against the sandbox", Command: "baseten sandbox exec -- sh -c 'baseten org api-key create --type personal --name demo && baseten org api-key list'"},
			{Description: "Run a command against a fresh sandbox that keeps nothing", Command: "baseten sandbox exec --state '' -- baseten org api-key list"},
			{Description: "Show the URL any API client in COMMAND would use", Command: "baseten sandbox exec -- printenv BASETEN_REMOTE_URL"},
		},
		TextOutput: "Whatever COMMAND prints; exec itself prints nothing but its own errors.",
	}
}

// AfterApply drops the "--" that ends exec's own flags: Kong passes it
// through with the rest.
func (c *SandboxExecCmd) AfterApply() error {
	if len(c.Command) > 0 && c.Command[0] == "--" {
		c.Command = c.Command[1:]
	}
	if len(c.Command) == 0 {
		return usageError("missing COMMAND to run", "")
	}
	return nil
}

func (c *SandboxExecCmd) Run(kctx *kong.Context, streams *render.IO, getenv Getenv) error {
	sb, err := c.open(kctx, getenv, "")
	if err != nil {
		return err
	}
	defer sb.Close() // for the early returns; the last ones report its error
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("cannot listen on 127.0.0.1: %w", unwrapOpError(err))
	}
	// The sandbox lives as long as COMMAND, whatever signals exec gets:
	// COMMAND decides how to end, and its exit code is exec's.
	stop, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serveUntil(stop, listener, sb, streams.Err) }()

	code, runErr := runCommand(c.Command, urlOf(listener.Addr()), sb.AdminKey(), streams)
	cancel()
	if err := errors.Join(runErr, <-served, sb.Close()); err != nil {
		return err
	}
	if code != 0 {
		return &exitError{code: code} // COMMAND has said what went wrong
	}
	return nil
}

// runCommand runs args with the sandbox's URL and key in its environment
// and this executable's directory first on PATH, and returns its exit code.
func runCommand(args []string, remoteURL, apiKey string, streams *render.IO) (int, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("cannot find the running baseten executable: %w", err)
	}
	first := pathFirst(filepath.Dir(self))
	path, err := lookPathFirstIn(first, args[0])
	if err != nil {
		code := 126
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			code = 127
		}
		return 0, &exitError{code: code, msg: fmt.Sprintf("cannot run %q: %v", args[0], unwrapExecError(err))}
	}
	cmd := &exec.Cmd{
		Path: path, Args: args, Env: commandEnv(first, remoteURL, apiKey),
		Stdin: os.Stdin, Stdout: streams.Out, Stderr: streams.Err,
	}
	// Ctrl-C reaches COMMAND from the terminal, as it reaches exec. A
	// SIGTERM is usually sent to exec alone, so exec passes it on (from
	// before COMMAND starts, so that none is missed).
	terms := make(chan os.Signal, 1)
	signal.Notify(terms, syscall.SIGTERM)
	defer signal.Stop(terms)
	// Ctrl-C and a hangup come to COMMAND too, and COMMAND decides how to
	// end. exec keeps them caught (and dropped) while it runs: main lets a
	// second one kill at once, which here would stop the sandbox under a
	// COMMAND still cleaning up.
	held := make(chan os.Signal, 1)
	signal.Notify(held, os.Interrupt, syscall.SIGHUP)
	defer signal.Stop(held)
	// main ignores SIGPIPE so that baseten sees a closed stdout as an
	// error; what it runs must not inherit the ignoring (`yes | head` would
	// never end). Catching it instead (the channel is never read) keeps the
	// error for baseten, and a caught signal is reset to the default in a
	// new program.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	if err := cmd.Start(); err != nil {
		return 0, &exitError{code: 126, msg: fmt.Sprintf("cannot run %q: %v", args[0], unwrapExecError(err))}
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	for {
		select {
		case sig := <-terms:
			_ = cmd.Process.Signal(sig)
		case err := <-waited:
			return exitCode(err)
		}
	}
}

// pathFirst returns the directories that come first on COMMAND's PATH,
// before exec's own PATH: binDir, so that `baseten` is this one, and when
// exec has no PATH (unset or empty), the system's usual directories, since
// a PATH of binDir alone would not even find sh.
func pathFirst(binDir string) []string {
	dirs := []string{binDir}
	if os.Getenv("PATH") == "" {
		dirs = append(dirs, filepath.SplitList(defaultPath())...)
	}
	return dirs
}

// defaultPath is a PATH for a process that has none: on Unix, the one
// login shells start from; on Windows, the system's own directories.
func defaultPath() string {
	if runtime.GOOS == "windows" {
		root := cmp.Or(os.Getenv("SystemRoot"), `C:\Windows`)
		return root + `\System32;` + root + `;` + root + `\System32\Wbem`
	}
	return "/usr/local/bin:/usr/bin:/bin"
}

// lookPathFirstIn finds name as COMMAND's own PATH would: in dirs first,
// then in the PATH exec was given. A name with a separator is used as is.
func lookPathFirstIn(dirs []string, name string) (string, error) {
	if !strings.ContainsRune(name, '/') && !strings.ContainsRune(name, filepath.Separator) {
		for _, dir := range dirs {
			if path, err := exec.LookPath(filepath.Join(dir, name)); err == nil {
				return path, nil
			}
		}
	}
	return exec.LookPath(name)
}

// commandEnv is exec's own environment with the sandbox's URL and key, and
// the directories first (see pathFirst) at the start of PATH.
// BASETEN_MANAGEMENT_API_URL_OVERRIDE is dropped: it would win over
// BASETEN_REMOTE_URL and send COMMAND elsewhere.
func commandEnv(first []string, remoteURL, apiKey string) []string {
	var env []string
	for _, kv := range os.Environ() {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case envAPIOverride, envRemoteURL, envAPIKey, "PATH":
		default:
			env = append(env, kv)
		}
	}
	path := strings.Join(first, string(os.PathListSeparator))
	if rest := os.Getenv("PATH"); rest != "" {
		path += string(os.PathListSeparator) + rest
	}
	return append(env, envRemoteURL+"="+remoteURL, envAPIKey+"="+apiKey, "PATH="+path)
}

// exitCode turns the result of Wait into an exit code the way a shell
// does: 128+N for a process that signal N ended.
func exitCode(err error) (int, error) {
	exitErr, ok := errors.AsType[*exec.ExitError](err)
	if !ok {
		return 0, err // nil, or copying COMMAND's output failed
	}
	if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return 128 + int(status.Signal()), nil
	}
	return exitErr.ExitCode(), nil
}

// unwrapExecError keeps the cause alone: the message names COMMAND already.
func unwrapExecError(err error) error {
	if pathErr, ok := errors.AsType[*os.PathError](err); ok {
		return pathErr.Err
	}
	if execErr, ok := errors.AsType[*exec.Error](err); ok {
		return execErr.Err
	}
	return err
}
