package commands

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The window of org billing usage: --since, or --start and --end. These
// flags take text and read it here, since "7d" is not a Go duration.

// Limits of a usage window: the API refuses more than 31 days, and a clock
// a little ahead of the server's should not make "now" the future.
const (
	maxUsageWindow    = 31 * 24 * time.Hour
	defaultSince      = 7 * 24 * time.Hour
	futureEndTolerate = time.Minute
)

// parseSince reads a window length: a number and a unit, m, h, d (24
// hours) or w (7 days), or any Go duration such as 1h30m.
func parseSince(s string) (time.Duration, error) {
	units := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if n := len(s); n > 1 {
		if unit, ok := units[s[n-1]]; ok {
			count, err := strconv.ParseInt(s[:n-1], 10, 32)
			if err != nil {
				return 0, fmt.Errorf("--since %q is not a duration such as 90m, 24h, 7d or 2w", s)
			}
			// Far past 31 days either way, without overflowing a Duration.
			count = max(min(count, 1000), -1000)
			return time.Duration(count) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("--since %q is not a duration such as 90m, 24h, 7d or 2w", s)
	}
	return d, nil
}

// parseWindowTime reads an ISO 8601 date or date-time; without a zone it
// is local time. A date alone is that day's start, or, for the end of a
// window (isEnd), its end: --start 2026-03-01 --end 2026-03-07 is seven
// whole days.
func parseWindowTime(flag, s string, isEnd bool, loc *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		if isEnd {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--%s %q is not an ISO 8601 date or date-time such as 2026-03-01 or 2026-03-01T09:30:00Z", flag, s)
}

// usageWindow settles [start, end) from the flags, refusing an empty or
// negative window, one longer than 31 days, and an end more than a minute
// in the future.
func usageWindow(since, start, end string, now time.Time, loc *time.Location) (time.Time, time.Time, error) {
	var from, to time.Time
	switch {
	case start != "" || end != "":
		var err error
		if from, err = parseWindowTime("start", start, false, loc); err != nil {
			return from, to, err
		}
		if to, err = parseWindowTime("end", end, true, loc); err != nil {
			return from, to, err
		}
	default:
		length := defaultSince
		if since != "" {
			var err error
			if length, err = parseSince(since); err != nil {
				return from, to, err
			}
		}
		if length <= 0 {
			return from, to, fmt.Errorf("--since %q is not a window: it must be longer than zero", since)
		}
		if length > maxUsageWindow {
			return from, to, fmt.Errorf("--since %s is longer than the 31 days the API reports at once", since)
		}
		to = now
		from = to.Add(-length)
	}
	switch {
	case !to.After(from):
		return from, to, fmt.Errorf("the window from %s to %s is empty or negative", formatWindowTime(from), formatWindowTime(to))
	case to.Sub(from) > maxUsageWindow:
		return from, to, fmt.Errorf("the window from %s to %s is longer than the 31 days the API reports at once", formatWindowTime(from), formatWindowTime(to))
	case to.After(now.Add(futureEndTolerate)):
		return from, to, fmt.Errorf("the window ends at %s, in the future", formatWindowTime(to))
	}
	return from, to, nil
}

// formatWindowTime is how a window's ends are shown: local time to the
// minute (seconds when there are any), with the zone.
func formatWindowTime(t time.Time) string {
	if t.Second() != 0 || t.Nanosecond() != 0 {
		return t.Format("2006-01-02 15:04:05 MST")
	}
	return t.Format("2006-01-02 15:04 MST")
}

// windowLength says how long a window is, in days and hours.
func windowLength(d time.Duration) string {
	days, rest := d/(24*time.Hour), d%(24*time.Hour)
	var parts []string
	if days > 0 {
		parts = append(parts, plural(int(days), "day"))
	}
	if hours := rest / time.Hour; hours > 0 {
		parts = append(parts, plural(int(hours), "hour"))
	}
	if minutes := rest % time.Hour / time.Minute; minutes > 0 {
		parts = append(parts, plural(int(minutes), "minute"))
	}
	if len(parts) == 0 {
		return "under a minute"
	}
	return strings.Join(parts, " ")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
