package commands

// TeamCmd is the `baseten org team` group: the teams that `org api-key
// create --team` takes, by name or ID.
type TeamCmd struct {
	List     TeamListCmd     `cmd:""`
	Describe TeamDescribeCmd `cmd:""`
}

// teamListHint points at the command that shows every team's name and ID.
const teamListHint = "Run 'baseten org team list' to see the teams and their IDs."
