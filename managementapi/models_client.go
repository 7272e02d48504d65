package managementapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// The calls of the model, deployment and environment endpoints. Every ID
// and name is path-escaped here, but callers validate them first (the
// commands refuse "." and ".." and the like): escaping does not stop a
// proxy that decodes paths.

// ListModels lists the organization's models, or those of one team when
// teamID is not empty.
func (c *Client) ListModels(ctx context.Context, teamID string) (*Answer[Models], error) {
	path := "/v1/models"
	if teamID != "" {
		path = "/v1/teams/" + url.PathEscape(teamID) + "/models"
	}
	return checkedGet[Models](ctx, c, request{method: http.MethodGet, path: path, limit: MaxListBody, array: "models"}, nil)
}

// GetModel gets one model. One that does not exist is an *APIError 404.
func (c *Client) GetModel(ctx context.Context, modelID string) (*Answer[Model], error) {
	return checkedGet(ctx, c, request{method: http.MethodGet, path: modelPath(modelID), limit: MaxBody},
		func(m *Model) bool { return m.ID != "" })
}

// DeleteModel deletes a model with all its deployments. A retry that
// finds the model gone after an earlier attempt reached the server counts
// as the deletion (see DeleteAPIKey); goneEarlier says so.
func (c *Client) DeleteModel(ctx context.Context, modelID string) (*Answer[ModelTombstone], bool, error) {
	return deleteCall(ctx, c, modelPath(modelID), &ModelTombstone{ID: modelID, Deleted: true},
		func(t *ModelTombstone) bool { return t.ID != "" })
}

// ListDeployments lists a model's deployments.
func (c *Client) ListDeployments(ctx context.Context, modelID string) (*Answer[Deployments], error) {
	return checkedGet[Deployments](ctx, c, request{method: http.MethodGet, path: modelPath(modelID) + "/deployments", limit: MaxListBody, array: "deployments"}, nil)
}

// GetDeployment gets one deployment of a model.
func (c *Client) GetDeployment(ctx context.Context, modelID, deploymentID string) (*Answer[Deployment], error) {
	return checkedGet(ctx, c, request{method: http.MethodGet, path: deploymentPath(modelID, deploymentID), limit: MaxBody}, validDeployment)
}

// DeleteDeployment deletes one deployment of a model.
func (c *Client) DeleteDeployment(ctx context.Context, modelID, deploymentID string) (*Answer[DeploymentTombstone], bool, error) {
	return deleteCall(ctx, c, deploymentPath(modelID, deploymentID), &DeploymentTombstone{ID: deploymentID, Deleted: true, ModelID: modelID},
		func(t *DeploymentTombstone) bool { return t.ID != "" })
}

// ActivateDeployment asks for a deployment to be activated; it is never retried.
func (c *Client) ActivateDeployment(ctx context.Context, modelID, deploymentID string) (*Answer[ActivateResponse], error) {
	return post[ActivateResponse](ctx, c, deploymentPath(modelID, deploymentID)+"/activate", nil, nil)
}

// DeactivateDeployment asks for a deployment to be deactivated.
func (c *Client) DeactivateDeployment(ctx context.Context, modelID, deploymentID string) (*Answer[DeactivateResponse], error) {
	return post[DeactivateResponse](ctx, c, deploymentPath(modelID, deploymentID)+"/deactivate", nil, nil)
}

// RetryDeployment asks for a failed deployment to be built and deployed again.
func (c *Client) RetryDeployment(ctx context.Context, modelID, deploymentID string) (*Answer[RetryDeploymentResponse], error) {
	return post(ctx, c, deploymentPath(modelID, deploymentID)+"/retry", nil,
		func(r *RetryDeploymentResponse) bool { return validDeployment(&r.Deployment) })
}

// GetDeploymentConfig gets a deployment's config in the given format.
func (c *Client) GetDeploymentConfig(ctx context.Context, modelID, deploymentID string, format DeploymentConfigOutputFormat) (*Answer[DeploymentConfigResponse], error) {
	path := deploymentPath(modelID, deploymentID) + "/config?output_format=" + url.QueryEscape(string(format))
	return checkedGet[DeploymentConfigResponse](ctx, c, request{method: http.MethodGet, path: path, limit: MaxBody}, nil)
}

// GetDeploymentDownload gets the presigned URL of a deployment's truss archive.
func (c *Client) GetDeploymentDownload(ctx context.Context, modelID, deploymentID string) (*Answer[DownloadDeploymentResponse], error) {
	return checkedGet(ctx, c, request{method: http.MethodGet, path: deploymentPath(modelID, deploymentID) + "/download", limit: MaxBody},
		func(d *DownloadDeploymentResponse) bool { return d.DownloadURL != "" })
}

// TerminateReplica terminates one replica of a deployment. A retry that
// finds it gone after an earlier attempt reached the server is a success.
func (c *Client) TerminateReplica(ctx context.Context, modelID, deploymentID, replicaID string) (*Answer[TerminateReplicaResponse], bool, error) {
	return deleteCall(ctx, c, deploymentPath(modelID, deploymentID)+"/replicas/"+url.PathEscape(replicaID), &TerminateReplicaResponse{Success: true}, nil)
}

// ListEnvironments lists a model's environments.
func (c *Client) ListEnvironments(ctx context.Context, modelID string) (*Answer[Environments], error) {
	return checkedGet[Environments](ctx, c, request{method: http.MethodGet, path: modelPath(modelID) + "/environments", limit: MaxListBody, array: "environments"}, nil)
}

// GetEnvironment gets one environment of a model, by name.
func (c *Client) GetEnvironment(ctx context.Context, modelID, envName string) (*Answer[Environment], error) {
	return checkedGet(ctx, c, request{method: http.MethodGet, path: environmentPath(modelID, envName), limit: MaxBody},
		func(e *Environment) bool { return e.Name != "" })
}

// ActivateEnvironment activates the deployment an environment serves.
func (c *Client) ActivateEnvironment(ctx context.Context, modelID, envName string) (*Answer[ActivateResponse], error) {
	return post[ActivateResponse](ctx, c, environmentPath(modelID, envName)+"/activate", nil, nil)
}

// DeactivateEnvironment deactivates the deployment an environment serves.
func (c *Client) DeactivateEnvironment(ctx context.Context, modelID, envName string) (*Answer[DeactivateResponse], error) {
	return post[DeactivateResponse](ctx, c, environmentPath(modelID, envName)+"/deactivate", nil, nil)
}

// PromoteToEnvironment starts promoting a deployment to an environment;
// the answer is the deployment being promoted.
func (c *Client) PromoteToEnvironment(ctx context.Context, modelID, envName string, req PromoteToEnvironmentRequest) (*Answer[Deployment], error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	return post(ctx, c, environmentPath(modelID, envName)+"/promote", body, validDeployment)
}

// CancelPromotion cancels an environment's promotion in progress.
func (c *Client) CancelPromotion(ctx context.Context, modelID, envName string) (*Answer[CancelPromotionResponse], error) {
	return post(ctx, c, environmentPath(modelID, envName)+"/cancel_promotion", nil,
		func(r *CancelPromotionResponse) bool { return r.Status != "" })
}

func modelPath(modelID string) string { return "/v1/models/" + url.PathEscape(modelID) }

func deploymentPath(modelID, deploymentID string) string {
	return modelPath(modelID) + "/deployments/" + url.PathEscape(deploymentID)
}

func environmentPath(modelID, envName string) string {
	return modelPath(modelID) + "/environments/" + url.PathEscape(envName)
}

func validDeployment(d *Deployment) bool { return d.ID != "" && d.Status != "" }

// checkedGet is get with the typed view decoded and checked by valid (nil:
// decoding alone), so that a host answering {} to everything is a
// *ResponseError, not an empty success.
func checkedGet[T any](ctx context.Context, c *Client, req request, valid func(*T) bool) (*Answer[T], error) {
	answer, err := get[T](ctx, c, req)
	if err != nil {
		return nil, err
	}
	v, err := answer.Decode()
	if err != nil {
		return nil, err
	}
	if valid != nil && !valid(v) {
		return nil, &ResponseError{Reason: fmt.Sprintf("%s %s: the response lacks the fields the API documents", req.method, req.path)}
	}
	return answer, nil
}

// post sends a POST, which is never retried: an action sent twice may be
// done twice.
func post[T any](ctx context.Context, c *Client, path string, body []byte, valid func(*T) bool) (*Answer[T], error) {
	return checkedGet(ctx, c, request{method: http.MethodPost, path: path, body: body, limit: MaxBody}, valid)
}

// deleteCall sends a DELETE whose answer is a tombstone. A 204, or the
// 404 of a retry after an attempt that reached the server, stands for
// the tombstone the API would have sent (gone), flagged by goneEarlier in
// the second case.
func deleteCall[T any](ctx context.Context, c *Client, path string, gone *T, valid func(*T) bool) (*Answer[T], bool, error) {
	r, err := c.call(ctx, request{method: http.MethodDelete, path: path, limit: MaxBody, noContentOK: true})
	goneEarlier := false
	if apiErr, ok := errors.AsType[*APIError](err); ok && apiErr.Status == http.StatusNotFound && r.earlierSent {
		goneEarlier, err = true, nil
	}
	if err != nil {
		return nil, false, err
	}
	if r.body == nil {
		body, _ := json.Marshal(gone)
		return &Answer[T]{Body: body, value: gone}, goneEarlier, nil
	}
	answer := &Answer[T]{Body: r.body}
	v, err := answer.Decode()
	if err != nil {
		return nil, false, err
	}
	if valid != nil && !valid(v) {
		return nil, false, &ResponseError{Reason: fmt.Sprintf("DELETE %s: the response lacks the fields the API documents", path)}
	}
	return answer, goneEarlier, nil
}
