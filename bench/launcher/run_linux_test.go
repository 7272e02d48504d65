package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/basetenlabs/baseten/bench/launch/wire"
)

// The runner's end-to-end test (bench) runs the launcher on real workloads;
// these cover what those never do: failing, being killed, timing out.
func TestRun(t *testing.T) {
	sh := "/bin/sh"
	if _, err := os.Stat(sh); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	out, errOut := filepath.Join(dir, "stdout"), filepath.Join(dir, "stderr")
	defer func(was []string) { env = was }(env)
	env = []string{"LAUNCHER_TEST=from the environment"}

	res := run(wire.Request{Path: sh, Args: []string{"-c", `echo "$LAUNCHER_TEST"; echo to stderr >&2; exit 3`}, Stdout: out, Stderr: errOut})
	if res.Exit != 3 || res.Error != "" || !res.RSSKnown || res.RSS <= 0 || res.Wall <= 0 {
		t.Errorf("exit 3: %+v", res)
	}
	for path, want := range map[string]string{out: "from the environment\n", errOut: "to stderr\n"} {
		if got, err := os.ReadFile(path); string(got) != want {
			t.Errorf("%s = %q, %v; want %q", filepath.Base(path), got, err, want)
		}
	}

	res = run(wire.Request{Path: sh, Args: []string{"-c", "cat; kill -9 $$"}}) // stdin is the null device
	if res.Exit != -1 || res.Error != "" || !res.RSSKnown {
		t.Errorf("killed by a signal: %+v", res)
	}

	res = run(wire.Request{Path: filepath.Join(dir, "missing")})
	if res.Exit != -1 || !strings.HasPrefix(res.Error, "fork/exec "+filepath.Join(dir, "missing")+": ") {
		t.Errorf("a missing program: %+v", res)
	}

	res = run(wire.Request{Path: sh, Stdout: filepath.Join(dir, "no", "such", "dir")})
	if res.Exit != -1 || !strings.HasPrefix(res.Error, "open "+filepath.Join(dir, "no", "such", "dir")+": ") {
		t.Errorf("an output file that cannot be created: %+v", res)
	}

	defer func(was int64) { timeout = was }(timeout)
	timeout = int64(100 * time.Millisecond)
	res = run(wire.Request{Path: sh, Args: []string{"-c", "exec sleep 10"}})
	if res.Exit != -1 || res.Error != errTimedOut || time.Duration(res.Wall) > 5*time.Second {
		t.Errorf("timed out: %+v", res)
	}
}
