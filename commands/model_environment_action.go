package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

// What the environment actions share: naming the environment for a
// confirmation, and --wait on the deployment it serves.

// environmentTarget names an environment for a person: "environment
// staging of model foo (deployment abc)". It looks the model and the
// environment up, so one that does not exist is exit 4 before any
// question.
func environmentTarget(ctx context.Context, client *managementapi.Client, ref *ModelRef, m *resolvedModel, env string) (string, *managementapi.Environment, error) {
	if m.Model == nil {
		full, err := ref.fetch(ctx, client)
		if err != nil {
			return "", nil, err
		}
		*m = *full
	}
	answer, err := client.GetEnvironment(ctx, m.ID, env)
	if err != nil {
		return "", nil, environmentNotFound(err, m, env)
	}
	e, err := answer.Decode()
	if err != nil {
		return "", nil, err
	}
	// Case aside: an API may spell the name its own way.
	if !strings.EqualFold(e.Name, env) {
		return "", nil, notTheOneAsked("environment", env, e.Name)
	}
	serving := "no deployment"
	if d := e.CurrentDeployment; d != nil {
		serving = "deployment " + d.ID
	}
	return fmt.Sprintf("environment %s of model %s (%s)", env, m.Model.Name, serving), e, nil
}

// waitForEnvironment polls the environment until the deployment it
// serves is judged done by watch.
func waitForEnvironment(ctx context.Context, streams *render.IO, client *managementapi.Client, flags *WaitFlags, common *CommonFlags, modelID, env string, watch *deploymentWatch) ([]byte, error) {
	w := &waiter{streams: streams, timeout: flags.Timeout, what: "environment " + env,
		describe: common.commandLine("model", "environment", "describe", "--model-id", modelID, "--environment", env)}
	return w.wait(ctx, func(ctx context.Context) (progress, error) {
		answer, err := client.GetEnvironment(ctx, modelID, env)
		if err != nil {
			return progress{}, err
		}
		e, err := answer.Decode()
		if err != nil {
			return progress{}, err
		}
		if e.CurrentDeployment == nil {
			return progress{status: "NONE", body: answer.Body, failure: "serves no deployment"}, nil
		}
		return watch.judge(e.CurrentDeployment, answer.Body), nil
	})
}

// followEnvironment is followDeployment for an action on an environment:
// --wait follows the deployment it serves.
func followEnvironment(ctx context.Context, streams *render.IO, client *managementapi.Client, wait *WaitFlags, common *CommonFlags, modelID, env string, body []byte, watch *deploymentWatch) error {
	if wait.Wait {
		var err error
		if body, err = waitForEnvironment(ctx, streams, client, wait, common, modelID, env, watch); err != nil {
			return err
		}
	}
	return finishAction(ctx, streams, &common.OutputFlags, body)
}
