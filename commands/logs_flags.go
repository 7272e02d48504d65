package commands

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

// LogsFlags are the window, filter and output flags of `model deployment
// logs` and `model environment logs`. Everything they alone can prove
// wrong is refused in check, before any request.
type LogsFlags struct {
	Since     string   `name:"since" help:"Show the lines of this long a window ending now: a duration such as 90s, 30m, 2h or 3d, at most 7 days. Default: 30m (when neither --since nor --start is given)."`
	Start     string   `name:"start" help:"Start of the window, ISO 8601 (2026-03-01T09:30:00Z, or local time without a zone: 2026-03-01T09:30 or 2026-03-01). The window runs to --end, or to now; it may span at most 7 days."`
	End       string   `name:"end" help:"End of the window, ISO 8601 as for --start. Without --start, the window is the 30 minutes before it."`
	MinLevel  string   `name:"min-level" enum:"any,debug,info,warning,error" default:"any" help:"Only lines at this severity or above. Any explicit level also drops lines that have no level; any (the default) shows every line."`
	Include   []string `name:"include" sep:"none" help:"Only lines whose message contains this text (case-sensitive). At most 8: a line must contain every one."`
	Exclude   []string `name:"exclude" sep:"none" help:"Drop lines whose message contains this text (case-sensitive). At most 8: a line containing any one is dropped."`
	Search    string   `name:"search" help:"Only lines whose message matches this RE2 regular expression (Go's regexp syntax; checked before anything is sent)."`
	Replica   string   `name:"replica" help:"Only lines from this replica (its 5-character short ID, as the REPLICA column shows it)."`
	RequestID string   `name:"request-id" help:"Only lines tagged with this inference request ID."`
	Component string   `name:"component" help:"Only lines from this component."`
	Limit     int      `name:"limit" help:"Show only the N most recent lines of the window (default: all of it)."`
	Follow    bool     `name:"follow" short:"f" aliases:"tail" help:"After the window, keep printing new lines as they arrive (alias --tail), until Ctrl-C."`
	UTC       bool     `name:"utc" help:"Print timestamps in UTC instead of local time."`

	// window is the resolved window; end is zero until Run fixes "now".
	window logWindow
	// filters are the API's filter parameters, ready to send.
	filters managementapi.LogsQuery
}

// logWindow is the time range whose lines are printed before any
// following. A zero end means "now", fixed when the command runs; a zero
// start means sinceDefault before the end.
type logWindow struct {
	start, end time.Time
	since      time.Duration // the window's length when start is zero
}

// Limits of a window and of the filters, as the API documents them.
const (
	maxLogWindow    = 7 * 24 * time.Hour
	defaultLogSince = 30 * time.Minute
	maxLogFilters   = 8   // includes, excludes: maxItems
	maxLogFilterLen = 256 // search_pattern, replica, request_id, component: maxLength
)

// check validates the flags as typed; kctx says which ones were given.
func (f *LogsFlags) check(kctx *kong.Context, output render.Mode, now time.Time) error {
	given := func(name string) bool { return flagGiven(kctx, name) }
	for _, v := range []struct{ name, value string }{
		{"since", f.Since}, {"start", f.Start}, {"end", f.End}, {"search", f.Search},
		{"replica", f.Replica}, {"request-id", f.RequestID}, {"component", f.Component},
	} {
		if err := refuseEmpty(kctx, v.name, v.value); err != nil {
			return err
		}
	}
	if given("since") && (given("start") || given("end")) {
		return usageError("--since cannot be combined with --start or --end", "Use --since for a window ending now, or --start [--end] for a fixed one.")
	}
	if f.Follow && given("end") {
		return usageError("--follow cannot be combined with --end", "Following prints lines as they arrive, past any end; drop --end, or --follow.")
	}
	if f.Follow && output == render.JSON {
		return usageError("--output json cannot be combined with --follow", "JSON output is one document of the whole window; use --output jsonl to follow line by line.")
	}
	if given("limit") && f.Limit < 1 {
		return usageError(fmt.Sprintf("--limit must be at least 1, not %d", f.Limit), "Leave out --limit to show the whole window.")
	}
	w := logWindow{since: defaultLogSince}
	if given("since") {
		d, err := parseLogSince(f.Since)
		if err != nil {
			return usageError(fmt.Sprintf("invalid --since %q: %v", f.Since, err), "Pass a duration such as 90s, 30m, 2h or 3d.")
		}
		w.since = d
	}
	var err error
	if given("start") {
		if w.start, err = parseLogTime(f.Start, now.Location()); err != nil {
			return usageError(fmt.Sprintf("invalid --start %q: %v", f.Start, err), logTimeHint)
		}
	}
	if given("end") {
		if w.end, err = parseLogTime(f.End, now.Location()); err != nil {
			return usageError(fmt.Sprintf("invalid --end %q: %v", f.End, err), logTimeHint)
		}
	}
	if err := w.checkSpan(now); err != nil {
		return err
	}
	f.window = w
	return f.checkFilters()
}

const logTimeHint = "Pass a time in ISO 8601, such as 2026-03-01T09:30:00Z, or a local time such as 2026-03-01T09:30."

// checkSpan refuses a window that ends before it starts or spans more than
// the API serves.
func (w logWindow) checkSpan(now time.Time) error {
	if w.start.IsZero() {
		if w.since > maxLogWindow {
			return usageError(fmt.Sprintf("--since %s is more than the 7 days of logs one window may span", render.FormatDuration(w.since)), "Pass at most --since 7d, or --start and --end for an older window.")
		}
		return nil
	}
	end, endName := w.end, "--end"
	if end.IsZero() {
		end, endName = now, "now"
	}
	switch {
	case !end.After(w.start):
		return usageError(fmt.Sprintf("the window ends (%s) before it starts (--start)", endName), "Pass an --end after --start.")
	case end.Sub(w.start) > maxLogWindow:
		return usageError(fmt.Sprintf("the window from --start to %s spans %s, more than the 7 days one window may span", endName, render.FormatDuration(end.Sub(w.start))), "Narrow the window to at most 7 days.")
	}
	return nil
}

// checkFilters validates the filters and keeps them as the API's query.
func (f *LogsFlags) checkFilters() error {
	for _, list := range []struct {
		name   string
		values []string
	}{{"--include", f.Include}, {"--exclude", f.Exclude}} {
		if len(list.values) > maxLogFilters {
			return usageError(fmt.Sprintf("%s was given %d times; the API takes at most %d", list.name, len(list.values), maxLogFilters), "Narrow it down with --search, which takes a regular expression.")
		}
		for _, v := range list.values {
			if v == "" {
				return usageError(list.name+" needs a text: an empty one matches every line", "")
			}
		}
	}
	for _, v := range []struct{ name, value string }{
		{"--search", f.Search}, {"--replica", f.Replica}, {"--request-id", f.RequestID}, {"--component", f.Component},
	} {
		if n := utf8.RuneCountInString(v.value); n > maxLogFilterLen {
			return usageError(fmt.Sprintf("%s is %d characters long; the API takes at most %d", v.name, n, maxLogFilterLen), "")
		}
	}
	if f.Search != "" {
		if _, err := regexp.Compile(f.Search); err != nil {
			return usageError(fmt.Sprintf("invalid --search pattern: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: ")), "--search takes an RE2 regular expression (https://github.com/google/re2/wiki/Syntax); to match text as is, use --include.")
		}
	}
	f.filters = managementapi.LogsQuery{
		Replica: f.Replica, RequestID: f.RequestID, Component: f.Component, SearchPattern: f.Search,
		Includes: f.Include, Excludes: f.Exclude,
	}
	if f.MinLevel != "any" {
		f.filters.MinLevel = managementapi.LogLevel(strings.ToUpper(f.MinLevel))
	}
	return nil
}

var (
	errSinceTooLong = errors.New("more than the 7 days of logs one window may span")
	durationShape   = regexp.MustCompile(`^([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*$`)
)

// parseLogSince reads a window length: a Go duration (90s, 30m, 2h,
// 1h30m) or a whole number of days (3d).
func parseLogSince(s string) (time.Duration, error) {
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok && days != "" && strings.Trim(days, "0123456789") == "" {
		n, err := strconv.Atoi(days)
		if err != nil || n > 365 {
			return 0, errSinceTooLong
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			if durationShape.MatchString(s) { // a duration, too long for Go's (about 292 years)
				return 0, errSinceTooLong
			}
			return 0, fmt.Errorf("not a duration")
		}
	}
	if d <= 0 {
		return 0, fmt.Errorf("a window must be longer than zero")
	}
	return d, nil
}

// logTimeLayouts are the ISO 8601 forms --start and --end take: with a zone
// (RFC 3339, fractions of a second allowed), or without one, read in local
// time.
var (
	zonedLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"}
	localLayouts = []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05.999999999", "2006-01-02 15:04", "2006-01-02"}
)

func parseLogTime(s string, local *time.Location) (time.Time, error) {
	for _, layout := range zonedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, s, local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not an ISO 8601 time")
}

// resolve fixes the window's ends in epoch milliseconds, with now as the
// end when none was given.
func (w logWindow) resolve(now time.Time) (startMs, endMs int64) {
	end := w.end
	if end.IsZero() {
		end = now
	}
	start := w.start
	if start.IsZero() {
		start = end.Add(-w.since)
	}
	return start.UnixMilli(), end.UnixMilli()
}
