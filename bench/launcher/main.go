// Command launcher starts and measures the processes of the benchmark (go
// run ./bench) on the runner's behalf; see package launch for why it is a
// process of its own.
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/basetenlabs/baseten/bench/launch"
)

func main() {
	// The Go heap may otherwise grow to 4 MiB before its first collection,
	// and every byte of this process's peak shows up in its children's.
	debug.SetGCPercent(10)
	if err := launch.Serve(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "launcher:", err)
		os.Exit(1)
	}
}
