// Package release holds what a release build of the CLI is made of, so that
// every program that builds the binary (the benchmark today, a release
// script later) builds exactly what users run.
package release

// BuildFlags are the `go build` flags of a release binary: -trimpath drops
// local file paths from the binary; -s -w drop the symbol table and DWARF
// data, which makes the binary smaller and so quicker to load.
var BuildFlags = []string{"-trimpath", "-ldflags=-s -w"}
