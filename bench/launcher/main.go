// Command launcher starts and measures the processes of the benchmark (go
// run ./bench) on the runner's behalf; see package launch for why it is a
// process of its own. It reads one request per line on stdin and writes one
// result per line on stdout (package wire), until stdin ends.
//
// Its peak RSS must stay below that of the smallest program it measures, so
// it is built of as little as possible. Most of a small Go program's RSS is
// its own binary, mapped whole from the page cache, so every package
// counts: on Linux, where the peak matters (see package launch), the
// launcher starts processes with package syscall alone (run_linux.go). Built
// on os/exec, time, runtime/debug and encoding/json it was 2.4 MB and peaked
// at 3 to 4.5 MiB; built on syscall it is 1.3 MB and peaks at about 2 MiB,
// where a Go program that makes one system call and exits peaks at 1.7.
package main

import (
	"bufio"
	"io"
	"runtime"
	"strconv"
	"syscall"

	"github.com/basetenlabs/baseten/bench/launch/wire"
)

// timeoutSeconds bounds one run, so that a hung CLI ends the benchmark
// instead of stalling it.
const timeoutSeconds = 10 * 60

// errTimedOut is the error of a run killed at the timeout.
var errTimedOut = "killed after " + strconv.Itoa(timeoutSeconds) + "s"

func main() {
	if err := serve(stdin, stdout); err != nil {
		io.WriteString(stderr, "launcher: "+err.Error()+"\n")
		syscall.Exit(1)
	}
}

// serve answers each request on in with a result on out.
func serve(in io.Reader, out io.Writer) error {
	lines := bufio.NewScanner(in)
	lines.Buffer(nil, 1<<20) // a request holds a command line
	var buf []byte
	for requests := 1; lines.Scan(); requests++ {
		req, err := wire.ParseRequest(lines.Text())
		if err != nil {
			return err
		}
		var res wire.Result
		if req.Path == "" {
			res.RSS, res.RSSKnown = selfPeakRSS()
		} else {
			res = run(req)
		}
		buf = wire.AppendResult(buf[:0], res)
		if _, err := out.Write(buf); err != nil {
			return err
		}
		// Each run leaves about 1 KB of garbage (the request, and the C
		// strings ForkExec makes of argv and the environment), and left
		// alone the runtime would let the heap reach 4 MiB before its first
		// collection. But collecting costs this process's peak too: the
		// first cycle about 200 KB, the cycles after it up to 500 KB in all
		// (mark bits, work buffers). Collecting every gcEvery requests,
		// between runs, keeps a benchmark of the default size (about 160
		// runs) from collecting at all, and a long one under 3 MiB.
		if requests%gcEvery == 0 {
			runtime.GC()
		}
	}
	return lines.Err()
}

// gcEvery is how many requests serve answers between collections.
const gcEvery = 256
