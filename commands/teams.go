package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/basetenlabs/baseten/managementapi"
)

// Finding a team by the ID or name a user typed, for every command that
// takes one (org api-key create --team, and the groups to come).

// resolveTeam turns --team (an ID or a name) into a team ID. An exact ID
// match wins over names; a name shared by several teams is ambiguous.
func resolveTeam(ctx context.Context, client *managementapi.Client, team string) (string, error) {
	answer, err := client.ListTeams(ctx)
	if err != nil {
		return "", err
	}
	teams, err := answer.Decode()
	if err != nil {
		return "", err
	}
	id, err := pickTeam(teams.Teams, team)
	if err != nil {
		return "", err
	}
	if problem := teamIDProblem(id); problem != "" {
		return "", failed("", "the API lists team %q with ID %q, which %s; nothing was created", team, id, problem)
	}
	return id, nil
}

// pickTeam finds the team --team names among teams.
func pickTeam(teams []managementapi.Team, team string) (string, error) {
	for _, t := range teams {
		if t.ID == team {
			return t.ID, nil
		}
	}
	named := teamsNamed(teams, team)
	switch len(named) {
	case 1:
		return teams[named[0]].ID, nil
	case 0:
		return "", notFound(teamsHint("Teams you can use: ", teams), "no team with ID or name %q", team)
	default:
		return "", usageError(fmt.Sprintf("%d teams are named %q: %s", len(named), team, teamIDs(teams, named)), "Pass --team with one of these IDs.")
	}
}

// teamsNamed returns the indexes of the teams named exactly name. Names are
// not unique in the API.
func teamsNamed(teams []managementapi.Team, name string) []int {
	var named []int
	for i, t := range teams {
		if t.Name == name {
			named = append(named, i)
		}
	}
	return named
}

// teamIDs lists the IDs of the teams at these indexes, for an error that
// asks to pick one.
func teamIDs(teams []managementapi.Team, indexes []int) string {
	ids := make([]string, len(indexes))
	for i, j := range indexes {
		ids[i] = teams[j].ID
	}
	return strings.Join(ids, ", ")
}

// teamsHint names the teams there are, after lead; the first few only, each
// cut short, since names and IDs come from the API.
func teamsHint(lead string, teams []managementapi.Team) string {
	if len(teams) == 0 {
		return ""
	}
	const most = 10
	var names []string
	for i, t := range teams {
		if i == most {
			names = append(names, fmt.Sprintf("and %d more", len(teams)-most))
			break
		}
		names = append(names, fmt.Sprintf("%s (%s)", shorten(t.Name, 64), shorten(t.ID, 64)))
	}
	return lead + strings.Join(names, ", ")
}
