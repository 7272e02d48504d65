package commands_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/sandbox"
)

// A fixed half hour in the past: the seed production deployment has been
// logging since 2024, so the window is full and the same on every run.
const (
	logStart = "2026-03-01T09:00:00Z"
	logEnd   = "2026-03-01T09:30:00Z"
)

func deploymentLogs(args ...string) []string {
	return append([]string{"model", "deployment", "logs", "--model-id", sandbox.SeedModelID, "--deployment-id", sandbox.SeedProductionID}, args...)
}

// logObject is a line of -o jsonl output.
type logObject struct {
	Timestamp string  `json:"timestamp"`
	Message   string  `json:"message"`
	Replica   *string `json:"replica"`
	RequestID *string `json:"request_id"`
	Level     *string `json:"level"`
	raw       string
}

func parseJSONL(t *testing.T, out string) []logObject {
	t.Helper()
	var lines []logObject
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		var l logObject
		assert.NilError(t, json.Unmarshal([]byte(line), &l), line)
		l.raw = line
		lines = append(lines, l)
	}
	return lines
}

func ts(t *testing.T, l logObject) int64 {
	n, err := strconv.ParseInt(l.Timestamp, 10, 64)
	assert.NilError(t, err)
	return n
}

// The whole window, paged through: in order, each line once, inside the
// window, several pages of requests with direction=asc.
func TestDeploymentLogsWholeWindow(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	got := r.run(deploymentLogs("--start", logStart, "--end", logEnd, "-o", "jsonl")...)
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, got.Stderr, "")
	lines := parseJSONL(t, got.Stdout)
	assert.Assert(t, len(lines) > 3000, "%d lines", len(lines)) // two events a second, some of several lines
	start, _ := time.Parse(time.RFC3339, logStart)
	end, _ := time.Parse(time.RFC3339, logEnd)
	seen := map[string]bool{}
	sharing := 0
	for i, l := range lines {
		at := ts(t, l)
		assert.Assert(t, at >= start.UnixNano() && at < end.UnixNano()+1e6, l.raw)
		if i > 0 {
			assert.Assert(t, at >= ts(t, lines[i-1]), "out of order at %d", i)
			if at == ts(t, lines[i-1]) {
				sharing++
			}
		}
		assert.Assert(t, !seen[l.raw], "printed twice: %s", l.raw)
		seen[l.raw] = true
	}
	assert.Assert(t, sharing > 0, "the window should hold lines that share a timestamp")
	requests := a.Requests()
	assert.Assert(t, len(requests) >= 4, "%v", requests)
	for _, req := range requests {
		assert.Equal(t, req, "GET /v1/models/"+sandbox.SeedModelID+"/deployments/"+sandbox.SeedProductionID+"/logs")
	}

	// Text: the same lines, one a line, sanitized, long lines whole.
	text := r.run(deploymentLogs("--start", logStart, "--end", logEnd, "--utc")...)
	assert.Equal(t, text.Code, 0, text.Stderr)
	textLines := strings.Split(strings.TrimSuffix(text.Stdout, "\n"), "\n")
	assert.Equal(t, len(textLines), len(lines))
	assert.Assert(t, !strings.ContainsAny(text.Stdout, "\x1b\x07\r"), "terminal control in the text output")
	first := lines[0]
	level := "-"
	if first.Level != nil {
		level = *first.Level
	}
	wantFirst := fmt.Sprintf("%s %-7s %-5s %s", time.Unix(0, ts(t, first)).UTC().Format("2006-01-02T15:04:05.000Z"), level, *first.Replica, strings.TrimSuffix(first.Message, "\n"))
	assert.Equal(t, textLines[0], wantFirst)
	longest := 0
	for _, l := range textLines {
		longest = max(longest, len(l))
	}
	assert.Assert(t, longest > 8000, "long lines are not truncated (longest %d)", longest)
	assert.Assert(t, strings.Contains(text.Stdout, `\r\n2099-01-01T00:00:00.000Z ERROR xxxxx forged`), "a message cannot forge a line")

	// json: one object of the whole window, the same lines.
	doc := r.run(deploymentLogs("--start", logStart, "--end", logEnd, "-o", "json")...)
	assert.Equal(t, doc.Code, 0, doc.Stderr)
	var whole struct{ Logs []logObject }
	assert.NilError(t, json.Unmarshal([]byte(doc.Stdout), &whole))
	assert.Equal(t, len(whole.Logs), len(lines))
	assert.Equal(t, whole.Logs[len(lines)-1].Timestamp, lines[len(lines)-1].Timestamp)

	// --limit: the most recent lines, oldest first, paged backwards.
	a.Reset()
	latest := r.run(deploymentLogs("--start", logStart, "--end", logEnd, "-o", "jsonl", "--limit", "1500")...)
	assert.Equal(t, latest.Code, 0, latest.Stderr)
	assert.DeepEqual(t, rawLines(parseJSONL(t, latest.Stdout)), rawLines(lines[len(lines)-1500:]))
	assert.Assert(t, len(a.Requests()) >= 2)
}

func rawLines(lines []logObject) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.raw
	}
	return out
}

// Every filter is sent to the API as it documents it, and the sandbox
// honours it: the result is the matching lines of the unfiltered window.
func TestDeploymentLogsFilters(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	window := []string{"--start", logStart, "--end", "2026-03-01T09:10:00Z", "-o", "jsonl"}
	all := parseJSONL(t, r.run(deploymentLogs(window...)...).Stdout)
	replica := *all[0].Replica
	var requestID string
	for _, l := range all {
		if l.RequestID != nil {
			requestID = *l.RequestID
			break
		}
	}
	is := func(p *string, v string) bool { return p != nil && *p == v }
	for _, tc := range []struct {
		flags []string
		keep  func(l logObject) bool
	}{
		{[]string{"--min-level", "WARNING"}, func(l logObject) bool { return is(l.Level, "WARNING") || is(l.Level, "ERROR") }},
		{[]string{"--min-level", "debug"}, func(l logObject) bool { return l.Level != nil }},
		{[]string{"--replica", replica}, func(l logObject) bool { return is(l.Replica, replica) }},
		{[]string{"--request-id", requestID}, func(l logObject) bool { return is(l.RequestID, requestID) }},
		{[]string{"--include", "POST", "--include", "200"}, func(l logObject) bool {
			return strings.Contains(l.Message, "POST") && strings.Contains(l.Message, "200")
		}},
		{[]string{"--exclude", "POST", "--exclude", "batch"}, func(l logObject) bool {
			return !strings.Contains(l.Message, "POST") && !strings.Contains(l.Message, "batch")
		}},
		{[]string{"--search", `^POST /predict 5\d\d`}, func(l logObject) bool { return regexp.MustCompile(`^POST /predict 5\d\d`).MatchString(l.Message) }},
		{[]string{"--component", "autoscaler"}, func(l logObject) bool { return strings.HasPrefix(l.Message, "queue depth") }},
	} {
		t.Run(strings.Join(tc.flags, " "), func(t *testing.T) {
			got := r.run(deploymentLogs(append(window, tc.flags...)...)...)
			assert.Equal(t, got.Code, 0, got.Stderr)
			var want []logObject
			for _, l := range all {
				if tc.keep(l) {
					want = append(want, l)
				}
			}
			assert.Assert(t, len(want) > 0)
			assert.DeepEqual(t, rawLines(parseJSONL(t, got.Stdout)), rawLines(want))
		})
	}

	// --jq runs on each line in jsonl mode.
	got := r.run(deploymentLogs("--start", logStart, "--end", "2026-03-01T09:10:00Z", "--min-level", "error", "--jq", ".level")...)
	assert.Equal(t, got.Code, 0, got.Stderr)
	for _, line := range strings.Split(strings.TrimSuffix(got.Stdout, "\n"), "\n") {
		assert.Equal(t, line, `"ERROR"`)
	}
}

// What the command line alone shows to be wrong is refused before any request.
func TestDeploymentLogsUsageErrors(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	nine := []string{}
	for i := range 9 {
		nine = append(nine, "--include", strconv.Itoa(i))
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--since", "8d"}, "Error: --since 192h is more than the 7 days of logs one window may span"},
		{[]string{"--since", "soon"}, `Error: invalid --since "soon": not a duration`},
		{[]string{"--since", "99999999h"}, `Error: invalid --since "99999999h": more than the 7 days of logs one window may span`},
		{[]string{"--since", "400d"}, `Error: invalid --since "400d": more than the 7 days of logs one window may span`},
		{[]string{"--start", logEnd, "--end", logStart}, "Error: the window ends (--end) before it starts (--start)"},
		{[]string{"--start", "2026-03-01", "--end", "2026-03-09"}, "Error: the window from --start to --end spans 192h, more than the 7 days one window may span"},
		{[]string{"--since", "1h", "--start", logStart}, "Error: --since cannot be combined with --start or --end"},
		{[]string{"--start", "yesterday"}, `Error: invalid --start "yesterday": not an ISO 8601 time`},
		{[]string{"--follow", "-o", "json"}, "Error: --output json cannot be combined with --follow"},
		{[]string{"--follow", "--start", logStart, "--end", logEnd}, "Error: --follow cannot be combined with --end"},
		{[]string{"--search", "a("}, "Error: invalid --search pattern: missing closing ): `a(`"},
		{nine, "Error: --include was given 9 times; the API takes at most 8"},
		{[]string{"--exclude", ""}, "Error: --exclude needs a text: an empty one matches every line"},
		{[]string{"--limit", "0"}, "Error: --limit must be at least 1, not 0"},
		{[]string{"--min-level", "fatal"}, "Error: --min-level must be one of"},
		{[]string{"--replica", strings.Repeat("r", 257)}, "Error: --replica is 257 characters long; the API takes at most 256"},
		{[]string{"--jq", ".", "-o", "text"}, "Error: --jq cannot be combined with --output text"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			got := r.run(deploymentLogs(tc.args...)...)
			assert.Equal(t, got.Code, 2, got.Stderr)
			assert.Assert(t, strings.HasPrefix(got.Stderr, tc.want), got.Stderr)
			assert.Equal(t, got.Stdout, "")
		})
	}
	assert.DeepEqual(t, a.Requests(), []string{})
	// The deployment ID goes into a path: checked like every ID.
	got := r.run("model", "deployment", "logs", "--model-id", sandbox.SeedModelID, "--deployment-id", "../x")
	assert.Equal(t, got.Code, 2, got.Stderr)
}

func TestLogsNotFound(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	got := r.run("model", "deployment", "logs", "--model-id", sandbox.SeedModelID, "--deployment-id", "nosuch")
	assert.Equal(t, got.Code, 4, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: no deployment "nosuch" in model `+sandbox.SeedModelID), got.Stderr)
	got = r.run("model", "environment", "logs", "--model-name", "llama-chat", "--environment", "nosuch")
	assert.Equal(t, got.Code, 4, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stderr, `Error: no environment "nosuch" in model llama-chat`), got.Stderr)
}

// --follow on a deployment that is not running prints the window and
// stops, saying why.
func TestDeploymentLogsFollowStops(t *testing.T) {
	restore := commands.ShortenLogPolls(time.Millisecond)
	defer restore()
	a, _ := sandboxAPI(t, sandbox.Options{})
	got := newRunner(a).run("model", "deployment", "logs", "--model-id", sandbox.SeedModelID, "--deployment-id", sandbox.SeedStagingID, "--follow")
	assertResult(t, got, "", "Deployment "+sandbox.SeedStagingID+" is INACTIVE; stopped following.\n", 0)
}

// --follow prints new lines as the sandbox makes them, each once, in
// order, until Ctrl-C, which is exit 0.
func TestDeploymentLogsFollow(t *testing.T) {
	restore := commands.ShortenLogPolls(20 * time.Millisecond)
	defer restore()
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	ctx, cancel := context.WithCancel(context.Background())
	r.ctx = ctx
	out := &lockedBuffer{}
	r.stdout = out
	var got result
	done := make(chan struct{})
	go func() {
		got = r.run(deploymentLogs("--limit", "2", "--follow", "-o", "jsonl")...)
		close(done)
	}()
	// Two events a second: within a few seconds the two lines have company.
	deadline := time.Now().Add(20 * time.Second)
	for strings.Count(out.String(), "\n") < 6 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, got.Stderr, "")
	lines := parseJSONL(t, out.String())
	assert.Assert(t, len(lines) >= 6, "%d lines", len(lines))
	seen := map[string]bool{}
	for i, l := range lines {
		assert.Assert(t, !seen[l.raw], "printed twice: %s", l.raw)
		seen[l.raw] = true
		if i > 0 {
			assert.Assert(t, ts(t, l) >= ts(t, lines[i-1]))
		}
	}
}

// A closed stdout (`| head`) ends the command quietly with exit 0.
func TestLogsClosedStdout(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	r.stdout = &closingWriter{after: 3}
	got := r.run(deploymentLogs("--start", logStart, "--end", logEnd)...)
	assertResult(t, got, "", "", 0)
	assert.Assert(t, len(a.Requests()) <= 2, "stopped at once: %v", a.Requests())
}

// A server whose pages always start over is given up on, exit 1.
func TestLogsSamePageForever(t *testing.T) {
	page := `{"logs":[{"timestamp":"1772355600000000000","message":"a","replica":null},{"timestamp":"1772355600500000000","message":"b","replica":null}]}`
	var n int
	var mu sync.Mutex
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/logs") && r.URL.Query().Get("limit") == "1000" {
			// A full page that ignores start: pad it to the limit.
			var b strings.Builder
			b.WriteString(`{"logs":[`)
			for i := range 1000 {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"timestamp":"%d","message":"m%d","replica":"r"}`, 1772355600000000000+int64(i)*1e6, i)
			}
			b.WriteString("]}")
			w.Write([]byte(b.String()))
			return
		}
		w.Write([]byte(page))
	}))
	got := newRunner(a).run(deploymentLogs("--start", logStart, "--end", logEnd)...)
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, strings.Contains(got.Stderr, "Error: unexpected response from the API: logs: asked for lines from 2026-03-01T09:00:00.999Z, the API answered a full page that does not move past it"), got.Stderr)
	assert.Equal(t, strings.Count(got.Stdout, "\n"), 1000)
	assert.Equal(t, n, 2)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// closingWriter takes a few writes, then fails as a closed pipe does.
type closingWriter struct{ after int }

func (c *closingWriter) Write(p []byte) (int, error) {
	if c.after == 0 {
		return 0, &wrappedErrno{syscall.EPIPE}
	}
	c.after--
	return len(p), nil
}

type wrappedErrno struct{ err error }

func (w *wrappedErrno) Error() string { return "write /dev/stdout: " + w.err.Error() }
func (w *wrappedErrno) Unwrap() error { return w.err }

// Completion: the flags of the logs leaves, the values of --min-level, and
// the deployments of the model on the line.
func TestDeploymentLogsCompletion(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	flags := candidates(t, r.complete("baseten model deployment logs --s"))
	assert.DeepEqual(t, flags, []string{"--search", "--since", "--start"})
	assert.DeepEqual(t, candidates(t, r.complete("baseten model deployment logs --min-level ")), []string{"any", "debug", "error", "info", "warning"})
	deployments := candidates(t, r.complete("baseten model deployment logs --model-id "+sandbox.SeedModelID+" --deployment-id "))
	assert.Assert(t, slices.Contains(deployments, sandbox.SeedProductionID), "%v", deployments)
	assert.DeepEqual(t, candidates(t, r.complete("baseten model environment logs --model-id "+sandbox.SeedModelID+" --environment st")), []string{"staging"})
}

// A 500 while following is said once on stderr, retried, and neither loses
// nor repeats a line; the command still ends with exit 0 on Ctrl-C.
func TestDeploymentLogsFollowThrough500(t *testing.T) {
	restore := commands.ShortenLogPolls(5 * time.Millisecond)
	defer restore()
	now := time.Now().UnixNano()
	line := func(ts int64, msg string) string {
		return fmt.Sprintf(`{"timestamp":"%d","message":%q,"replica":"abcde","level":"INFO"}`, ts, msg)
	}
	var mu sync.Mutex
	logRequests := 0
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/logs") { // the deployment, asked whether it still runs
			w.Write([]byte(`{"id":"d1","created_at":"2024-01-01T00:00:00Z","name":"v1","model_id":"m1","is_production":true,"is_development":false,"status":"ACTIVE","active_replica_count":1,"autoscaling_settings":null,"instance_type_name":null,"environment":"production"}`))
			return
		}
		mu.Lock()
		logRequests++
		n := logRequests
		mu.Unlock()
		lines := []string{line(now-2e9, "before")}
		switch {
		case n >= 3 && n <= 5:
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`{"detail":"logging backend down"}`))
			return
		case n >= 6:
			lines = append(lines, line(now+1e6, "after"))
		}
		w.Write([]byte(`{"logs":[` + strings.Join(lines, ",") + `]}`))
	}))
	r := newRunner(a)
	ctx, cancel := context.WithCancel(context.Background())
	r.ctx = ctx
	out := &lockedBuffer{}
	r.stdout = out
	var got result
	done := make(chan struct{})
	go func() {
		got = r.run("model", "deployment", "logs", "--model-id", "m1", "--deployment-id", "d1", "--follow", "-o", "jsonl")
		close(done)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), `"after"`) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // a few more polls: nothing may come twice
	cancel()
	<-done
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, out.String(), line(now-2e9, "before")+"\n"+line(now+1e6, "after")+"\n")
	assert.Equal(t, got.Stderr, "Warning: API request failed (500 Internal Server Error): logging backend down; retrying until it answers again (Ctrl-C to stop).\nFollowing again.\n")
}

// Levels are colored on a terminal only, and never with NO_COLOR; server
// text never reaches the terminal as control sequences either way.
func TestDeploymentLogsColor(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	args := deploymentLogs("--start", logStart, "--end", "2026-03-01T09:05:00Z", "--utc")
	plain := r.run(args...)
	assert.Equal(t, plain.Code, 0, plain.Stderr)
	assert.Assert(t, !strings.Contains(plain.Stdout, "\x1b"))

	r.terminal = true
	colored := r.run(args...)
	assert.Equal(t, colored.Code, 0, colored.Stderr)
	assert.Assert(t, strings.Contains(colored.Stdout, " \x1b[31mERROR\x1b[0m   "), "red ERROR on a terminal")
	assert.Assert(t, strings.Contains(colored.Stdout, " \x1b[32mINFO\x1b[0m    "))
	// Remove the level colors: what is left is the plain output.
	assert.Equal(t, regexp.MustCompile("\x1b\\[[0-9]+m").ReplaceAllString(colored.Stdout, ""), plain.Stdout)

	r.env["NO_COLOR"] = "1"
	assert.Equal(t, r.run(args...).Stdout, plain.Stdout)
}

// A --limit beyond what is held in memory is streamed: the same lines as
// the tail of the whole window, in order.
func TestDeploymentLogsLargeLimit(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	whole := parseJSONL(t, r.run(deploymentLogs("--start", "2026-03-01T06:00:00Z", "--end", logEnd, "-o", "jsonl")...).Stdout)
	n := 10_001
	assert.Assert(t, len(whole) > n, "the window holds %d lines", len(whole))
	got := r.run(deploymentLogs("--start", "2026-03-01T06:00:00Z", "--end", logEnd, "-o", "jsonl", "--limit", strconv.Itoa(n))...)
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.DeepEqual(t, rawLines(parseJSONL(t, got.Stdout)), rawLines(whole[len(whole)-n:]))
}

// A --jq runtime error is the line's: it is said on stderr and the next
// lines are still filtered; the command then fails (exit 1) naming how many.
func TestDeploymentLogsJQErrorPerLine(t *testing.T) {
	a := newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"logs":[{"timestamp":"1772355600000000000","message":"1"},{"timestamp":"1772355600000000001","message":"not \u001b[2Ja number"},{"timestamp":"1772355600000000002","message":"3"}]}`))
	}))
	got := newRunner(a).run("model", "deployment", "logs", "--model-id", "m1", "--deployment-id", "d1", "--start", logStart, "--end", logEnd, "--jq", ".message | tonumber")
	assert.Equal(t, got.Code, 1)
	assert.Equal(t, got.Stdout, "1\n3\n")
	assert.Equal(t, got.Stderr, "Warning: jq: tonumber cannot be applied to \"not \\u001b[2Ja number\": invalid number (the log line of 2026-03-01T09:00:00.000000001Z); going on with the next.\n"+
		"Error: jq: the filter failed on 1 log line(s), each named above\n")
}
