package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

func seededTeams() []sandbox.Team {
	return []sandbox.Team{
		{ID: "team-default", Name: "Default", Default: true, CreatedAt: "2024-01-01T00:00:00Z"},
		{ID: "t-research", Name: "Research", CreatedAt: "2024-02-03T04:05:06.789Z"},
		{ID: "t-ops1", Name: "Ops", CreatedAt: "2024-03-01T00:00:00Z"},
		{ID: "t-ops2", Name: "Ops", CreatedAt: "2024-03-02T00:00:00Z"},
	}
}

func TestTeamList(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Teams: seededTeams()})
	r := newRunner(a)
	assertResult(t, r.run("org", "team", "list"), ""+
		"NAME      ID            DEFAULT  CREATED\n"+
		"Default   team-default  yes      2024-01-01T00:00:00Z\n"+
		"Research  t-research             2024-02-03T04:05:06.789Z\n"+
		"Ops       t-ops1                 2024-03-01T00:00:00Z\n"+
		"Ops       t-ops2                 2024-03-02T00:00:00Z\n",
		"", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams"})

	// The help's jq example.
	assertResult(t, r.run("org", "team", "list", "--jq", ".teams[] | select(.default) | .id"), "team-default\n", "", 0)
	got := r.run("org", "team", "list", "-o", "jsonl")
	assert.Assert(t, strings.HasPrefix(got.Stdout, `{"teams":[{"id":"team-default","name":"Default","default":true,"created_at":"2024-01-01T00:00:00Z"},`), got.Stdout)
	assertResult(t, r.run("org", "team", "list", "-o", "none"), "", "", 0)
}

// The JSON modes print the list as the API sent it, fields this CLI does
// not know included; the text view is typed.
func TestTeamListEmptyAndUnfamiliar(t *testing.T) {
	empty := newAPI(t, ok(`{"teams":[],"cursor":null}`))
	assertResult(t, newRunner(empty).run("org", "team", "list"), "", "No teams found.\n", 0)
	assertResult(t, newRunner(empty).run("org", "team", "list", "-o", "jsonl"), `{"teams":[],"cursor":null}`+"\n", "", 0)

	const body = `{"teams":[{"created_at":"2024-01-01T00:00:00Z","id":"t1","name":"A","default":false,"members":12345678901234567890}]}`
	a := newAPI(t, ok(body))
	assertResult(t, newRunner(a).run("org", "team", "list", "-o", "jsonl"), body+"\n", "", 0)
	assertResult(t, newRunner(a).run("org", "team", "list"), "NAME  ID  DEFAULT  CREATED\nA     t1           2024-01-01T00:00:00Z\n", "", 0)

	wrong := newAPI(t, ok(`{"teams":[{"id":7}]}`))
	got := newRunner(wrong).run("org", "team", "list")
	assert.Equal(t, got.Code, 1)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: unexpected response from the API: the response is not the JSON the API documents"), got.Stderr)
}

func TestTeamDescribeByID(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Teams: seededTeams()})
	r := newRunner(a)
	assertResult(t, r.run("org", "team", "describe", "--team-id", "t-research"), ""+
		"Name:     Research\n"+
		"ID:       t-research\n"+
		"Default:  no\n"+
		"Created:  2024-02-03T04:05:06.789Z\n", "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams/t-research"})

	assertResult(t, r.run("org", "team", "describe", "--team-id", "team-default", "-o", "json"), `{
  "id": "team-default",
  "name": "Default",
  "default": true,
  "created_at": "2024-01-01T00:00:00Z"
}
`, "", 0)
	assertResult(t, r.run("org", "team", "describe", "--team-id", "t-ops2", "--jq", ".name"), "Ops\n", "", 0)
}

func TestTeamDescribeByName(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Teams: seededTeams()})
	r := newRunner(a)
	assertResult(t, r.run("org", "team", "describe", "--team-name", "Default"), ""+
		"Name:     Default\n"+
		"ID:       team-default\n"+
		"Default:  yes\n"+
		"Created:  2024-01-01T00:00:00Z\n", "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams"})
	assertResult(t, r.run("org", "team", "describe", "--team-name", "Research", "-o", "jsonl"),
		`{"id":"t-research","name":"Research","default":false,"created_at":"2024-02-03T04:05:06.789Z"}`+"\n", "", 0)

	// Exactly the name: no case folding, no prefix.
	got := r.run("org", "team", "describe", "--team-name", "research")
	assertResult(t, got, "", "Error: no team named \"research\"\n"+
		"Teams: Default (team-default), Research (t-research), Ops (t-ops1), Ops (t-ops2)\n", 4)

	a.Reset()
	got = r.run("org", "team", "describe", "--team-name", "Ops")
	assertResult(t, got, "", "Error: 2 teams are named \"Ops\": t-ops1, t-ops2\nPass --team-id with one of these IDs.\n", 2)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams"})
}

// A team picked from the list prints as the API sent it within the list:
// its own fields, its order, its spelling.
func TestTeamDescribeByNamePrintsTheElementAsSent(t *testing.T) {
	const team = `{"name":"B","created_at":"2024-01-01T00:00:00Z","default":false,"id":"t2","quota":1.50}`
	a := newAPI(t, ok(`{"teams":[{"id":"t1","name":"A","default":true,"created_at":"2024-01-01T00:00:00Z"}, `+team+`]}`))
	assertResult(t, newRunner(a).run("org", "team", "describe", "--team-name", "B", "-o", "jsonl"), team+"\n", "", 0)
	assertResult(t, newRunner(a).run("org", "team", "describe", "--team-name", "B", "--jq", ".quota"), "1.50\n", "", 0)
}

func TestTeamDescribeNotFound(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Teams: seededTeams()})
	got := newRunner(a).run("org", "team", "describe", "--team-id", "t-nope")
	// The API's "Team not found" is not repeated after it.
	assertResult(t, got, "", "Error: no team with ID \"t-nope\"\nRun 'baseten org team list' to see the teams and their IDs.\n", 4)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams/t-nope"})
}

// A 200 that is not a team (a host answering {} to anything) shows nothing.
func TestTeamDescribeOfANonTeam(t *testing.T) {
	a := newAPI(t, ok(`{}`))
	for _, mode := range []string{"text", "json"} {
		got := newRunner(a).run("org", "team", "describe", "--team-id", "t1", "-o", mode)
		assertResult(t, got, "", "Error: unexpected response from the API: GET /v1/teams/{team_id}: the response holds no team id\n", 1)
	}
}

// --team-id goes into the URL path: what could make it another path, or
// be read as one by a proxy, is refused before anything is sent; what is
// merely unusual is escaped.
func TestTeamDescribeHostileIDs(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{Teams: append(seededTeams(), sandbox.Team{ID: `a"b|c:d`, Name: "Odd"})})
	r := newRunner(a)
	for id, problem := range map[string]string{
		".":                      "is not a team ID",
		"..":                     "is not a team ID",
		"a/b":                    "contains characters a team ID never has",
		`a\b`:                    "contains characters a team ID never has",
		"%2e%2e":                 "contains characters a team ID never has",
		"a?b":                    "contains characters a team ID never has",
		"a#b":                    "contains characters a team ID never has",
		"a b":                    "contains characters a team ID never has",
		"t\x1b[31mred":           "contains characters a team ID never has",
		"t\u202eevil":            "contains characters a team ID never has",
		strings.Repeat("t", 129): "is too long to be a team ID",
	} {
		got := r.run("org", "team", "describe", "--team-id", id)
		assert.Equal(t, got.Code, 2, id)
		lines := strings.Split(got.Stderr, "\n")
		assert.Assert(t, strings.HasPrefix(lines[0], "Error: --team-id "), got.Stderr)
		assert.Assert(t, strings.HasSuffix(lines[0], problem), got.Stderr)
		assert.Assert(t, !strings.ContainsAny(got.Stderr, "\x1b\u202e"), "%q", got.Stderr)
		assert.Equal(t, lines[1], "Run 'baseten org team list' to see the teams and their IDs.")
	}
	assert.DeepEqual(t, a.Requests(), []string{})

	got := r.run("org", "team", "describe", "--team-id", `a"b|c:d`, "--jq", ".name")
	assertResult(t, got, "Odd\n", "", 0)
	assert.DeepEqual(t, a.Requests(), []string{"GET /v1/teams/a%22b%7Cc:d"})
}

// Names and IDs come from other users: they never act on the terminal.
func TestTeamTextIsSanitized(t *testing.T) {
	a := newAPI(t, ok(`{"teams":[{"id":"t1","name":"evil\u001b[31m\nname","default":false,"created_at":"x\u202e"}]}`))
	assertResult(t, newRunner(a).run("org", "team", "list"),
		"NAME            ID  DEFAULT  CREATED\nevil\uFFFD[31m\uFFFDname  t1           x\\u202e\n", "", 0)
	assertResult(t, newRunner(a).run("org", "team", "describe", "--team-name", "evil\x1b[31m\nname"),
		"Name:     evil\uFFFD[31m\uFFFDname\nID:       t1\nDefault:  no\nCreated:  x\\u202e\n", "", 0)
}

func TestTeamDescribeUsageErrors(t *testing.T) {
	a, _ := sandboxAPI(t, sandbox.Options{})
	r := newRunner(a)
	for args, want := range map[string]string{
		"":                          "Error: missing flags: --team-id=TEXT or --team-name=TEXT\n",
		"--team-id a --team-name b": "Error: --team-id and --team-name can't be used together\n",
		"--team-name=":              "Error: --team-name must not be empty\n",
	} {
		got := r.run(append([]string{"org", "team", "describe"}, strings.Fields(args)...)...)
		assert.Equal(t, got.Code, 2, args)
		assert.Assert(t, strings.HasPrefix(got.Stderr, want), "%s: %s", args, got.Stderr)
		assert.Assert(t, strings.HasSuffix(got.Stderr, "Usage: baseten org team describe [OPTIONS]\nRun 'baseten org team describe --help' for more information.\n"), got.Stderr)
	}
	assert.DeepEqual(t, a.Requests(), []string{})
}
