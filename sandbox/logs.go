package sandbox

// The sandbox's deployment logs. Nothing is stored: every deployment
// produces lines at a steady rate while it is active, each line a pure
// function of the deployment's ID and the tick it falls on, so that a
// window asked for twice (or by two clients) answers the same lines, and
// `--follow` sees new ones appear. The mix is meant to exercise a client:
// every level and lines without one, two replicas, request IDs, bursts of
// lines sharing one timestamp exactly (a traceback logged at once), a few
// very long lines and a few hostile ones carrying terminal escapes.
//
// With Options.LateLogs (`sandbox serve --late-logs FRACTION`) that
// fraction of lines becomes visible only some seconds after its timestamp,
// as the real logging pipeline sometimes delivers them, within the 30 s
// the CLI waits for late lines.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/bits"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// logTick is the time between two log events of a deployment.
const logTick = 500 * time.Millisecond

// Late lines arrive between lateMin and lateMin+lateSpread after their
// timestamp.
const (
	lateMin    = 3 * time.Second
	lateSpread = 20 * time.Second
)

// activeSpan is a time during which a deployment was active and logging.
// A zero To means it still is.
type activeSpan struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to,omitzero"`
}

// logLine is one line as the API sends it (LogV1), with what the filters
// look at besides.
type logLine struct {
	Timestamp string  `json:"timestamp"`
	Message   string  `json:"message"`
	Replica   *string `json:"replica"`
	RequestID *string `json:"request_id"`
	Level     *string `json:"level"`

	ts        int64  // Timestamp as a number
	component string // not in LogV1; only filtered on
	visibleAt int64  // when the pipeline delivers it (ns)
}

// logQuery is a parsed logs request.
type logQuery struct {
	startNs, endNs     int64 // [startNs, endNs)
	desc               bool
	limit              int
	minLevel           int // index in logLevels; -1 for none
	replica, requestID string
	component          string
	search             *regexp.Regexp
	includes, excludes []string
}

var logLevels = []string{"DEBUG", "INFO", "WARNING", "ERROR"}

// The limits the description documents for the query.
const (
	maxLogLimit     = 1000
	defaultLogLimit = 500
	maxLogWindow    = 7 * 24 * time.Hour
	defaultLogSpan  = 30 * time.Minute
	maxLogFilters   = 8
	maxLogFilterLen = 256
)

// parseLogQuery reads the query of a logs request the way FastAPI
// validates it: each problem is one entry of a 422's detail.
func parseLogQuery(values map[string][]string, now time.Time) (logQuery, []validationError) {
	var problems []validationError
	bad := func(name, msg, typ string) {
		problems = append(problems, validationError{Loc: []any{"query", name}, Msg: msg, Type: typ})
	}
	one := func(name string) (string, bool) {
		v := values[name]
		if len(v) == 0 {
			return "", false
		}
		return v[len(v)-1], true // FastAPI takes the last of repeated scalars
	}
	q := logQuery{limit: defaultLogLimit, minLevel: -1}
	millis := func(name string) (int64, bool) {
		s, ok := one(name)
		if !ok || s == "" {
			return 0, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > 1<<43 { // past year 280,000: not a time
			bad(name, "Input should be a valid integer", "int_parsing")
			return 0, false
		}
		return n, true
	}
	endMs, hasEnd := millis("end_epoch_millis")
	startMs, hasStart := millis("start_epoch_millis")
	if !hasEnd {
		endMs = now.UnixMilli()
	}
	if !hasStart {
		startMs = endMs - defaultLogSpan.Milliseconds()
	}
	if s, ok := one("direction"); ok && s != "" {
		switch s {
		case "asc":
		case "desc":
			q.desc = true
		default:
			bad("direction", "Input should be 'asc' or 'desc'", "enum")
		}
	}
	if s, ok := one("limit"); ok && s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			bad("limit", "Input should be a valid integer", "int_parsing")
		case n < 1:
			bad("limit", "Input should be greater than or equal to 1", "greater_than_equal")
		case n > maxLogLimit:
			bad("limit", fmt.Sprintf("Input should be less than or equal to %d", maxLogLimit), "less_than_equal")
		default:
			q.limit = n
		}
	}
	if s, ok := one("min_level"); ok && s != "" {
		q.minLevel = -1
		for i, l := range logLevels {
			if s == l {
				q.minLevel = i
			}
		}
		if q.minLevel < 0 {
			bad("min_level", "Input should be 'DEBUG', 'INFO', 'WARNING' or 'ERROR'", "enum")
		}
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"replica", &q.replica}, {"request_id", &q.requestID}, {"component", &q.component}, {"search_pattern", nil}} {
		s, _ := one(f.name)
		if len([]rune(s)) > maxLogFilterLen {
			bad(f.name, fmt.Sprintf("String should have at most %d characters", maxLogFilterLen), "string_too_long")
			continue
		}
		if f.dst != nil {
			*f.dst = s
		} else if s != "" {
			re, err := regexp.Compile(s)
			if err != nil {
				bad(f.name, "Value error, invalid RE2 pattern: "+err.Error(), "value_error")
			}
			q.search = re
		}
	}
	for _, f := range []struct {
		name string
		dst  *[]string
	}{{"includes", &q.includes}, {"excludes", &q.excludes}} {
		if v := values[f.name]; len(v) > maxLogFilters {
			bad(f.name, fmt.Sprintf("List should have at most %d items after validation, not %d", maxLogFilters, len(v)), "too_long")
		} else {
			*f.dst = v
		}
	}
	if len(problems) == 0 {
		switch {
		case endMs < startMs:
			bad("end_epoch_millis", "Value error, the end must not be before the start", "value_error")
		case time.Duration(endMs-startMs)*time.Millisecond > maxLogWindow:
			bad("start_epoch_millis", "Value error, the window from start to end must not exceed 7 days", "value_error")
		}
	}
	// Both ends count to the millisecond: the end's whole millisecond is in.
	q.startNs, q.endNs = startMs*int64(time.Millisecond), (endMs+1)*int64(time.Millisecond)
	return q, problems
}

// deploymentLogs is what a deployment's lines are made from.
type deploymentLogs struct {
	id     string
	active []activeSpan
}

// collectLogs answers a query over the lines of some deployments (one for
// a deployment's logs, every deployment an environment served for an
// environment's): at most q.limit lines in the requested order, as of now,
// with a fraction late of them delivered late.
func collectLogs(deps []deploymentLogs, q logQuery, now time.Time, late float64) []logLine {
	var merged []logLine
	for _, d := range deps {
		merged = mergeLogs(merged, d.lines(q, now, late), q.desc, q.limit)
	}
	return merged
}

// mergeLogs merges two lists sorted in the query's order, keeping limit.
func mergeLogs(a, b []logLine, desc bool, limit int) []logLine {
	out := make([]logLine, 0, min(len(a)+len(b), limit))
	for len(out) < limit && (len(a) > 0 || len(b) > 0) {
		if len(b) == 0 || len(a) > 0 && (a[0].ts == b[0].ts || (a[0].ts < b[0].ts) != desc) {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

// lines walks the deployment's ticks through the window in the query's
// order and keeps the lines that pass the filters, up to the limit.
func (d deploymentLogs) lines(q logQuery, now time.Time, late float64) []logLine {
	var out []logLine
	nowNs := now.UnixNano()
	tick := int64(logTick)
	first, last := q.startNs/tick, min(q.endNs, nowNs+1)/tick
	step := int64(1)
	k := first
	if q.desc {
		k, step = last, -1
	}
	for ; k >= first && k <= last && len(out) < q.limit; k += step {
		at := time.Unix(0, k*tick)
		if !d.activeAt(at) {
			continue
		}
		event := d.event(k)
		if q.desc {
			for j := len(event) - 1; j >= 0 && len(out) < q.limit; j-- {
				out = d.keep(out, event[j], q, nowNs, late)
			}
		} else {
			for j := 0; j < len(event) && len(out) < q.limit; j++ {
				out = d.keep(out, event[j], q, nowNs, late)
			}
		}
	}
	return out
}

func (d deploymentLogs) keep(out []logLine, l logLine, q logQuery, nowNs int64, late float64) []logLine {
	if l.ts < q.startNs || l.ts >= q.endNs || l.ts > nowNs {
		return out
	}
	if late > 0 {
		h := logHash(d.id, l.ts, 7)
		if float64(h%1_000_000)/1_000_000 < late {
			l.visibleAt = l.ts + int64(lateMin) + int64(h>>20)%int64(lateSpread)
		}
	}
	if l.visibleAt > nowNs || !q.matches(&l) {
		return out
	}
	return append(out, l)
}

func (d deploymentLogs) activeAt(t time.Time) bool {
	for _, s := range d.active {
		if !t.Before(s.From) && (s.To.IsZero() || t.Before(s.To)) {
			return true
		}
	}
	return false
}

func (q *logQuery) matches(l *logLine) bool {
	if q.minLevel >= 0 {
		if l.Level == nil {
			return false
		}
		for i, name := range logLevels {
			if name == *l.Level && i < q.minLevel {
				return false
			}
		}
	}
	switch {
	case q.replica != "" && (l.Replica == nil || *l.Replica != q.replica),
		q.requestID != "" && (l.RequestID == nil || *l.RequestID != q.requestID),
		q.component != "" && l.component != q.component,
		q.search != nil && !q.search.MatchString(l.Message):
		return false
	}
	for _, s := range q.includes {
		if !strings.Contains(l.Message, s) {
			return false
		}
	}
	for _, s := range q.excludes {
		if strings.Contains(l.Message, s) {
			return false
		}
	}
	return true
}

// event is what the deployment logs at tick k: usually one line, sometimes
// a burst of lines with one timestamp.
func (d deploymentLogs) event(k int64) []logLine {
	h := logHash(d.id, k, 0)
	ts := k*int64(logTick) + int64(h>>40)%int64(logTick) // jitter within the tick, to the nanosecond
	replica := d.replica(int(h>>8) % 2)
	line := func(level, component, message string, requestID string) logLine {
		l := logLine{Timestamp: strconv.FormatInt(ts, 10), Message: message, Replica: &replica, ts: ts, component: component}
		if level != "" {
			l.Level = &level
		}
		if requestID != "" {
			l.RequestID = &requestID
		}
		return l
	}
	req := fmt.Sprintf("req-%012x", logHash(d.id, k, 1)>>16)
	switch r := h % 1000; {
	case r < 8: // a traceback, logged at once
		return []logLine{
			line("ERROR", "model", "Traceback (most recent call last):", req),
			line("ERROR", "model", `  File "/app/model/model.py", line 42, in predict`+"\n", req),
			line("ERROR", "model", "ValueError: input too long\n", req),
		}
	case r < 14: // a very long line: a dumped payload
		return []logLine{line("DEBUG", "model", "payload: "+strings.Repeat(fmt.Sprintf("%016x", h), 512), req)}
	case r < 20: // hostile: escapes a terminal would act on
		return []logLine{line("WARNING", "model", "user input: \x1b[2J\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \x1b]52;c;cm0gLXJmIH4=\x07 \u202eevil\u202c \r\n2099-01-01T00:00:00.000Z ERROR xxxxx forged", req)}
	case r < 60:
		return []logLine{line("", "model", fmt.Sprintf("stdout: step %d", k%10000), "")}
	case r < 200:
		return []logLine{line("DEBUG", "model", fmt.Sprintf("batch of %d tokens scheduled", h>>50%512+1), req)}
	case r < 280:
		return []logLine{line("WARNING", "autoscaler", fmt.Sprintf("queue depth %d above target", h>>52%64+8), "")}
	case r < 320:
		return []logLine{line("ERROR", "inference-server", "POST /predict 500 Internal Server Error", req)}
	case r < 650:
		return []logLine{line("INFO", "inference-server", fmt.Sprintf("POST /predict 200 in %d ms", h>>48%900+12), req)}
	default:
		return []logLine{line("INFO", "model", fmt.Sprintf("Completed prediction %d", k%100000), req)}
	}
}

// replica is the i-th of the deployment's two replica IDs: five lowercase
// letters and digits, like the API's short IDs.
func (d deploymentLogs) replica(i int) string {
	return base36Fixed(logHash(d.id, int64(i), 2), 5)
}

func base36Fixed(v uint64, n int) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[v%36]
		v /= 36
	}
	return string(b)
}

// logHash mixes a deployment ID, a number and a salt into well-spread bits
// (FNV-1a over the ID, then splitmix64).
func logHash(id string, n int64, salt uint64) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint64(id[i])) * 1099511628211
	}
	x := h ^ bits.RotateLeft64(uint64(n), 17) ^ salt*0x9e3779b97f4a7c15
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// encodeLogs writes the GetLogsResponseV1 body. HTML characters stay as
// they are, as the API sends them.
func encodeLogs(lines []logLine) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteString(`{"logs":[`)
	for i := range lines {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(&lines[i]); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}
