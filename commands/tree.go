package commands

import (
	"io"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// After a change to the tree or its words, one command regenerates what is
// rendered from it: `go generate ./...` runs this directive (the help
// golden files under testdata/help) and docgen's (the MDX and man pages
// under docs/).
//go:generate go test . -run TestHelpGolden -update

// Describe builds the neutral description of the whole command tree, the one
// the help printer and the docs generator read.
func Describe() (*schema.Command, error) {
	parser, err := NewParser(&CLI{}, &render.IO{Out: io.Discard, Err: io.Discard}, func(int) {})
	if err != nil {
		return nil, err
	}
	return schema.Build(parser.Model)
}
