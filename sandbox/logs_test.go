package sandbox

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gotest.tools/v3/assert"
)

var logsNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func testDeployment() deploymentLogs {
	return deploymentLogs{id: "dep1", active: []activeSpan{{From: logsNow.Add(-2 * time.Hour)}}}
}

func mustQuery(t *testing.T, query string) logQuery {
	t.Helper()
	values, err := url.ParseQuery(query)
	assert.NilError(t, err)
	q, problems := parseLogQuery(values, logsNow)
	assert.Assert(t, len(problems) == 0, "%v", problems)
	return q
}

// The same window answers the same lines, at the steady rate, in order.
func TestLogsDeterministicAndOrdered(t *testing.T) {
	d := testDeployment()
	q := mustQuery(t, "direction=asc&limit=1000")
	a := d.lines(q, logsNow, 0)
	b := d.lines(q, logsNow, 0)
	assert.DeepEqual(t, a, b, cmpLogLine)
	// 30 minutes at two events a second: about 3,600 lines; the page is full.
	assert.Equal(t, len(a), 1000)
	assert.Assert(t, slices.IsSortedFunc(a, func(x, y logLine) int { return int(x.ts - y.ts) }))
	assert.Assert(t, a[0].ts >= logsNow.Add(-30*time.Minute).UnixNano())

	desc := d.lines(mustQuery(t, "direction=desc&limit=10"), logsNow, 0)
	assert.Equal(t, len(desc), 10)
	assert.Assert(t, desc[0].ts <= logsNow.UnixNano() && desc[0].ts >= desc[9].ts)
}

var cmpLogLine = cmp.Comparer(func(x, y logLine) bool { return x.Timestamp == y.Timestamp && x.Message == y.Message })

// Over a whole window there are bursts sharing a timestamp, every level,
// lines without one, long lines and hostile lines, two replicas.
func TestLogsMix(t *testing.T) {
	d := deploymentLogs{id: "dep1", active: []activeSpan{{From: logsNow.Add(-7 * 24 * time.Hour)}}}
	start := logsNow.Add(-3 * time.Hour).UnixMilli()
	q := mustQuery(t, "limit=1000&start_epoch_millis="+strconv.FormatInt(start, 10))
	q.limit = 1 << 30
	lines := d.lines(q, logsNow, 0)
	assert.Assert(t, len(lines) > 20000)
	levels, replicas := map[string]int{}, map[string]bool{}
	shared, long, hostile := 0, 0, 0
	for i, l := range lines {
		if l.Level == nil {
			levels["null"]++
		} else {
			levels[*l.Level]++
		}
		replicas[*l.Replica] = true
		if i > 0 && lines[i-1].ts == l.ts {
			shared++
		}
		if len(l.Message) > 4000 {
			long++
		}
		if strings.Contains(l.Message, "\x1b") {
			hostile++
		}
	}
	assert.Equal(t, len(levels), 5, "%v", levels)
	assert.Equal(t, len(replicas), 2)
	assert.Assert(t, shared > 0 && long > 0 && hostile > 0, "shared %d long %d hostile %d", shared, long, hostile)
}

func TestLogsFilters(t *testing.T) {
	d := testDeployment()
	all := d.lines(mustQuery(t, "limit=1000"), logsNow, 0)
	replica := *all[0].Replica
	for _, tc := range []struct {
		query string
		keep  func(l logLine) bool
	}{
		{"min_level=WARNING", func(l logLine) bool { return l.Level != nil && (*l.Level == "WARNING" || *l.Level == "ERROR") }},
		{"replica=" + replica, func(l logLine) bool { return *l.Replica == replica }},
		{"component=autoscaler", func(l logLine) bool { return strings.HasPrefix(l.Message, "queue depth") }},
		{"request_id=" + *all[1].RequestID, func(l logLine) bool { return l.RequestID != nil && *l.RequestID == *all[1].RequestID }},
		{"search_pattern=" + url.QueryEscape(`^POST /predict 2\d\d`), func(l logLine) bool { return strings.HasPrefix(l.Message, "POST /predict 200") }},
		{"includes=POST&includes=200", func(l logLine) bool { return strings.Contains(l.Message, "POST") && strings.Contains(l.Message, "200") }},
		{"excludes=POST&excludes=batch", func(l logLine) bool {
			return !strings.Contains(l.Message, "POST") && !strings.Contains(l.Message, "batch")
		}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			got := d.lines(mustQuery(t, tc.query+"&limit=1000"), logsNow, 0)
			var want []logLine
			for _, l := range all {
				if tc.keep(l) {
					want = append(want, l)
				}
			}
			assert.Assert(t, len(want) > 0)
			// The filtered query fills its page from further on; its start is what all holds.
			assert.DeepEqual(t, got[:len(want)], want, cmpLogLine)
		})
	}
}

// With late lines, a line is answered only once the pipeline delivered it,
// never more than lateMin+lateSpread after its time.
func TestLogsLate(t *testing.T) {
	d := testDeployment()
	q := mustQuery(t, "limit=1000&start_epoch_millis="+strconv.FormatInt(logsNow.Add(-time.Minute).UnixMilli(), 10))
	onTime := d.lines(q, logsNow, 0)
	withLate := d.lines(q, logsNow, 0.5)
	later := d.lines(q, logsNow.Add(lateMin+lateSpread), 0.5)
	assert.Assert(t, len(withLate) < len(onTime))
	var settled []logLine
	for _, l := range later {
		if l.ts <= logsNow.UnixNano() {
			settled = append(settled, l)
		}
	}
	assert.DeepEqual(t, settled, onTime, cmpLogLine)
}

func TestLogsQueryProblems(t *testing.T) {
	for query, loc := range map[string]string{
		"limit=0":              "limit",
		"limit=1001":           "limit",
		"limit=x":              "limit",
		"direction=up":         "direction",
		"min_level=TRACE":      "min_level",
		"search_pattern=a(":    "search_pattern",
		"start_epoch_millis=1": "start_epoch_millis",
		"start_epoch_millis=2&end_epoch_millis=1": "end_epoch_millis",
		"replica=" + strings.Repeat("r", 257):     "replica",
		"includes=1&includes=2&includes=3&includes=4&includes=5&includes=6&includes=7&includes=8&includes=9": "includes",
	} {
		values, _ := url.ParseQuery(query)
		_, problems := parseLogQuery(values, logsNow)
		assert.Assert(t, len(problems) == 1, "%s: %v", query, problems)
		assert.Equal(t, problems[0].Loc[1], loc, query)
	}
}

func TestEncodeLogs(t *testing.T) {
	lines := testDeployment().lines(mustQuery(t, "limit=50"), logsNow, 0)
	body, err := encodeLogs(lines)
	assert.NilError(t, err)
	var decoded struct {
		Logs []map[string]any `json:"logs"`
	}
	assert.NilError(t, json.Unmarshal(body, &decoded))
	assert.Equal(t, len(decoded.Logs), 50)
	assert.Equal(t, decoded.Logs[0]["timestamp"], lines[0].Timestamp)
	assert.Assert(t, !strings.Contains(string(body), "\n,"), "no newline inside the body")
}
