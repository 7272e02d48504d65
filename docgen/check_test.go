package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// committedOutputs are the generated reference and man pages as committed
// (tests run in docgen/), with what they must hold.
func committedOutputs(t *testing.T) []output {
	root := describe(t)
	return []output{
		{filepath.Join("..", defaultDir), pagesOf(t, root)},
		{filepath.Join("..", defaultManDir), manPagesOf(t, root)},
	}
}

// The committed pages are exactly what the command definitions render: a
// help string changed without regenerating the docs fails here.
func TestCommittedDocsAreFresh(t *testing.T) {
	for _, out := range committedOutputs(t) {
		problems, err := Check(out.dir, out.pages)
		assert.NilError(t, err)
		for _, p := range problems {
			t.Errorf("%s: %s (run: go run ./docgen)", p.Kind, p.Path)
		}
	}
}

// Generating into an empty directory gives the same files as committed.
func TestGenerateIntoTempDirMatchesCommitted(t *testing.T) {
	for _, out := range committedOutputs(t) {
		dir := t.TempDir()
		_, err := Write(dir, out.pages)
		assert.NilError(t, err)
		assert.DeepEqual(t, readDir(t, dir), readDir(t, out.dir))
	}
}

var testPages = map[string][]byte{
	"a.mdx":        []byte("A\n"),
	"b.mdx":        []byte("B\n"),
	"c.mdx":        []byte("C\n"),
	"overview.mdx": []byte("O\n"),
}

func TestCheckReportsMissingStaleAndExtra(t *testing.T) {
	dir := t.TempDir()
	_, err := Write(dir, testPages)
	assert.NilError(t, err)

	problems, err := Check(dir, testPages)
	assert.NilError(t, err)
	assert.Check(t, is.Len(problems, 0))

	assert.NilError(t, os.Remove(filepath.Join(dir, "a.mdx")))
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "b.mdx"), []byte("B, edited by hand\n"), 0o644))
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "old.mdx"), []byte("a removed command\n"), 0o644))
	assert.NilError(t, os.Mkdir(filepath.Join(dir, "images"), 0o755))

	problems, err = Check(dir, testPages)
	assert.NilError(t, err)
	assert.DeepEqual(t, problems, []Problem{
		{Kind: Missing, Name: "a.mdx", Path: filepath.Join(dir, "a.mdx")},
		{Kind: Stale, Name: "b.mdx", Path: filepath.Join(dir, "b.mdx")},
		{Kind: Extra, Name: "images", Path: filepath.Join(dir, "images")},
		{Kind: Extra, Name: "old.mdx", Path: filepath.Join(dir, "old.mdx")},
	})

	// Write removes files it did not render, but not a directory.
	_, err = Write(dir, testPages)
	assert.ErrorContains(t, err, "images is a directory, not a page; remove it by hand")
	assert.NilError(t, os.Remove(filepath.Join(dir, "images")))
	fixed, err := Write(dir, testPages)
	assert.NilError(t, err)
	assert.Check(t, is.Len(fixed, 3))
	assert.DeepEqual(t, readDir(t, dir), map[string]string{"a.mdx": "A\n", "b.mdx": "B\n", "c.mdx": "C\n", "overview.mdx": "O\n"})
}

func TestCheckOfMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not", "yet")
	problems, err := Check(dir, testPages)
	assert.NilError(t, err)
	assert.Equal(t, len(problems), 4)
	for _, p := range problems {
		assert.Check(t, is.Equal(p.Kind, Missing))
	}
}

func TestCheckOfAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	assert.NilError(t, os.WriteFile(file, nil, 0o644))
	_, err := Check(file, testPages)
	assert.ErrorContains(t, err, "not a directory")
}

// The program itself: what it prints and its exit codes.
// committedNames are the names of the committed files pattern matches, sorted.
func committedNames(t *testing.T, pattern string) []string {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	assert.NilError(t, err)
	assert.Assert(t, len(paths) > 0, pattern)
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	return names
}

func TestRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cli")
	man := filepath.Join(t.TempDir(), "man")
	runDocgen := func(args ...string) (code int, stdout, stderr string) {
		var out, errOut bytes.Buffer
		code = run(args, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	// The pages are those committed (their names are pinned by
	// TestOnePagePerGroupAndTopLevelLeaf and the man page tests).
	mdxPages, manPages := committedNames(t, "../docs/reference/cli/baseten/*.mdx"), committedNames(t, "../docs/man/*.1")
	// lines is one line per page: prefix, the page's path, suffix.
	lines := func(prefix, dir string, names []string, suffix string) string {
		var b strings.Builder
		for _, name := range names {
			b.WriteString(prefix + filepath.Join(dir, name) + suffix + "\n")
		}
		return b.String()
	}
	upToDate := fmt.Sprintf("docgen: %s is up to date (%d pages)\ndocgen: %s is up to date (%d pages)\n", dir, len(mdxPages), man, len(manPages))

	code, stdout, stderr := runDocgen("-check", "-dir", dir, "-man-dir", man)
	assert.Equal(t, code, 1)
	assert.Equal(t, stdout, "")
	regenerate := " (run: go run ./docgen -dir " + dir + " -man-dir " + man + ")"
	assert.Equal(t, stderr, lines("missing: ", dir, mdxPages, regenerate)+lines("missing: ", man, manPages, regenerate))

	code, stdout, stderr = runDocgen("-dir", dir, "-man-dir", man)
	assert.Equal(t, code, 0, stderr)
	assert.Equal(t, stdout, lines("wrote ", dir, mdxPages, "")+lines("wrote ", man, manPages, "")+upToDate)

	code, stdout, stderr = runDocgen("-man-dir", man, "-dir", dir, "-check")
	assert.Equal(t, code, 0, stderr)
	assert.Equal(t, stdout, upToDate)

	// Both directories are checked, and fixed, the same way.
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "version.mdx"), []byte("edited\n"), 0o644))
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine\n"), 0o644))
	assert.NilError(t, os.Remove(filepath.Join(man, "baseten-org.1")))
	assert.NilError(t, os.WriteFile(filepath.Join(man, "baseten.1"), []byte(".TH EDITED 1\n"), 0o644))
	assert.NilError(t, os.WriteFile(filepath.Join(man, "baseten-gone.1"), []byte(".TH GONE 1\n"), 0o644))
	code, stdout, stderr = runDocgen("-check", "-dir", dir, "-man-dir", man)
	assert.Equal(t, code, 1)
	assert.Equal(t, stdout, "")
	assert.Equal(t, stderr, "extra: "+filepath.Join(dir, "notes.txt")+regenerate+"\n"+
		"stale: "+filepath.Join(dir, "version.mdx")+regenerate+"\n"+
		"extra: "+filepath.Join(man, "baseten-gone.1")+regenerate+"\n"+
		"missing: "+filepath.Join(man, "baseten-org.1")+regenerate+"\n"+
		"stale: "+filepath.Join(man, "baseten.1")+regenerate+"\n")

	code, stdout, _ = runDocgen("-dir", dir, "-man-dir", man)
	assert.Equal(t, code, 0)
	assert.Equal(t, stdout, "removed "+filepath.Join(dir, "notes.txt")+"\n"+
		"wrote "+filepath.Join(dir, "version.mdx")+"\n"+
		"removed "+filepath.Join(man, "baseten-gone.1")+"\n"+
		"wrote "+filepath.Join(man, "baseten-org.1")+"\n"+
		"wrote "+filepath.Join(man, "baseten.1")+"\n"+
		upToDate)

	// Usage errors: one line on stderr, exit 2.
	code, _, stderr = runDocgen("-chek")
	assert.Equal(t, code, 2)
	assert.Equal(t, stderr, "docgen: flag provided but not defined: -chek (usage: go run ./docgen [-check] [-dir DIR] [-man-dir DIR])\n")
	code, _, stderr = runDocgen("-dir", dir, "extra")
	assert.Equal(t, code, 2)
	assert.Equal(t, stderr, "docgen: unexpected argument \"extra\" (usage: go run ./docgen [-check] [-dir DIR] [-man-dir DIR])\n")
	// One directory for both kinds would make each the other's extra files.
	code, _, stderr = runDocgen("-dir", dir, "-man-dir", dir+"/")
	assert.Equal(t, code, 2)
	assert.Equal(t, stderr, "docgen: -dir and -man-dir are both "+dir+"; the MDX pages and the man pages need a directory each\n")

	// The default directories are relative to the repository root; docgen/
	// has no go.mod, so running here must not write docgen/docs/.
	for _, args := range [][]string{nil, {"-dir", dir}, {"-man-dir", man}} {
		code, _, stderr = runDocgen(args...)
		assert.Equal(t, code, 1)
		assert.Equal(t, stderr, "docgen: run from the repository root (no go.mod here), or pass -dir and -man-dir\n")
	}
	_, err := os.Stat("docs")
	assert.Check(t, os.IsNotExist(err))

	// A failure is one line too.
	code, _, stderr = runDocgen("-check", "-dir", filepath.Join(dir, "version.mdx"), "-man-dir", man)
	assert.Equal(t, code, 1)
	assert.Equal(t, stderr, "docgen: open "+filepath.Join(dir, "version.mdx")+": not a directory\n")
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	assert.NilError(t, err)
	files := map[string]string{}
	for _, e := range entries {
		content, err := os.ReadFile(filepath.Join(dir, e.Name()))
		assert.NilError(t, err)
		files[e.Name()] = string(content)
	}
	return files
}
