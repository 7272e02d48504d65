package commands

// OrgCmd groups organization-wide commands.
type OrgCmd struct {
	APIKey  APIKeyCmd  `cmd:"" name:"api-key" help:"Manage API keys"`
	Team    TeamCmd    `cmd:"" help:"List and describe teams"`
	Secret  SecretCmd  `cmd:"" help:"List, set and delete secrets"`
	User    UserCmd    `cmd:"" help:"List and describe users"`
	Billing BillingCmd `cmd:"" help:"Show billing usage"`
}
