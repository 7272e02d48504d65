package commands

import "github.com/basetenlabs/baseten/schema"

// Short names for three of schema's environment variables, for
// sandbox.go only until it uses schema's constants itself (issue 15 splits
// that file): the names are declared in schema/environment.go, not here.
const (
	envAPIKey      = schema.EnvAPIKey
	envRemoteURL   = schema.EnvRemoteURL
	envAPIOverride = schema.EnvAPIURLOverride
)
