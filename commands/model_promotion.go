package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

// What `model deployment promote` and `model environment promote` share:
// the promotion's options, the request, and --wait on the environment's
// promotion in progress.

// PromoteFlags choose how a promotion treats what it replaces.
type PromoteFlags struct {
	KeepPrevious              bool `name:"keep-previous" help:"Keep the deployment the environment served running after the promotion (by default it is scaled down)."`
	UseDeploymentInstanceType bool `name:"use-deployment-instance-type" help:"Run the promoted deployment on its own instance type rather than the environment's."`
}

func (f *PromoteFlags) request(deploymentID string) managementapi.PromoteToEnvironmentRequest {
	return managementapi.PromoteToEnvironmentRequest{
		DeploymentID:                deploymentID,
		ScaleDownPreviousDeployment: !f.KeepPrevious,
		PreserveEnvInstanceType:     !f.UseDeploymentInstanceType,
	}
}

// promotionQuestion is the confirmation of a promotion, naming the
// deployment, its model and the environment, and what happens to the
// deployment it replaces.
func promotionQuestion(target, env string, keep bool) string {
	previous := "the deployment it serves now is scaled down"
	if keep {
		previous = "the deployment it serves now keeps running"
	}
	return fmt.Sprintf("Promote %s to environment %s (%s)?", target, env, previous)
}

// promote sends the promotion and says so on stderr; with --wait it
// follows the promotion to its end, then writes the outcome.
func promote(ctx context.Context, streams *render.IO, client *managementapi.Client, flags *PromoteFlags, wait *WaitFlags, common *CommonFlags, m *resolvedModel, env, deploymentID string) error {
	answer, err := client.PromoteToEnvironment(ctx, m.ID, env, flags.request(deploymentID))
	if err != nil {
		return promotionNotFound(err, m, env, deploymentID)
	}
	streams.Notef("Promoting deployment %s to environment %s", deploymentID, env)
	body := answer.Body
	if wait.Wait {
		if body, err = waitForPromotion(ctx, streams, client, wait, common, m.ID, env, deploymentID); err != nil {
			return err
		}
	}
	return finishAction(ctx, streams, &common.OutputFlags, body)
}

// promotionNotFound is a 404 of a promotion, in our words: the model, the
// environment or the deployment is missing, and the API's detail says
// which.
func promotionNotFound(err error, m *resolvedModel, env, deploymentID string) error {
	if apiErr, ok := errors.AsType[*managementapi.APIError](err); ok && apiErr.Status == 404 && strings.Contains(strings.ToLower(apiErr.Message), "deployment") {
		return deploymentNotFound(err, m, deploymentID)
	}
	return environmentNotFound(err, m, env)
}

// waitForPromotion polls the environment until the promotion of
// deploymentID has ended: done when the deployment serves it, failed when
// the promotion failed, was canceled, or ended without it.
func waitForPromotion(ctx context.Context, streams *render.IO, client *managementapi.Client, flags *WaitFlags, common *CommonFlags, modelID, env, deploymentID string) ([]byte, error) {
	w := &waiter{streams: streams, timeout: flags.Timeout, what: fmt.Sprintf("the promotion of %s to %s", deploymentID, env),
		describe: common.commandLine("model", "environment", "describe", "--model-id", modelID, "--environment", env)}
	watch := &promotionWatch{deploymentID: deploymentID}
	return w.wait(ctx, func(ctx context.Context) (progress, error) {
		answer, err := client.GetEnvironment(ctx, modelID, env)
		if err != nil {
			return progress{}, err
		}
		e, err := answer.Decode()
		if err != nil {
			return progress{}, err
		}
		return watch.judge(e, answer.Body), nil
	})
}

// promotionWatch judges an environment's promotion of deploymentID. An
// environment that shows no promotion (and is not served by the
// deployment) right after the request may not show it yet: that counts
// as the end of it only after one has been seen, or after a few looks.
type promotionWatch struct {
	deploymentID string
	seen         bool
	emptyLooks   int
}

// promotionGrace is how many looks may find no promotion before one is seen.
const promotionGrace = 3

func (w *promotionWatch) judge(e *managementapi.Environment, body []byte) progress {
	deploymentID := w.deploymentID
	current := e.CurrentDeployment
	p := e.InProgressPromotion
	if p == nil {
		if current != nil && current.ID == deploymentID {
			hundred := int64(100)
			return progress{status: managementapi.PromotionSucceeded, percent: &hundred, done: true, body: body}
		}
		if w.emptyLooks++; !w.seen && w.emptyLooks < promotionGrace {
			return progress{status: "PENDING", body: body}
		}
		return progress{status: "ENDED", body: body, failure: fmt.Sprintf("ended without deployment %s serving %s (canceled, or failed)", deploymentID, e.Name)}
	}
	w.seen = true
	percent := p.PercentTrafficToNewVersion
	out := progress{status: p.Status, percent: &percent, body: body}
	switch {
	case p.Status == managementapi.PromotionSucceeded:
		out.done = true
	case p.Status == managementapi.PromotionFailed:
		out.failure = "failed"
		if p.ErrorMessage != nil {
			out.failure += ": " + *p.ErrorMessage
		}
	case p.Status == managementapi.PromotionCanceled:
		out.failure = "was canceled"
	case e.CandidateDeployment != nil && e.CandidateDeployment.ID != deploymentID:
		out.failure = fmt.Sprintf("was replaced: deployment %s is being promoted instead", e.CandidateDeployment.ID)
	case e.CandidateDeployment != nil && e.CandidateDeployment.Status.Failed():
		out.failure = "failed: the deployment's status is " + string(e.CandidateDeployment.Status)
	}
	return out
}
