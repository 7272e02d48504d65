package commands

import (
	"context"
	"errors"
	"strings"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeploymentReplicaCmd is the `baseten model deployment replica` group.
type ModelDeploymentReplicaCmd struct {
	Terminate ModelDeploymentReplicaTerminateCmd `cmd:""`
}

// ModelDeploymentReplicaTerminateCmd is `baseten model deployment replica terminate`.
type ModelDeploymentReplicaTerminateCmd struct {
	ModelRef
	DeploymentRef
	ReplicaID string `name:"replica-id" required:"" help:"ID of the replica to terminate, as the deployment's logs name it."`
	ConfirmFlag
	CommonFlags
}

func (c *ModelDeploymentReplicaTerminateCmd) Help() string {
	return "Terminate one replica of a deployment. The autoscaler replaces it, as it would a replica that crashed: use it to restart a replica that misbehaves. On a terminal it asks first, naming the replica, its deployment and model; otherwise --yes is required."
}

func (c *ModelDeploymentReplicaTerminateCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Terminate a replica without being asked", Command: "baseten model deployment replica terminate --model-name <model-name> --deployment-id <deployment-id> --replica-id <replica-id> --yes"},
		},
		JQExample: schema.Example{
			Description: "Print whether the replica was terminated",
			Command:     "baseten model deployment replica terminate --model-id <model-id> --deployment-id <deployment-id> --replica-id <replica-id> --yes --jq '.success'",
		},
		TextOutput: `Prints "Terminated replica <replica-id> of deployment <id>" to stderr; no stdout output.`,
		Payload:    managementapi.TerminateReplicaResponse{},
	}
}

func (c *ModelDeploymentReplicaTerminateCmd) Rehearsal() schema.Rehearsal {
	// The production deployment runs one replica: the sandbox numbers
	// them after the deployment (<id>-r1, replaced by -r2, ...).
	r := modelRehearsal("<model-name>", "<model-id>")
	r.Placeholders["<deployment-id>"] = "d7v3n8q1"
	r.Placeholders["<replica-id>"] = "d7v3n8q1-r1"
	return r
}

func (c *ModelDeploymentReplicaTerminateCmd) AfterApply() error {
	return checkPathID("--replica-id", "replica ID", c.ReplicaID, "")
}

func (c *ModelDeploymentReplicaTerminateCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := lookupConfirmingDeployment(ctx, streams, client, &c.ModelRef, &c.YesFlag, c.DeploymentID, func(target string) string {
		return "Terminate replica " + c.ReplicaID + " of " + target + "?"
	})
	if err != nil {
		return err
	}
	answer, goneEarlier, err := client.TerminateReplica(ctx, m.ID, c.DeploymentID, c.ReplicaID)
	if err != nil {
		if apiErr, ok := errors.AsType[*managementapi.APIError](err); ok && strings.Contains(strings.ToLower(apiErr.Message), "replica") {
			return asNotFound(err, "The deployment's logs name its replicas.", "no replica %q in deployment %s", c.ReplicaID, c.DeploymentID)
		}
		return deploymentNotFound(err, m, c.DeploymentID)
	}
	if goneEarlier {
		streams.Notef("Note: the retried request found the replica already gone; an earlier attempt terminated it.")
	}
	streams.Notef("Terminated replica %s of deployment %s", c.ReplicaID, c.DeploymentID)
	return finishAction(ctx, streams, &c.OutputFlags, answer.Body)
}
