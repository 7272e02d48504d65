package commands

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"time"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

// The logs API serves a time window, at most MaxLogsPageSize lines a
// request, with no cursor: a logStream turns that into a window printed
// whole, in timestamp order, then (with --follow) new lines as they come.
//
// Paging is by time. Each request starts at the millisecond of the last
// line seen, so lines that share that millisecond come again; a line is
// told apart by its timestamp, replica and a hash of its message, and only
// the lines that can come again are remembered (those at or after the next
// request's start: the boundary), so memory does not grow with the window.
// While following, lines may arrive late with an older timestamp: every
// poll asks again for the horizon before the newest line seen and
// remembers the lines within it, so a late line is printed once.

// logSource gets one page of logs.
type logSource func(ctx context.Context, q managementapi.LogsQuery) (*managementapi.Answer[managementapi.GetLogsResponse], error)

// logKey tells lines apart: two lines with the same time, replica and
// message are the same line (the API sends no ID).
type logKey struct {
	ts      int64
	replica string
	message uint64 // maphash of the message
}

// Timings of --follow; variables so tests can shorten them.
var (
	logPollInterval    = 2 * time.Second  // between polls while lines arrive
	logMaxPollInterval = 10 * time.Second // the longest wait while idle or failing
	logLateHorizon     = 30 * time.Second // how late a line may arrive and still be printed
)

type logStream struct {
	source   logSource
	filters  managementapi.LogsQuery // the filter parameters of every request
	pageSize int
	// emit prints one line; flush ends a page (the lines so far appear).
	emit  func(*managementapi.LogEntry) error
	flush func() error
	// notef writes a note on stderr; verbosef too, with -v only (else nil).
	notef, verbosef func(format string, args ...any)
	// following: seen keeps the lines within the lateness horizon, not
	// only the boundary.
	following bool
	// quiet: lines are remembered as printed but not printed (the lines
	// --limit left out, which following must not print later).
	quiet bool
	// printFrom, printTies: with --limit streamed, lines before printFrom
	// (ns), or at it but not in printTies, are treated as quiet.
	printFrom int64
	printTies map[logKey]struct{}

	seed  maphash.Seed
	seen  map[logKey]struct{}
	floor int64 // seen holds every printed line whose timestamp is >= floor (ns)
	// keepFrom: lines from this timestamp on are remembered, those before
	// cannot come again (set for each page: its last millisecond, or the
	// horizon while following).
	keepFrom int64
	newest   int64 // the newest timestamp printed (ns), at most fetchedAt; 0 before any
	// fetchedAt is the local clock when the current page was asked for
	// (ns). A line stamped later (a replica's wrong clock, or a lie) is
	// printed, but the horizon is not moved past the clock: a line from
	// the year 2100 must not make following skip everything before it.
	fetchedAt int64
	lines     int // lines printed
	page      []managementapi.LogEntry
	warned    map[int64]bool // milliseconds already warned of as overfull
}

func newLogStream(source logSource, filters managementapi.LogsQuery) *logStream {
	return &logStream{
		source: source, filters: filters, pageSize: managementapi.MaxLogsPageSize,
		seed: maphash.MakeSeed(), seen: map[logKey]struct{}{}, warned: map[int64]bool{},
		emit: func(*managementapi.LogEntry) error { return nil }, flush: func() error { return nil },
		notef: func(string, ...any) {},
	}
}

func (s *logStream) key(e *managementapi.LogEntry) logKey {
	return logKey{ts: e.Timestamp, replica: e.Replica, message: maphash.String(s.seed, e.Message)}
}

// print emits a line unless it was printed before, and remembers it.
func (s *logStream) print(e *managementapi.LogEntry) (bool, error) {
	if e.Timestamp < s.floor {
		return false, nil // before what is remembered: printed before, or outside the window
	}
	k := s.key(e)
	if _, dup := s.seen[k]; dup {
		return false, nil
	}
	if !s.quiet && !s.hidden(e, k) {
		if err := s.emit(e); err != nil {
			return false, err
		}
	}
	if e.Timestamp >= s.keepFrom { // only what can come again is remembered
		k.replica = strings.Clone(k.replica) // the page's memory is reused
		s.seen[k] = struct{}{}
	}
	s.newest = max(s.newest, min(e.Timestamp, s.fetchedAt))
	s.lines++
	return true, nil
}

// remember moves the floor: lines before it can no longer come again. While
// following, the floor stays within the horizon before the newest line.
func (s *logStream) remember(floor int64) {
	if s.following && s.newest > 0 {
		floor = min(floor, s.newest-int64(logLateHorizon))
	}
	if floor <= s.floor {
		return
	}
	s.floor = floor
	for k := range s.seen {
		if k.ts < floor {
			delete(s.seen, k)
		}
	}
}

// fetch gets one page and reads its lines into s.page, sorted by time (the
// API sorts them; a page that is not sorted is sorted, not trusted).
func (s *logStream) fetch(ctx context.Context, q managementapi.LogsQuery) error {
	s.fetchedAt = time.Now().UnixNano()
	page, err := s.source(ctx, q)
	if err != nil {
		return err
	}
	s.page = s.page[:0]
	if err := managementapi.EachLog(page, func(e *managementapi.LogEntry) error {
		s.page = append(s.page, *e)
		return nil
	}); err != nil {
		return err
	}
	// A page wholly in the opposite order is a server that ignores
	// direction: paging on would skip the middle of the window (asc) or
	// call the oldest lines the most recent (desc). A page only partly out
	// of order (a late line at its end) is sorted, not refused.
	if reversedPage(s.page, q.Direction == "desc") {
		return &noProgressError{fmt.Sprintf("asked for direction=%s, the API answered a page in the opposite order (it ignores direction); stopping rather than printing the wrong lines", q.Direction)}
	}
	if q.Direction == "desc" {
		slices.SortStableFunc(s.page, func(a, b managementapi.LogEntry) int { return compareInt(b.Timestamp, a.Timestamp) })
	} else {
		slices.SortStableFunc(s.page, func(a, b managementapi.LogEntry) int { return compareInt(a.Timestamp, b.Timestamp) })
	}
	return nil
}

// reversedPage: the page's timestamps run the other way than asked, all
// of them (and not all equal).
func reversedPage(page []managementapi.LogEntry, desc bool) bool {
	if len(page) < 2 || page[0].Timestamp == page[len(page)-1].Timestamp {
		return false
	}
	for i := 1; i < len(page); i++ {
		if a, b := page[i-1].Timestamp, page[i].Timestamp; desc && a > b || !desc && a < b {
			return false
		}
	}
	return true
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

const nsPerMs = int64(time.Millisecond)

// forward prints the lines of [startMs, endMs] (endMs 0: up to now, as the
// API sees it) in time order, page by page, and reports how many were new.
func (s *logStream) forward(ctx context.Context, startMs, endMs int64) (int, error) {
	printed := 0
	s.remember(startMs * nsPerMs)
	for {
		q := s.filters
		q.StartMillis, q.EndMillis, q.Direction, q.Limit = startMs, endMs, "asc", s.pageSize
		if err := s.fetch(ctx, q); err != nil {
			return printed, err
		}
		s.keepFrom = 0
		if n := len(s.page); n > 0 {
			lastMs := s.page[n-1].Timestamp / nsPerMs
			if endMs != 0 {
				lastMs = min(lastMs, endMs)
			}
			s.keepFrom = lastMs * nsPerMs
			if s.following {
				// From the horizon's millisecond: the next poll asks
				// again from that millisecond, not from the nanosecond.
				horizon := max(s.newest, min(s.page[n-1].Timestamp, s.fetchedAt)) - int64(logLateHorizon)
				s.keepFrom = min(s.keepFrom, horizon/nsPerMs*nsPerMs)
			}
		}
		fresh, inWindow, last := 0, 0, int64(-1)
		onlyStartMs := true
		for i := range s.page {
			e := &s.page[i]
			if e.Timestamp < startMs*nsPerMs || endMs != 0 && e.Timestamp >= (endMs+1)*nsPerMs {
				continue // not what was asked for
			}
			inWindow++
			last = e.Timestamp
			onlyStartMs = onlyStartMs && e.Timestamp/nsPerMs == startMs
			ok, err := s.print(e)
			if err != nil {
				return printed, err
			}
			if ok {
				fresh++
			}
		}
		printed += fresh
		s.verbose(q, len(s.page), fresh)
		if err := s.flush(); err != nil {
			return printed, err
		}
		if len(s.page) < s.pageSize {
			return printed, nil // the rest of the window holds no more
		}
		next := last / nsPerMs
		if last < 0 || next <= startMs {
			if last < 0 || !onlyStartMs || inWindow < len(s.page) {
				return printed, &noProgressError{fmt.Sprintf("asked for lines from %s, the API answered a full page that does not move past it; stopping rather than asking again forever", formatMillis(startMs))}
			}
			// More lines share one millisecond than a page holds, and the
			// API cannot page within a millisecond.
			s.warnOverfull(startMs)
			next = startMs + 1
		}
		if endMs != 0 && next > endMs {
			return printed, nil
		}
		startMs = next
		s.remember(startMs * nsPerMs)
	}
}

// stepBack is where the next newest-first page ends after a full page
// whose oldest line is oldest (in ns; -1 for none) when this one ended at
// hi: that line's millisecond, whose lines already counted the boundary
// set keeps from counting twice. A page that does not move before hi is
// an error (a server answering the same page forever), unless every line
// of it shares hi's millisecond: more lines than a page share it, which is
// warned about and stepped past. done says the window's start is reached.
// Boundary keys older than the new end can no longer come back: dropped.
func (s *logStream) stepBack(oldest, hi, startMs int64, onlyHiMs bool, inWindow int, boundary map[logKey]struct{}) (next int64, done bool, err error) {
	next = oldest / nsPerMs
	if oldest < 0 || next >= hi {
		if oldest < 0 || !onlyHiMs || inWindow < len(s.page) {
			return 0, false, &noProgressError{fmt.Sprintf("asked for lines up to %s, the API answered a full page that does not move before it; stopping rather than asking again forever", formatMillis(hi))}
		}
		s.warnOverfull(hi)
		next = hi - 1
	}
	if next < startMs {
		return next, true, nil
	}
	for k := range boundary {
		if k.ts/nsPerMs < next {
			delete(boundary, k)
		}
	}
	return next, false, nil
}

func (s *logStream) warnOverfull(ms int64) {
	if !s.warned[ms] {
		s.warned[ms] = true
		s.notef("Warning: more than %d lines share the millisecond %s; the API pages by millisecond, so some of them are not shown.", s.pageSize, formatMillis(ms))
	}
}

func (s *logStream) verbose(q managementapi.LogsQuery, got, fresh int) {
	if s.verbosef == nil {
		return
	}
	end := "now"
	if q.EndMillis != 0 {
		end = formatMillis(q.EndMillis)
	}
	s.verbosef("logs: %s to %s (%s, limit %d): %d lines, %d new", formatMillis(q.StartMillis), end, q.Direction, q.Limit, got, fresh)
}

// formatMillis names a time the way -v and warnings do: UTC, milliseconds.
func formatMillis(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
}

// formatNanos names a line's time the same way, to the nanosecond.
func formatNanos(ns int64) string {
	return time.Unix(0, ns).UTC().Format("2006-01-02T15:04:05.000000000Z")
}

// latest prints the n most recent lines of [startMs, endMs]: pages from the
// end backwards (direction=desc), keeping at most n lines, then prints
// them oldest first. Memory is the n lines.
func (s *logStream) latest(ctx context.Context, startMs, endMs int64, n int) error {
	if n > logLatestInMemory {
		return s.latestStreamed(ctx, startMs, endMs, n)
	}
	var kept []managementapi.LogEntry // newest first
	boundary := map[logKey]struct{}{} // lines at or after endMs's millisecond
	for len(kept) < n {
		q := s.filters
		q.StartMillis, q.EndMillis, q.Direction = startMs, endMs, "desc"
		q.Limit = min(s.pageSize, n-len(kept)+len(boundary))
		if err := s.fetch(ctx, q); err != nil {
			return err
		}
		fresh, inWindow, oldest := 0, 0, int64(-1)
		onlyEndMs := true
		for i := range s.page {
			e := &s.page[i]
			if e.Timestamp < startMs*nsPerMs || e.Timestamp >= (endMs+1)*nsPerMs {
				continue
			}
			inWindow++
			oldest = e.Timestamp
			onlyEndMs = onlyEndMs && e.Timestamp/nsPerMs == endMs
			k := s.key(e)
			if _, dup := boundary[k]; dup || len(kept) == n {
				continue
			}
			k.replica = strings.Clone(k.replica)
			boundary[k] = struct{}{}
			kept = append(kept, ownedLogEntry(e))
			fresh++
		}
		s.verbose(q, len(s.page), fresh)
		if len(s.page) < q.Limit || len(kept) == n {
			break
		}
		next, done, err := s.stepBack(oldest, endMs, startMs, onlyEndMs, inWindow, boundary)
		if err != nil {
			return err
		}
		if done {
			break
		}
		endMs = next
	}
	for i := len(kept) - 1; i >= 0; i-- {
		if _, err := s.print(&kept[i]); err != nil {
			return err
		}
	}
	return s.flush()
}

// ownedLogEntry copies a line out of its page's memory.
func ownedLogEntry(e *managementapi.LogEntry) managementapi.LogEntry {
	c := *e
	c.Raw = slices.Clone(e.Raw)
	c.Message, c.Replica, c.RequestID, c.Level = strings.Clone(e.Message), strings.Clone(e.Replica), strings.Clone(e.RequestID), strings.Clone(e.Level)
	return c
}

// follow polls for new lines until ctx ends (Ctrl-C: a normal end) or
// stopped says why to stop (a deployment that is no longer running).
// fromMs is the start of the window already printed. Transient failures
// (no connection, 5xx, 429, an answer that could not be read) are retried
// with backoff and reported once per outage; anything else ends it.
func (s *logStream) follow(ctx context.Context, fromMs int64, stopped func(ctx context.Context) (string, error)) error {
	wait := logPollInterval
	failing := false
	for {
		why, err := s.stopReason(ctx, stopped)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		if logSleep(ctx, wait) != nil {
			return nil
		}
		start := fromMs
		if s.newest > 0 {
			start = max(fromMs, (s.newest-int64(logLateHorizon))/nsPerMs)
		}
		// The API serves at most 7 days a request: a quiet follow of a
		// 7-day window (or a long one with no new lines) must not ask for
		// more. A minute to spare for a clock behind the server's; lines
		// that old are far beyond the lateness horizon anyway.
		start = max(start, time.Now().Add(-maxLogWindow+time.Minute).UnixMilli())
		fresh, err := s.forward(ctx, start, 0)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			if !transientLogError(err) {
				return err
			}
			wait = min(2*wait, logMaxPollInterval)
			// A server that asks for a longer wait (429 or 503 with a
			// Retry-After beyond what the client waits by itself) gets it.
			asked := ""
			if apiErr, ok := errors.AsType[*managementapi.APIError](err); ok && apiErr.RetryAfter > wait {
				wait = apiErr.RetryAfter
				asked = fmt.Sprintf(", asked to wait %s", render.FormatDuration(wait))
			}
			if !failing {
				s.notef("Warning: %v%s; retrying until it answers again (Ctrl-C to stop).", err, asked)
				failing = true
			}
			continue
		}
		if failing {
			s.notef("Following again.")
			failing = false
		}
		if why != "" { // the lines it logged before stopping are in
			s.notef("%s; stopped following.", why)
			return nil
		}
		if fresh > 0 {
			wait = logPollInterval
		} else {
			wait = min(2*wait, logMaxPollInterval)
		}
	}
}

// stopReason asks stopped (when there is one) whether to stop following;
// a transient failure to tell is no reason.
func (s *logStream) stopReason(ctx context.Context, stopped func(ctx context.Context) (string, error)) (string, error) {
	if stopped == nil {
		return "", nil
	}
	why, err := stopped(ctx)
	if err != nil && transientLogError(err) {
		return "", nil
	}
	return why, err
}

// noProgressError is a server that answers a full page which does not move
// the window on, or pages in the wrong order: asking again would answer the
// same forever.
type noProgressError struct{ reason string }

func (e *noProgressError) Error() string {
	return "unexpected response from the API: logs: " + e.reason
}

// transientLogError: worth asking again later while following.
func transientLogError(err error) bool {
	if _, stuck := errors.AsType[*noProgressError](err); stuck {
		return false
	}
	if apiErr, ok := errors.AsType[*managementapi.APIError](err); ok {
		return apiErr.Status >= 500 || apiErr.Status == 429 || apiErr.Status == 408
	}
	_, network := errors.AsType[*managementapi.NetworkError](err)
	_, timeout := errors.AsType[*managementapi.TimeoutError](err)
	_, response := errors.AsType[*managementapi.ResponseError](err)
	return network || timeout || response
}

// logSleep is how follow waits between polls (a variable so tests can see
// the waits it chooses).
var logSleep = sleepCtx

// sleepCtx waits d, or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
