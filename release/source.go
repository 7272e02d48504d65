package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/basetenlabs/baseten/internal/release"
)

// source is what a release is built from.
type source struct {
	root    string    // the module root
	version string    // stamped into the binary and named in the archives
	commit  string    // stamped: 12 hex digits, then -dirty if the tree has changes
	dirty   bool      // the working tree differs from the commit
	time    time.Time // the commit's time: the time of every archive entry
}

// moduleRoot is the directory of the go.mod the go command finds from here.
func moduleRoot() (string, error) {
	gomod, err := goEnv(".", "GOMOD")
	if err != nil {
		return "", err
	}
	if filepath.Base(gomod) != "go.mod" {
		return "", fmt.Errorf("run this from inside the baseten repository (go env GOMOD is %q)", gomod)
	}
	return filepath.Dir(gomod), nil
}

func goEnv(dir, name string) (string, error) {
	cmd := exec.Command("go", "env", name)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", name, commandError(err))
	}
	return strings.TrimSpace(string(out)), nil
}

// readSource reads the commit and its time from git. A release must say
// which commit it was built from, so it needs a git checkout.
func readSource(root string) (source, error) {
	s := source{root: root}
	out, err := git(root, "log", "-1", "--format=%H %ct")
	if err != nil {
		return s, fmt.Errorf("a release is built from a git checkout: %w", err)
	}
	hash, seconds, _ := strings.Cut(out, " ")
	unix, err := strconv.ParseInt(seconds, 10, 64)
	if err != nil || len(hash) < 12 {
		return s, fmt.Errorf("git log -1 said %q", out)
	}
	s.commit, s.time = hash[:12], time.Unix(unix, 0).UTC()
	// As the go command decides vcs.modified: any change, untracked files
	// included, since an untracked .go file is built too.
	status, err := git(root, "status", "--porcelain")
	if err != nil {
		return s, err
	}
	if status != "" {
		s.dirty = true
		s.commit += "-dirty"
	}
	return s, nil
}

// describe is the version of a release built without -version: the
// nearest v* tag as git describes it (v1.2.3 on the tagged commit,
// v1.2.3-4-gabcdef123456 four commits later, -dirty with changes), or dev
// when no such tag is reachable.
func describe(root string) string {
	v, err := git(root, "describe", "--tags", "--match", "v[0-9]*", "--dirty")
	if err != nil {
		return "dev"
	}
	return v
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), commandError(err))
	}
	return strings.TrimSpace(string(out)), nil
}

// commandError adds what a failed command said on stderr to its error.
func commandError(err error) error {
	if exit, ok := errors.AsType[*exec.ExitError](err); ok && len(exit.Stderr) > 0 {
		return fmt.Errorf("%w: %s", err, strings.TrimSpace(string(exit.Stderr)))
	}
	return err
}

// licenseNames are the files that carry a license notice, if the
// repository has one.
var licenseNames = []string{"LICENSE", "LICENSE.md", "LICENSE.txt", "COPYING", "NOTICE"}

// files are what every archive holds besides the binary, named as in the
// archive: README.md, the license notice (none today), the shell completion
// scripts under completion/ (printed by a binary built in buildDir for this
// machine) and the man pages under man/man1/ when docs/man exists.
func (s source) files(buildDir string) ([]entry, error) {
	read := func(from, as string) (entry, error) {
		data, err := os.ReadFile(filepath.Join(s.root, from))
		return entry{name: as, mode: 0o644, data: data}, err
	}
	readme, err := read("README.md", "README.md")
	if err != nil {
		return nil, err
	}
	files := []entry{readme}
	for _, name := range licenseNames {
		switch e, err := read(name, name); {
		case err == nil:
			files = append(files, e)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
	}
	scripts, err := s.completionScripts(buildDir)
	if err != nil {
		return nil, err
	}
	files = append(files, scripts...)
	pages, err := filepath.Glob(filepath.Join(s.root, "docs", "man", "*.1"))
	if err != nil {
		return nil, err
	}
	if len(pages) > 0 {
		// The man1 level lets MANPATH point at the archive's man/.
		files = append(files, entry{name: "man/", mode: fs.ModeDir | 0o755}, entry{name: "man/man1/", mode: fs.ModeDir | 0o755})
	}
	for _, page := range pages {
		e, err := read(filepath.Join("docs", "man", filepath.Base(page)), "man/man1/"+filepath.Base(page))
		if err != nil {
			return nil, err
		}
		files = append(files, e)
	}
	return files, nil
}

// completionFiles name each shell's script in an archive's completion/
// directory, by the name its shell's own files have.
var completionFiles = []struct{ shell, name string }{
	{"bash", "baseten.bash"},
	{"zsh", "baseten.zsh"},
	{"fish", "baseten.fish"},
	{"powershell", "baseten.ps1"},
}

// completionScripts builds baseten for this machine (the scripts are the
// same text on every platform, and only this machine's binary can run here)
// and has it print each shell's script: the archives carry exactly what
// `baseten completion SHELL` prints, with no copy kept in the repository to
// go stale.
func (s source) completionScripts(buildDir string) ([]entry, error) {
	host := target{runtime.GOOS, runtime.GOARCH}
	binary := filepath.Join(buildDir, "host", host.binary())
	if err := s.build(host, binary); err != nil {
		return nil, err
	}
	defer os.RemoveAll(filepath.Dir(binary))
	scripts := []entry{{name: "completion/", mode: fs.ModeDir | 0o755}}
	for _, f := range completionFiles {
		cmd := exec.Command(binary, "completion", f.shell)
		// Nothing of the builder's environment: COMP_LINE there would
		// make the binary answer a completion instead.
		cmd.Env = []string{}
		script, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("baseten completion %s: %w", f.shell, commandError(err))
		}
		if len(script) == 0 {
			return nil, fmt.Errorf("baseten completion %s printed nothing", f.shell)
		}
		scripts = append(scripts, entry{name: "completion/" + f.name, mode: 0o644, data: script})
	}
	return scripts, nil
}

// build builds the binary for t at path.
func (s source) build(t target, path string) error {
	args := append([]string{"build"}, s.buildFlags()...)
	cmd := exec.Command("go", append(args, "-o", path, ".")...)
	cmd.Dir = s.root
	cmd.Env = s.buildEnv(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	return nil
}

// buildFlags are the release flags with this source's stamps, and
// -buildvcs=false: the commit is stamped already, and whether the go
// command records VCS details itself depends on the builder's GOFLAGS and
// on how the checkout was made (it records none in a git worktree), which
// would make the same commit build differently on two machines.
func (s source) buildFlags() []string {
	return append([]string{"-buildvcs=false"}, release.Stamp(s.version, s.commit)...)
}

// buildEnv is the environment of the build for t: the builder's own, the
// release environment, the target, and settings a builder may have changed
// pinned to the go command's defaults: the baseline CPU of each
// architecture (a binary for any machine, not the builder's), and GOFLAGS
// replaced, so that flags in the builder's environment or go env file
// (tags, -race, ...) cannot change what is released.
func (s source) buildEnv(t target) []string {
	env := append(os.Environ(), release.BuildEnv...)
	return append(env, "GOOS="+t.goos, "GOARCH="+t.goarch, "GOAMD64=v1", "GOARM64=v8.0", "GOFLAGS=-mod=readonly")
}

// archive builds the binary for t in buildDir and writes its archive into
// dir, with files beside the binary, all under one directory named like
// the archive. It returns the archive's file name.
func (s source) archive(t target, files []entry, buildDir, dir string) (string, error) {
	binary := filepath.Join(buildDir, t.goos+"_"+t.goarch, t.binary())
	if err := s.build(t, binary); err != nil {
		return "", err
	}
	data, err := os.ReadFile(binary)
	if err != nil {
		return "", err
	}
	if err := os.Remove(binary); err != nil {
		return "", err
	}

	top := fmt.Sprintf("baseten_%s_%s_%s", s.version, t.goos, t.goarch)
	entries := []entry{{name: top + "/", mode: fs.ModeDir | 0o755}, {name: top + "/" + t.binary(), mode: 0o755, data: data}}
	for _, f := range files {
		f.name = top + "/" + f.name
		entries = append(entries, f)
	}
	name := top + t.ext()
	out, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return "", err
	}
	write := writeTarGz
	if t.ext() == ".zip" {
		write = writeZip
	}
	err = write(out, entries, s.time)
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	return name, err
}

const sumsFile = "SHA256SUMS"

// writeSums writes SHA256SUMS in dir over the named files, in the format
// `sha256sum -c` (and `shasum -a 256 -c`) reads: the hex digest, two
// spaces, the file name; one line each, sorted by name.
func writeSums(dir string, names []string) error {
	names = slices.Sorted(slices.Values(names))
	var sums strings.Builder
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256(data), name)
	}
	return os.WriteFile(filepath.Join(dir, sumsFile), []byte(sums.String()), 0o644)
}
