package sandbox

// The organization, its users and its keys as the API sends them: the
// sandbox's own copies of the wire types, kept apart from the client's.

// Team is one team of the organization, as listed by GET /v1/teams (TeamV1).
type Team struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Default   bool   `json:"default"`
	CreatedAt string `json:"created_at"` // RFC 3339, sent verbatim
}

// User is the caller, as GET /v1/users/me describes it (UserInfoV1).
type User struct {
	UserID        string  `json:"user_id"`
	Email         *string `json:"email"`
	Name          *string `json:"name"`
	WorkspaceName *string `json:"workspace_name"`
}

// DefaultUser is the user of a sandbox whose options name none.
func DefaultUser() User {
	return User{UserID: "user-sandbox", Email: ptr("you@example.com"), Name: ptr("Sandbox User"), WorkspaceName: ptr("Sandbox")}
}

// KeyInfo is the metadata of a stored key, as listed by GET /v1/api_keys
// (APIKeyInfoV1). Nil pointers and slices are sent as JSON null, like the API.
type KeyInfo struct {
	Prefix   string   `json:"prefix"`
	Name     *string  `json:"name"`
	Type     KeyType  `json:"type"`
	ModelIDs []string `json:"model_ids"`
	TeamName *string  `json:"team_name"`
}

// SeedKey describes a key that exists before the server starts.
type SeedKey struct {
	// Prefix is the public part of the key; empty means "generate one".
	Prefix string
	// Secret, if set, makes "Prefix.Secret" authenticate like a created key
	// (keys split at the first ".", so such a Prefix must not contain one).
	// Without it the key can be listed and deleted but never used.
	Secret string
	Name   *string
	// Type is stored as given so that clients can be tested against values
	// the enum may gain later; empty means PERSONAL.
	Type     KeyType
	ModelIDs []string
	// TeamName is listed as is; nil is listed as null.
	TeamName *string
}
