package commands

import (
	"context"
	"io"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// TeamListCmd is `baseten org team list`.
type TeamListCmd struct {
	CommonFlags
}

func (c *TeamListCmd) Help() string {
	return "List the organization's teams. Their names and IDs are what org api-key create --team and org team describe take."
}

func (c *TeamListCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "List all teams in the org", Command: "baseten org team list"},
		},
		JQExample: schema.Example{
			Description: "Print just the ID of the default team",
			Command:     "baseten org team list --jq '.teams[] | select(.default) | .id'",
		},
		TextOutput: `Table with columns: NAME, ID, DEFAULT ("yes" for the organization's default team, else empty), CREATED (as the API sends it). When no teams exist, prints "No teams found." to stderr.`,
		Payload:    managementapi.Teams{},
	}
}

func (c *TeamListCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	answer, err := client.ListTeams(ctx)
	if err != nil {
		return err
	}
	if c.output.Mode != render.Text { // the body as sent; no typed view needed
		return c.write(ctx, streams, answer.Body, nil)
	}
	list, err := answer.Decode()
	if err != nil {
		return err
	}
	if len(list.Teams) == 0 {
		streams.Notef("No teams found.")
		return nil
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		return render.Table{
			Header: []string{"NAME", "ID", "DEFAULT", "CREATED"},
			Rows: func(row func(cells ...string) error) error {
				for _, t := range list.Teams {
					if err := row(t.Name, t.ID, yesOrEmpty(t.Default), t.CreatedAt); err != nil {
						return err
					}
				}
				return nil
			},
		}.Write(w, streams.Styled())
	})
}

func yesOrEmpty(b bool) string {
	if b {
		return "yes"
	}
	return ""
}
