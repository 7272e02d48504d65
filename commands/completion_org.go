package commands

import (
	"context"
	"encoding/json"

	"github.com/posener/complete"

	"github.com/basetenlabs/baseten/managementapi"
)

// Predictors of the org secret and org user commands (see completion.go).
const (
	predictSecretName = "secret-name"
	predictUserID     = "user-id"
	predictUserEmail  = "user-email"
)

// secretNames completes --name of org secret set and delete: the names of
// the secrets of every team the caller belongs to.
func (l *liveValues) secretNames() complete.Predictor {
	return l.fromAPI(func(ctx context.Context, client *managementapi.Client) ([]string, error) {
		answer, err := client.ListSecrets(ctx, "")
		if err != nil {
			return nil, err
		}
		list, err := answer.Decode()
		if err != nil {
			return nil, err
		}
		var names []string
		for _, s := range list.Secrets {
			if secretNameProblem(s.Name) == "" {
				names = append(names, s.Name)
			}
		}
		return names, nil
	})
}

// users completes a user's ID or email: extra, then the values of the
// first page of users (as many as one page holds), which is what one Tab
// can wait for.
func (l *liveValues) users(value func(managementapi.UserInfo) string, extra ...string) complete.Predictor {
	return l.fromAPI(func(ctx context.Context, client *managementapi.Client) ([]string, error) {
		page, err := client.ListUsers(ctx, "", managementapi.MaxUsersPage, "")
		if err != nil {
			return nil, err
		}
		values := extra
		page.EachItem(func(e []byte) bool {
			var u managementapi.UserInfo
			if json.Unmarshal(e, &u) == nil && value(u) != "" {
				values = append(values, value(u))
			}
			return true
		})
		return values, nil
	})
}
