package commands

import (
	"io"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// Describe builds the neutral description of the whole command tree, the one
// the help printer and the docs generator read.
func Describe() (*schema.Command, error) {
	parser, err := NewParser(&CLI{}, &render.IO{Out: io.Discard, Err: io.Discard}, func(int) {})
	if err != nil {
		return nil, err
	}
	return schema.Build(parser.Model)
}
