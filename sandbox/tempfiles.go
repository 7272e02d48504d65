package sandbox

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// removeStaleTemps removes what saves interrupted by a crash left beside
// the state file: atomicfile.Write's temporary files,
// ".<state file name>.<digits>.tmp" (os.CreateTemp's random part is
// decimal). Only files named exactly so, and only regular ones, go: the
// sandbox owns the state file (the caller holds its lock), so no save of
// its own is under way, and anything else in the directory is not its to
// remove. Failures are ignored: a leftover costs disk space, nothing more.
func removeStaleTemps(path string) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	stale := regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `\.[0-9]+\.tmp$`)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "."+base+".") || !stale.MatchString(e.Name()) || !e.Type().IsRegular() {
			continue
		}
		_ = os.Remove(filepath.Join(dir, e.Name()))
	}
}
