package commands

// OrgCmd groups organization-wide commands.
type OrgCmd struct {
	APIKey APIKeyCmd `cmd:"" name:"api-key" help:"Manage API keys"`
	Team   TeamCmd   `cmd:"" help:"List and describe teams"`
}
