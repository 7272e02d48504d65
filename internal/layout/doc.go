// Package layout has no code of its own: its tests hold the repository to
// the rules ARCHITECTURE.md states, so that they are checked, not only
// described: imports point one way (imports_test.go) and no hand-written
// Go file grows past what one reader takes in (size_test.go).
package layout
