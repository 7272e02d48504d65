package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeploymentLogsCmd is `baseten model deployment logs`.
type ModelDeploymentLogsCmd struct {
	ModelRef
	DeploymentRef
	LogsFlags
	CommonFlags
}

func (c *ModelDeploymentLogsCmd) Help() string {
	return "Print a deployment's logs: a window of history, by default the last 30 minutes, then with --follow new lines as they arrive. " +
		"The window is paged through whole (the API sends at most 1,000 lines a request) and printed in time order; lines that share a timestamp are printed once. " +
		"--follow polls every 2 seconds (up to every 10 while nothing arrives) until Ctrl-C, or until the deployment stops running (INACTIVE, or a failed build or deploy), which it says on stderr; " +
		"lines that arrive up to 30 seconds late are still printed, once. While following, a lost connection or a server error is reported once and retried."
}

func (c *ModelDeploymentLogsCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Show the last 30 minutes of a deployment's logs", Command: "baseten model deployment logs --model-name <model-name> --deployment-id <deployment-id>"},
			{Description: "Show the errors of the last 2 hours, in UTC", Command: "baseten model deployment logs --model-id <model-id> --deployment-id <deployment-id> --since 2h --min-level error --utc"},
			{Description: "Show the 100 most recent lines that mention /predict but not 200", Command: "baseten model deployment logs --model-id <model-id> --deployment-id <deployment-id> --include /predict --exclude ' 200 ' --limit 100"},
			{Description: "Show a fixed window of one replica's lines as JSON Lines", Command: "baseten model deployment logs --model-id <model-id> --deployment-id <deployment-id> --start 2026-03-01T09:00:00Z --end 2026-03-01T09:30:00Z --replica <replica> -o jsonl"},
		},
		JQExample: schema.Example{
			Description: "Print the message of every line of one inference request",
			Command:     "baseten model deployment logs --model-id <model-id> --deployment-id <deployment-id> --since 1h --jq 'select(.request_id == \"<request-id>\") | .message'",
		},
		TextOutput: logsTextOutput,
		Payload:    managementapi.GetLogsResponse{},
	}
}

func (c *ModelDeploymentLogsCmd) Rehearsal() schema.Rehearsal { return logsRehearsal }

// logsTextOutput is the text-output paragraph of both logs commands.
const logsTextOutput = "One line per log line, oldest first: TIMESTAMP (local time with milliseconds and the zone offset, ISO 8601; UTC with --utc), LEVEL (DEBUG, INFO, WARNING or ERROR, colored on a terminal unless NO_COLOR is set; - when the line has none), REPLICA (- when none) and MESSAGE, in full. " +
	`A newline or carriage return inside a message is shown as \n or \r, and other control characters are made harmless, so one log line is one line of output. ` +
	"When the window holds no lines, prints \"No log lines in this window.\" to stderr. " +
	"With -o jsonl, each line is the API's log object exactly as it was sent, printed as it arrives (--jq runs on each; a jq error on one line is said on stderr and the next lines still print, and the command then exits 1, or with --follow goes on); -o json prints one object {\"logs\": [...]} of the whole window (not with --follow). " +
	"With -v, each request's window and how many lines it returned go to stderr."

// logsRehearsal fills the examples' placeholders from the seed sandbox:
// the llama-chat model, its production deployment (which logs), and a
// replica and a request ID found in its logs.
var logsRehearsal = schema.Rehearsal{
	Placeholders: map[string]string{
		"<model-name>":    "llama-chat",
		"<model-id>":      "baseten model describe --model-name llama-chat --jq .id",
		"<deployment-id>": "baseten model describe --model-name llama-chat --jq .production_deployment_id",
		"<replica>":       seedLogs + " -o json --jq .logs[0].replica",
		"<request-id>":    seedLogs + " --include /predict -o json --jq .logs[0].request_id",
	},
}

// seedLogs is the most recent log line of the seed model's production
// deployment (through its environment, which needs no deployment ID), for
// logsRehearsal.
const seedLogs = "baseten model environment logs --model-name llama-chat --environment production --limit 1"

func (c *ModelDeploymentLogsCmd) AfterApply(kctx *kong.Context) error {
	return checkLogsFlags(kctx, &c.LogsFlags, &c.OutputFlags)
}

// checkLogsFlags settles the output flags first (--jq implies jsonl here:
// lines are printed as they arrive), then the window and filters.
func checkLogsFlags(kctx *kong.Context, f *LogsFlags, out *OutputFlags) error {
	if err := out.resolve(kctx); err != nil {
		return err
	}
	if flagGiven(kctx, "jq") && !flagGiven(kctx, "output") {
		out.output.Mode = render.JSONL
	}
	return f.check(kctx, out.output.Mode, time.Now())
}

func (c *ModelDeploymentLogsCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	source := func(ctx context.Context, q managementapi.LogsQuery) (*managementapi.Answer[managementapi.GetLogsResponse], error) {
		page, err := client.DeploymentLogs(ctx, m.ID, c.DeploymentID, q)
		return page, deploymentNotFound(err, m, c.DeploymentID)
	}
	stopped := func(ctx context.Context) (string, error) {
		answer, err := client.GetDeployment(ctx, m.ID, c.DeploymentID)
		if err != nil {
			return "", deploymentNotFound(err, m, c.DeploymentID)
		}
		d, err := answer.Decode()
		if err != nil {
			return "", err
		}
		if !stopsLogging(d.Status) {
			return "", nil
		}
		return fmt.Sprintf("Deployment %s is %s", c.DeploymentID, d.Status), nil
	}
	return c.LogsFlags.run(ctx, streams, &c.OutputFlags, c.Verbose, logsRun{source: source, stopped: stopped})
}

// stopsLogging: a deployment in this status has left running for good
// (until someone acts): following it would wait for nothing. UNHEALTHY
// (it may recover, and its lines are the ones wanted), SCALED_TO_ZERO (it
// wakes on the next request) and every status on its way somewhere keep
// following.
func stopsLogging(s managementapi.DeploymentStatus) bool {
	return s == managementapi.StatusInactive || s.Failed() && s != managementapi.StatusUnhealthy
}
