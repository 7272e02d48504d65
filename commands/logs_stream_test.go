package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/managementapi"
)

// fakeLogLine is a line of a fakeLogServer; it is visible from the
// request numbered arrive on (1 is the first).
type fakeLogLine struct {
	ts      int64
	replica string
	msg     string
	arrive  int
}

// fakeLogServer pages a fixed list of lines as the API documents it: both
// ends of the window count to the millisecond, asc or desc, up to limit.
type fakeLogServer struct {
	mu       sync.Mutex
	lines    []fakeLogLine // sorted by ts
	requests []url.Values
	// answer, when set, may replace the n-th answer (status, body).
	answer func(n int) (int, string, bool)
}

func (f *fakeLogServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := r.URL.Query()
	f.requests = append(f.requests, q)
	n := len(f.requests)
	if f.answer != nil {
		if status, body, ok := f.answer(n); ok {
			w.WriteHeader(status)
			fmt.Fprint(w, body)
			return
		}
	}
	start, _ := strconv.ParseInt(q.Get("start_epoch_millis"), 10, 64)
	end := int64(1) << 42 // milliseconds: the year 2109
	if e := q.Get("end_epoch_millis"); e != "" {
		end, _ = strconv.ParseInt(e, 10, 64)
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	var page []map[string]any
	add := func(l fakeLogLine) bool {
		if l.arrive > n || l.ts < start*1e6 || l.ts >= (end+1)*1e6 {
			return true
		}
		page = append(page, map[string]any{"timestamp": strconv.FormatInt(l.ts, 10), "message": l.msg, "replica": l.replica, "level": "INFO"})
		return len(page) < limit
	}
	if q.Get("direction") == "desc" {
		for i := len(f.lines) - 1; i >= 0 && add(f.lines[i]); i-- {
		}
	} else {
		for i := 0; i < len(f.lines) && add(f.lines[i]); i++ {
		}
	}
	if page == nil {
		page = []map[string]any{}
	}
	json.NewEncoder(w).Encode(map[string]any{"logs": page})
}

func (f *fakeLogServer) requestCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

// testStream is a stream against f whose printed messages are collected.
func testStream(t *testing.T, f http.Handler) (*logStream, *[]string, *[]string) {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL)
	client := managementapi.New(base, "test.key", "test")
	s := newLogStream(func(ctx context.Context, q managementapi.LogsQuery) (*managementapi.Answer[managementapi.GetLogsResponse], error) {
		return client.DeploymentLogs(ctx, "m1", "d1", q)
	}, managementapi.LogsQuery{})
	var printed, notes []string
	var mu sync.Mutex
	s.emit = func(e *managementapi.LogEntry) error {
		mu.Lock()
		printed = append(printed, e.Message)
		mu.Unlock()
		return nil
	}
	s.notef = func(format string, args ...any) {
		mu.Lock()
		notes = append(notes, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	return s, &printed, &notes
}

func messages(lines []fakeLogLine) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.msg
	}
	return out
}

// Lines sharing a millisecond, and even a nanosecond, across every page
// boundary are printed once each, in order.
func TestLogWindowBoundaryDuplicates(t *testing.T) {
	const ms = int64(time.Millisecond)
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	var lines []fakeLogLine
	for i := range 40 {
		// Three lines a millisecond, two of them at the same nanosecond
		// from different replicas, one with the same replica but another message.
		at := base + int64(i/3)*ms + int64(i%3/2)*7
		lines = append(lines, fakeLogLine{ts: at, replica: "r" + strconv.Itoa(i%2), msg: "line " + strconv.Itoa(i)})
	}
	for _, pageSize := range []int{1, 2, 3, 4, 5, 7, 1000} {
		t.Run(strconv.Itoa(pageSize), func(t *testing.T) {
			f := &fakeLogServer{lines: lines}
			s, printed, notes := testStream(t, f)
			s.pageSize = pageSize
			_, err := s.forward(context.Background(), base/ms, base/ms+100)
			if pageSize <= 3 { // three lines share each millisecond: a page of 3 or fewer cannot get past one
				assert.Assert(t, err == nil)
				assert.Assert(t, len(*notes) > 0 && strings.Contains((*notes)[0], "share the millisecond"), "%v", *notes)
				return
			}
			assert.NilError(t, err)
			assert.DeepEqual(t, *printed, messages(lines))
			assert.Equal(t, len(*notes), 0)
			// Memory: what is remembered is the last millisecond's lines.
			assert.Assert(t, len(s.seen) <= 3, "%d remembered", len(s.seen))
		})
	}
}

// A server that ignores start and answers the same full page forever is
// given up on, after a few requests, with an error that says so.
func TestLogWindowSamePageForever(t *testing.T) {
	const ms = int64(time.Millisecond)
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	var page []map[string]any
	for i := range 5 {
		page = append(page, map[string]any{"timestamp": strconv.FormatInt(base+int64(i)*ms, 10), "message": "m" + strconv.Itoa(i), "replica": nil})
	}
	body, _ := json.Marshal(map[string]any{"logs": page})
	f := &fakeLogServer{answer: func(int) (int, string, bool) { return 200, string(body), true }}
	s, printed, _ := testStream(t, f)
	s.pageSize = 5
	_, err := s.forward(context.Background(), base/ms, base/ms+1000)
	_, stuck := errors.AsType[*noProgressError](err)
	assert.Assert(t, stuck, "%v", err)
	assert.ErrorContains(t, err, "does not move past it")
	assert.DeepEqual(t, *printed, []string{"m0", "m1", "m2", "m3", "m4"})
	assert.Equal(t, f.requestCount(), 2)
}

// --limit: the N most recent lines, oldest first, across boundaries.
func TestLogWindowLatest(t *testing.T) {
	const ms = int64(time.Millisecond)
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	var lines []fakeLogLine
	for i := range 30 {
		lines = append(lines, fakeLogLine{ts: base + int64(i/2)*ms, replica: "r", msg: "line " + strconv.Itoa(i)})
	}
	for _, n := range []int{1, 2, 5, 13, 30, 100} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			f := &fakeLogServer{lines: lines}
			s, printed, _ := testStream(t, f)
			s.pageSize = 4
			assert.NilError(t, s.latest(context.Background(), base/ms, base/ms+1000, n))
			want := messages(lines[max(0, len(lines)-n):])
			assert.DeepEqual(t, *printed, want)
			for _, q := range f.requests {
				assert.Equal(t, q.Get("direction"), "desc")
			}
		})
	}
}

// While following, a line that arrives late with an older timestamp is
// printed once, if within the horizon; one later than that is not asked for.
func TestLogFollowLateLines(t *testing.T) {
	shortFollowTimings(t)
	const ms = int64(time.Millisecond)
	now := time.Now().UnixNano()
	lines := []fakeLogLine{
		{ts: now - 50*ms, msg: "window", arrive: 1},
		{ts: now + 100*ms, msg: "new", arrive: 2},
		{ts: now - 40*ms, msg: "late within the horizon", arrive: 3},
		{ts: now + 200*ms, msg: "newer", arrive: 4},
		{ts: now - int64(logLateHorizon) - 500*ms, msg: "too late", arrive: 4},
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i].ts < lines[j].ts })
	f := &fakeLogServer{lines: lines}
	s, printed, _ := testStream(t, f)
	s.following = true
	ctx, cancel := context.WithCancel(context.Background())
	_, err := s.forward(ctx, (now-time.Minute.Nanoseconds())/ms, now/ms)
	assert.NilError(t, err)
	done := make(chan error)
	go func() { done <- s.follow(ctx, (now-time.Minute.Nanoseconds())/ms, nil) }()
	waitFor(t, func() bool { return f.requestCount() >= 8 })
	cancel()
	assert.NilError(t, <-done)
	assert.DeepEqual(t, *printed, []string{"window", "new", "late within the horizon", "newer"})
}

// A 500 while following is reported once and retried; lines are neither
// lost nor repeated. A 401 ends following.
func TestLogFollowErrors(t *testing.T) {
	shortFollowTimings(t)
	now := time.Now().UnixNano()
	lines := []fakeLogLine{{ts: now, msg: "a", arrive: 1}, {ts: now + 1, msg: "b", arrive: 3}, {ts: now + 2, msg: "c", arrive: 7}}
	f := &fakeLogServer{lines: lines, answer: func(n int) (int, string, bool) {
		return 500, `{"detail":"boom"}`, n >= 3 && n <= 5
	}}
	s, printed, notes := testStream(t, f)
	s.following = true
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := s.forward(ctx, now/1e6-1000, now/1e6)
	assert.NilError(t, err)
	done := make(chan error)
	go func() { done <- s.follow(ctx, now/1e6-1000, nil) }()
	waitFor(t, func() bool { return f.requestCount() >= 9 })
	cancel()
	assert.NilError(t, <-done)
	assert.DeepEqual(t, *printed, []string{"a", "b", "c"})
	assert.DeepEqual(t, *notes, []string{
		"Warning: API request failed (500 Internal Server Error): boom; retrying until it answers again (Ctrl-C to stop).",
		"Following again.",
	})

	f = &fakeLogServer{lines: lines, answer: func(n int) (int, string, bool) { return 401, `{"detail":"Invalid API key"}`, n == 2 }}
	s, _, _ = testStream(t, f)
	err = s.follow(context.Background(), now/1e6-1000, nil)
	apiErr, ok := errors.AsType[*managementapi.APIError](err)
	assert.Assert(t, ok && apiErr.Status == 401, "%v", err)
}

// A deployment that stops running ends following, saying why.
func TestLogFollowStops(t *testing.T) {
	shortFollowTimings(t)
	f := &fakeLogServer{}
	s, _, notes := testStream(t, f)
	polls := 0
	err := s.follow(context.Background(), time.Now().UnixMilli(), func(context.Context) (string, error) {
		if polls++; polls == 3 {
			return "Deployment d1 is INACTIVE", nil
		}
		return "", nil
	})
	assert.NilError(t, err)
	assert.DeepEqual(t, *notes, []string{"Deployment d1 is INACTIVE; stopped following."})
}

// 200,000 lines stream through with only the boundary remembered.
func TestLogWindowMemoryFlat(t *testing.T) {
	const lines = 200_000
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		start, _ := strconv.ParseInt(q.Get("start_epoch_millis"), 10, 64)
		end, _ := strconv.ParseInt(q.Get("end_epoch_millis"), 10, 64)
		var b strings.Builder
		b.WriteString(`{"logs":[`)
		// Line i is at base + i*0.4 ms: two or three lines a millisecond.
		first := max(0, (start*1e6-base+399_999)/400_000)
		n := 0
		for i := first; i < lines && n < 1000; i++ {
			ts := base + i*400_000
			if ts >= (end+1)*1e6 {
				break
			}
			if n > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"timestamp":"%d","message":"line %d","replica":"abcde","level":"INFO"}`, ts, i)
			n++
		}
		b.WriteString("]}")
		w.Write([]byte(b.String()))
	})
	s, _, _ := testStream(t, srv)
	count, maxSeen := 0, 0
	s.emit = func(e *managementapi.LogEntry) error {
		if want := fmt.Sprintf("line %d", count); e.Message != want {
			return fmt.Errorf("got %q, want %q", e.Message, want)
		}
		count++
		maxSeen = max(maxSeen, len(s.seen))
		return nil
	}
	_, err := s.forward(context.Background(), base/1e6, base/1e6+100_000)
	assert.NilError(t, err)
	assert.Equal(t, count, lines)
	// The lines of two milliseconds at most: the boundary before the page and the one after it.
	assert.Assert(t, maxSeen <= 6, "remembered %d lines at once", maxSeen)
}

func shortFollowTimings(t *testing.T) {
	saved := []time.Duration{logPollInterval, logMaxPollInterval}
	logPollInterval, logMaxPollInterval = time.Millisecond, 4*time.Millisecond
	t.Cleanup(func() { logPollInterval, logMaxPollInterval = saved[0], saved[1] })
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(time.Millisecond)
	}
}

// A line stamped far in the future (a replica with a wrong clock, or a lie)
// does not blind following: the lines that come after it are printed.
func TestLogFollowFutureLine(t *testing.T) {
	shortFollowTimings(t)
	const ms = int64(time.Millisecond)
	now := time.Now().UnixNano()
	future := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	lines := []fakeLogLine{
		{ts: now - 50*ms, msg: "window", arrive: 1},
		{ts: now + 100*ms, msg: "new", arrive: 3},
		{ts: future, msg: "from the future", arrive: 1},
	}
	f := &fakeLogServer{lines: lines}
	s, printed, _ := testStream(t, f)
	s.following = true
	ctx, cancel := context.WithCancel(context.Background())
	_, err := s.forward(ctx, (now-time.Minute.Nanoseconds())/ms, now/ms)
	assert.NilError(t, err)
	done := make(chan error)
	go func() { done <- s.follow(ctx, (now-time.Minute.Nanoseconds())/ms, nil) }()
	waitFor(t, func() bool { return f.requestCount() >= 6 })
	cancel()
	assert.NilError(t, <-done)
	assert.DeepEqual(t, *printed, []string{"window", "from the future", "new"})
}

// A server that ignores direction (answers newest first when asked for
// oldest first, or the reverse) is an error, not a window silently missing
// its middle or --limit printing the oldest lines as the most recent.
func TestLogWindowDirectionIgnored(t *testing.T) {
	const ms = int64(time.Millisecond)
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	var lines []fakeLogLine
	for i := range 20 {
		lines = append(lines, fakeLogLine{ts: base + int64(i)*ms, replica: "r", msg: "line " + strconv.Itoa(i)})
	}
	for _, flip := range []string{"asc", "desc"} {
		t.Run("answers "+flip, func(t *testing.T) {
			f := &fakeLogServer{lines: lines}
			s, printed, _ := testStream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				q.Set("direction", flip)
				r.URL.RawQuery = q.Encode()
				f.ServeHTTP(w, r)
			}))
			s.pageSize = 5
			var err error
			if flip == "desc" {
				_, err = s.forward(context.Background(), base/ms, base/ms+1000)
			} else {
				err = s.latest(context.Background(), base/ms, base/ms+1000, 3)
			}
			assert.ErrorContains(t, err, "ignores direction")
			assert.Assert(t, len(*printed) <= 5, "%v", *printed)
		})
	}
}

// --limit larger than what is kept in memory: the N most recent lines are
// found by counting backwards, then streamed forwards as pages arrive, so
// memory does not grow with N (a --limit of a million on a big window).
// Ties at the cutoff's nanosecond are cut exactly.
func TestLogWindowLatestStreamed(t *testing.T) {
	const ms = int64(time.Millisecond)
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	var lines []fakeLogLine
	for i := range 600 {
		// Three lines a millisecond, two of them at the same nanosecond.
		at := base + int64(i/3)*ms + int64(i%3/2)*7
		lines = append(lines, fakeLogLine{ts: at, replica: "r" + strconv.Itoa(i%2), msg: "line " + strconv.Itoa(i)})
	}
	saved := logLatestInMemory
	logLatestInMemory = 20
	defer func() { logLatestInMemory = saved }()
	for _, n := range []int{21, 100, 301, 302, 599, 600, 10_000} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			f := &fakeLogServer{lines: lines}
			s, printed, _ := testStream(t, f)
			s.pageSize = 7
			requestsAtFirstLine, maxSeen := -1, 0
			emit := s.emit
			s.emit = func(e *managementapi.LogEntry) error {
				if requestsAtFirstLine < 0 {
					requestsAtFirstLine = f.requestCount()
				}
				maxSeen = max(maxSeen, len(s.seen))
				return emit(e)
			}
			assert.NilError(t, s.latest(context.Background(), base/ms, base/ms+1000, n))
			want := messages(lines[max(0, len(lines)-n):])
			assert.DeepEqual(t, *printed, want)
			assert.Assert(t, requestsAtFirstLine < f.requestCount()-1, "printed only after %d of %d requests", requestsAtFirstLine, f.requestCount())
			assert.Assert(t, maxSeen <= 6, "remembered %d lines at once", maxSeen)
		})
	}
}

// A 429 whose Retry-After is longer than the client waits by itself is
// honoured while following, not polled through every 10 seconds.
func TestLogFollowRetryAfter(t *testing.T) {
	shortFollowTimings(t)
	var mu sync.Mutex
	var waits []time.Duration
	saved := logSleep
	logSleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return nil
	}
	defer func() { logSleep = saved }()
	f := &fakeLogServer{}
	srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.requestCount() == 0 {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"detail":"slow down"}`)
			f.mu.Lock()
			f.requests = append(f.requests, r.URL.Query())
			f.mu.Unlock()
			return
		}
		f.ServeHTTP(w, r)
	})
	s, _, notes := testStream(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.follow(ctx, time.Now().UnixMilli(), nil) }()
	waitFor(t, func() bool { return f.requestCount() >= 3 })
	cancel()
	assert.NilError(t, <-done)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, waits[1], 120*time.Second, "%v", waits)
	assert.Assert(t, len(*notes) > 0 && strings.Contains((*notes)[0], "asked to wait 2m"), "%v", *notes)
}

// A line just older than the horizon (within its first millisecond) was
// not remembered; following asks again from that millisecond and must not
// print it twice.
func TestLogFollowHorizonMillisecond(t *testing.T) {
	shortFollowTimings(t)
	const ms = int64(time.Millisecond)
	now := time.Now().UnixNano() / ms * ms // on a millisecond
	newest := now + ms/2
	lines := []fakeLogLine{
		{ts: newest - int64(logLateHorizon) - ms/4, msg: "just outside the horizon", arrive: 1},
		{ts: newest, msg: "newest", arrive: 1},
	}
	f := &fakeLogServer{lines: lines}
	s, printed, _ := testStream(t, f)
	s.following = true
	ctx, cancel := context.WithCancel(context.Background())
	from := (now - time.Minute.Nanoseconds()) / ms
	_, err := s.forward(ctx, from, now/ms+1)
	assert.NilError(t, err)
	done := make(chan error)
	go func() { done <- s.follow(ctx, from, nil) }()
	waitFor(t, func() bool { return f.requestCount() >= 4 })
	cancel()
	assert.NilError(t, <-done)
	assert.DeepEqual(t, *printed, []string{"just outside the horizon", "newest"})
}

// Following a window of 7 days with no lines in it: the polls must not ask
// for more than the 7 days the API serves (it refuses such a request).
func TestLogFollowQuietSevenDays(t *testing.T) {
	shortFollowTimings(t)
	f := &fakeLogServer{}
	srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start, _ := strconv.ParseInt(r.URL.Query().Get("start_epoch_millis"), 10, 64)
		if time.Now().UnixMilli()-start > maxLogWindow.Milliseconds() {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"detail":"The window from start to end must not exceed 7 days."}`)
			return
		}
		f.ServeHTTP(w, r)
	})
	s, _, _ := testStream(t, srv)
	s.following = true
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.follow(ctx, time.Now().Add(-maxLogWindow).UnixMilli(), nil) }()
	waitFor(t, func() bool { return f.requestCount() >= 3 || len(done) > 0 })
	cancel()
	assert.NilError(t, <-done)
}

// A page in time order but for one late line at its end (a pipeline that
// orders by arrival) is sorted, not taken for a server ignoring direction.
func TestLogWindowPageWithLateLineAtEnd(t *testing.T) {
	const ms = int64(time.Millisecond)
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	page := []map[string]any{}
	for i := range 4 {
		page = append(page, map[string]any{"timestamp": strconv.FormatInt(base+int64(10+i)*ms, 10), "message": "m" + strconv.Itoa(i+1)})
	}
	page = append(page, map[string]any{"timestamp": strconv.FormatInt(base, 10), "message": "late"})
	body, _ := json.Marshal(map[string]any{"logs": page})
	f := &fakeLogServer{answer: func(int) (int, string, bool) { return 200, string(body), true }}
	s, printed, _ := testStream(t, f)
	_, err := s.forward(context.Background(), base/ms, base/ms+1000)
	assert.NilError(t, err)
	assert.DeepEqual(t, *printed, []string{"late", "m1", "m2", "m3", "m4"})
}
