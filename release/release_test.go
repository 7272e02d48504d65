package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// Building the same source twice gives byte-identical archives, which hold
// what they should, stamped, with nothing of the machine that built them.
// It builds the host's target, so the binary it unpacks can also be run.
func TestArchiveIsReproducible(t *testing.T) {
	root, err := moduleRoot()
	assert.NilError(t, err)
	src := source{root: root, version: "v1.2.3-test.1", commit: "0123456789ab", time: time.Date(2025, 1, 2, 15, 4, 5, 0, time.UTC)}
	files, err := src.files(t.TempDir())
	assert.NilError(t, err)
	host := target{runtime.GOOS, runtime.GOARCH}
	if !slices.Contains(targets, host) {
		host = target{"linux", "amd64"} // built and checked, but not run
	}
	build := func() (name string, data []byte) {
		dir := t.TempDir()
		name, err := src.archive(host, files, dir, dir)
		assert.NilError(t, err)
		data, err = os.ReadFile(filepath.Join(dir, name))
		assert.NilError(t, err)
		return name, data
	}
	name, first := build()
	_, second := build()
	assert.Assert(t, bytes.Equal(first, second), "two builds of %s differ", name)

	top := "baseten_v1.2.3-test.1_" + host.goos + "_" + host.goarch
	assert.Equal(t, name, top+host.ext())
	entries := readArchive(t, host, first, src.time)
	var names []string
	for _, e := range entries {
		names = append(names, e.name)
	}
	assert.Assert(t, slices.IsSorted(names), "entries in order: %v", names)
	assert.Assert(t, is.Contains(names, top+"/README.md"))
	binary := entries[slices.Index(names, top+"/"+host.binary())]
	assert.Equal(t, binary.mode.Perm(), fs.FileMode(0o755))
	// Every shell's completion script, as the binary prints it.
	for _, f := range completionFiles {
		i := slices.Index(names, top+"/completion/"+f.name)
		assert.Assert(t, i >= 0, "no completion script for %s: %v", f.shell, names)
		assert.Equal(t, entries[i].mode.Perm(), fs.FileMode(0o644))
		want, err := exec.Command("go", "run", root, "completion", f.shell).Output()
		assert.NilError(t, err)
		assert.Equal(t, string(entries[i].data), string(want), f.shell)
	}
	if pages, _ := filepath.Glob(filepath.Join(root, "docs", "man", "*.1")); len(pages) > 0 {
		assert.Assert(t, is.Contains(names, top+"/man/man1/baseten.1"))
	}

	// -trimpath at work: where the source and the module cache were is
	// nowhere in the binary.
	modCache, err := goEnv(root, "GOMODCACHE")
	assert.NilError(t, err)
	for _, dir := range []string{root, modCache} {
		assert.Assert(t, !bytes.Contains(binary.data, []byte(dir)), "the binary holds %s", dir)
	}

	if host.goos != runtime.GOOS || host.goarch != runtime.GOARCH {
		t.Skipf("built for %s, cannot run it here", host)
	}
	exe := filepath.Join(t.TempDir(), host.binary())
	assert.NilError(t, os.WriteFile(exe, binary.data, 0o755))
	want := regexp.MustCompile(`^baseten v1\.2\.3-test\.1 \(0123456789ab, go1\.\d+[^)]*\)\n$`)
	var outputs []string
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, err := exec.Command(exe, args...).Output()
		assert.NilError(t, err)
		assert.Assert(t, want.Match(out), "%s %s: %q", host.binary(), args[0], out)
		outputs = append(outputs, string(out))
	}
	assert.Equal(t, outputs[0], outputs[1], "the fast path and the command print the same")
}

// readArchive returns the entries of a release archive, after checking that
// each has the fixed time, owner and format the release writes.
func readArchive(t *testing.T, target target, data []byte, mtime time.Time) []entry {
	t.Helper()
	var entries []entry
	if target.ext() == ".zip" {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		assert.NilError(t, err)
		for _, f := range zr.File {
			assert.Assert(t, f.Modified.Equal(mtime), "%s: %v", f.Name, f.Modified)
			rc, err := f.Open()
			assert.NilError(t, err)
			content, err := io.ReadAll(rc)
			assert.NilError(t, err)
			entries = append(entries, entry{name: f.Name, mode: f.Mode(), data: content})
		}
		return entries
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	assert.NilError(t, err)
	assert.Equal(t, gz.Name, "")
	assert.Assert(t, gz.ModTime.IsZero(), "gzip mtime %v", gz.ModTime)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		assert.NilError(t, err)
		assert.Assert(t, h.ModTime.Equal(mtime), "%s: %v", h.Name, h.ModTime)
		assert.Equal(t, h.Uid, 0)
		assert.Equal(t, h.Gid, 0)
		assert.Equal(t, h.Uname, "")
		assert.Equal(t, h.Gname, "")
		assert.Equal(t, h.Format, tar.FormatUSTAR, h.Name)
		content, err := io.ReadAll(tr)
		assert.NilError(t, err)
		entries = append(entries, entry{name: h.Name, mode: h.FileInfo().Mode(), data: content})
	}
	return entries
}

// The writers' output depends on the entries and the instant only: not on
// the order entries come in, nor on the time zone the instant is given in.
func TestWritersAreDeterministic(t *testing.T) {
	entries := []entry{
		{name: "b/", mode: fs.ModeDir | 0o755},
		{name: "b/tool", mode: 0o755, data: []byte("#!/bin/sh\n")},
		{name: "a.txt", mode: 0o644, data: []byte("hello\n")},
	}
	reversed := slices.Clone(entries)
	slices.Reverse(reversed)
	utc := time.Date(2025, 1, 2, 15, 4, 5, 0, time.UTC)
	elsewhere := utc.In(time.FixedZone("UTC+9", 9*60*60))
	for _, write := range []func(io.Writer, []entry, time.Time) error{writeTarGz, writeZip} {
		var a, b bytes.Buffer
		assert.NilError(t, write(&a, entries, utc))
		assert.NilError(t, write(&b, reversed, elsewhere))
		assert.Assert(t, bytes.Equal(a.Bytes(), b.Bytes()))
	}
	var zipped bytes.Buffer
	assert.NilError(t, writeZip(&zipped, entries, utc))
	got := readArchive(t, target{"windows", "amd64"}, zipped.Bytes(), utc)
	assert.Equal(t, len(got), 3)
	assert.Equal(t, got[0].name, "a.txt")
	assert.Equal(t, got[1].mode, fs.ModeDir|0o755)
	assert.Equal(t, got[2].mode, fs.FileMode(0o755), "unzip on Unix keeps the binary executable")
}

// SHA256SUMS is in the format sha256sum -c reads.
func TestSums(t *testing.T) {
	dir := t.TempDir()
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "b.zip"), []byte("b"), 0o644))
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "a.tar.gz"), []byte("a"), 0o644))
	assert.NilError(t, writeSums(dir, []string{"b.zip", "a.tar.gz"}))
	sums, err := os.ReadFile(filepath.Join(dir, sumsFile))
	assert.NilError(t, err)
	assert.Equal(t, string(sums), ""+
		"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  a.tar.gz\n"+
		"3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  b.zip\n")
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", sumsFile)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		assert.NilError(t, err, "%s", out)
	}
}

func TestValidVersion(t *testing.T) {
	for _, v := range []string{"dev", "v1.2.3", "v0.1.0-rc.1", "v1.2.3-4-gabcdef123456-dirty", "v1.2.3+build.5"} {
		assert.Assert(t, validVersion.MatchString(v), v)
	}
	for _, v := range []string{"", "1.2.3", "v1.2", "latest", "v1.2.3 -X x=y", "v1.2.3/../../x", "v1.2.3-"} {
		assert.Assert(t, !validVersion.MatchString(v), v)
	}
}
