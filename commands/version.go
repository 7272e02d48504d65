package commands

import (
	"runtime"
	"runtime/debug"
)

// version is set at release time with -ldflags "-X .../commands.version=v1.2.3";
// otherwise it comes from the module version in the build info.
var version = ""

// Version is the CLI's version: the release tag, the module version for
// `go install ...@vX`, or "dev" for a local build.
func Version() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func userAgent() string {
	return "baseten/" + Version() + " (" + runtime.GOOS + "/" + runtime.GOARCH + ")"
}
