// Command docgen writes the CLI reference pages (MDX for the docs site) from
// the same command definitions that parse the command line, so the docs
// cannot drift from the binary.
//
//	go run ./docgen          regenerate docs/reference/cli/baseten
//	go run ./docgen -check   change nothing; exit 1 naming every page that
//	                         is missing, stale or extra
//
// The work is done by Pages (pages.go), Check and Write (check.go); this
// file only handles flags and prints.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/basetenlabs/baseten/commands"
)

const defaultDir = "docs/reference/cli/baseten"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is the whole program, with its streams passed in for tests. It
// returns 0 when the pages are (now) fresh, 1 when -check finds problems or
// something fails, and 2 on a usage error.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("docgen", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // the flag package's own messages span lines
	check := flags.Bool("check", false, "write nothing; exit 1 naming every page that is missing, stale or extra")
	dir := flags.String("dir", defaultDir, "output directory")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: go run ./docgen [-check] [-dir DIR]")
			flags.SetOutput(stdout)
			flags.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "docgen: %v (usage: go run ./docgen [-check] [-dir DIR])\n", err)
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "docgen: unexpected argument %q (usage: go run ./docgen [-check] [-dir DIR])\n", flags.Arg(0))
		return 2
	}
	// The default directory is relative to the repository root; run from
	// anywhere else it would quietly create a second docs tree.
	if *dir == defaultDir {
		if _, err := os.Stat("go.mod"); err != nil {
			fmt.Fprintln(stderr, "docgen: run from the repository root (no go.mod here), or pass -dir")
			return 1
		}
	}

	root, err := commands.Describe()
	if err != nil {
		fmt.Fprintf(stderr, "docgen: describing the commands: %v\n", err)
		return 1
	}
	pages, err := Pages(root)
	if err != nil {
		fmt.Fprintf(stderr, "docgen: %v\n", err)
		return 1
	}

	regenerate := "go run ./docgen"
	if *dir != defaultDir {
		regenerate += " -dir " + *dir
	}
	if *check {
		problems, err := Check(*dir, pages)
		if err != nil {
			fmt.Fprintf(stderr, "docgen: %v\n", err)
			return 1
		}
		for _, p := range problems {
			fmt.Fprintf(stderr, "%s: %s (run: %s)\n", p.Kind, p.Path, regenerate)
		}
		if len(problems) > 0 {
			return 1
		}
		fmt.Fprintf(stdout, "docgen: %s is up to date (%d pages)\n", *dir, len(pages))
		return 0
	}

	fixed, err := Write(*dir, pages)
	if err != nil {
		fmt.Fprintf(stderr, "docgen: %v\n", err)
		return 1
	}
	for _, p := range fixed {
		verb := "wrote"
		if p.Kind == Extra {
			verb = "removed"
		}
		fmt.Fprintf(stdout, "%s %s\n", verb, p.Path)
	}
	fmt.Fprintf(stdout, "docgen: %s is up to date (%d pages)\n", *dir, len(pages))
	return 0
}
