// Command docgen writes the CLI reference pages (MDX for the docs site) and
// the man pages from the same command definitions that parse the command
// line, so the docs cannot drift from the binary.
//
//	go run ./docgen          regenerate docs/reference/cli/baseten and docs/man
//	go run ./docgen -check   change nothing; exit 1 naming every page that
//	                         is missing, stale or extra
//
// The work is done by Pages (pages.go), ManPages (man.go), Check and Write
// (check.go); this file only handles flags and prints.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/basetenlabs/baseten/commands"
)

// Run by `go generate ./...`, from this directory, with the directories
// named from here.
//go:generate go run . -dir ../docs/reference/cli/baseten -man-dir ../docs/man

// The directories docgen owns, relative to the repository root.
const (
	defaultDir    = "docs/reference/cli/baseten"
	defaultManDir = "docs/man"
)

const usage = "usage: go run ./docgen [-check] [-dir DIR] [-man-dir DIR]"

// output is one directory docgen owns and the files it must hold.
type output struct {
	dir   string
	pages map[string][]byte
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is the whole program, with its streams passed in for tests. It
// returns 0 when the pages are (now) fresh, 1 when -check finds problems or
// something fails, and 2 on a usage error.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("docgen", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // the flag package's own messages span lines
	check := flags.Bool("check", false, "write nothing; exit 1 naming every page that is missing, stale or extra")
	dir := flags.String("dir", defaultDir, "output directory of the MDX reference pages")
	manDir := flags.String("man-dir", defaultManDir, "output directory of the man pages")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			flags.SetOutput(stdout)
			flags.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "docgen: %v (%s)\n", err, usage)
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "docgen: unexpected argument %q (%s)\n", flags.Arg(0), usage)
		return 2
	}
	// Each directory must hold exactly its own pages: sharing one, each
	// kind of page would be the other's extra file.
	if filepath.Clean(*dir) == filepath.Clean(*manDir) {
		fmt.Fprintf(stderr, "docgen: -dir and -man-dir are both %s; the MDX pages and the man pages need a directory each\n", *dir)
		return 2
	}
	// The default directories are relative to the repository root; run from
	// anywhere else it would quietly create a second docs tree.
	if *dir == defaultDir || *manDir == defaultManDir {
		if _, err := os.Stat("go.mod"); err != nil {
			fmt.Fprintln(stderr, "docgen: run from the repository root (no go.mod here), or pass -dir and -man-dir")
			return 1
		}
	}

	root, err := commands.Describe()
	if err != nil {
		fmt.Fprintf(stderr, "docgen: describing the commands: %v\n", err)
		return 1
	}
	var outputs []output
	pages, err := Pages(root)
	if err == nil {
		var manPages map[string][]byte
		manPages, err = ManPages(root)
		outputs = []output{{*dir, pages}, {*manDir, manPages}}
	}
	if err != nil {
		fmt.Fprintf(stderr, "docgen: %v\n", err)
		return 1
	}

	regenerate := "go run ./docgen"
	if *dir != defaultDir {
		regenerate += " -dir " + *dir
	}
	if *manDir != defaultManDir {
		regenerate += " -man-dir " + *manDir
	}
	// -check lists what Write would fix; the two share Check's verdict.
	fix := Write
	if *check {
		fix = Check
	}
	fresh := true
	for _, out := range outputs {
		problems, err := fix(out.dir, out.pages)
		if err != nil {
			fmt.Fprintf(stderr, "docgen: %v\n", err)
			return 1
		}
		for _, p := range problems {
			switch {
			case *check:
				fmt.Fprintf(stderr, "%s: %s (run: %s)\n", p.Kind, p.Path, regenerate)
			case p.Kind == Extra:
				fmt.Fprintf(stdout, "removed %s\n", p.Path)
			default:
				fmt.Fprintf(stdout, "wrote %s\n", p.Path)
			}
		}
		fresh = fresh && len(problems) == 0
	}
	if *check && !fresh {
		return 1
	}
	for _, out := range outputs {
		fmt.Fprintf(stdout, "docgen: %s is up to date (%d pages)\n", out.dir, len(out.pages))
	}
	return 0
}
