package commands

import (
	"runtime"
	"runtime/debug"
	"testing"

	"gotest.tools/v3/assert"
)

// What a binary says about itself, for each way it can be built.
func TestDescribe(t *testing.T) {
	built := func(version string, settings ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/basetenlabs/baseten", Version: version}}
		for i := 0; i < len(settings); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return info
	}
	const rev = "3ee951613346bdb20418ffa5913ffabe05d74b0f"
	cases := []struct {
		name            string
		version, commit string
		info            *debug.BuildInfo
		want            string
	}{
		{"release build: the stamps win over the build info", "v1.2.3", "0123456789ab", built("(devel)", "vcs.revision", rev), "v1.2.3 (0123456789ab"},
		{"stamped version only", "v1.2.3", "", built("(devel)", "vcs.revision", rev), "v1.2.3 (3ee951613346"},
		{"go build -buildvcs=false", "", "", built("(devel)"), "dev (unknown"},
		{"no build info at all", "", "", nil, "dev (unknown"},
		{"go build in a clone", "", "", built("v0.0.0-20261126090757-3ee951613346", "vcs.revision", rev, "vcs.modified", "false"), "dev (3ee951613346"},
		{"go build in a clone with changes", "", "", built("v0.0.0-20261126090757-3ee951613346+dirty", "vcs.revision", rev, "vcs.modified", "true"), "dev (3ee951613346-dirty"},
		{"go install ...@v1.2.3", "", "", built("v1.2.3"), "v1.2.3 (unknown"},
		{"go build at a tag", "", "", built("v1.2.3", "vcs.revision", rev), "v1.2.3 (3ee951613346"},
		{"go install ...@<commit> after a tag", "", "", built("v1.2.4-0.20261126090757-3ee951613346"), "dev (unknown"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := describe(tc.version, tc.commit, tc.info)
			assert.Equal(t, got.String(), "baseten "+tc.want+", "+runtime.Version()+")")
		})
	}
}

func TestIsPseudoVersion(t *testing.T) {
	for v, want := range map[string]bool{
		"v0.0.0-20261126090757-3ee951613346":        true,
		"v0.0.0-20261126090757-3ee951613346+dirty":  true,
		"v1.2.4-0.20261126090757-3ee951613346":      true,
		"v1.2.4-rc.1.0.20261126090757-3ee951613346": true,
		"v1.2.3":                             false,
		"v1.2.3+dirty":                       false,
		"v1.2.3-rc.1":                        false,
		"(devel)":                            false,
		"20261126090757-3ee951613346":        false,
		"v0.0.0-2026112609075-3ee951613346":  false,
		"v0.0.0-20261126090757-3ee95161334":  false,
		"v0.0.0-20261126090757-3EE951613346": false,
	} {
		assert.Equal(t, isPseudoVersion(v), want, v)
	}
}
