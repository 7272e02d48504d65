package main

import (
	"io"
	"syscall"
	"unsafe"

	"github.com/basetenlabs/baseten/bench/launch/wire"
)

// stdin, stdout and stderr are the launcher's own, as bare file
// descriptors: package os would double the binary (see main.go).
var stdin, stdout, stderr io.ReadWriter = fd(0), fd(1), fd(2)

// fd is an open file descriptor as an io.Reader and io.Writer.
type fd int

func (f fd) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(int(f), p)
		if err == syscall.EINTR {
			continue
		}
		if n <= 0 && err == nil {
			return 0, io.EOF
		}
		return max(n, 0), err
	}
}

func (f fd) Write(p []byte) (int, error) {
	written := 0
	for written < len(p) {
		n, err := syscall.Write(int(f), p[written:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return written, err
		}
		written += n
	}
	return written, nil
}

// timeout is timeoutSeconds in nanoseconds, a variable for the tests.
var timeout int64 = timeoutSeconds * 1e9

// env is the environment of every child: the launcher's own, which the
// runner set.
var env = syscall.Environ()

// run starts req.Path with syscall.ForkExec, as os/exec would, and reaps it
// with syscall.Wait4, which gives the child's rusage.
func run(req wire.Request) wire.Result {
	var files [3]int // the child's stdin, stdout and stderr
	for i, path := range [3]string{"", req.Stdout, req.Stderr} {
		f, err := open(path, i > 0)
		if err != nil {
			return wire.Result{Exit: -1, Error: err.Error()}
		}
		defer syscall.Close(f)
		files[i] = f
	}
	// The pidfd lets run wait for the exit with a timeout, without reaping
	// the child: until it is reaped its pid cannot be reused, so killing it
	// at the timeout cannot hit another process.
	pidfd := -1
	attr := &syscall.ProcAttr{
		Env:   env,
		Files: []uintptr{uintptr(files[0]), uintptr(files[1]), uintptr(files[2])},
		Sys:   &syscall.SysProcAttr{PidFD: &pidfd},
	}

	began := monotonic()
	pid, err := syscall.ForkExec(req.Path, append([]string{req.Path}, req.Args...), attr)
	if err != nil {
		return wire.Result{Wall: monotonic() - began, Exit: -1, Error: "fork/exec " + req.Path + ": " + err.Error()}
	}
	timedOut := false
	if pidfd >= 0 { // kernels before 5.3 give none: then wait without a timeout
		timedOut = !exitsBy(pidfd, began+timeout)
		syscall.Close(pidfd)
	}
	if timedOut {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	var status syscall.WaitStatus
	var usage syscall.Rusage
	for {
		_, err = syscall.Wait4(pid, &status, 0, &usage)
		if err != syscall.EINTR {
			break
		}
	}
	res := wire.Result{Wall: monotonic() - began, Exit: -1}
	if err != nil {
		res.Error = "wait: " + err.Error()
		return res
	}
	if status.Exited() {
		res.Exit = status.ExitStatus()
	}
	res.RSS, res.RSSKnown = int64(usage.Maxrss)<<10, true // Linux counts it in KiB
	if timedOut {
		res.Error = errTimedOut
	}
	return res
}

// open opens one of a child's standard files: the null device for an empty
// path, else for writing, a file created or truncated as os.Create would.
func open(path string, write bool) (int, error) {
	mode := syscall.O_RDONLY
	if write {
		mode = syscall.O_WRONLY
		if path != "" {
			mode |= syscall.O_CREAT | syscall.O_TRUNC
		}
	}
	if path == "" {
		path = "/dev/null"
	}
	f, err := syscall.Open(path, mode|syscall.O_CLOEXEC, 0o666)
	if err != nil {
		return -1, &pathError{"open", path, err}
	}
	return f, nil
}

// pathError reads like os.PathError, which the launcher did not link.
type pathError struct {
	op, path string
	err      error
}

func (e *pathError) Error() string { return e.op + " " + e.path + ": " + e.err.Error() }

// exitsBy waits until the process of pidfd exits, which does not reap it,
// and reports whether it did before deadline (a monotonic time). Should
// epoll fail, it returns true at once: the caller then waits without a
// timeout, which is better than not measuring the run.
func exitsBy(pidfd int, deadline int64) bool {
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return true
	}
	defer syscall.Close(ep)
	// A pidfd becomes readable when its process exits.
	if syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, pidfd, &syscall.EpollEvent{Events: syscall.EPOLLIN}) != nil {
		return true
	}
	var events [1]syscall.EpollEvent
	for {
		left := deadline - monotonic()
		if left <= 0 {
			return false
		}
		// In milliseconds, rounded up. A signal to the runtime (EINTR)
		// ends the wait early; the loop waits for the time left.
		n, err := syscall.EpollWait(ep, events[:], int(left/1e6)+1)
		if n > 0 || err != nil && err != syscall.EINTR {
			return true
		}
	}
}

// monotonic is the time in nanoseconds on CLOCK_MONOTONIC. Package syscall
// has no clock_gettime; package time, which has, would bring in godebug and
// the runtime's metrics (see main.go).
func monotonic() int64 {
	const clockMonotonic = 1 // CLOCK_MONOTONIC, the clock of Go's time.Since
	var ts syscall.Timespec
	syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}
