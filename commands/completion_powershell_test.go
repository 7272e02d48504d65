package commands_test

import (
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

// `completion powershell` prints a native argument completer that calls
// baseten back as the other scripts do, saying which shell asks.
// (PowerShell itself is not on the machines the tests run on; what the
// script is handed back is tested below.)
func TestPowerShellCompletionScript(t *testing.T) {
	got := newRunner(nil).run("completion", "powershell")
	assert.Equal(t, got.Code, 0)
	assert.Equal(t, got.Stderr, "")
	for _, want := range []string{
		"Register-ArgumentCompleter -Native -CommandName baseten, baseten.exe -ScriptBlock {\n",
		"$env:COMP_LINE = $line\n",
		"$env:BASETEN_COMPLETE_SHELL = 'powershell'\n",
		"$candidates = @(& baseten 2>$null)\n",
		// the variables are restored: $env: changes outlive the call
		"$env:COMP_LINE = $saved[0]\n",
		"$candidate, $note = $answer -split '\\t', 2\n",
		"[System.Management.Automation.CompletionResult]::new($text, $candidate, 'ParameterValue', $tip)\n",
	} {
		assert.Assert(t, is.Contains(got.Stdout, want))
	}
}

// For PowerShell, candidates come back as text (the script quotes them),
// and the value of --flag=value comes back with its flag, since PowerShell
// replaces the whole word typed.
func TestPowerShellCompletionCandidates(t *testing.T) {
	a, sb := sandboxAPI(t, sandbox.Options{})
	assert.NilError(t, sb.AddKeys(sandbox.SeedKey{Prefix: "bbbb2222", Name: strptr("my ci key")}))
	r := newRunner(a)
	r.env["BASETEN_COMPLETE_SHELL"] = "powershell"
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --name m")), []string{"my ci key"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten org api-key delete --name=m")), []string{"--name=my ci key"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten completion p")), []string{"powershell"})
}
