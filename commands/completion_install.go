package commands

import (
	"strings"

	"github.com/basetenlabs/baseten/schema"
)

// completionInstall says how to load each shell's script in every new
// shell. Each step works on a fresh machine: it creates the directory it
// writes into, and says what it needs. The README shows the same lines
// (a test keeps them equal), and a test runs the POSIX-shell ones against
// an empty home directory.
var completionInstall = []struct {
	how   string   // which shell, and what the step needs
	lines []string // commands, one a line
}{
	{
		"bash with the bash-completion package (version 2: apt install bash-completion, dnf install bash-completion; on macOS brew install bash-completion@2), which loads the script the first time you press Tab after baseten:",
		[]string{
			"mkdir -p ~/.local/share/bash-completion/completions",
			"baseten completion bash > ~/.local/share/bash-completion/completions/baseten",
		},
	},
	{
		"bash without that package: load the script from ~/.bashrc:",
		[]string{`echo 'eval "$(baseten completion bash)"' >> ~/.bashrc`},
	},
	{
		"zsh: load the script from ~/.zshrc (it runs compinit itself when nothing before it has):",
		[]string{`echo 'eval "$(baseten completion zsh)"' >> ~/.zshrc`},
	},
	{
		"fish:",
		[]string{
			"mkdir -p ~/.config/fish/completions",
			"baseten completion fish > ~/.config/fish/completions/baseten.fish",
		},
	},
	{
		"PowerShell: load the script from your profile:",
		[]string{
			"New-Item -ItemType Directory -Force (Split-Path $PROFILE) | Out-Null",
			"$line = 'baseten completion powershell | Out-String | Invoke-Expression'",
			"Add-Content $PROFILE $line",
		},
	},
}

// completionInstallHelp is the part of `completion --help` that says how to
// install: paragraphs, and the commands as code blocks (schema.Blocks).
func completionInstallHelp() string {
	var b strings.Builder
	b.WriteString("To complete in every new shell, install the script once (then open a new shell). The script runs the baseten it finds on your PATH.")
	for _, step := range completionInstall {
		b.WriteString("\n\n" + step.how + "\n\n")
		for i, l := range step.lines {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString("    " + l)
		}
	}
	return b.String()
}

// completionProtocolHelp names the variables the shell sets when it asks
// for candidates: here and in `baseten help environment` only, since
// nobody sets them by hand.
const completionProtocolHelp = "When you press Tab, the shell runs baseten with " + schema.EnvCompletionLine +
	" set to the line typed and " + schema.EnvCompletionPoint + " to the cursor's position in it, and the zsh, fish and PowerShell scripts also set " +
	schema.EnvCompletionShell + ". baseten then prints the candidates, one a line, and does nothing else. The shell sets these variables; you never do."
