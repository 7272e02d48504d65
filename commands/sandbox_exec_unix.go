//go:build unix

package commands

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// forwardedSignals are the signals exec passes on to COMMAND: the ones
// that ask a program to end. exec itself then waits for COMMAND and exits
// with its status.
var forwardedSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// childSignals passes the signals exec gets on to COMMAND, once each.
//
// A signal sent to a process group reaches every process in it, and a
// terminal sends Ctrl-C, Ctrl-\ and a hangup to its foreground group;
// Go cannot tell such a signal from one sent to exec alone (no siginfo).
// So:
//   - Without a controlling terminal (CI, a service, a script run by
//     another program), COMMAND gets a process group of its own: every
//     signal reaches it only through exec, which forwards each one.
//   - With one, COMMAND stays in exec's group, so that job control (Ctrl-Z,
//     fg, bg) treats the two as one job. SIGTERM is always forwarded (as
//     before, `kill %1` gives COMMAND two); SIGINT, SIGQUIT and SIGHUP are
//     forwarded unless exec is then in the terminal's foreground group,
//     where the terminal has already sent them to COMMAND too.
type childSignals struct {
	cmd      *exec.Cmd
	signals  chan os.Signal
	tty      *os.File // exec's controlling terminal; nil when it has none
	ownGroup bool
}

// newChildSignals starts catching forwardedSignals and sets up how cmd
// starts (its process group, and on Linux the signal it gets should exec
// die: SIGKILL of exec must not leave COMMAND running without its sandbox).
func newChildSignals(cmd *exec.Cmd) *childSignals {
	c := &childSignals{cmd: cmd, signals: make(chan os.Signal, 8)}
	signal.Notify(c.signals, forwardedSignals...)
	if tty, err := os.OpenFile("/dev/tty", os.O_RDWR|syscall.O_NOCTTY, 0); err == nil {
		c.tty = tty
	} else {
		c.ownGroup = true
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: c.ownGroup}
	setParentDeathSignal(cmd.SysProcAttr)
	return c
}

// pending returns a signal that came before COMMAND started, if any.
func (c *childSignals) pending() (os.Signal, bool) {
	select {
	case sig := <-c.signals:
		return sig, true
	default:
		return nil, false
	}
}

func (c *childSignals) forward(sig os.Signal) {
	if !c.ownGroup && sig != syscall.SIGTERM && c.inForeground() {
		return // the terminal sent it to COMMAND as well
	}
	_ = c.cmd.Process.Signal(sig)
}

// inForeground reports whether exec's process group is its terminal's
// foreground group.
func (c *childSignals) inForeground() bool {
	pgrp, err := unix.IoctlGetInt(int(c.tty.Fd()), unix.TIOCGPGRP)
	return err == nil && pgrp == unix.Getpgrp()
}

func (c *childSignals) close() {
	signal.Stop(c.signals)
	if c.tty != nil {
		c.tty.Close()
	}
}
