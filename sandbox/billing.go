package sandbox

// Billing: GET /v1/billing/usage_summary. The sandbox invents usage, but
// deterministically: every figure of a day is a hash of the sandbox's
// usage seed (persisted), the day and the item, so the same window always
// gets the same numbers, and a day's figures do not depend on the window
// around it. Amounts are exact (integers of cents, or of hundredths of a
// cent for Model APIs), and go out as both forms the description allows:
// decimal strings for dedicated and training, JSON numbers for Model APIs.

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Limits the API documents for a usage window.
var (
	earliestUsage  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	maxUsageWindow = 31 * 24 * time.Hour
)

// UsageSeed returns the seed the usage figures are made from.
func (s *Server) UsageSeed() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.org.usageSeed
}

// usageDraw is a number in [0, n) for this seed, day and purpose.
func usageDraw(seed uint64, day time.Time, what string, n int64) int64 {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], seed)
	sum := sha256.Sum256([]byte(string(buf[:]) + day.Format(time.DateOnly) + what))
	return int64(binary.BigEndian.Uint64(sum[:8]) % uint64(n))
}

// decimal writes units (of 10^-places dollars) as a decimal string.
func decimal(units int64, places int) string {
	s := strconv.FormatInt(units, 10)
	for len(s) <= places {
		s = "0" + s
	}
	return s[:len(s)-places] + "." + s[len(s)-places:]
}

type billableResource struct {
	ID              string  `json:"id"`
	Kind            string  `json:"kind"`
	Name            *string `json:"name"`
	ModelName       *string `json:"model_name"`
	IsDeleted       bool    `json:"is_deleted"`
	InstanceType    *string `json:"instance_type"`
	EnvironmentName *string `json:"environment_name"`
	ChainMetadata   any     `json:"chain_metadata"`
}

type dailyMinutes struct {
	Date              string `json:"date"`
	Subtotal          any    `json:"subtotal"`
	Minutes           int64  `json:"minutes"`
	InferenceRequests *int64 `json:"inference_requests,omitempty"`
}

type minutesItem struct {
	BillableResource  billableResource `json:"billable_resource"`
	Subtotal          any              `json:"subtotal"`
	Minutes           int64            `json:"minutes"`
	InferenceRequests *int64           `json:"inference_requests,omitempty"`
	Daily             []dailyMinutes   `json:"daily"`
}

type minutesUsage struct {
	Subtotal    any           `json:"subtotal"`
	CreditsUsed any           `json:"credits_used"`
	Total       any           `json:"total"`
	Minutes     int64         `json:"minutes"`
	Breakdown   []minutesItem `json:"breakdown"`
}

type dailyTokens struct {
	Date              string      `json:"date"`
	Subtotal          json.Number `json:"subtotal"`
	InputTokens       int64       `json:"input_tokens"`
	OutputTokens      int64       `json:"output_tokens"`
	CachedInputTokens int64       `json:"cached_input_tokens"`
}

type tokensItem struct {
	ModelName         string        `json:"model_name"`
	ModelFamily       *string       `json:"model_family"`
	Subtotal          json.Number   `json:"subtotal"`
	InputTokens       int64         `json:"input_tokens"`
	OutputTokens      int64         `json:"output_tokens"`
	CachedInputTokens int64         `json:"cached_input_tokens"`
	Daily             []dailyTokens `json:"daily"`
}

type tokensUsage struct {
	Subtotal    json.Number  `json:"subtotal"`
	CreditsUsed json.Number  `json:"credits_used"`
	Total       json.Number  `json:"total"`
	Breakdown   []tokensItem `json:"breakdown"`
}

type usageSummary struct {
	Dedicated *minutesUsage `json:"dedicated_usage"`
	Training  *minutesUsage `json:"training_usage"`
	ModelAPIs *tokensUsage  `json:"model_apis_usage"`
}

// usageDays are the UTC dates the window [start, end) touches.
func usageDays(start, end time.Time) []time.Time {
	var days []time.Time
	day := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	for ; day.Before(end); day = day.AddDate(0, 0, 1) {
		days = append(days, day)
	}
	return days
}

// minutesCategory builds dedicated or training usage: one item per
// resource with usage in the window, cents per minute fixed per resource.
func minutesCategory(seed uint64, days []time.Time, kind string, resources []billableResource, centsPerMinute []int64, withRequests bool) *minutesUsage {
	usage := &minutesUsage{Breakdown: []minutesItem{}}
	var totalCents int64
	for r, resource := range resources {
		item := minutesItem{BillableResource: resource}
		var itemCents, itemRequests int64
		for _, day := range days {
			minutes := usageDraw(seed, day, kind+resource.ID+"minutes", 24*60)
			if kind == "training" && usageDraw(seed, day, kind+resource.ID+"runs", 3) != 0 {
				minutes = 0 // training runs some days only
			}
			if minutes == 0 {
				continue
			}
			cents := minutes * centsPerMinute[r]
			d := dailyMinutes{Date: day.Format(time.DateOnly), Subtotal: decimal(cents, 2), Minutes: minutes}
			if withRequests {
				requests := minutes * usageDraw(seed, day, kind+resource.ID+"rpm", 50)
				d.InferenceRequests = &requests
				itemRequests += requests
			}
			item.Daily = append(item.Daily, d)
			item.Minutes += minutes
			itemCents += cents
		}
		if len(item.Daily) == 0 {
			continue
		}
		item.Subtotal = decimal(itemCents, 2)
		if withRequests {
			item.InferenceRequests = &itemRequests
		}
		usage.Breakdown = append(usage.Breakdown, item)
		usage.Minutes += item.Minutes
		totalCents += itemCents
	}
	if len(usage.Breakdown) == 0 {
		return nil
	}
	credits := totalCents / 10 // a tenth is covered by credits
	usage.Total, usage.CreditsUsed, usage.Subtotal = decimal(totalCents, 2), decimal(credits, 2), decimal(totalCents-credits, 2)
	return usage
}

// tokensCategory builds Model APIs usage, priced in hundredths of a cent.
func tokensCategory(seed uint64, days []time.Time) *tokensUsage {
	usage := &tokensUsage{Breakdown: []tokensItem{}}
	var total int64 // 10^-4 dollars
	for _, model := range []struct{ name, family string }{{"deepseek-ai/DeepSeek-V3", "deepseek"}, {"meta-llama/Llama-4-Maverick", "llama"}} {
		item := tokensItem{ModelName: model.name, ModelFamily: ptr(model.family)}
		var units int64
		for _, day := range days {
			in := usageDraw(seed, day, model.name+"in", 5_000_000)
			out := usageDraw(seed, day, model.name+"out", 1_000_000)
			cached := usageDraw(seed, day, model.name+"cached", in/2+1)
			price := in/10_000*3 + out/10_000*12 // per 10k tokens, in 10^-4 dollars
			item.Daily = append(item.Daily, dailyTokens{Date: day.Format(time.DateOnly), Subtotal: json.Number(decimal(price, 4)), InputTokens: in, OutputTokens: out, CachedInputTokens: cached})
			item.InputTokens += in
			item.OutputTokens += out
			item.CachedInputTokens += cached
			units += price
		}
		item.Subtotal = json.Number(decimal(units, 4))
		usage.Breakdown = append(usage.Breakdown, item)
		total += units
	}
	usage.Total, usage.CreditsUsed, usage.Subtotal = json.Number(decimal(total, 4)), json.Number("0"), json.Number(decimal(total, 4))
	return usage
}

// usageFor is the summary of a window.
func usageFor(seed uint64, start, end time.Time) usageSummary {
	days := usageDays(start, end)
	if len(days) == 0 {
		return usageSummary{}
	}
	resource := func(id, kind, name, model, instance, env string) billableResource {
		return billableResource{ID: id, Kind: kind, Name: ptr(name), ModelName: ptr(model), InstanceType: ptr(instance), EnvironmentName: ptr(env)}
	}
	return usageSummary{
		Dedicated: minutesCategory(seed, days, "dedicated", []billableResource{
			resource("dep-llama", "MODEL_DEPLOYMENT", "deployment-1", "llama-3-8b", "H100", "production"),
			resource("dep-whisper", "MODEL_DEPLOYMENT", "deployment-2", "whisper-large", "A10G", "staging"),
		}, []int64{11, 2}, true),
		Training: minutesCategory(seed, days, "training", []billableResource{
			resource("job-finetune", "TRAINING_JOB", "finetune-1", "support-bot", "H100x8", "training"),
		}, []int64{83}, false),
		ModelAPIs: tokensCategory(seed, days),
	}
}

func (s *Server) usageSummaryHandler(w http.ResponseWriter, r *http.Request, _ []string) {
	query := r.URL.Query()
	var window [2]time.Time
	for i, name := range []string{"start_date", "end_date"} {
		raw := query.Get(name)
		if raw == "" {
			writeValidation(w, validationError{Loc: []any{"query", name}, Msg: "Field required", Type: "missing"})
			return
		}
		t, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			writeValidation(w, validationError{Loc: []any{"query", name}, Msg: "Input should be a valid datetime", Type: "datetime_from_date_parsing"})
			return
		}
		window[i] = t.UTC()
	}
	start, end := window[0], window[1]
	switch {
	case !end.After(start):
		writeDetail(w, http.StatusBadRequest, "end_date must be after start_date")
		return
	case end.Sub(start) > maxUsageWindow:
		writeDetail(w, http.StatusBadRequest, "Date range cannot exceed 31 days")
		return
	case start.Before(earliestUsage):
		writeDetail(w, http.StatusBadRequest, fmt.Sprintf("start_date must not be before %s", earliestUsage.Format(time.DateOnly)))
		return
	}
	writeJSON(w, http.StatusOK, usageFor(s.UsageSeed(), start, end))
}
