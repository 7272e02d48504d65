package commands

import (
	"context"
	"slices"

	"github.com/posener/complete"

	"github.com/basetenlabs/baseten/managementapi"
)

// Live completion values of the model commands: model IDs and names from
// the list, and the deployments and environments of the model named on
// the line being typed (by --model-id, or by a --model-name that matches
// exactly one model).

func (l *liveValues) models(value func(*managementapi.Model) string) complete.Predictor {
	return l.fromAPI(func(ctx context.Context, client *managementapi.Client) ([]string, error) {
		answer, err := client.ListModels(ctx, "")
		if err != nil {
			return nil, err
		}
		list, err := answer.Decode()
		if err != nil {
			return nil, err
		}
		values := make([]string, 0, len(list.Models))
		for i := range list.Models {
			values = append(values, value(&list.Models[i]))
		}
		return values, nil
	})
}

// ofModel completes from what fetch finds for the model on the line;
// nothing while no model is named.
func (l *liveValues) ofModel(fetch func(context.Context, *managementapi.Client, string) ([]string, error)) complete.Predictor {
	var words []string
	inner := l.fromAPI(func(ctx context.Context, client *managementapi.Client) ([]string, error) {
		ref := ModelRef{ModelID: flagText(words, "--model-id"), ModelName: flagText(words, "--model-name"), Team: flagText(words, "--team")}
		if ref.ModelID == "" && ref.ModelName == "" || ref.ModelID != "" && pathIDProblem("model ID", ref.ModelID) != "" {
			return nil, nil
		}
		m, err := ref.lookup(ctx, client)
		if err != nil {
			return nil, err
		}
		return fetch(ctx, client, m.ID)
	})
	return complete.PredictFunc(func(a complete.Args) []string {
		words = slices.Concat(a.Completed, l.after)
		return inner.Predict(a)
	})
}

// flagText is the value of a flag among the words typed, "" when none is.
func flagText(words []string, flag string) string {
	if v := flagValueIn(words, flag); v != nil {
		return *v
	}
	return ""
}

func modelDeploymentIDs(ctx context.Context, client *managementapi.Client, modelID string) ([]string, error) {
	answer, err := client.ListDeployments(ctx, modelID)
	if err != nil {
		return nil, err
	}
	list, err := answer.Decode()
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(list.Deployments))
	for _, d := range list.Deployments {
		ids = append(ids, d.ID)
	}
	return ids, nil
}

func modelEnvironmentNames(ctx context.Context, client *managementapi.Client, modelID string) ([]string, error) {
	answer, err := client.ListEnvironments(ctx, modelID)
	if err != nil {
		return nil, err
	}
	list, err := answer.Decode()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(list.Environments))
	for _, e := range list.Environments {
		names = append(names, e.Name)
	}
	return names, nil
}
