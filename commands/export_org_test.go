package commands

// SetMaxUserPages lowers the page limit of org user list for a test; the
// returned func restores it. Tests that use it must not run in parallel.
func SetMaxUserPages(n int) (restore func()) {
	old := maxUserPages
	maxUserPages = n
	return func() { maxUserPages = old }
}

// SetMaxUserDocument lowers the bound of org user list's --jq document for
// a test; the returned func restores it. Not for parallel tests.
func SetMaxUserDocument(n int) (restore func()) {
	old := maxUserDocument
	maxUserDocument = n
	return func() { maxUserDocument = old }
}
