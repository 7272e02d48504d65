// Command linked is the CLI's code in a program that exits at once: what
// starting a binary of this size, with these packages to initialise, costs
// before any command runs. The process benchmark (go run ./bench) reports
// it beside --version and --help to show how much of their time is that.
package main

import (
	"context"
	"os"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
)

func main() {
	// Never taken by the benchmark; it keeps the whole CLI linked in, as
	// the linker would drop code nothing can reach.
	if len(os.Args) > 1 && os.Args[1] == "run" {
		os.Exit(commands.Main(context.Background(), os.Args[2:], render.Stdio(), os.Getenv, os.Environ))
	}
}
