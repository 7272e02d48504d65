package commands

import (
	"strings"

	"github.com/basetenlabs/baseten/managementapi"
)

// APIKeyCmd is the `baseten org api-key` group.
type APIKeyCmd struct {
	List   APIKeyListCmd   `cmd:""`
	Create APIKeyCreateCmd `cmd:""`
	Delete APIKeyDeleteCmd `cmd:""`
}

// typeFlagValue is the lowercase kebab form --type takes and list prints.
// The known categories are spelled out: this runs for every row of a list.
func typeFlagValue(c managementapi.APIKeyCategory) string {
	switch c {
	case managementapi.CategoryPersonal:
		return "personal"
	case managementapi.CategoryWorkspaceExportMetrics:
		return "workspace-export-metrics"
	case managementapi.CategoryWorkspaceInvoke:
		return "workspace-invoke"
	case managementapi.CategoryWorkspaceManageAll:
		return "workspace-manage-all"
	}
	return strings.ReplaceAll(strings.ToLower(string(c)), "_", "-")
}
