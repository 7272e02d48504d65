package e2e_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/commands"
)

// readmeBlock returns the first ```sh block of the README after the line
// that contains marker.
func readmeBlock(t *testing.T, marker string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	assert.NilError(t, err)
	_, rest, found := strings.Cut(string(readme), marker)
	assert.Assert(t, found, "the README has no %q", marker)
	_, rest, found = strings.Cut(rest, "```sh\n")
	assert.Assert(t, found, "no sh block after %q", marker)
	block, _, _ := strings.Cut(rest, "\n```")
	return block
}

// Someone who installed a release archive (no clone, no Go) gets a try-it
// line first in the install section: the installed binary's own
// `sandbox exec` example, which TestEveryExampleRuns runs.
func TestReadmeInstallStartsWithTheExecExample(t *testing.T) {
	root, err := commands.Describe()
	assert.NilError(t, err)
	example := root.Find("sandbox", "exec").Examples[0].Command
	assert.Equal(t, readmeBlock(t, "\n## Install\n"), example)
}

// The README's recipe for a sandbox in the background runs as written,
// twice in a row in one directory: the second run must not read the
// first run's lines and source a port nothing listens on any more.
func TestReadmeBackgroundSandboxRecipe(t *testing.T) {
	recipe := readmeBlock(t, "Or keep a sandbox running and point any shell at it:")
	dir := t.TempDir()
	for run := 1; run <= 2; run++ {
		// wait: the sandbox has exited (and saved) before the next run.
		cmd := exec.Command("sh", "-ec", recipe+"\nwait")
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + filepath.Dir(binary) + ":/usr/bin:/bin", "HOME=" + dir, "BASETEN_CONFIG_DIR=" + filepath.Join(dir, "config")}
		out, err := cmd.Output()
		assert.NilError(t, err, "run %d: %s", run, out)
		assert.Assert(t, is.Contains(string(out), "sandbox-admin"), "run %d: the key table: %s", run, out)
	}
}
