package render

import (
	"fmt"
	"strings"
	"time"
)

// OneLine folds whitespace runs (line breaks included) into single spaces so
// that an error never spans lines.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// FormatDuration is the one way the CLI spells a duration: whole
// milliseconds below a second ("0ms", "340ms"), seconds with at most one
// decimal below a minute ("1.5s", "30s"), then whole hours, minutes and
// seconds, leaving out zero parts ("1m", "2m30s", "1h5s"). Each case takes
// the duration rounded as it prints it, so 999.7ms is "1s", not "1000ms".
func FormatDuration(d time.Duration) string {
	if ms := d.Round(time.Millisecond); ms < time.Second {
		return fmt.Sprintf("%dms", ms.Milliseconds())
	}
	if tenths := d.Round(100 * time.Millisecond); tenths < time.Minute {
		s := fmt.Sprintf("%.1f", tenths.Seconds())
		return strings.TrimSuffix(s, ".0") + "s"
	}
	d = d.Round(time.Second)
	var b strings.Builder
	for _, unit := range []struct {
		size time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if n := d / unit.size; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, unit.name)
			d -= n * unit.size
		}
	}
	return b.String()
}
