package commands

import "github.com/basetenlabs/baseten/schema"

// Rehearsal: serve runs until stopped. (It belongs beside
// SandboxServeCmd's Spec; it lives here until issue 15 splits sandbox.go
// into a file per leaf.)
func (c *SandboxServeCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{LongRunning: true}
}
