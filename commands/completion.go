package commands

import (
	"io"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// CompletionCmd is `baseten completion`.
type CompletionCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"The shell to complete in: bash, zsh or fish."`
}

func (c *CompletionCmd) Help() string {
	return "Print a shell completion script. Loaded by the shell, it completes commands, flags and enum values, and live values the API knows: key names and prefixes, team IDs and names, stored credential labels. Live values use the key and remote a real run would, within 2 seconds, and nothing is completed without a key."
}

func (c *CompletionCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Print the bash script (load it with: source <(baseten completion bash))", Command: "baseten completion bash"},
			{Description: "Print the zsh script", Command: "baseten completion zsh"},
			{Description: "Print the fish script", Command: "baseten completion fish"},
		},
		TextOutput: "The script on stdout. It calls `baseten` on the PATH back with COMP_LINE set, which prints the candidates.",
	}
}

// completionScripts make the shell call baseten back with COMP_LINE set:
// for bash the fragment kongplete installs, printed instead of appended to
// a file the user did not name. zsh and fish quote candidates themselves,
// for the quote open where Tab is pressed, so their scripts say which shell
// asks and get them as text. (kongplete's zsh fragment goes through
// bashcompinit, which splits every candidate at spaces: a name with one
// came out in pieces.) The zsh script completes the value of --flag=value
// after the "=".
var completionScripts = map[string]string{
	"bash": "complete -C baseten baseten\n",
	"zsh": `_baseten() {
  local -a candidates
  candidates=(${(f)"$(COMP_LINE="${words[1,CURRENT-1]} $QIPREFIX$PREFIX" ` + schema.EnvCompletionShell + `=zsh baseten 2>/dev/null)"})
  if [[ $PREFIX == -*=* ]]; then
    IPREFIX+="${PREFIX%%=*}="
    PREFIX="${PREFIX#*=}"
  fi
  compadd -- $candidates
}
compdef _baseten baseten
`,
	"fish": `function __complete_baseten
    set -lx COMP_LINE (commandline -cp)
    set -lx ` + schema.EnvCompletionShell + ` fish
    test -z (commandline -ct)
    and set COMP_LINE "$COMP_LINE "
    baseten
end
complete -f -c baseten -a "(__complete_baseten)"
`,
}

func (c *CompletionCmd) Run(streams *render.IO) error {
	_, err := io.WriteString(streams.Out, completionScripts[c.Shell])
	return err
}
