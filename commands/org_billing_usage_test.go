package commands_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/sandbox"
)

// usageAPI answers every usage summary with body and records the queries.
type usageAPI struct {
	mu      sync.Mutex
	queries []string
	body    string
}

func (u *usageAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	u.queries = append(u.queries, r.URL.RawQuery)
	u.mu.Unlock()
	ok(u.body)(w, r)
}

// Amounts come as numbers and as decimal strings; each prints as sent, and
// sums are exact: 0.1 + 0.2 is 0.3, and twenty digits stay twenty digits.
func TestBillingUsageExactMoney(t *testing.T) {
	u := &usageAPI{body: `{
		"dedicated_usage": {"subtotal": "12345678901234567890.10", "credits_used": 0.1, "total": "12345678901234567890.20", "minutes": 9007199254740993},
		"model_apis_usage": {"subtotal": 0.2, "credits_used": "0", "total": 0.2},
		"training_usage": {"subtotal": "000.30", "credits_used": "+0.05", "total": 0.35e0, "minutes": 7}
	}`}
	a := newAPI(t, u)
	r := newRunner(a)
	got := r.run("org", "billing", "usage", "--start", "2026-03-01T00:00:00Z", "--end", "2026-03-08T00:00:00Z")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, got.Stdout, ""+
		"CATEGORY    MINUTES           TOTAL (USD)              CREDITS (USD)  SUBTOTAL (USD)\n"+
		"Dedicated   9007199254740993  12345678901234567890.20  0.1            12345678901234567890.10\n"+
		"Model APIs                    0.2                      0              0.2\n"+
		"Training    7                 0.35                     0.05           0.30\n"+
		"Total       9007199254741000  12345678901234567890.75  0.15           12345678901234567890.60\n")
	assert.Equal(t, u.queries[0], "end_date=2026-03-08T00%3A00%3A00Z&start_date=2026-03-01T00%3A00%3A00Z")
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Usage from "), got.Stderr)
	assert.Assert(t, strings.HasSuffix(got.Stderr, " (7 days)\n"), got.Stderr)

	// JSON is the body as sent; --jq sees numbers as spelled.
	got = r.run("org", "billing", "usage", "--since", "24h", "--jq", ".training_usage.total")
	assertResult(t, got, "0.35e0\n", "", 0)
}

func TestBillingUsageSignsAndZeros(t *testing.T) {
	a := newAPI(t, ok(`{"dedicated_usage": {"subtotal": "-0.05", "credits_used": "0.10", "total": ".05", "minutes": 1}}`))
	got := newRunner(a).run("org", "billing", "usage")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, got.Stdout, ""+
		"CATEGORY   MINUTES  TOTAL (USD)  CREDITS (USD)  SUBTOTAL (USD)\n"+
		"Dedicated  1        0.05         0.10           -0.05\n")
}

func TestBillingUsageNoUsage(t *testing.T) {
	a := newAPI(t, ok(`{"dedicated_usage": null, "training_usage": null, "model_apis_usage": null}`))
	r := newRunner(a)
	got := r.run("org", "billing", "usage", "--since", "90m")
	assert.Equal(t, got.Code, 0)
	assert.Equal(t, got.Stdout, "")
	assert.Assert(t, strings.HasSuffix(got.Stderr, " (1 hour 30 minutes)\nNo usage in the selected window.\n"), got.Stderr)
	got = r.run("org", "billing", "usage", "--since", "2w", "--daily")
	assert.Assert(t, strings.HasSuffix(got.Stderr, " (14 days)\nNo usage in the selected window.\n"), got.Stderr)
	assertResult(t, newRunner(newAPI(t, ok(`{}`))).run("org", "billing", "usage", "-o", "jsonl"), "{}\n", "", 0)
}

// An amount the description does not allow is an unexpected answer, never
// a guess.
func TestBillingUsageBadAmounts(t *testing.T) {
	for _, amount := range []string{`"1e5"`, `"-"`, `"."`, `"1.2.3"`, `"0x10"`, `null`, `true`, `"` + strings.Repeat("9", 65) + `"`} {
		a := newAPI(t, ok(`{"model_apis_usage": {"subtotal": `+amount+`, "credits_used": 0, "total": 0}}`))
		got := newRunner(a).run("org", "billing", "usage")
		assert.Equal(t, got.Code, 1, amount)
		assert.Assert(t, is.Contains(got.Stderr, "Error: unexpected response from the API: "), "%s: %s", amount, got.Stderr)
		assert.Equal(t, got.Stdout, "")
	}
}

// The daily view sums every item's series per day, exactly, and scales
// the bars to the largest day: block characters on a UTF-8 terminal.
func TestBillingUsageDaily(t *testing.T) {
	const body = `{
		"dedicated_usage": {"subtotal": "0", "credits_used": "0", "total": "0", "minutes": 0, "breakdown": [
			{"billable_resource": {"id": "d1", "kind": "MODEL_DEPLOYMENT", "is_deleted": false}, "subtotal": "3", "minutes": 1, "inference_requests": 1,
			 "daily": [{"date": "2026-03-02", "subtotal": "0.1", "minutes": 1, "inference_requests": 1}, {"date": "2026-03-01", "subtotal": "1.00", "minutes": 1, "inference_requests": 1}]}]},
		"model_apis_usage": {"subtotal": 0, "credits_used": 0, "total": 0, "breakdown": [
			{"model_name": "m", "subtotal": 1, "input_tokens": 1, "output_tokens": 1, "cached_input_tokens": 0,
			 "daily": [{"date": "2026-03-02", "subtotal": 0.2, "input_tokens": 1, "output_tokens": 1, "cached_input_tokens": 0}, {"date": "2026-03-03", "subtotal": 0, "input_tokens": 0, "output_tokens": 0, "cached_input_tokens": 0}]}]},
		"training_usage": {"subtotal": "0", "credits_used": "0", "total": "0", "minutes": 0, "breakdown": [
			{"billable_resource": {"id": "j1", "kind": "TRAINING_JOB", "is_deleted": true}, "subtotal": "3", "minutes": 1,
			 "daily": [{"date": "2026-03-01", "subtotal": "1.2", "minutes": 1}]}]}
	}`
	a := newAPI(t, ok(body))
	r := newRunner(a)
	got := r.run("org", "billing", "usage", "--daily", "--start", "2026-03-01T00:00:00Z", "--end", "2026-03-04T00:00:00Z")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Equal(t, got.Stdout, ""+
		"DATE        SUBTOTAL (USD)\n"+
		"2026-03-01  2.20            "+strings.Repeat("#", 40)+"\n"+
		"2026-03-02  0.3             #####\n"+
		"2026-03-03  0\n")

	r.terminal = true
	r.env["LANG"] = "en_US.UTF-8"
	got = r.run("org", "billing", "usage", "--daily", "--start", "2026-03-01T00:00:00Z", "--end", "2026-03-04T00:00:00Z")
	assert.Equal(t, got.Code, 0, got.Stderr)
	// 0.3 / 2.2 of 320 eighths is 43.6: five blocks and three eighths.
	assert.Assert(t, is.Contains(got.Stdout, "2026-03-02  0.3             █████▍\n"), got.Stdout)
	assert.Assert(t, is.Contains(got.Stdout, strings.Repeat("█", 40)+"\n"), got.Stdout)
	r.env["LC_ALL"] = "C"
	got = r.run("org", "billing", "usage", "--daily", "--start", "2026-03-01T00:00:00Z", "--end", "2026-03-04T00:00:00Z")
	assert.Assert(t, is.Contains(got.Stdout, "2026-03-02  0.3             #####\n"), got.Stdout)
}

// What the window alone shows wrong is refused before any request.
func TestBillingUsageWindowRefusals(t *testing.T) {
	a := newAPI(t, ok(`{}`))
	r := newRunner(a)
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	yesterday := time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"--since", "0d"}, `Error: --since "0d" is not a window: it must be longer than zero`},
		{[]string{"--since=-1d"}, `Error: --since "-1d" is not a window: it must be longer than zero`},
		{[]string{"--since", "32d"}, `Error: --since 32d is longer than the 31 days the API reports at once`},
		{[]string{"--since", "5w"}, `Error: --since 5w is longer than the 31 days the API reports at once`},
		{[]string{"--since", "99999999999w"}, `Error: --since "99999999999w" is not a duration such as 90m, 24h, 7d or 2w`},
		{[]string{"--since", "7 days"}, `Error: --since "7 days" is not a duration such as 90m, 24h, 7d or 2w`},
		{[]string{"--since", ""}, `Error: --since must not be empty`},
		{[]string{"--start", "2026-03-01"}, `Error: --start and --end go together`},
		{[]string{"--end", "2026-03-01"}, `Error: --start and --end go together`},
		{[]string{"--since", "1d", "--start", "2026-03-01", "--end", "2026-03-02"}, `Error: --since cannot be combined with --start and --end`},
		{[]string{"--start", "2026-03-02T00:00:00Z", "--end", "2026-03-02T00:00:00Z"}, `Error: the window from `},
		{[]string{"--start", "2026-03-03T00:00:00Z", "--end", "2026-03-02T00:00:00Z"}, `Error: the window from `},
		{[]string{"--start", "2026-03-01T00:00:00Z", "--end", "2026-04-01T00:00:01Z"}, `Error: the window from `},
		{[]string{"--start", yesterday, "--end", future}, `Error: the window ends at `},
		{[]string{"--start", "March 1", "--end", "2026-03-02"}, `Error: --start "March 1" is not an ISO 8601 date or date-time`},
	} {
		got := r.run(append([]string{"org", "billing", "usage"}, tc.args...)...)
		assert.Equal(t, got.Code, 2, "%v", tc.args)
		assert.Assert(t, strings.HasPrefix(got.Stderr, tc.err), "%v: %s", tc.args, got.Stderr)
	}
	assert.DeepEqual(t, a.Requests(), []string{})
	// 31 days exactly, and an end up to a minute ahead, are fine.
	assert.Equal(t, r.run("org", "billing", "usage", "--start", "2026-03-01T00:00:00Z", "--end", "2026-04-01T00:00:00Z").Code, 0)
	assert.Equal(t, r.run("org", "billing", "usage", "--since", "31d").Code, 0)
	soon := time.Now().Add(30 * time.Second).UTC().Format(time.RFC3339)
	assert.Equal(t, r.run("org", "billing", "usage", "--start", yesterday, "--end", soon).Code, 0)
}

// Without a zone a time is local; a date alone as --end is the end of
// that day.
func TestBillingUsageLocalDates(t *testing.T) {
	u := &usageAPI{body: `{}`}
	r := newRunner(newAPI(t, u))
	assert.Equal(t, r.run("org", "billing", "usage", "--start", "2026-03-01", "--end", "2026-03-07", "-o", "json").Code, 0)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local).UTC().Format(time.RFC3339)
	end := time.Date(2026, 3, 8, 0, 0, 0, 0, time.Local).UTC().Format(time.RFC3339)
	assert.Equal(t, u.queries[0], "end_date="+strings.ReplaceAll(end, ":", "%3A")+"&start_date="+strings.ReplaceAll(start, ":", "%3A"))
	assert.Equal(t, r.run("org", "billing", "usage", "--start", "2026-03-01T09:30", "--end", "2026-03-01T10:00:00.5", "-o", "json").Code, 0)
	start = time.Date(2026, 3, 1, 9, 30, 0, 0, time.Local).UTC().Format(time.RFC3339)
	assert.Assert(t, strings.HasSuffix(u.queries[1], "&start_date="+strings.ReplaceAll(start, ":", "%3A")), u.queries[1])
}

// Against the sandbox: the same window, the same figures, within the
// contract (decimal strings and numbers both).
func TestBillingUsageSandbox(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{UsageSeed: 7})
	r := newRunner(a)
	args := []string{"org", "billing", "usage", "--start", "2026-03-01T00:00:00Z", "--end", "2026-03-08T00:00:00Z"}
	first := r.run(args...)
	assert.Equal(t, first.Code, 0, first.Stderr)
	assert.Equal(t, strings.Count(first.Stdout, "\n"), 5, first.Stdout)
	assert.Assert(t, strings.HasPrefix(first.Stdout, "CATEGORY    MINUTES"), first.Stdout)
	assert.Equal(t, r.run(args...).Stdout, first.Stdout)
	daily := r.run(append(args, "--daily")...)
	assert.Equal(t, daily.Code, 0)
	assert.Equal(t, strings.Count(daily.Stdout, "\n"), 8, daily.Stdout)
	assert.Assert(t, is.Contains(daily.Stdout, strings.Repeat("#", 40)+"\n"))
}
