// Command release builds the release archives of baseten into dist/, for
// every platform users run: per target, an archive (.tar.gz, or .zip for
// Windows) holding the binary, README.md, the license if the repository has
// one, the shell completion scripts and the man pages (docs/man/*.1, if
// present), plus SHA256SUMS over the archives.
//
//	go run ./release                   # version from git describe, else dev
//	go run ./release -version v1.2.3
//	go run ./release -list             # the targets, GOOS/GOARCH, one a line
//
// The same commit built with the same Go version gives byte-identical
// archives: the binaries are built with internal/release's flags (no local
// paths), stamped with the version and commit only, and every archive entry
// has a fixed time (the commit's), owner and mode, in sorted order.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/basetenlabs/baseten/internal/release"
)

// targets are the platforms released: what people manage keys from (macOS
// laptops, Linux machines and CI runners, Windows workstations).
var targets = []target{
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"linux", "amd64"}, {"linux", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

type target struct{ goos, goarch string }

func (t target) String() string { return t.goos + "/" + t.goarch }

// binary is the name of the executable on the target.
func (t target) binary() string {
	if t.goos == "windows" {
		return "baseten.exe"
	}
	return "baseten"
}

// ext is the archive format people on the target open without extra tools.
func (t target) ext() string {
	if t.goos == "windows" {
		return ".zip"
	}
	return ".tar.gz"
}

func main() {
	version := flag.String("version", "", "the version to stamp, vX.Y.Z[-pre][+build] or dev (default: git describe --tags --match 'v[0-9]*' --dirty, or dev when no such tag is reachable)")
	list := flag.Bool("list", false, "print the targets as GOOS/GOARCH, one a line, and exit")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./release [-version vX.Y.Z] [-list]\n\nBuilds the release archives and SHA256SUMS into dist/ (replacing it).\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if *list {
		for _, t := range targets {
			fmt.Println(t)
		}
		return
	}
	if err := run(*version, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

// validVersion accepts what may be stamped into the binary and named in
// the archives: a semantic version with its leading v (what git describe
// gives from a v1.2.3 tag matches too) or dev. Nothing else, so no
// version can hold a space the go command would split the flags on, or a
// slash that would put an archive outside dist/.
var validVersion = regexp.MustCompile(`^(dev|v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?)$`)

// run builds every target into dist/ and writes SHA256SUMS, then lists
// what it wrote on stdout. Progress goes to stderr.
func run(version string, stdout, stderr io.Writer) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	src, err := readSource(root)
	if err != nil {
		return err
	}
	if version == "" {
		version = describe(root)
	}
	if !validVersion.MatchString(version) {
		return fmt.Errorf("version %q is not vMAJOR.MINOR.PATCH (with an optional -prerelease or +build) or dev", version)
	}
	src.version = version
	if src.dirty {
		fmt.Fprintf(stderr, "release: the working tree has uncommitted changes; the commit is stamped %s\n", src.commit)
	}
	goVersion, err := goEnv(root, "GOVERSION")
	if err != nil {
		return err
	}
	dist := filepath.Join(root, "dist")
	if err := os.RemoveAll(dist); err != nil {
		return err
	}
	// The binaries are built inside dist/ too: an interrupted run leaves
	// nothing behind that the next run does not remove.
	build := filepath.Join(dist, ".build")
	if err := os.MkdirAll(build, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "release: baseten %s (%s), built with %s: %s go build %s\n",
		src.version, src.commit, goVersion, strings.Join(release.BuildEnv, " "), shellWords(src.buildFlags()))
	files, err := src.files(build)
	if err != nil {
		return err
	}
	var archives []string
	for _, t := range targets {
		fmt.Fprintf(stderr, "release: %s\n", t)
		name, err := src.archive(t, files, build, dist)
		if err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		archives = append(archives, name)
	}
	if err := os.RemoveAll(build); err != nil {
		return err
	}
	if err := writeSums(dist, archives); err != nil {
		return err
	}
	for _, name := range append(archives, sumsFile) {
		info, err := os.Stat(filepath.Join(dist, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%9d  dist/%s\n", info.Size(), name)
	}
	return nil
}

// shellWords joins args as a shell would need them typed, so the build
// command printed can be pasted.
func shellWords(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = a
		if strings.ContainsAny(a, " '\"$\\") {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}
