// Package release holds what a release build of the CLI is made of, so that
// every program that builds the binary (the benchmark and the release
// builder, ./release) builds exactly what users run.
package release

import "strings"

// ldflags are the linker flags of a release binary: -s -w drop the symbol
// table and DWARF data, which makes the binary smaller and so quicker to
// load.
const ldflags = "-s -w"

// BuildFlags are the `go build` flags of a release binary: -trimpath drops
// local file paths from the binary, so it does not depend on where the
// source was; then the linker flags above.
var BuildFlags = []string{"-trimpath", "-ldflags=" + ldflags}

// BuildEnv is the environment a release binary is built in, added to the
// builder's own: without cgo the binary is static, so it starts without the
// dynamic loader, runs on any libc, and builds alike for every platform.
var BuildEnv = []string{"CGO_ENABLED=0"}

// The variables Stamp sets, in the commands package (`baseten version`).
const (
	VersionVar = "github.com/basetenlabs/baseten/commands.version"
	CommitVar  = "github.com/basetenlabs/baseten/commands.commit"
)

// Stamp is BuildFlags with the version and commit the binary reports set at
// link time. Several -ldflags do not add up (the last one wins), so the
// stamps join the release linker flags in one. Neither value may hold
// spaces or quotes, which the go command would split on.
func Stamp(version, commit string) []string {
	flags := make([]string, 0, len(BuildFlags))
	for _, f := range BuildFlags {
		if strings.HasPrefix(f, "-ldflags=") {
			f += " -X " + VersionVar + "=" + version + " -X " + CommitVar + "=" + commit
		}
		flags = append(flags, f)
	}
	return flags
}
