//go:build unix && !linux

package commands

import "syscall"

// setParentDeathSignal does nothing where there is no parent-death signal
// to set (macOS, the BSDs in Go's syscall package).
func setParentDeathSignal(*syscall.SysProcAttr) {}
