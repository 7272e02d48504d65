//go:build !linux

package main

import (
	"context"
	"os"
	"os/exec"
	"time"

	"github.com/basetenlabs/baseten/bench/launch/wire"
)

// Only on Linux does a child's peak RSS start at its parent's (see package
// launch), so elsewhere the launcher's size costs nothing and it runs
// processes with os/exec, which also times them out portably.

var stdin, stdout, stderr = os.Stdin, os.Stdout, os.Stderr

func run(req wire.Request) wire.Result {
	stdout, err := create(req.Stdout)
	if err != nil {
		return wire.Result{Exit: -1, Error: err.Error()}
	}
	defer stdout.Close()
	stderr, err := create(req.Stderr)
	if err != nil {
		return wire.Result{Exit: -1, Error: err.Error()}
	}
	defer stderr.Close()

	ctx, cancel := context.WithTimeout(context.Background(), timeoutSeconds*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, req.Path, req.Args...)
	// Files, not pipes: nothing in this process runs while the child does.
	cmd.Stdout, cmd.Stderr = stdout, stderr

	began := time.Now()
	err = cmd.Run()
	res := wire.Result{Wall: int64(time.Since(began)), Exit: -1}
	if cmd.ProcessState == nil {
		res.Error = err.Error()
		return res
	}
	res.Exit = cmd.ProcessState.ExitCode()
	res.RSS, res.RSSKnown = childPeakRSS(cmd.ProcessState)
	if ctx.Err() != nil {
		res.Error = errTimedOut
	}
	return res
}

func create(path string) (*os.File, error) {
	if path == "" {
		return os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	}
	return os.Create(path)
}
