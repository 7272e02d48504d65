package commands

import (
	"context"
	"fmt"
	"slices"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

// What the deployment actions (activate, deactivate, retry, promote,
// delete) share: naming the target for a confirmation, and watching the
// deployment settle for --wait.

// deploymentTarget names a deployment for a person: "deployment abc
// (model foo, production)". It looks the model and the deployment up
// (a deployment that does not exist is exit 4 here, before any question).
func deploymentTarget(ctx context.Context, client *managementapi.Client, ref *ModelRef, m *resolvedModel, deploymentID string) (string, error) {
	if m.Model == nil {
		full, err := ref.fetch(ctx, client)
		if err != nil {
			return "", err
		}
		*m = *full
	}
	answer, err := client.GetDeployment(ctx, m.ID, deploymentID)
	if err != nil {
		return "", deploymentNotFound(err, m, deploymentID)
	}
	d, err := answer.Decode()
	if err != nil {
		return "", err
	}
	if d.ID != deploymentID {
		return "", notTheOneAsked("deployment", deploymentID, d.ID)
	}
	if d.ModelID != "" && d.ModelID != m.ID {
		return "", notTheOneAsked("a deployment of model", m.ID, d.ModelID)
	}
	where := "model " + m.Model.Name
	switch {
	case d.Environment != nil:
		where += ", " + *d.Environment
	case d.IsDevelopment:
		where += ", development"
	}
	return fmt.Sprintf("deployment %s (%s)", deploymentID, where), nil
}

// deploymentWatch is how --wait judges a deployment's status after an
// action: done at one of want; failed at a failed status, or settled
// elsewhere once it has been seen moving. A status that is settled but
// not wanted before any movement is the one the action found: the change
// has not started yet, so the wait goes on. staleFailure says the action
// starts from a failed status (retry), which does not count until then.
type deploymentWatch struct {
	want         []managementapi.DeploymentStatus
	staleFailure bool
	moved        bool
}

func (w *deploymentWatch) judge(d *managementapi.Deployment, body []byte) progress {
	p := progress{status: string(d.Status), body: body}
	s := d.Status
	switch {
	case slices.Contains(w.want, s):
		p.done = true
	case !s.Settled():
		w.moved = true
	case s.Failed() && (w.moved || !w.staleFailure):
		p.failure = "failed: its status is " + render.Sanitize(string(s))
	case w.moved && !s.Failed():
		p.failure = fmt.Sprintf("settled at %s instead", render.Sanitize(string(s)))
	}
	return p
}

// waitForDeployment polls the deployment until watch says it is done.
func waitForDeployment(ctx context.Context, streams *render.IO, client *managementapi.Client, flags *WaitFlags, common *CommonFlags, modelID, deploymentID string, watch *deploymentWatch) ([]byte, error) {
	w := &waiter{streams: streams, timeout: flags.Timeout, what: "deployment " + deploymentID,
		describe: common.commandLine("model", "deployment", "describe", "--model-id", modelID, "--deployment-id", deploymentID)}
	return w.wait(ctx, func(ctx context.Context) (progress, error) {
		answer, err := client.GetDeployment(ctx, modelID, deploymentID)
		if err != nil {
			return progress{}, err
		}
		d, err := answer.Decode()
		if err != nil {
			return progress{}, err
		}
		return watch.judge(d, answer.Body), nil
	})
}

// followDeployment ends a deployment action whose answer is body: with
// --wait it follows the deployment until watch says it is done and writes
// it as it finally is; without, it writes body.
func followDeployment(ctx context.Context, streams *render.IO, client *managementapi.Client, wait *WaitFlags, common *CommonFlags, modelID, deploymentID string, body []byte, watch *deploymentWatch) error {
	if wait.Wait {
		var err error
		if body, err = waitForDeployment(ctx, streams, client, wait, common, modelID, deploymentID, watch); err != nil {
			return err
		}
	}
	return finishAction(ctx, streams, &common.OutputFlags, body)
}

// finishAction writes the outcome of an action: with --wait, the final
// object (JSON modes) once it has settled; without, the API's answer to
// the action. In text mode stdout stays empty: the lines are on stderr.
func finishAction(ctx context.Context, streams *render.IO, out *OutputFlags, body []byte) error {
	if out.output.Mode == render.Text {
		return nil
	}
	return out.write(ctx, streams, body, nil)
}
