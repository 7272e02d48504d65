package commands

import (
	"context"
	"fmt"
	"io"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// TeamDescribeCmd is `baseten org team describe`.
type TeamDescribeCmd struct {
	TeamID   string `name:"team-id" xor:"team-ref" required:"" predictor:"team-id" help:"ID of the team, as org team list shows it."`
	TeamName string `name:"team-name" xor:"team-ref" required:"" predictor:"team-name" help:"Exact name of the team. Names are not unique: when several teams share it, nothing is shown and their IDs are listed."`
	CommonFlags
}

func (c *TeamDescribeCmd) Help() string {
	return "Show one team: its name, ID, whether it is the organization's default team, and when it was created. Exactly one of --team-id or --team-name is required: --team-id asks the API for that team, --team-name looks for the team with exactly that name in the list of teams."
}

func (c *TeamDescribeCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Describe a team by name", Command: "baseten org team describe --team-name <team-name>"},
			{Description: "Describe a team by ID", Command: "baseten org team describe --team-id <team-id>"},
		},
		JQExample: schema.Example{
			Description: "Print just the team's name",
			Command:     "baseten org team describe --team-id <team-id> --jq '.name'",
		},
		TextOutput: "One field per line: Name, ID, Default (yes or no) and Created (as the API sends it).",
		Payload:    managementapi.Team{},
	}
}

func (c *TeamDescribeCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{Placeholders: map[string]string{
		"<team-name>": "Research", // seeded in every sandbox
		"<team-id>":   `baseten org team list --jq '.teams[] | select(.name == "Research") | .id'`,
	}}
}

func (c *TeamDescribeCmd) AfterApply(kctx *kong.Context) error {
	if err := refuseEmpty(kctx, "team-name", c.TeamName); err != nil {
		return err
	}
	if !flagGiven(kctx, "team-id") {
		return nil
	}
	// The ID goes into the URL path: the rules the IDs of the API's own
	// list must pass before they go there apply to the user's too.
	if problem := teamIDProblem(c.TeamID); problem != "" {
		return usageError(fmt.Sprintf("--team-id %q %s", c.TeamID, problem), teamListHint)
	}
	return nil
}

func (c *TeamDescribeCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	body, team, err := c.find(ctx, client)
	if err != nil {
		return err
	}
	return c.write(ctx, streams, body, func(w io.Writer) error {
		isDefault := "no"
		if team.Default {
			isDefault = "yes"
		}
		return render.WriteFields(w, []render.Field{
			{Label: "Name", Value: team.Name},
			{Label: "ID", Value: team.ID},
			{Label: "Default", Value: isDefault},
			{Label: "Created", Value: team.CreatedAt},
		})
	})
}

// find returns the team the flags name: its JSON as the API sent it (the
// body of GET /v1/teams/{team_id}, or the team's element of the list) and
// its typed view.
func (c *TeamDescribeCmd) find(ctx context.Context, client *managementapi.Client) ([]byte, *managementapi.Team, error) {
	if c.TeamID != "" {
		answer, err := client.GetTeam(ctx, c.TeamID)
		if err != nil {
			return nil, nil, asNotFound(err, teamListHint, "no team with ID %q", c.TeamID)
		}
		team, err := answer.Decode() // decoded and checked by GetTeam
		return answer.Body, team, err
	}
	answer, err := client.ListTeams(ctx)
	if err != nil {
		return nil, nil, err
	}
	list, err := answer.Decode()
	if err != nil {
		return nil, nil, err
	}
	named := teamsNamed(list.Teams, c.TeamName)
	switch len(named) {
	case 1:
		return answer.Element(named[0]), &list.Teams[named[0]], nil
	case 0:
		return nil, nil, notFound(teamsHint("Teams: ", list.Teams), "no team named %q", c.TeamName)
	default:
		return nil, nil, usageError(fmt.Sprintf("%d teams are named %q: %s", len(named), c.TeamName, teamIDs(list.Teams, named)), "Pass --team-id with one of these IDs.")
	}
}
