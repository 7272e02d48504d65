//go:build !unix

package sandbox

import "os"

// openNonBlocking opens path for reading (Windows has no FIFOs in the file
// system to block on).
func openNonBlocking(path string) (*os.File, error) {
	return os.Open(path)
}
