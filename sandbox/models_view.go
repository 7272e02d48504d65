package sandbox

import "encoding/json"

// The API's shapes of models, deployments and environments (ModelV1,
// DeploymentV1, EnvironmentV1 and the schemas they use), built from the
// records when answered. Optional fields without omitempty are sent as
// null, as the API sends them.

type apiModel struct {
	ID                      string  `json:"id"`
	CreatedAt               string  `json:"created_at"`
	Name                    string  `json:"name"`
	DeploymentsCount        int     `json:"deployments_count"`
	ProductionDeploymentID  *string `json:"production_deployment_id"`
	DevelopmentDeploymentID *string `json:"development_deployment_id"`
	InstanceTypeName        string  `json:"instance_type_name"`
	TeamName                string  `json:"team_name"`
}

type apiDeployment struct {
	ID                  string          `json:"id"`
	CreatedAt           string          `json:"created_at"`
	Name                string          `json:"name"`
	ModelID             string          `json:"model_id"`
	IsProduction        bool            `json:"is_production"`
	IsDevelopment       bool            `json:"is_development"`
	Status              string          `json:"status"`
	ActiveReplicaCount  int             `json:"active_replica_count"`
	AutoscalingSettings *apiAutoscaling `json:"autoscaling_settings"`
	InstanceTypeName    *string         `json:"instance_type_name"`
	Environment         *string         `json:"environment"`
	Labels              json.RawMessage `json:"labels"`
}

type apiAutoscaling struct {
	MinReplica                  int64  `json:"min_replica"`
	MaxReplica                  int64  `json:"max_replica"`
	AutoscalingWindow           *int64 `json:"autoscaling_window"`
	ScaleDownDelay              *int64 `json:"scale_down_delay"`
	ConcurrencyTarget           int64  `json:"concurrency_target"`
	TargetUtilizationPercentage *int64 `json:"target_utilization_percentage"`
}

type apiEnvironment struct {
	Name                string               `json:"name"`
	CreatedAt           string               `json:"created_at"`
	ModelID             string               `json:"model_id"`
	CurrentDeployment   *apiDeployment       `json:"current_deployment"`
	CandidateDeployment *apiDeployment       `json:"candidate_deployment"`
	InProgressPromotion *apiPromotion        `json:"in_progress_promotion"`
	AutoscalingSettings apiAutoscaling       `json:"autoscaling_settings"`
	PromotionSettings   apiPromotionSettings `json:"promotion_settings"`
	InstanceType        apiInstanceType      `json:"instance_type"`
}

type apiPromotion struct {
	Status                     string  `json:"status"`
	PercentTrafficToNewVersion int64   `json:"percent_traffic_to_new_version"`
	ErrorMessage               *string `json:"error_message"`
	RollingDeploy              bool    `json:"rolling_deploy"`
}

type apiPromotionSettings struct {
	RedeployOnPromotion      bool   `json:"redeploy_on_promotion"`
	RollingDeploy            bool   `json:"rolling_deploy"`
	PromotionCleanupStrategy string `json:"promotion_cleanup_strategy"`
	RampUpWhilePromoting     bool   `json:"ramp_up_while_promoting"`
	RampUpDurationSeconds    int64  `json:"ramp_up_duration_seconds"`
}

type apiInstanceType struct {
	ID                string  `json:"id"`
	Name              string  `json:"name"`
	MemoryLimitMiB    int64   `json:"memory_limit_mib"`
	MillicpuLimit     int64   `json:"millicpu_limit"`
	GPUCount          int64   `json:"gpu_count"`
	GPUType           *string `json:"gpu_type"`
	GPUMemoryLimitMiB *int64  `json:"gpu_memory_limit_mib"`
}

// instanceTypes are the instance types the sandbox knows by ID.
var instanceTypes = map[string]apiInstanceType{
	"1x2": {ID: "1x2", Name: "1x2 (1 vCPU, 2 GiB)", MemoryLimitMiB: 2048, MillicpuLimit: 1000},
}

func (s *Server) modelViewLocked(m *modelRecord) apiModel {
	v := apiModel{ID: m.ID, CreatedAt: m.CreatedAt, Name: m.Name, DeploymentsCount: len(m.Deployments), InstanceTypeName: "1x2"}
	if t := s.teamIndexLocked(m.TeamID); t >= 0 {
		v.TeamName = s.teams[t].Name
	}
	if e := m.environment(productionEnvironment); e != nil && e.CurrentID != "" {
		v.ProductionDeploymentID = ptr(e.CurrentID)
		v.InstanceTypeName = m.deployment(e.CurrentID).InstanceType
	}
	if m.DevelopmentID != "" {
		v.DevelopmentDeploymentID = ptr(m.DevelopmentID)
	}
	return v
}

func deploymentView(m *modelRecord, d *deploymentRecord) *apiDeployment {
	v := &apiDeployment{ID: d.ID, CreatedAt: d.CreatedAt, Name: d.Name, ModelID: m.ID, IsDevelopment: m.DevelopmentID == d.ID,
		Status: d.Status, ActiveReplicaCount: len(d.Replicas), InstanceTypeName: ptr(d.InstanceType), Labels: d.Labels}
	if env := m.environmentOf(d.ID); env != "" {
		v.Environment = ptr(env)
		v.IsProduction = env == productionEnvironment
	}
	// The API sends null settings for a deployment that has not finished
	// deploying.
	if d.Status != statusBuilding && d.Status != "BUILD_FAILED" && d.Status != "BUILD_STOPPED" {
		v.AutoscalingSettings = autoscaling(d.MinReplica, d.MaxReplica)
	}
	return v
}

func autoscaling(minReplica, maxReplica int64) *apiAutoscaling {
	window, delay, utilization := int64(60), int64(900), int64(70)
	return &apiAutoscaling{MinReplica: minReplica, MaxReplica: maxReplica, AutoscalingWindow: &window, ScaleDownDelay: &delay,
		ConcurrencyTarget: 1, TargetUtilizationPercentage: &utilization}
}

func environmentView(m *modelRecord, e *environmentRecord) apiEnvironment {
	v := apiEnvironment{Name: e.Name, CreatedAt: e.CreatedAt, ModelID: m.ID, AutoscalingSettings: *autoscaling(0, 1),
		PromotionSettings: apiPromotionSettings{RollingDeploy: true, PromotionCleanupStrategy: "SCALE_TO_ZERO", RampUpDurationSeconds: 600},
		InstanceType:      instanceTypes["1x2"]}
	if d := m.deployment(e.CurrentID); d != nil {
		v.CurrentDeployment = deploymentView(m, d)
		v.AutoscalingSettings = *autoscaling(d.MinReplica, d.MaxReplica)
	}
	if p := e.Promotion; p != nil {
		if d := m.deployment(p.CandidateID); d != nil {
			v.CandidateDeployment = deploymentView(m, d)
		}
		v.InProgressPromotion = &apiPromotion{Status: p.Status, PercentTrafficToNewVersion: p.Percent, RollingDeploy: true}
		if p.ErrorMessage != "" {
			v.InProgressPromotion.ErrorMessage = ptr(p.ErrorMessage)
		}
	}
	return v
}
