package commands

import (
	"context"
	"net/http"
	"strings"

	"github.com/posener/complete"

	"github.com/basetenlabs/baseten/internal/rawjson"
	"github.com/basetenlabs/baseten/managementapi"
)

//go:generate go test . -run TestManagementPathsMatchTheDescription -update

// Predictor names of the api commands (see completion.go).
const (
	predictAPIPath = "api-path" // management paths, from the OpenAPI description
	predictModelID = "model-id" // the IDs of GET /v1/models
)

// apiPathPredictor completes a management path: the paths the description
// lists, as typed after /v1/ (with or without it, or a leading /).
func apiPathPredictor() complete.Predictor {
	return complete.PredictFunc(func(a complete.Args) []string {
		prefix := ""
		for _, p := range []string{"/v1/", "v1/", "/"} {
			if strings.HasPrefix(a.Last, p) || strings.HasPrefix(p, a.Last) && a.Last != "" {
				prefix = p
				break
			}
		}
		out := make([]string, len(managementPaths))
		for i, path := range managementPaths {
			out[i] = prefix + path
		}
		return out
	})
}

// modelIDs completes --model-id with the IDs of the models the key sees.
func (l *liveValues) modelIDs() complete.Predictor {
	return l.fromAPI(func(ctx context.Context, client *managementapi.Client) ([]string, error) {
		resp, err := client.Raw(ctx, managementapi.RawRequest{Method: http.MethodGet, Path: "/v1/models"})
		if err != nil {
			return nil, err
		}
		defer resp.Close()
		body, err := resp.ReadAll(managementapi.MaxListBody)
		if err != nil || resp.Status != http.StatusOK {
			return nil, err
		}
		if _, _, err := rawjson.Check(body, "models"); err != nil {
			return nil, err
		}
		var ids []string
		rawjson.Array(rawjson.Member(body, "models"), func(model []byte) bool {
			if id, ok := rawjson.String(rawjson.Member(model, "id")); ok && hostLabelPattern.MatchString(id) {
				ids = append(ids, id)
			}
			return true
		})
		return ids, nil
	})
}
