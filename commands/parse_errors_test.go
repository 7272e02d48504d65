package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// Every mistake Kong finds on the command line is said in the CLI's own
// words: one Error: line, a hint when there is something to do, then the
// usage block. No request is sent.
func TestParseErrorsInOurWords(t *testing.T) {
	a := newAPI(t, reply(500, "text/plain", "no request expected"))
	r := newRunner(a)
	for _, tc := range []struct {
		args        string
		error, hint string
		usage       string // the command whose usage follows
	}{
		{"org api-key create", "--type is required", "Give one of: personal, workspace-export-metrics, workspace-invoke, workspace-manage-all.", "org api-key create"},
		{"org api-key delete", "one of --name or --prefix is required", "", "org api-key delete"},
		{"org team describe --team-id", "--team-id needs a value", "Give it after the flag: --team-id TEXT.", "org team describe"},
		{"org team describe --team-id --verbose", "--team-id needs a value, not the flag --verbose", "A value that starts with - goes after an = sign: --team-id=VALUE.", "org team describe"},
		{"completion", "baseten completion needs a SHELL", "One of: bash, zsh, fish, powershell.", "completion"},
		{"completion tcsh", `SHELL must be one of bash, zsh, fish, powershell, not "tcsh"`, `Did you mean one of "bash", "zsh", "fish"?`, "completion"},
		{"completion powershel", `SHELL must be one of bash, zsh, fish, powershell, not "powershel"`, `Did you mean "powershell"?`, "completion"},
		{"sandbox exec", "baseten sandbox exec needs a COMMAND", "", "sandbox exec"},
		{"nosuch", `unknown command "nosuch" for baseten`, "", ""},
		{"help nosuch", `unknown command "nosuch" for baseten`, "", ""},
		{"orgg", `unknown command "orgg" for baseten`, `Did you mean "org"?`, ""},
		{"environment", `unknown command "environment" for baseten`, "It is a help topic: run 'baseten help environment'.", ""},
		{"help orgg", `unknown command "orgg" for baseten`, `Did you mean "org"?`, ""},
		{"org api-key revoke", `unknown command "revoke" for baseten org api-key`, "", "org api-key"},
		{"help org api-key lst", `unknown command "lst" for baseten org api-key`, `Did you mean "list"?`, "org api-key"},
		{"org api-key list extra", `baseten org api-key list takes no arguments, not "extra"`, "", "org api-key list"},
		{"org api-key delete --nmae x", "unknown flag --nmae for baseten org api-key delete", `Did you mean "--name"?`, "org api-key delete"},
		{"org api-key list -x", "unknown flag -x for baseten org api-key list", "", "org api-key list"},
		// A flag before the command it belongs to: the line to type instead.
		{"-o json org api-key list", "flags go after the command: baseten org api-key list -o json", "", "org api-key list"},
		{"--verbose org -q .keys api-key list", "flags go after the command: baseten org api-key list --verbose -q .keys", "", "org api-key list"},
		{"--remote-url=http://127.0.0.1:1 org team list -o jsonl", "flags go after the command: baseten org team list --remote-url=http://127.0.0.1:1 -o jsonl", "", "org team list"},
		// Moving the flags would not help a line with an unknown one too.
		{"--verbose org api-key list --nosuch", "unknown flag --verbose for baseten", "", ""},
		// --version is the root's alone: refused after a command, as no
		// command's help lists it.
		{"org api-key list --version", "--version is a flag of baseten itself, not of baseten org api-key list", "Run 'baseten --version' to print the version.", "org api-key list"},
		{"org --version", "--version is a flag of baseten itself, not of baseten org", "Run 'baseten --version' to print the version.", "org"},
	} {
		t.Run(tc.args, func(t *testing.T) {
			got := r.run(strings.Fields(tc.args)...)
			want := "Error: " + tc.error + "\n"
			if tc.hint != "" {
				want += tc.hint + "\n"
			}
			name := strings.TrimSpace("baseten " + tc.usage)
			want += "Usage: "
			assert.Assert(t, strings.HasPrefix(got.Stderr, want), "got:\n%s\nwant it to start:\n%s", got.Stderr, want)
			assert.Assert(t, strings.HasSuffix(got.Stderr, "Run '"+name+" --help' for more information.\n"), got.Stderr)
			assert.Equal(t, got.Stdout, "")
			assert.Equal(t, got.Code, 2)
		})
	}
	assert.DeepEqual(t, a.Requests(), []string{})
	// At the root, --version prints the version.
	assert.Equal(t, r.run("--version").Code, 0)
}
