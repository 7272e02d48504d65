//go:build !windows

package commands

// pipeGone is Windows' word for EPIPE; elsewhere EPIPE says it all.
func pipeGone(error) bool { return false }
