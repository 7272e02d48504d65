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

// committedDocs is the generated reference as committed (tests run in docgen/).
var committedDocs = filepath.Join("..", defaultDir)

// The committed pages are exactly what the command definitions render: a
// help string changed without regenerating the docs fails here.
func TestCommittedDocsAreFresh(t *testing.T) {
	problems, err := Check(committedDocs, pagesOf(t, describe(t)))
	assert.NilError(t, err)
	for _, p := range problems {
		t.Errorf("%s: %s (run: go run ./docgen)", p.Kind, p.Path)
	}
}

// Generating into an empty directory gives the same files as committed.
func TestGenerateIntoTempDirMatchesCommitted(t *testing.T) {
	dir := t.TempDir()
	_, err := Write(dir, pagesOf(t, describe(t)))
	assert.NilError(t, err)
	assert.DeepEqual(t, readDir(t, dir), readDir(t, committedDocs))
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
func TestRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cli")
	runDocgen := func(args ...string) (code int, stdout, stderr string) {
		var out, errOut bytes.Buffer
		code = run(args, &out, &errOut)
		return code, out.String(), errOut.String()
	}

	code, stdout, stderr := runDocgen("-check", "-dir", dir)
	assert.Equal(t, code, 1)
	assert.Equal(t, stdout, "")
	regenerate := " (run: go run ./docgen -dir " + dir + ")\n"
	// The pages are those of the committed docs: one a group, plus the
	// overview (their names are pinned by TestOnePagePerGroupAndTopLevelLeaf).
	committed, err := filepath.Glob("../docs/reference/cli/baseten/*.mdx")
	assert.NilError(t, err)
	var missing, wrote strings.Builder
	for _, page := range committed {
		missing.WriteString("missing: " + filepath.Join(dir, filepath.Base(page)) + regenerate)
		wrote.WriteString("wrote " + filepath.Join(dir, filepath.Base(page)) + "\n")
	}
	upToDate := fmt.Sprintf("docgen: %s is up to date (%d pages)\n", dir, len(committed))
	assert.Equal(t, stderr, missing.String())

	code, stdout, stderr = runDocgen("-dir", dir)
	assert.Equal(t, code, 0, stderr)
	assert.Equal(t, stdout, wrote.String()+upToDate)

	code, stdout, stderr = runDocgen("-dir", dir, "-check")
	assert.Equal(t, code, 0, stderr)
	assert.Equal(t, stdout, upToDate)

	assert.NilError(t, os.WriteFile(filepath.Join(dir, "version.mdx"), []byte("edited\n"), 0o644))
	assert.NilError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine\n"), 0o644))
	code, _, stderr = runDocgen("-check", "-dir", dir)
	assert.Equal(t, code, 1)
	assert.Equal(t, stderr, "extra: "+filepath.Join(dir, "notes.txt")+regenerate+
		"stale: "+filepath.Join(dir, "version.mdx")+regenerate)

	code, stdout, _ = runDocgen("-dir", dir)
	assert.Equal(t, code, 0)
	assert.Equal(t, stdout, "removed "+filepath.Join(dir, "notes.txt")+"\n"+
		"wrote "+filepath.Join(dir, "version.mdx")+"\n"+upToDate)

	// Usage errors: one line on stderr, exit 2.
	code, _, stderr = runDocgen("-chek")
	assert.Equal(t, code, 2)
	assert.Equal(t, stderr, "docgen: flag provided but not defined: -chek (usage: go run ./docgen [-check] [-dir DIR])\n")
	code, _, stderr = runDocgen("-dir", dir, "extra")
	assert.Equal(t, code, 2)
	assert.Equal(t, stderr, "docgen: unexpected argument \"extra\" (usage: go run ./docgen [-check] [-dir DIR])\n")

	// The default directory is relative to the repository root; docgen/ has
	// no go.mod, so running here must not write docgen/docs/.
	code, _, stderr = runDocgen()
	assert.Equal(t, code, 1)
	assert.Equal(t, stderr, "docgen: run from the repository root (no go.mod here), or pass -dir\n")
	_, err = os.Stat("docs")
	assert.Check(t, os.IsNotExist(err))

	// A failure is one line too.
	code, _, stderr = runDocgen("-check", "-dir", filepath.Join(dir, "version.mdx"))
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
