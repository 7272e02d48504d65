package commands

import (
	"context"
	"strings"

	"github.com/basetenlabs/baseten/managementapi"
)

// logLatestInMemory is the largest --limit whose lines latest holds in
// memory (to print them after paging backwards); a larger one is streamed
// by latestStreamed, which costs a second pass of requests but holds only
// a millisecond's lines. A variable so tests can lower it.
var logLatestInMemory = 10_000

// latestStreamed prints the n most recent lines of [startMs, endMs]
// without holding them: it counts backwards (direction=desc) to the n-th
// most recent line, remembering only the lines of the millisecond at the
// page boundary and those at the cutoff's nanosecond, then prints forwards
// from the cutoff as forward does, as pages arrive.
func (s *logStream) latestStreamed(ctx context.Context, startMs, endMs int64, n int) error {
	count := 0
	boundary := map[logKey]struct{}{} // counted lines at or after hi's millisecond
	cutTs := int64(-1)                // the timestamp of the last line counted
	cutTies := map[logKey]struct{}{}  // the lines counted at cutTs
	hi := endMs
	for count < n {
		q := s.filters
		q.StartMillis, q.EndMillis, q.Direction, q.Limit = startMs, hi, "desc", s.pageSize
		if err := s.fetch(ctx, q); err != nil {
			return err
		}
		fresh, inWindow, oldest := 0, 0, int64(-1)
		onlyHiMs := true
		for i := range s.page {
			e := &s.page[i]
			if e.Timestamp < startMs*nsPerMs || e.Timestamp >= (hi+1)*nsPerMs {
				continue
			}
			inWindow++
			oldest = e.Timestamp
			onlyHiMs = onlyHiMs && e.Timestamp/nsPerMs == hi
			k := s.key(e)
			if _, dup := boundary[k]; dup || count == n {
				continue
			}
			k.replica = strings.Clone(k.replica)
			boundary[k] = struct{}{}
			count++
			fresh++
			if e.Timestamp != cutTs {
				cutTs = e.Timestamp
				clear(cutTies)
			}
			cutTies[k] = struct{}{}
		}
		s.verbose(q, len(s.page), fresh)
		if len(s.page) < q.Limit || count == n {
			break
		}
		next, done, err := s.stepBack(oldest, hi, startMs, onlyHiMs, inWindow, boundary)
		if err != nil {
			return err
		}
		if done {
			break
		}
		hi = next
	}
	from := startMs
	if count == n && cutTs >= 0 {
		from = cutTs / nsPerMs
		s.printFrom, s.printTies = cutTs, cutTies
		defer func() { s.printFrom, s.printTies = 0, nil }()
	}
	_, err := s.forward(ctx, from, endMs)
	return err
}

// hidden: a line the forward pass of latestStreamed gets but must not
// print, being older than the n-th most recent line.
func (s *logStream) hidden(e *managementapi.LogEntry, k logKey) bool {
	if s.printFrom <= 0 || e.Timestamp > s.printFrom {
		return false
	}
	if e.Timestamp < s.printFrom {
		return true
	}
	_, counted := s.printTies[k]
	return !counted
}
