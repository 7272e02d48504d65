//go:build unix

package sandbox

import (
	"os"
	"syscall"
)

// openNonBlocking opens path for reading without waiting: a FIFO put in
// place of the state file after it was checked would otherwise block the
// open until some writer came.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
