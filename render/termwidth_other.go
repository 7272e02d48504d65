//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package render

import "os"

// terminalWidth is unknown on this platform; help falls back to 80 columns.
func terminalWidth(*os.File) int { return 0 }
