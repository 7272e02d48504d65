package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/basetenlabs/baseten/bench/launch"
	"github.com/basetenlabs/baseten/internal/release"
)

// run is the runner: build, serve, measure every workload, report.
func run(cfg config, stdout, stderr io.Writer) error {
	tmp, err := os.MkdirTemp("", "baseten-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// Ctrl-C reaches the server, the launcher and the run in flight too.
	// The runner outlives them to remove the temporary files (up to hundreds
	// of MB) on the way out.
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)

	progress := func(format string, args ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", args...) }
	progress("building the CLI and the floors with %s go build %s", strings.Join(release.BuildEnv, " "), strings.Join(quoteAll(release.BuildFlags), " "))
	b, err := build(filepath.Join(tmp, "bin"))
	if err != nil {
		return err
	}
	srv, err := startServer(cfg.keys, cfg.logLines)
	if err != nil {
		return err
	}
	defer srv.stop()
	progress("serving %s keys (%s of JSON) at %s", thousands(int64(cfg.keys)), megabytes(srv.info.Bytes), srv.info.URL)
	l, err := launch.Start(b.path("launcher"), childEnv(tmp, srv.info.URL))
	if err != nil {
		return err
	}
	defer l.Close()

	r := &runner{
		launcher: l,
		bins:     b,
		want:     expected{keys: cfg.keys, bodyBytes: srv.info.Bytes, bodySHA: srv.info.SHA256, logLines: cfg.logLines},
		out:      filepath.Join(tmp, "stdout"),
		err:      filepath.Join(tmp, "stderr"),

		floorChecked: map[*floor]bool{},
	}
	rep := report{cfg: cfg, build: b, server: srv.info, machine: describeMachine(b.goVersion), env: passedRuntimeEnv()}
	failed := false
	for i := range workloads {
		w := &workloads[i]
		if !cfg.only.MatchString(w.name) {
			continue
		}
		res := r.measure(w, cfg.runs)
		select {
		case <-interrupt:
			return errors.New("interrupted")
		default:
		}
		if errors.Is(res.err, launch.ErrGone) {
			return res.err
		}
		if res.err != nil {
			failed = true
			progress("%s: FAILED: %v", w.name, res.err)
		} else {
			progress("%s: median %s, floor %s", w.name, duration(median(res.wall)), duration(median(res.floorWall)))
		}
		rep.results = append(rep.results, res)
	}
	if rep.launcherRSS, rep.launcherRSSKnown, err = l.PeakRSS(); err != nil {
		return err
	}
	rep.write(stdout)
	if failed {
		return fmt.Errorf("some workloads could not run; see the table")
	}
	return nil
}

// binaries are the programs build made.
type binaries struct {
	dir       string
	goVersion string
	commit    string
	sizes     map[string]int64 // by binary name
}

func (b binaries) path(name string) string {
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(b.dir, name)
}

// build compiles the CLI (the module root), the two floors and the
// launcher with the release flags, in one go command so they build in
// parallel.
func build(dir string) (binaries, error) {
	b := binaries{dir: dir, sizes: map[string]int64{}}
	env, err := exec.Command("go", "env", "GOMOD", "GOVERSION").Output()
	if err != nil {
		return b, fmt.Errorf("go env: %v", err)
	}
	gomod, goVersion, _ := strings.Cut(strings.TrimSpace(string(env)), "\n")
	if filepath.Base(gomod) != "go.mod" {
		return b, fmt.Errorf("run this from inside the baseten repository (go env GOMOD is %q)", gomod)
	}
	root := filepath.Dir(gomod)
	b.goVersion = goVersion
	b.commit = gitCommit(root)

	args := append([]string{"build"}, release.BuildFlags...)
	args = append(args, "-o", dir+string(filepath.Separator), ".", "./bench/floors/hello", "./bench/floors/getcopy", "./bench/floors/getlogs", "./bench/floors/linked", "./bench/floors/hellojq", "./bench/launcher")
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), release.BuildEnv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return b, fmt.Errorf("go build: %v\n%s", err, out)
	}
	for _, name := range []string{"baseten", "hello", "getcopy"} {
		fi, err := os.Stat(b.path(name))
		if err != nil {
			return b, err
		}
		b.sizes[name] = fi.Size()
	}
	return b, nil
}

// gitCommit names the source the CLI was built from, for the report.
func gitCommit(root string) string {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	if status, err := exec.Command("git", "-C", root, "status", "--porcelain").Output(); err == nil && len(status) > 0 {
		commit += " with uncommitted changes"
	}
	return commit
}

// childEnv is the whole environment of every child: the server and its
// key, and empty home and config directories, so that no run reads the
// developer's stored credentials or settings. Go runtime settings given to
// the runner are passed on (the report names them).
func childEnv(tmp, url string) []string {
	home := filepath.Join(tmp, "home")
	config := filepath.Join(tmp, "config")
	os.Mkdir(home, 0o700)
	os.Mkdir(config, 0o700)
	env := []string{
		"BASETEN_API_KEY=" + benchAPIKey,
		"BASETEN_MANAGEMENT_API_URL_OVERRIDE=" + url,
		"BASETEN_CONFIG_DIR=" + config,
		"HOME=" + home,
	}
	if runtime.GOOS == "windows" {
		// Windows finds per-user directories through these; SystemRoot is
		// needed for networking to load at all.
		env = append(env, "USERPROFILE="+home, "APPDATA="+home, "LOCALAPPDATA="+home, "SystemRoot="+os.Getenv("SystemRoot"))
	}
	return append(env, passedRuntimeEnv()...)
}

// passedRuntimeEnv lists the Go runtime variables the runner was given.
func passedRuntimeEnv() []string {
	var env []string
	for _, name := range []string{"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG"} {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	return env
}

// runner runs the children through the launcher. Their stdout and stderr
// go to files, not pipes: nothing copies output while a child runs.
type runner struct {
	launcher *launch.Launcher
	bins     binaries
	want     expected
	out      string // file for the checked run's stdout
	err      string // file for every run's stderr

	floorChecked map[*floor]bool
}

// result is what measure saw of one workload and its floor.
type result struct {
	w               *workload
	wall, floorWall []time.Duration
	rss, floorRSS   []int64 // bytes
	rssKnown        bool    // false where the OS does not report it
	err             error
}

// measure checks the workload (and its floor, the first time) once, untimed,
// which also warms the page cache; then it times runs of each, alternating floor and workload
// so that noise on the machine hits both alike.
func (r *runner) measure(w *workload, runs int) result {
	res := result{w: w, rssKnown: true}
	floorBin := r.bins.path(w.floor.bin)
	cli := r.bins.path("baseten")
	if w.bin != "" {
		cli = r.bins.path(w.bin)
	}
	if !r.floorChecked[w.floor] {
		if err := r.checked(floorBin, nil, w.floor.check); err != nil {
			res.err = fmt.Errorf("floor %s: %v", w.floor.name, err)
			return res
		}
		r.floorChecked[w.floor] = true
	}
	if err := r.checked(cli, w.args, w.check); err != nil {
		res.err = err
		return res
	}
	for range runs {
		floor, err := r.timed(floorBin, nil)
		if err != nil {
			res.err = err
			return res
		}
		cmd, err := r.timed(cli, w.args)
		if err != nil {
			res.err = err
			return res
		}
		res.floorWall = append(res.floorWall, floor.Wall)
		res.floorRSS = append(res.floorRSS, floor.RSS)
		res.wall = append(res.wall, cmd.Wall)
		res.rss = append(res.rss, cmd.RSS)
		res.rssKnown = res.rssKnown && floor.RSSKnown && cmd.RSSKnown
	}
	return res
}

// checked runs a program once with stdout to a file and checks the file.
func (r *runner) checked(bin string, args []string, check func(*os.File, expected) error) error {
	if _, err := r.start(bin, args, r.out); err != nil {
		return err
	}
	out, err := os.Open(r.out)
	if err != nil {
		return err
	}
	defer out.Close()
	return check(out, r.want)
}

// timed runs a program once with stdout to the null device.
func (r *runner) timed(bin string, args []string) (launch.Result, error) {
	return r.start(bin, args, "")
}

// start runs one process to completion. Exiting non-zero or writing
// anything to stderr is a failure: no workload here should.
func (r *runner) start(bin string, args []string, stdout string) (launch.Result, error) {
	res, err := r.launcher.Run(launch.Request{Path: bin, Args: args, Stdout: stdout, Stderr: r.err})
	if err != nil {
		return res, err
	}
	name := strings.Join(append([]string{filepath.Base(bin)}, quoteAll(args)...), " ")
	if res.Error != "" {
		return res, fmt.Errorf("%s: %s", name, res.Error)
	}
	errText, err := readHead(r.err, 4<<10)
	if err != nil {
		return res, err
	}
	if res.Exit != 0 || len(errText) > 0 {
		return res, fmt.Errorf("%s: exit code %d; stderr: %q", name, res.Exit, bytes.TrimSpace(errText))
	}
	return res, nil
}

// readHead reads at most n bytes from the start of a file.
func readHead(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
