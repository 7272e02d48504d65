package commands

import (
	"strings"

	"github.com/posener/complete"
)

//go:generate go test . -run TestManagementPathsMatchTheDescription -update

// Predictor names of the api commands (see completion.go); --model-id
// takes model_completion.go's.
const (
	predictAPIPath = "api-path" // management paths, from the OpenAPI description
	predictFile    = "file"     // files, as the shell would complete them
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
