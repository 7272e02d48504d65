// Package release holds what a release build of the CLI is made of, so that
// every program that builds the binary (the benchmark today, a release
// script later) builds exactly what users run.
package release

// BuildFlags are the `go build` flags of a release binary: -trimpath drops
// local file paths from the binary; -s -w drop the symbol table and DWARF
// data, which makes the binary smaller and so quicker to load.
var BuildFlags = []string{"-trimpath", "-ldflags=-s -w"}

// BuildEnv is the environment a release binary is built in, added to the
// builder's own: without cgo the binary is static, so it starts without the
// dynamic loader, runs on any libc, and builds alike for every platform.
var BuildEnv = []string{"CGO_ENABLED=0"}
