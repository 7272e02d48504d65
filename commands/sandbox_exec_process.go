package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
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
// and a directory holding only this baseten first on PATH, and returns its
// exit code. COMMAND reads streams.In and writes streams.Out and
// streams.Err; the variables exec itself reads (PATH, SystemRoot) come
// from getenv and those COMMAND inherits from environ, so that a test's
// environment decides them as it decides every other command's. A ctx ended before COMMAND starts (SIGTERM while
// a large state loads) is returned instead of starting it; once it runs,
// COMMAND decides how to end (see forwardSignals).
func runCommand(ctx context.Context, args []string, remoteURL, apiKey string, streams *render.IO, getenv Getenv, environ Environ) (int, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("cannot find the running baseten executable: %w", err)
	}
	binDir, err := privateBinDir(self)
	if err != nil {
		return 0, fmt.Errorf("cannot put baseten first on COMMAND's PATH: %w", err)
	}
	defer os.RemoveAll(binDir)
	first := pathFirst(binDir, getenv)
	path, err := lookPathFirstIn(first, args[0])
	if err != nil {
		code := 126
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			code = 127
		}
		return 0, withCode(code, &wrapped{msg: fmt.Sprintf("cannot run %q: %v", args[0], unwrapExecError(err)), cause: err}, "")
	}
	cmd := &exec.Cmd{
		Path: path, Args: args, Env: commandEnv(first, remoteURL, apiKey, getenv, environ),
		Stdin: streams.In, Stdout: streams.Out, Stderr: streams.Err,
	}
	child := newChildSignals(cmd)
	defer child.close()
	// main ignores SIGPIPE so that baseten sees a closed stdout as an
	// error; what it runs must not inherit the ignoring (`yes | head` would
	// never end). Catching it instead (the channel is never read) keeps the
	// error for baseten, and a caught signal is reset to the default in a
	// new program.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	// The signals are caught from here on (newChildSignals), so one that
	// came while the sandbox started is seen now, or forwarded once
	// COMMAND runs: none is lost in between.
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if sig, ok := child.pending(); ok {
		return 0, interrupted("interrupted ("+sig.String()+") before COMMAND started", "")
	}
	started := make(chan error, 1)
	waited := make(chan error, 1)
	go func() {
		// The parent-death signal (Linux) belongs to the thread that
		// forks COMMAND, not to the process: that thread must not end
		// while COMMAND runs.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		waited <- cmd.Wait()
	}()
	if err := <-started; err != nil {
		return 0, withCode(126, &wrapped{msg: fmt.Sprintf("cannot run %q: %v", args[0], unwrapExecError(err)), cause: err}, "")
	}
	for {
		select {
		case sig := <-child.signals:
			child.forward(sig)
		case err := <-waited:
			return exitCode(err)
		}
	}
}

// privateBinDir makes a directory that holds only a link to (or, where
// links cannot be made, a copy of) the running baseten, to put first on
// COMMAND's PATH: putting the executable's own directory there instead
// would let whatever else it holds (a system python3 next to
// /usr/local/bin/baseten) shadow the user's PATH order. The caller removes
// it when COMMAND ends.
func privateBinDir(self string) (string, error) {
	dir, err := os.MkdirTemp("", "baseten-exec-")
	if err != nil {
		return "", err
	}
	name := filepath.Join(dir, "baseten")
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if err := os.Symlink(self, name); err == nil {
		return dir, nil
	}
	if err := os.Link(self, name); err == nil {
		return dir, nil
	}
	if err := copyExecutable(self, name); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

func copyExecutable(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o700)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
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
// inherits untouched are environ's (the process's, bound by Main); every
// one exec reads or sets comes from getenv or from exec.
func commandEnv(first []string, remoteURL, apiKey string, getenv Getenv, environ Environ) []string {
	var inherited []string
	if environ != nil {
		inherited = environ()
	}
	var env []string
	for _, kv := range inherited {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case schema.EnvAPIURLOverride, schema.EnvRemoteURL, schema.EnvAPIKey, schema.EnvInferenceOverride, "PATH":
		default:
			env = append(env, kv)
		}
	}
	path := strings.Join(first, string(os.PathListSeparator))
	if rest := getenv("PATH"); rest != "" {
		path += string(os.PathListSeparator) + rest
	}
	return append(env, schema.EnvRemoteURL+"="+remoteURL, schema.EnvInferenceOverride+"="+remoteURL, schema.EnvAPIKey+"="+apiKey, "PATH="+path)
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
