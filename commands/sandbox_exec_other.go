//go:build !unix

package commands

import (
	"os"
	"os/exec"
)

// childSignals forwards nothing where signals cannot be sent to a process
// (Windows): Ctrl-C reaches COMMAND from the console, as it reaches exec.
type childSignals struct {
	signals chan os.Signal
}

func newChildSignals(*exec.Cmd) *childSignals { return &childSignals{} }

func (c *childSignals) pending() (os.Signal, bool) { return nil, false }
func (c *childSignals) forward(os.Signal)          {}
func (c *childSignals) close()                     {}
