package managementapi

import "encoding/json"

// The payload types of the model, deployment and environment endpoints,
// named after the description's schemas without their V1 suffix. As in
// types.go, optional response fields are pointers without omitempty, so
// JSON built from them has the API's shape. Counts are int64 (exact);
// free-form objects (labels, a parsed config) stay json.RawMessage, so no
// number in them ever passes through a float64.

// DeploymentStatus is the API's DeploymentStatusV1 enum.
type DeploymentStatus string

// The statuses a wait treats specially (see commands/model_wait.go); the
// others (BUILDING, DEPLOYING, LOADING_MODEL, UPDATING, DEACTIVATING,
// WAKING_UP) are on their way somewhere.
const (
	StatusActive       DeploymentStatus = "ACTIVE"
	StatusInactive     DeploymentStatus = "INACTIVE"
	StatusScaledToZero DeploymentStatus = "SCALED_TO_ZERO"
	StatusBuildFailed  DeploymentStatus = "BUILD_FAILED"
	StatusDeployFailed DeploymentStatus = "DEPLOY_FAILED"
	StatusFailed       DeploymentStatus = "FAILED"
	StatusUnhealthy    DeploymentStatus = "UNHEALTHY"
	StatusBuildStopped DeploymentStatus = "BUILD_STOPPED"
)

// Failed reports whether s is a state a deployment does not leave by itself.
func (s DeploymentStatus) Failed() bool {
	switch s {
	case StatusBuildFailed, StatusDeployFailed, StatusFailed, StatusUnhealthy, StatusBuildStopped:
		return true
	}
	return false
}

// Settled reports whether s is a state a deployment rests in: running,
// stopped, scaled to zero, or failed.
func (s DeploymentStatus) Settled() bool {
	return s == StatusActive || s == StatusInactive || s == StatusScaledToZero || s.Failed()
}

// Models is the response of GET /v1/models and GET /v1/teams/{team_id}/models (ModelsV1).
type Models struct {
	Models []Model `json:"models"`
}

// Model is one model (ModelV1).
type Model struct {
	ID                      string  `json:"id"`
	CreatedAt               string  `json:"created_at"`
	Name                    string  `json:"name"`
	DeploymentsCount        int64   `json:"deployments_count"`
	ProductionDeploymentID  *string `json:"production_deployment_id"`
	DevelopmentDeploymentID *string `json:"development_deployment_id"`
	InstanceTypeName        string  `json:"instance_type_name"`
	TeamName                string  `json:"team_name"`
}

// ModelTombstone is the response of DELETE /v1/models/{model_id} (ModelTombstoneV1).
type ModelTombstone struct {
	ID      string `json:"id"`
	Deleted bool   `json:"deleted"`
}

// Deployments is the response of GET /v1/models/{model_id}/deployments (DeploymentsV1).
type Deployments struct {
	Deployments []Deployment `json:"deployments"`
}

// Deployment is one deployment of a model (DeploymentV1).
type Deployment struct {
	ID                  string               `json:"id"`
	CreatedAt           string               `json:"created_at"`
	Name                string               `json:"name"`
	ModelID             string               `json:"model_id"`
	IsProduction        bool                 `json:"is_production"`
	IsDevelopment       bool                 `json:"is_development"`
	Status              DeploymentStatus     `json:"status"`
	ActiveReplicaCount  int64                `json:"active_replica_count"`
	AutoscalingSettings *AutoscalingSettings `json:"autoscaling_settings"`
	InstanceTypeName    *string              `json:"instance_type_name"`
	Environment         *string              `json:"environment"`
	Labels              json.RawMessage      `json:"labels"`
}

// AutoscalingSettings are a deployment's or environment's (AutoscalingSettingsV1).
type AutoscalingSettings struct {
	MinReplica                  int64  `json:"min_replica"`
	MaxReplica                  int64  `json:"max_replica"`
	AutoscalingWindow           *int64 `json:"autoscaling_window"`
	ScaleDownDelay              *int64 `json:"scale_down_delay"`
	ConcurrencyTarget           int64  `json:"concurrency_target"`
	TargetUtilizationPercentage *int64 `json:"target_utilization_percentage"`
	TargetInFlightTokens        *int64 `json:"target_in_flight_tokens"`
	MaxScaleDownRate            *int64 `json:"max_scale_down_rate"`
}

// DeploymentTombstone is the response of DELETE
// /v1/models/{model_id}/deployments/{deployment_id} (DeploymentTombstoneV1).
type DeploymentTombstone struct {
	ID      string `json:"id"`
	Deleted bool   `json:"deleted"`
	ModelID string `json:"model_id"`
}

// ActivateResponse answers an activate, of a deployment or an environment (ActivateResponseV1).
type ActivateResponse struct {
	Success bool `json:"success"`
}

// DeactivateResponse answers a deactivate (DeactivateResponseV1).
type DeactivateResponse struct {
	Success bool `json:"success"`
}

// RetryDeploymentResponse answers a retry (RetryDeploymentResponseV1).
type RetryDeploymentResponse struct {
	Retried    bool       `json:"retried"`
	Reason     *string    `json:"reason"`
	Deployment Deployment `json:"deployment"`
}

// DeploymentConfigOutputFormat is the output_format query parameter of
// the config endpoint (DeploymentConfigOutputFormat).
type DeploymentConfigOutputFormat string

const (
	ConfigRaw    DeploymentConfigOutputFormat = "raw"
	ConfigParsed DeploymentConfigOutputFormat = "parsed"
	ConfigBoth   DeploymentConfigOutputFormat = "both"
)

// DeploymentConfigResponse is a deployment's config.yaml, as text and
// parsed, per the output_format asked for (DeploymentConfigResponseV1).
type DeploymentConfigResponse struct {
	Config    json.RawMessage `json:"config"`
	RawConfig *string         `json:"raw_config"`
}

// DownloadDeploymentResponse holds where a deployment's truss can be
// downloaded from (DownloadDeploymentResponseV1). The URL is presigned:
// it is its own authorization, and no API key may go with it.
type DownloadDeploymentResponse struct {
	DownloadURL string `json:"download_url"`
}

// TerminateReplicaResponse answers a replica terminate (TerminateReplicaResponseV1).
type TerminateReplicaResponse struct {
	Success bool `json:"success"`
}

// Environments is the response of GET /v1/models/{model_id}/environments (EnvironmentsV1).
type Environments struct {
	Environments []Environment `json:"environments"`
}

// Environment is one environment of a model (EnvironmentV1).
type Environment struct {
	Name                string               `json:"name"`
	CreatedAt           string               `json:"created_at"`
	ModelID             string               `json:"model_id"`
	CurrentDeployment   *Deployment          `json:"current_deployment"`
	CandidateDeployment *Deployment          `json:"candidate_deployment"`
	InProgressPromotion *InProgressPromotion `json:"in_progress_promotion"`
	AutoscalingSettings AutoscalingSettings  `json:"autoscaling_settings"`
	PromotionSettings   PromotionSettings    `json:"promotion_settings"`
	InstanceType        InstanceType         `json:"instance_type"`
}

// InProgressPromotion is an environment's promotion under way (InProgressPromotionV1).
type InProgressPromotion struct {
	Status                     string  `json:"status"`
	PercentTrafficToNewVersion int64   `json:"percent_traffic_to_new_version"`
	ErrorMessage               *string `json:"error_message"`
	RollingDeploy              *bool   `json:"rolling_deploy"`
}

// The in-progress promotion's statuses that end it (InProgressPromotionStatusV1).
const (
	PromotionSucceeded = "SUCCEEDED"
	PromotionFailed    = "FAILED"
	PromotionCanceled  = "CANCELED"
)

// PromotionSettings are how an environment promotes (PromotionSettingsV1).
type PromotionSettings struct {
	RedeployOnPromotion      *bool                `json:"redeploy_on_promotion"`
	RollingDeploy            *bool                `json:"rolling_deploy"`
	PromotionCleanupStrategy *string              `json:"promotion_cleanup_strategy"`
	RollingDeployConfig      *RollingDeployConfig `json:"rolling_deploy_config"`
	RampUpWhilePromoting     *bool                `json:"ramp_up_while_promoting"`
	RampUpDurationSeconds    *int64               `json:"ramp_up_duration_seconds"`
}

// RollingDeployConfig tunes a rolling promotion (RollingDeployConfigV1).
type RollingDeployConfig struct {
	RollingDeployStrategy    string `json:"rolling_deploy_strategy"`
	MaxSurgePercent          int64  `json:"max_surge_percent"`
	MaxUnavailablePercent    int64  `json:"max_unavailable_percent"`
	StabilizationTimeSeconds int64  `json:"stabilization_time_seconds"`
	ReplicaOverheadPercent   int64  `json:"replica_overhead_percent"`
}

// InstanceType is the hardware an environment runs on (InstanceTypeV1).
type InstanceType struct {
	ID                string  `json:"id"`
	Name              string  `json:"name"`
	MemoryLimitMiB    int64   `json:"memory_limit_mib"`
	MillicpuLimit     int64   `json:"millicpu_limit"`
	GPUCount          int64   `json:"gpu_count"`
	GPUType           *string `json:"gpu_type"`
	GPUMemoryLimitMiB *int64  `json:"gpu_memory_limit_mib"`
}

// PromoteToEnvironmentRequest is the body of POST
// /v1/models/{model_id}/environments/{env_name}/promote
// (PromoteToEnvironmentRequestV1). Every field is sent: the CLI states
// its choices rather than lean on the API's defaults.
type PromoteToEnvironmentRequest struct {
	ScaleDownPreviousDeployment bool   `json:"scale_down_previous_deployment"`
	DeploymentID                string `json:"deployment_id"`
	PreserveEnvInstanceType     bool   `json:"preserve_env_instance_type"`
}

// CancelPromotionResponse answers a cancel-promotion (CancelPromotionResponseV1).
type CancelPromotionResponse struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}
