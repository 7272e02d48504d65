package sandbox

// SetMaxStateBytes sets the size limit of a state file for a test, which
// could not reach the real one (256 MiB) in reasonable time; the returned
// func restores it. Tests that use it must not run in parallel.
func SetMaxStateBytes(n int) (restore func()) {
	old := maxStateBytes
	maxStateBytes = n
	return func() { maxStateBytes = old }
}
