package commands

import "time"

// SetStreamIdleTimeout shortens how long a streamed answer may be silent,
// so that a stall can be tested in less than the real 30 s; it returns
// what puts the default back.
func SetStreamIdleTimeout(d time.Duration) (restore func()) {
	streamIdleTimeout = d
	return func() { streamIdleTimeout = 0 }
}
