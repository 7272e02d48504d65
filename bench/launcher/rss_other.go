//go:build !linux && !darwin

package main

import "os"

// Elsewhere (Windows among the release platforms) the process state carries
// no peak memory; the report says n/a.

func childPeakRSS(*os.ProcessState) (int64, bool) { return 0, false }

func selfPeakRSS() (int64, bool) { return 0, false }
