package commands

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// version is set at release time with -ldflags "-X .../commands.version=v1.2.3";
// otherwise it comes from the module version in the build info.
var version = ""

// VersionInfo is what `baseten version` prints, and its JSON payload.
type VersionInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	GoVersion string `json:"go_version"`
}

// String is the one-line form: "baseten v1.2.3 (abc123def456, go1.26.0)".
func (v VersionInfo) String() string {
	return fmt.Sprintf("%s %s (%s, %s)", schema.Program, v.Version, v.Commit, v.GoVersion)
}

// Version describes this binary from its build info: the release tag or the
// module version of `go install ...@vX`, else "dev"; the VCS revision when
// the build recorded one, else "unknown". Every run asks (for --version and
// the User-Agent), so the build info is read once.
var Version = sync.OnceValue(readVersion)

func readVersion() VersionInfo {
	v := VersionInfo{Version: version, Commit: "unknown", GoVersion: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if v.Version == "" {
		v.Version = "dev"
		if ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v.Version = info.Main.Version
		}
	}
	if ok {
		modified := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value[:min(12, len(s.Value))]
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && v.Commit != "unknown" {
			v.Commit += "-dirty"
		}
	}
	return v
}

func userAgent() string {
	return "baseten/" + Version().Version + " (" + runtime.GOOS + "/" + runtime.GOARCH + ")"
}

// VersionCmd is `baseten version`.
type VersionCmd struct {
	OutputFlags
}

func (c *VersionCmd) Help() string { return "Print version information." }

func (c *VersionCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Print the version, commit and Go version", Command: "baseten version"},
		},
		JQExample: schema.Example{
			Description: "Print just the version",
			Command:     "baseten version --jq '.version'",
		},
		TextOutput: `Prints "baseten <version> (<commit>, <go version>)" on stdout, as --version does.`,
		Payload:    VersionInfo{},
	}
}

func (c *VersionCmd) AfterApply(kctx *kong.Context) error { return c.resolve(kctx) }

func (c *VersionCmd) Run(ctx context.Context, streams *render.IO) error {
	info := Version()
	return c.writeValue(ctx, streams, info, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, info)
		return err
	})
}
