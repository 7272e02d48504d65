package commands

import (
	"context"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelEnvironmentLogsCmd is `baseten model environment logs`.
type ModelEnvironmentLogsCmd struct {
	ModelRef
	EnvironmentRef
	LogsFlags
	CommonFlags
}

func (c *ModelEnvironmentLogsCmd) Help() string {
	return "Print the logs of every deployment an environment served in the window: by default the last 30 minutes, then with --follow new lines as they arrive. " +
		"The window is paged through whole (the API sends at most 1,000 lines a request) and printed in time order; lines that share a timestamp are printed once. " +
		"--follow polls every 2 seconds (up to every 10 while nothing arrives) until Ctrl-C, and still prints lines that arrive up to 30 seconds late, once. " +
		"While following, a lost connection or a server error is reported once and retried."
}

func (c *ModelEnvironmentLogsCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Follow the production environment's logs", Command: "baseten model environment logs --model-name <model-name> --environment production --follow"},
			{Description: "Show the last 10 warnings and errors, then follow", Command: "baseten model environment logs --model-id <model-id> --environment production --min-level warning --limit 10 --tail"},
		},
		JQExample: schema.Example{
			Description: "Follow the failed /predict requests, one JSON object per line",
			Command:     "baseten model environment logs --model-id <model-id> --environment production --search 'POST /predict 5[0-9]{2}' --follow --jq '{timestamp, request_id}'",
		},
		TextOutput: logsTextOutput,
		Payload:    managementapi.GetLogsResponse{},
	}
}

// Rehearsal: every example follows, so each runs until interrupted.
func (c *ModelEnvironmentLogsCmd) Rehearsal() schema.Rehearsal {
	r := logsRehearsal
	r.LongRunning = true
	return r
}

func (c *ModelEnvironmentLogsCmd) AfterApply(kctx *kong.Context) error {
	return checkLogsFlags(kctx, &c.LogsFlags, &c.OutputFlags)
}

func (c *ModelEnvironmentLogsCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	source := func(ctx context.Context, q managementapi.LogsQuery) (*managementapi.Answer[managementapi.GetLogsResponse], error) {
		page, err := client.EnvironmentLogs(ctx, m.ID, c.Environment, q)
		return page, environmentNotFound(err, m, c.Environment)
	}
	return c.LogsFlags.run(ctx, streams, &c.OutputFlags, c.Verbose, logsRun{source: source})
}
