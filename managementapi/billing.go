package managementapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The payload of GET /v1/billing/usage_summary, field for field. Money is
// a Decimal: the API sends amounts as JSON numbers or as decimal strings,
// and both are kept as the literal text sent, for exact arithmetic
// elsewhere (never float64).

// Decimal is an amount of dollars as the API spelled it: the digits of a
// JSON number, or the content of a decimal string.
type Decimal string

// UnmarshalJSON keeps a number's literal or a string's content.
func (d *Decimal) UnmarshalJSON(raw []byte) error {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		// The description's pattern: a sign, digits and one point, with
		// at least one digit (no exponent: that is for numbers).
		body := strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-")
		whole, frac, _ := strings.Cut(body, ".")
		if whole+frac == "" || strings.Trim(whole+frac, "0123456789") != "" {
			return errors.New("an amount is a string that is not a decimal number")
		}
		*d = Decimal(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil || n == "" {
		return errors.New("an amount is neither a number nor a decimal string")
	}
	*d = Decimal(n)
	return nil
}

// UsageSummary is the usage of a date range (UsageSummaryV1); a category
// without usage is null.
type UsageSummary struct {
	DedicatedUsage *DedicatedUsage `json:"dedicated_usage"`
	TrainingUsage  *TrainingUsage  `json:"training_usage"`
	ModelAPIsUsage *ModelAPIsUsage `json:"model_apis_usage"`
}

// DedicatedUsage is dedicated model serving (DedicatedUsageV1).
type DedicatedUsage struct {
	Subtotal    Decimal         `json:"subtotal"`
	CreditsUsed Decimal         `json:"credits_used"`
	Total       Decimal         `json:"total"`
	Minutes     int64           `json:"minutes"`
	Breakdown   []DedicatedItem `json:"breakdown"`
}

// DedicatedItem is one deployment's usage (DedicatedItemV1).
type DedicatedItem struct {
	BillableResource  BillableResource      `json:"billable_resource"`
	Subtotal          Decimal               `json:"subtotal"`
	Minutes           int64                 `json:"minutes"`
	InferenceRequests int64                 `json:"inference_requests"`
	Daily             []DailyDedicatedUsage `json:"daily"`
}

// DailyDedicatedUsage is one day of a deployment (DailyDedicatedUsageV1).
type DailyDedicatedUsage struct {
	Date              string  `json:"date"`
	Subtotal          Decimal `json:"subtotal"`
	Minutes           int64   `json:"minutes"`
	InferenceRequests int64   `json:"inference_requests"`
}

// TrainingUsage is training (TrainingUsageV1).
type TrainingUsage struct {
	Subtotal    Decimal        `json:"subtotal"`
	CreditsUsed Decimal        `json:"credits_used"`
	Total       Decimal        `json:"total"`
	Minutes     int64          `json:"minutes"`
	Breakdown   []TrainingItem `json:"breakdown"`
}

// TrainingItem is one training job's usage (TrainingItemV1).
type TrainingItem struct {
	BillableResource BillableResource     `json:"billable_resource"`
	Subtotal         Decimal              `json:"subtotal"`
	Minutes          int64                `json:"minutes"`
	Daily            []DailyTrainingUsage `json:"daily"`
}

// DailyTrainingUsage is one day of a training job (DailyTrainingUsageV1).
type DailyTrainingUsage struct {
	Date     string  `json:"date"`
	Subtotal Decimal `json:"subtotal"`
	Minutes  int64   `json:"minutes"`
}

// ModelAPIsUsage is Model APIs usage (ModelApisUsageV1).
type ModelAPIsUsage struct {
	Subtotal    Decimal        `json:"subtotal"`
	CreditsUsed Decimal        `json:"credits_used"`
	Total       Decimal        `json:"total"`
	Breakdown   []ModelAPIItem `json:"breakdown"`
}

// ModelAPIItem is one model's usage (ModelApiItemV1).
type ModelAPIItem struct {
	ModelName         string               `json:"model_name"`
	ModelFamily       *string              `json:"model_family"`
	Subtotal          Decimal              `json:"subtotal"`
	InputTokens       int64                `json:"input_tokens"`
	OutputTokens      int64                `json:"output_tokens"`
	CachedInputTokens int64                `json:"cached_input_tokens"`
	Daily             []DailyModelAPIUsage `json:"daily"`
}

// DailyModelAPIUsage is one day of a model (DailyModelApiUsageV1).
type DailyModelAPIUsage struct {
	Date              string  `json:"date"`
	Subtotal          Decimal `json:"subtotal"`
	InputTokens       int64   `json:"input_tokens"`
	OutputTokens      int64   `json:"output_tokens"`
	CachedInputTokens int64   `json:"cached_input_tokens"`
}

// BillableResource is what usage is billed for (BillableResourceV1).
type BillableResource struct {
	ID              string         `json:"id"`
	Kind            string         `json:"kind"`
	Name            *string        `json:"name"`
	ModelName       *string        `json:"model_name"`
	IsDeleted       bool           `json:"is_deleted"`
	InstanceType    *string        `json:"instance_type"`
	EnvironmentName *string        `json:"environment_name"`
	ChainMetadata   *ChainMetadata `json:"chain_metadata"`
}

// ChainMetadata names the chain of a chainlet (ChainMetadataV1).
type ChainMetadata struct {
	ChainID           string  `json:"chain_id"`
	ChainName         *string `json:"chain_name"`
	ChainDeploymentID string  `json:"chain_deployment_id"`
}

// GetUsageSummary gets the usage of [start, end), sent as RFC 3339
// date-times in UTC.
func (c *Client) GetUsageSummary(ctx context.Context, start, end time.Time) (*Answer[UsageSummary], error) {
	query := url.Values{}
	query.Set("start_date", start.UTC().Format(time.RFC3339))
	query.Set("end_date", end.UTC().Format(time.RFC3339))
	answer, err := get[UsageSummary](ctx, c, request{method: http.MethodGet, path: "/v1/billing/usage_summary?" + query.Encode(), limit: MaxListBody})
	if err != nil {
		return nil, err
	}
	if _, err := answer.Decode(); err != nil {
		return nil, err
	}
	return answer, nil
}
