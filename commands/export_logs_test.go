package commands

import "time"

// ShortenLogPolls makes --follow poll every d (and at most every 4d while
// idle), for tests that cannot wait seconds; it returns the undo.
func ShortenLogPolls(d time.Duration) (restore func()) {
	poll, most := logPollInterval, logMaxPollInterval
	logPollInterval, logMaxPollInterval = d, 4*d
	return func() { logPollInterval, logMaxPollInterval = poll, most }
}
