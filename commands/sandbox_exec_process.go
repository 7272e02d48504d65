package commands

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// runCommand runs args with the sandbox's URL and key in its environment
// and this executable's directory first on PATH, and returns its exit code.
// COMMAND reads streams.In and writes streams.Out and streams.Err; the
// variables exec itself reads (PATH, SystemRoot) come from getenv, so that
// a test's environment decides them as it decides every other command's.
func runCommand(args []string, remoteURL, apiKey string, streams *render.IO, getenv Getenv) (int, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("cannot find the running baseten executable: %w", err)
	}
	first := pathFirst(filepath.Dir(self), getenv)
	path, err := lookPathFirstIn(first, args[0])
	if err != nil {
		code := 126
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			code = 127
		}
		return 0, withCode(code, &wrapped{msg: fmt.Sprintf("cannot run %q: %v", args[0], unwrapExecError(err)), cause: err}, "")
	}
	cmd := &exec.Cmd{
		Path: path, Args: args, Env: commandEnv(first, remoteURL, apiKey, getenv),
		Stdin: streams.In, Stdout: streams.Out, Stderr: streams.Err,
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
		return 0, withCode(126, &wrapped{msg: fmt.Sprintf("cannot run %q: %v", args[0], unwrapExecError(err)), cause: err}, "")
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
func pathFirst(binDir string, getenv Getenv) []string {
	dirs := []string{binDir}
	if getenv("PATH") == "" {
		dirs = append(dirs, filepath.SplitList(defaultPath(getenv))...)
	}
	return dirs
}

// defaultPath is a PATH for a process that has none: on Unix, the one
// login shells start from; on Windows, the system's own directories.
func defaultPath(getenv Getenv) string {
	if runtime.GOOS == "windows" {
		root := cmp.Or(getenv("SystemRoot"), `C:\Windows`)
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
// BASETEN_REMOTE_URL and send COMMAND elsewhere. The variables COMMAND
// inherits untouched are the process's (os.Environ: a Getenv cannot list
// them); every one exec reads or sets comes from getenv or from exec.
func commandEnv(first []string, remoteURL, apiKey string, getenv Getenv) []string {
	var env []string
	for _, kv := range os.Environ() {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case schema.EnvAPIURLOverride, schema.EnvRemoteURL, schema.EnvAPIKey, "PATH":
		default:
			env = append(env, kv)
		}
	}
	path := strings.Join(first, string(os.PathListSeparator))
	if rest := getenv("PATH"); rest != "" {
		path += string(os.PathListSeparator) + rest
	}
	return append(env, schema.EnvRemoteURL+"="+remoteURL, schema.EnvAPIKey+"="+apiKey, "PATH="+path)
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
