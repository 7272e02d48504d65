package main

import (
	"os"
	"syscall"
)

// childPeakRSS is the child's ru_maxrss, which macOS counts in bytes.
func childPeakRSS(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	return ru.Maxrss, true
}

// selfPeakRSS is this process's ru_maxrss: an upper bound of what it can
// add to a child's.
func selfPeakRSS() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Maxrss, true
}
