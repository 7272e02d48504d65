package e2e_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// installSteps reads the install steps out of `baseten completion --help`:
// each paragraph that ends in ":" and the lines of commands after it,
// keyed by the paragraph's first word (the shell).
func installSteps(t *testing.T) map[string][][]string {
	t.Helper()
	out, err := exec.Command(binary, "completion", "--help").Output()
	assert.NilError(t, err)
	description, _, _ := strings.Cut(string(out), "\nCommon flags:")
	steps := map[string][][]string{}
	var paragraph string
	var block []string
	afterBlank := true
	flush := func() {
		if len(block) > 0 && strings.HasSuffix(paragraph, ":") {
			shell, _, _ := strings.Cut(paragraph, " ")
			shell = strings.TrimSuffix(shell, ":")
			steps[shell] = append(steps[shell], block)
		}
		block = nil
	}
	for _, line := range strings.Split(description, "\n") {
		switch {
		case strings.HasPrefix(line, "  "):
			block = append(block, strings.TrimPrefix(line, "  "))
		case line == "":
			flush()
		case afterBlank:
			paragraph = line
		default:
			paragraph += " " + line
		}
		afterBlank = line == ""
	}
	flush()
	return steps
}

// Every install step in `completion --help` works on a fresh machine: run
// as written by sh, in a home directory with nothing in it, it leaves a
// shell that completes baseten (checked in each shell that is installed
// here). The README shows the same commands.
func TestCompletionInstallStepsWorkOnAFreshMachine(t *testing.T) {
	steps := installSteps(t)
	assert.Equal(t, len(steps["bash"]), 2, "with and without bash-completion: %v", steps)
	for _, shell := range []string{"zsh", "fish", "PowerShell"} {
		assert.Equal(t, len(steps[shell]), 1, "%s: %v", shell, steps)
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	assert.NilError(t, err)
	for _, blocks := range steps {
		for _, block := range blocks {
			for _, line := range block {
				assert.Assert(t, is.Contains(string(readme), "\n"+line+"\n"), "the README and completion --help differ")
			}
		}
	}

	// run runs lines in sh, or a shell's command, with HOME an empty
	// directory and only the built baseten and the system's tools on PATH.
	path := filepath.Dir(binary) + ":/usr/local/bin:/usr/bin:/bin"
	shell := func(t *testing.T, home string, args ...string) string {
		t.Helper()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = []string{"HOME=" + home, "PATH=" + path}
		cmd.Dir = home
		out, err := cmd.CombinedOutput()
		assert.NilError(t, err, "%s: %s", args, out)
		return string(out)
	}
	install := func(t *testing.T, block []string) string {
		home := t.TempDir()
		shell(t, home, "sh", "-ec", strings.Join(block, "\n"))
		return home
	}
	has := func(t *testing.T, name string) {
		if _, err := exec.LookPath(name); err != nil {
			t.Skipf("%s is not installed", name)
		}
	}

	t.Run("bash-completion", func(t *testing.T) {
		home := install(t, steps["bash"][0])
		script, err := os.ReadFile(filepath.Join(home, ".local/share/bash-completion/completions/baseten"))
		assert.NilError(t, err)
		assert.Equal(t, string(script), "complete -C baseten baseten\n")
		loader := "/usr/share/bash-completion/bash_completion"
		if _, err := os.Stat(loader); err != nil {
			t.Skip("the bash-completion package is not installed")
		}
		// The package's loader finds the script when Tab is first pressed
		// after baseten.
		got := shell(t, home, "bash", "-c", ". "+loader+" && _completion_loader baseten; complete -p baseten")
		assert.Equal(t, got, "complete -C 'baseten' baseten\n")
	})
	t.Run("bashrc", func(t *testing.T) {
		has(t, "bash")
		home := install(t, steps["bash"][1])
		got := shell(t, home, "bash", "-c", ". ~/.bashrc; complete -p baseten")
		assert.Equal(t, got, "complete -C 'baseten' baseten\n")
	})
	t.Run("zsh", func(t *testing.T) {
		has(t, "zsh")
		home := install(t, steps["zsh"][0])
		// A ~/.zshrc with nothing else in it: no compinit before the script.
		got := shell(t, home, "zsh", "-c", "source ~/.zshrc; print -r -- ${_comps[baseten]}")
		assert.Equal(t, got, "_baseten\n")
	})
	t.Run("fish", func(t *testing.T) {
		has(t, "fish")
		home := install(t, steps["fish"][0])
		got := shell(t, home, "fish", "-c", "complete --do-complete 'baseten compl'")
		assert.Equal(t, got, "completion\n")
	})
}
