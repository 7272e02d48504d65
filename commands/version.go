package commands

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// version and commit are stamped by release builds (`go run ./release`,
// through internal/release.Stamp, with -ldflags "-X ...commands.version=v1.2.3
// -X ...commands.commit=0123456789ab"). A build that leaves them empty
// describes itself from its build info instead.
var (
	version = ""
	commit  = ""
)

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

// Version describes this binary. Every run asks (for --version and the
// User-Agent), so the build info is read once.
var Version = sync.OnceValue(func() VersionInfo {
	info, _ := debug.ReadBuildInfo()
	return describe(version, commit, info)
})

// describe is the version of a binary stamped with version and commit
// (either may be empty) and built as info says (nil when it says nothing).
//
// The version is the stamped one, else the module version of a tagged
// `go install ...@v1.2.3`, else "dev". A pseudo-version (what the go command
// makes up for an untagged commit) also says "dev": it is only a date and
// the commit, and the commit has a column of its own.
//
// The commit is the stamped one, else the VCS revision the go command
// recorded (12 hex digits, "-dirty" if the tree had changes), else
// "unknown": builds with -buildvcs=false, or outside a repository, record
// none.
func describe(version, commit string, info *debug.BuildInfo) VersionInfo {
	v := VersionInfo{Version: version, Commit: commit, GoVersion: runtime.Version()}
	if v.Version == "" {
		v.Version = "dev"
		if info != nil && info.Main.Version != "" && info.Main.Version != "(devel)" && !isPseudoVersion(info.Main.Version) {
			v.Version = info.Main.Version
		}
	}
	if v.Commit == "" {
		v.Commit = "unknown"
		modified := false
		if info != nil {
			for _, s := range info.Settings {
				switch s.Key {
				case "vcs.revision":
					v.Commit = s.Value[:min(12, len(s.Value))]
				case "vcs.modified":
					modified = s.Value == "true"
				}
			}
		}
		if modified && v.Commit != "unknown" {
			v.Commit += "-dirty"
		}
	}
	return v
}

// isPseudoVersion reports whether v has the shape of a Go module
// pseudo-version: a base version, a 14-digit UTC time and a 12-digit commit
// hash, as in v0.0.0-20250102150405-abcdef123456 or
// v1.2.4-0.20250102150405-abcdef123456 (a "+dirty" or other build suffix
// allowed). Written out rather than as a regexp, which --version would
// have to compile on every run.
func isPseudoVersion(v string) bool {
	v, _, _ = strings.Cut(v, "+")
	rest, rev, ok := cutLast(v, "-")
	if !ok || len(rev) != 12 || strings.Trim(rev, "0123456789abcdef") != "" {
		return false
	}
	stamp := rest[strings.LastIndexAny(rest, "-.")+1:]
	return len(stamp) == 14 && strings.Trim(stamp, "0123456789") == "" && len(stamp) < len(rest)
}

// cutLast is strings.Cut at the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
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

func (c *VersionCmd) Run(ctx context.Context, streams *render.IO) error {
	info := Version()
	return c.writeValue(ctx, streams, info, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, info)
		return err
	})
}
