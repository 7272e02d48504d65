package commands

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// BillingCmd is the `baseten org billing` group.
type BillingCmd struct {
	Usage BillingUsageCmd `cmd:""`
}

// BillingUsageCmd is `baseten org billing usage`.
type BillingUsageCmd struct {
	Since string `placeholder:"TEXT" help:"How far back the window reaches from now: a number and m, h, d or w (90m, 24h, 7d, 2w). Default: 7d. Not with --start and --end."`
	Start string `placeholder:"TEXT" help:"Start of the window: an ISO 8601 date or date-time (2026-03-01, 2026-03-01T09:00:00Z); local time without a zone. Needs --end."`
	End   string `placeholder:"TEXT" help:"End of the window, like --start; a date alone means the end of that day. Needs --start."`
	Daily bool   `help:"One row per day instead of per category, with a bar scaled to the largest day."`
	CommonFlags

	from, to time.Time // the window, settled in AfterApply
}

func (c *BillingUsageCmd) Help() string {
	return "Show what the organization spent in a window of at most 31 days (the last 7 by default): minutes, total, credits and subtotal per category (Dedicated, Model APIs, Training), in USD, exactly as the API sends them and added exactly."
}

func (c *BillingUsageCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Usage of the last 7 days", Command: "baseten org billing usage"},
			{Description: "Usage of the last 24 hours", Command: "baseten org billing usage --since 24h"},
			{Description: "Spend per day in a window, with bars", Command: "baseten org billing usage --start <start-date> --end <end-date> --daily"},
		},
		JQExample: schema.Example{
			Description: "Print just the Model APIs total",
			Command:     "baseten org billing usage --since 2w --jq '.model_apis_usage.total'",
		},
		TextOutput: `The window on stderr, then a table on stdout: CATEGORY, MINUTES, TOTAL, CREDITS, SUBTOTAL (USD), a row per category with usage and a Total row when there are several. With --daily: DATE, SUBTOTAL (USD) (summed over every item's daily series) and a bar scaled to the largest day, in block characters on a UTF-8 terminal and # otherwise. When no category has usage, prints "No usage in the selected window." to stderr.`,
		Payload:    managementapi.UsageSummary{},
	}
}

func (c *BillingUsageCmd) AfterApply(kctx *kong.Context) error {
	for _, flag := range []struct{ name, value string }{{"since", c.Since}, {"start", c.Start}, {"end", c.End}} {
		if err := refuseEmpty(kctx, flag.name, flag.value); err != nil {
			return err
		}
	}
	switch {
	case c.Since != "" && (c.Start != "" || c.End != ""):
		return usageError("--since cannot be combined with --start and --end", "Pass either --since, or --start and --end.")
	case (c.Start == "") != (c.End == ""):
		return usageError("--start and --end go together", "Pass both, or --since for a window that ends now.")
	}
	var err error
	if c.from, c.to, err = usageWindow(c.Since, c.Start, c.End, time.Now(), time.Local); err != nil {
		return usageError(err.Error(), "")
	}
	return nil
}

func (c *BillingUsageCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client, getenv Getenv) error {
	answer, err := client.GetUsageSummary(ctx, c.from, c.to)
	if err != nil {
		return err
	}
	if c.output.Mode != render.Text || c.output.JQ != nil {
		return c.write(ctx, streams, answer.Body, nil)
	}
	summary, _ := answer.Decode() // decoded by GetUsageSummary
	streams.Notef("Usage from %s to %s (%s)", formatWindowTime(c.from.Local()), formatWindowTime(c.to.Local()), windowLength(c.to.Sub(c.from)))
	var table render.Table
	if c.Daily {
		table, err = dailyTable(summary, streams.OutIsTerminal && utf8Locale(getenv))
	} else {
		table, err = categoryTable(summary)
	}
	if err != nil {
		return &managementapi.ResponseError{Reason: "GET /v1/billing/usage_summary: " + err.Error()}
	}
	if table.Header == nil {
		streams.Notef("No usage in the selected window.")
		return nil
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error { return table.Print(w, c.tableStyle(streams)) })
}

// categoryTable is a row per category present, and a total when several are.
func categoryTable(s *managementapi.UsageSummary) (render.Table, error) {
	type category struct {
		name                     string
		minutes                  *int64
		total, credits, subtotal managementapi.Decimal
	}
	var present []category
	if u := s.DedicatedUsage; u != nil {
		present = append(present, category{"Dedicated", &u.Minutes, u.Total, u.CreditsUsed, u.Subtotal})
	}
	if u := s.ModelAPIsUsage; u != nil {
		present = append(present, category{"Model APIs", nil, u.Total, u.CreditsUsed, u.Subtotal})
	}
	if u := s.TrainingUsage; u != nil {
		present = append(present, category{"Training", &u.Minutes, u.Total, u.CreditsUsed, u.Subtotal})
	}
	if len(present) == 0 {
		return render.Table{}, nil
	}
	var rows [][]string
	var sums [3]amount
	var minutes big.Int
	for _, cat := range present {
		row := []string{cat.name, ""}
		if cat.minutes != nil {
			row[1] = fmt.Sprint(*cat.minutes)
			minutes.Add(&minutes, big.NewInt(*cat.minutes))
		}
		for i, d := range []managementapi.Decimal{cat.total, cat.credits, cat.subtotal} {
			a, err := parseAmount(string(d))
			if err != nil {
				return render.Table{}, fmt.Errorf("%s: %v", cat.name, err)
			}
			sums[i] = sums[i].add(a)
			row = append(row, a.String())
		}
		rows = append(rows, row)
	}
	if len(present) > 1 {
		rows = append(rows, []string{"Total", minutes.String(), sums[0].String(), sums[1].String(), sums[2].String()})
	}
	return render.Table{
		Header: []string{"CATEGORY", "MINUTES", "TOTAL (USD)", "CREDITS (USD)", "SUBTOTAL (USD)"},
		Rows:   rowsOf(rows),
	}, nil
}

// rowsOf serves fixed rows to a render.Table.
func rowsOf(rows [][]string) func(row func(cells ...string) error) error {
	return func(row func(cells ...string) error) error {
		for _, r := range rows {
			if err := row(r...); err != nil {
				return err
			}
		}
		return nil
	}
}

// dailyTable sums every item's daily series per date, exactly, and draws a
// bar per day scaled to the largest.
func dailyTable(s *managementapi.UsageSummary, blocks bool) (render.Table, error) {
	days := map[string]amount{}
	add := func(date string, d managementapi.Decimal) error {
		a, err := parseAmount(string(d))
		if err != nil {
			return fmt.Errorf("daily usage of %s: %v", date, err)
		}
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			return fmt.Errorf("daily usage has a date %q that is not YYYY-MM-DD", date)
		}
		days[date] = days[date].add(a)
		return nil
	}
	var err error
	if u := s.DedicatedUsage; u != nil {
		for _, item := range u.Breakdown {
			for _, d := range item.Daily {
				err = firstError(err, add(d.Date, d.Subtotal))
			}
		}
	}
	if u := s.ModelAPIsUsage; u != nil {
		for _, item := range u.Breakdown {
			for _, d := range item.Daily {
				err = firstError(err, add(d.Date, d.Subtotal))
			}
		}
	}
	if u := s.TrainingUsage; u != nil {
		for _, item := range u.Breakdown {
			for _, d := range item.Daily {
				err = firstError(err, add(d.Date, d.Subtotal))
			}
		}
	}
	if err != nil || len(days) == 0 {
		return render.Table{}, err
	}
	dates := make([]string, 0, len(days))
	largest := new(big.Rat)
	for date, a := range days {
		dates = append(dates, date)
		if r := a.rat(); r.Cmp(largest) > 0 {
			largest = r
		}
	}
	slices.Sort(dates)
	var rows [][]string
	for _, date := range dates {
		a := days[date]
		rows = append(rows, []string{date, a.String(), bar(a.rat(), largest, blocks)})
	}
	return render.Table{Header: []string{"DATE", "SUBTOTAL (USD)", ""}, Rows: rowsOf(rows)}, nil
}

func firstError(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// barWidth is the length of the largest day's bar, in characters.
const barWidth = 40

// bar draws value/largest of barWidth characters: in eighths of a block
// character, or in whole #s. The ratio is exact (big.Rat), then truncated:
// a day is never drawn larger than it is. Zero and negative days have none.
func bar(value, largest *big.Rat, blocks bool) string {
	if value.Sign() <= 0 || largest.Sign() <= 0 {
		return ""
	}
	steps := int64(barWidth)
	if blocks {
		steps *= 8
	}
	scaled := new(big.Rat).Mul(new(big.Rat).Quo(value, largest), big.NewRat(steps, 1))
	n := new(big.Int).Quo(scaled.Num(), scaled.Denom()).Int64()
	if n == 0 {
		n = 1 // a day with any spend shows
	}
	if !blocks {
		return strings.Repeat("#", int(n))
	}
	eighths := []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}
	return strings.Repeat("█", int(n/8)) + eighths[n%8]
}

// utf8Locale reports whether the locale says the terminal takes UTF-8:
// the first of LC_ALL, LC_CTYPE and LANG that is set, as the C library
// reads them.
func utf8Locale(getenv Getenv) bool {
	for _, name := range []string{schema.EnvLCAll, schema.EnvLCCtype, schema.EnvLang} {
		if v := getenv(name); v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return false
}

// Rehearsal: a week in the past, after the API's earliest date.
func (c *BillingUsageCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{Placeholders: map[string]string{"<start-date>": "2026-11-01", "<end-date>": "2026-11-07"}}
}
