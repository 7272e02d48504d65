// Package launch is the runner's side of the launcher (bench/launcher), the
// process that starts and measures every process of the benchmark.
//
// Why a process of its own: on Linux, exec carries the memory high-water
// mark of the process that started a child into the child's ru_maxrss (Go
// starts children with vfork, so that is the parent's own peak). The runner
// builds binaries, talks to the server and reads outputs of 100 MB to check
// them; the launcher only starts processes and peaks at about 2 MiB, below
// a Go hello program (3.7 MiB), so a child's peak RSS is the child's own.
package launch

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/basetenlabs/baseten/bench/launch/wire"
)

// Request asks the launcher to run one process to completion. Path is a
// file path: PATH is not searched.
type Request = wire.Request

// Result is what the launcher saw of one run.
type Result struct {
	// Wall spans start to exit, fork and exec included, as a user waits.
	Wall     time.Duration
	RSS      int64 // peak resident set, bytes
	RSSKnown bool
	Exit     int    // -1 when killed by a signal
	Error    string // the process could not run, or was killed at the launcher's timeout
}

// Launcher is a started launcher process.
type Launcher struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	buf []byte
}

// Start starts the launcher binary. Every process it runs inherits env.
func Start(bin string, env []string) (*Launcher, error) {
	cmd := exec.Command(bin)
	cmd.Env = env
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &Launcher{cmd: cmd, in: in, out: bufio.NewReader(out)}, nil
}

// Run runs one process to completion.
func (l *Launcher) Run(req Request) (Result, error) {
	if req.Path == "" {
		return Result{}, errors.New("launch: no path")
	}
	return l.call(req)
}

// PeakRSS is the launcher's own peak RSS: on Linux, the least any child it
// started can report.
func (l *Launcher) PeakRSS() (int64, bool, error) {
	res, err := l.call(Request{})
	return res.RSS, res.RSSKnown, err
}

// ErrGone is the error of every call once the launcher process has ended.
var ErrGone = errors.New("the launcher process has ended")

func (l *Launcher) call(req Request) (Result, error) {
	l.buf = wire.AppendRequest(l.buf[:0], req)
	if _, err := l.in.Write(l.buf); err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrGone, err)
	}
	line, err := l.out.ReadString('\n')
	if err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrGone, err)
	}
	res, err := wire.ParseResult(line[:len(line)-1])
	if err != nil {
		return Result{}, err
	}
	return Result{Wall: time.Duration(res.Wall), RSS: res.RSS, RSSKnown: res.RSSKnown, Exit: res.Exit, Error: res.Error}, nil
}

// Close ends the launcher.
func (l *Launcher) Close() error {
	l.in.Close()
	return l.cmd.Wait()
}
