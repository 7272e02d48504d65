package managementapi

// The payload types mirror the schemas in the public OpenAPI description
// (management-api-keys.json) field for field. Their Go names are the ones the
// reference pages print as "payload type managementapi.X", so renaming one is
// a documentation change.
//
// Optional response fields are pointers or nil slices without omitempty: a key
// without a name prints `"name": null`, as the API sends it, so scripts see the
// same shape whether or not a field is filled.

// APIKeyCategory is the API's enum of key types.
type APIKeyCategory string

const (
	CategoryPersonal               APIKeyCategory = "PERSONAL"
	CategoryWorkspaceManageAll     APIKeyCategory = "WORKSPACE_MANAGE_ALL"
	CategoryWorkspaceExportMetrics APIKeyCategory = "WORKSPACE_EXPORT_METRICS"
	CategoryWorkspaceInvoke        APIKeyCategory = "WORKSPACE_INVOKE"
)

// APIKeys is the response of GET /v1/api_keys (APIKeysV1).
type APIKeys struct {
	Keys []APIKeyInfo `json:"keys"`
}

// APIKeyInfo is the metadata of one key; the key value itself is never listed (APIKeyInfoV1).
type APIKeyInfo struct {
	Prefix   string         `json:"prefix"`
	Name     *string        `json:"name"`
	Type     APIKeyCategory `json:"type"`
	ModelIDs []string       `json:"model_ids"`
	TeamName *string        `json:"team_name"`
}

// APIKey is the response of a create call: the only time a key value is ever sent (APIKeyV1).
type APIKey struct {
	APIKey string `json:"api_key"`
}

// APIKeyTombstone is the response of DELETE /v1/api_keys/{prefix} (APIKeyTombstoneV1).
type APIKeyTombstone struct {
	Prefix string `json:"prefix"`
}

// CreateAPIKeyRequest is the body of both create endpoints (CreateAPIKeyRequestV1).
// Name and ModelIDs are omitted when unset: the API treats an absent field as
// "not given", and the CLI sends only what the user typed.
type CreateAPIKeyRequest struct {
	Name     *string        `json:"name,omitempty"`
	Type     APIKeyCategory `json:"type"`
	ModelIDs []string       `json:"model_ids,omitempty"`
}

// Teams is the response of GET /v1/teams (TeamsV1).
type Teams struct {
	Teams []Team `json:"teams"`
}

// Team is one team of the organization (TeamV1). CreatedAt stays the string the
// API sent (ISO 8601) so JSON output is the payload as received.
type Team struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Default   bool   `json:"default"`
	CreatedAt string `json:"created_at"`
}

// UserInfo is the response of GET /v1/users/me: the user an API key
// belongs to (UserInfoV1). Only the ID is always there.
type UserInfo struct {
	UserID        string  `json:"user_id"`
	Email         *string `json:"email"`
	Name          *string `json:"name"`
	WorkspaceName *string `json:"workspace_name"`
}
