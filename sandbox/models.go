package sandbox

// Models, their deployments and environments. They are kept as records in
// the sandbox's own shape (persisted as they are in the state file) and
// turned into the API's shapes (models_view.go) when answered.
//
// Status changes take time, as they do in reality: an action sets the
// status that starts it and schedules the ones that follow, each StepDelay
// after the previous (Options.StepDelay, `sandbox serve --step-delay`).
// Due steps are applied at the start of every request that touches models
// (advanceLocked), so a client polling sees them in order.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// The deployment statuses the sandbox uses (DeploymentStatusV1).
const (
	statusActive       = "ACTIVE"
	statusInactive     = "INACTIVE"
	statusScaledToZero = "SCALED_TO_ZERO"
	statusWakingUp     = "WAKING_UP"
	statusDeactivating = "DEACTIVATING"
	statusBuilding     = "BUILDING"
	statusDeploying    = "DEPLOYING"
	statusLoadingModel = "LOADING_MODEL"
)

// deploymentStatuses is the API's enum, for checking seeds and state files.
var deploymentStatuses = []string{"BUILDING", "DEPLOYING", "DEPLOY_FAILED", "LOADING_MODEL", "ACTIVE", "UNHEALTHY",
	"BUILD_FAILED", "BUILD_STOPPED", "DEACTIVATING", "INACTIVE", "FAILED", "UPDATING", "SCALED_TO_ZERO", "WAKING_UP"}

// promotionStatuses is the API's InProgressPromotionStatusV1 enum.
var promotionStatuses = []string{"RELEASING", "RAMPING_UP", "RAMPING_DOWN", "PAUSED", "SUCCEEDED", "FAILED", "CANCELED"}

func failedStatus(s string) bool {
	return s == "BUILD_FAILED" || s == "DEPLOY_FAILED" || s == "FAILED" || s == "UNHEALTHY" || s == "BUILD_STOPPED"
}

// productionEnvironment exists in every model, as in the API.
const productionEnvironment = "production"

// modelRecord is one model as stored.
type modelRecord struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	TeamID    string `json:"team_id"`
	CreatedAt string `json:"created_at"`
	// DevelopmentID is the development deployment's ID, "" for none.
	DevelopmentID string               `json:"development_deployment_id,omitempty"`
	Deployments   []*deploymentRecord  `json:"deployments"`
	Environments  []*environmentRecord `json:"environments"`
}

// deploymentRecord is one deployment as stored.
type deploymentRecord struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	CreatedAt    string `json:"created_at"`
	Status       string `json:"status"`
	InstanceType string `json:"instance_type"`
	MinReplica   int64  `json:"min_replica"`
	MaxReplica   int64  `json:"max_replica"`
	// Replicas are the IDs of the running replicas: MinReplica (at least
	// one) while ACTIVE, none otherwise. ReplicaSerial numbers new ones.
	Replicas      []string `json:"replicas,omitempty"`
	ReplicaSerial int      `json:"replica_serial,omitempty"`
	// Next holds the statuses still to come, the first at StepsFrom plus
	// one step delay, each further one a step delay later.
	Next      []string  `json:"next,omitempty"`
	StepsFrom time.Time `json:"steps_from,omitzero"`
	// RawConfig is the config.yaml as uploaded; nil for a deployment
	// pushed without one (the API then has the parsed config only).
	RawConfig *string         `json:"raw_config"`
	Config    json.RawMessage `json:"config"`
	Labels    json.RawMessage `json:"labels,omitempty"`
	// Active records when it ran replicas, which log (logs_handlers.go).
	Active []activeSpan `json:"active,omitempty"`
}

// environmentRecord is one environment of a model as stored.
type environmentRecord struct {
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
	// CurrentID is the deployment the environment serves, "" for none.
	CurrentID string           `json:"current_deployment_id,omitempty"`
	Promotion *promotionRecord `json:"promotion,omitempty"`
}

// promotionRecord is a promotion in progress: traffic moves to the
// candidate a step at a time.
type promotionRecord struct {
	CandidateID       string          `json:"candidate_id"`
	PreviousID        string          `json:"previous_id,omitempty"`
	ScaleDownPrevious bool            `json:"scale_down_previous"`
	Status            string          `json:"status"`
	Percent           int64           `json:"percent"`
	ErrorMessage      string          `json:"error_message,omitempty"` // why it FAILED
	Next              []promotionStep `json:"next,omitempty"`
	StepsFrom         time.Time       `json:"steps_from"`
}

type promotionStep struct {
	Status  string `json:"status"`
	Percent int64  `json:"percent"`
}

// SeedModel describes a model that exists before the server starts.
type SeedModel struct {
	ID, Name  string
	TeamID    string // "" is the default team
	CreatedAt string // "" is the server's now
	// DevelopmentID names the development deployment among Deployments.
	DevelopmentID string
	Deployments   []SeedDeployment
	// Environments and the deployment each serves; a production
	// environment is added when none is named so.
	Environments []SeedEnvironment
}

// SeedDeployment describes a deployment of a SeedModel.
type SeedDeployment struct {
	ID, Name  string
	Status    string // "" is ACTIVE
	CreatedAt string // "" is the model's
	RawConfig *string
}

// SeedEnvironment names an environment and the deployment it serves ("" for none).
type SeedEnvironment struct {
	Name, CurrentDeploymentID string
}

// DefaultStepDelay is the time between two steps of a status change in
// a sandbox Open returns (what `sandbox serve` and `exec` run), unless
// SetStepDelay says otherwise.
const DefaultStepDelay = time.Second

// SetStepDelay sets the time between two steps of a status change; zero
// (New's default) makes every step due at the next request.
func (s *Server) SetStepDelay(d time.Duration) {
	s.mu.Lock()
	s.stepDelay = max(d, 0)
	s.mu.Unlock()
}

// AddModel adds a model with Options.Models' rules.
func (s *Server) AddModel(seed SeedModel) error {
	s.mu.Lock()
	m, err := s.modelFromSeedLocked(seed)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	s.models = append(s.models, m)
	change := s.changedLocked()
	s.mu.Unlock()
	return s.save(change)
}

func (s *Server) modelFromSeedLocked(seed SeedModel) (*modelRecord, error) {
	created := seed.CreatedAt
	if created == "" {
		created = s.now().UTC().Format(time.RFC3339)
	}
	team := seed.TeamID
	if team == "" {
		team = s.teams[s.defaultTeam].ID
	}
	m := &modelRecord{ID: seed.ID, Name: seed.Name, TeamID: team, CreatedAt: created, DevelopmentID: seed.DevelopmentID}
	for _, d := range seed.Deployments {
		status, at := d.Status, d.CreatedAt
		if status == "" {
			status = statusActive
		}
		if at == "" {
			at = created
		}
		dep := &deploymentRecord{ID: d.ID, Name: d.Name, CreatedAt: at, Status: status, InstanceType: "1x2", MinReplica: 1, MaxReplica: 3,
			RawConfig: d.RawConfig, Config: parsedConfig(d.Name, d.RawConfig != nil)}
		dep.settle()
		m.Deployments = append(m.Deployments, dep)
	}
	for _, e := range seed.Environments {
		m.Environments = append(m.Environments, &environmentRecord{Name: e.Name, CreatedAt: created, CurrentID: e.CurrentDeploymentID})
	}
	if m.environment(productionEnvironment) == nil {
		m.Environments = append([]*environmentRecord{{Name: productionEnvironment, CreatedAt: created}}, m.Environments...)
	}
	if err := s.checkModelLocked(m, s.models); err != nil {
		return nil, err
	}
	return m, nil
}

// checkModelLocked refuses a model the API could not have: IDs that are
// empty, taken or unfit for a URL path, a team that does not exist, an
// environment serving a deployment the model lacks, a status not in the
// enum. State files are checked with it too, so an edited one cannot make
// the sandbox answer what the API never would.
func (s *Server) checkModelLocked(m *modelRecord, others []*modelRecord) error {
	switch {
	case !sandboxID(m.ID) || m.Name == "":
		return fmt.Errorf("sandbox: model %q: an ID of letters and digits and a name are required", m.ID)
	case slices.ContainsFunc(others, func(o *modelRecord) bool { return o.ID == m.ID }):
		return fmt.Errorf("sandbox: model ID %q already exists", m.ID)
	case s.teamIndexLocked(m.TeamID) < 0:
		return fmt.Errorf("sandbox: model %s: no team %q", m.ID, m.TeamID)
	case m.DevelopmentID != "" && m.deployment(m.DevelopmentID) == nil:
		return fmt.Errorf("sandbox: model %s: no development deployment %q", m.ID, m.DevelopmentID)
	}
	if _, err := time.Parse(time.RFC3339, m.CreatedAt); err != nil {
		return fmt.Errorf("sandbox: model %s: created_at is not RFC 3339", m.ID)
	}
	for i, d := range m.Deployments {
		if !sandboxID(d.ID) || d.Name == "" || slices.ContainsFunc(m.Deployments[:i], func(o *deploymentRecord) bool { return o.ID == d.ID }) {
			return fmt.Errorf("sandbox: model %s: deployment %q: empty, duplicate or malformed ID, or no name", m.ID, d.ID)
		}
		for _, st := range append([]string{d.Status}, d.Next...) {
			if !slices.Contains(deploymentStatuses, st) {
				return fmt.Errorf("sandbox: deployment %s: status %q is not one of the API's", d.ID, st)
			}
		}
		if d.MinReplica < 0 || d.MaxReplica < d.MinReplica || len(d.Config) > 0 && !json.Valid(d.Config) || len(d.Labels) > 0 && !json.Valid(d.Labels) {
			return fmt.Errorf("sandbox: deployment %s: bad replica bounds, config or labels", d.ID)
		}
	}
	for i, e := range m.Environments {
		if !sandboxID(e.Name) || slices.ContainsFunc(m.Environments[:i], func(o *environmentRecord) bool { return o.Name == e.Name }) {
			return fmt.Errorf("sandbox: model %s: environment %q: empty, duplicate or malformed name", m.ID, e.Name)
		}
		if e.CurrentID != "" && m.deployment(e.CurrentID) == nil {
			return fmt.Errorf("sandbox: environment %s: no deployment %q", e.Name, e.CurrentID)
		}
		if p := e.Promotion; p != nil {
			if m.deployment(p.CandidateID) == nil {
				return fmt.Errorf("sandbox: environment %s: no candidate deployment %q", e.Name, p.CandidateID)
			}
			for _, st := range append([]promotionStep{{p.Status, p.Percent}}, p.Next...) {
				if !slices.Contains(promotionStatuses, st.Status) || st.Percent < 0 || st.Percent > 100 {
					return fmt.Errorf("sandbox: environment %s: promotion step %q at %d%% is not one the API has", e.Name, st.Status, st.Percent)
				}
			}
		}
	}
	return nil
}

// sandboxID reports whether id is fit to be a model or deployment ID or
// an environment name: 1 to 64 ASCII letters, digits, '-' or '_'.
func sandboxID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Seed IDs are fixed, so that documentation and tests can name them.
const (
	SeedModelID           = "q4o7k2zw" // llama-chat
	SeedProductionID      = "d7v3n8q1" // its production deployment
	SeedDevelopmentID     = "w2k9j4hx" // its development deployment
	SeedStagingID         = "b6m1c9tz" // an older deployment, served by staging
	SeedFailedID          = "f3k8p2lw" // a deployment whose build failed
	SeedOtherModelID      = "p9x2m5rt" // whisper-v3
	SeedOtherProductionID = "r5t8y1uc"
)

// seedModelsLocked adds the two models a new sandbox has: llama-chat in
// the default team, with a production, a staging, a development and a
// failed deployment (and environments production and staging), and
// whisper-v3 with one deployment in the last team.
func (s *Server) seedModelsLocked() {
	raw := "# llama-chat, served with vLLM\nmodel_name: llama-chat\npython_version: py311\nresources:\n  accelerator: A10G\n  use_gpu: true\nrequirements:\n  - vllm==0.6.3\n"
	seeds := []SeedModel{
		{ID: SeedModelID, Name: "llama-chat", CreatedAt: "2024-05-01T10:00:00Z", DevelopmentID: SeedDevelopmentID,
			Deployments: []SeedDeployment{
				{ID: SeedStagingID, Name: "v1", Status: statusInactive, CreatedAt: "2024-05-01T10:00:00Z", RawConfig: &raw},
				{ID: SeedProductionID, Name: "v2", CreatedAt: "2024-05-08T09:30:00Z", RawConfig: &raw},
				{ID: SeedDevelopmentID, Name: "development", Status: statusScaledToZero, CreatedAt: "2024-05-09T16:45:00Z"},
				{ID: SeedFailedID, Name: "v3", Status: "BUILD_FAILED", CreatedAt: "2024-05-10T12:00:00Z", RawConfig: &raw},
			},
			Environments: []SeedEnvironment{{Name: productionEnvironment, CurrentDeploymentID: SeedProductionID}, {Name: "staging", CurrentDeploymentID: SeedStagingID}}},
		{ID: SeedOtherModelID, Name: "whisper-v3", TeamID: s.teams[len(s.teams)-1].ID, CreatedAt: "2024-06-12T08:00:00Z",
			Deployments:  []SeedDeployment{{ID: SeedOtherProductionID, Name: "v1"}},
			Environments: []SeedEnvironment{{Name: productionEnvironment, CurrentDeploymentID: SeedOtherProductionID}}},
	}
	for _, seed := range seeds {
		if m, err := s.modelFromSeedLocked(seed); err == nil {
			s.models = append(s.models, m)
		}
	}
}

// parsedConfig is the parsed config.yaml the API answers: what the user
// wrote plus the server's defaults (the part --parsed exists to show).
func parsedConfig(name string, fromYAML bool) json.RawMessage {
	cfg := map[string]any{
		"model_name":            name,
		"python_version":        "py311",
		"resources":             map[string]any{"accelerator": nil, "cpu": "1", "memory": "2Gi", "use_gpu": false},
		"environment_variables": map[string]any{},
		"runtime":               map[string]any{"predict_concurrency": 1},
	}
	if fromYAML {
		cfg["model_name"] = "llama-chat"
		cfg["resources"] = map[string]any{"accelerator": "A10G", "cpu": "1", "memory": "2Gi", "use_gpu": true}
		cfg["requirements"] = []string{"vllm==0.6.3"}
	}
	out, _ := json.Marshal(cfg)
	return out
}

func (m *modelRecord) deployment(id string) *deploymentRecord {
	for _, d := range m.Deployments {
		if d.ID == id {
			return d
		}
	}
	return nil
}

func (m *modelRecord) environment(name string) *environmentRecord {
	for _, e := range m.Environments {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// environmentOf is the name of the environment serving d, or "".
func (m *modelRecord) environmentOf(id string) string {
	for _, e := range m.Environments {
		if e.CurrentID == id {
			return e.Name
		}
	}
	return ""
}

// modelLocked finds a model by ID.
func (s *Server) modelLocked(id string) *modelRecord {
	for _, m := range s.models {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// settle makes the replicas match the status: a running deployment has
// its minimum (at least one), any other none.
func (d *deploymentRecord) settle() {
	d.recordActivity()
	if d.Status != statusActive {
		d.Replicas = nil
		return
	}
	for int64(len(d.Replicas)) < max(d.MinReplica, 1) {
		d.addReplica()
	}
}

func (d *deploymentRecord) addReplica() {
	d.ReplicaSerial++
	d.Replicas = append(d.Replicas, fmt.Sprintf("%s-r%d", d.ID, d.ReplicaSerial))
}

// schedule sets d's status now and the ones to follow.
func (d *deploymentRecord) schedule(now time.Time, status string, next ...string) {
	d.Status, d.Next, d.StepsFrom = status, next, now
	d.settle()
}

// advanceLocked applies every step due at now, to every model, and
// reports whether anything changed (then the state must be saved).
func (s *Server) advanceLocked(now time.Time) bool {
	changed := false
	for _, m := range s.models {
		for _, d := range m.Deployments {
			for len(d.Next) > 0 && !now.Before(d.StepsFrom.Add(s.stepDelay)) {
				d.Status, d.Next, d.StepsFrom = d.Next[0], d.Next[1:], d.StepsFrom.Add(s.stepDelay)
				d.settle()
				changed = true
			}
			if len(d.Next) == 0 {
				d.Next = nil
			}
		}
		for _, e := range m.Environments {
			if e.Promotion != nil && s.advancePromotionLocked(m, e, now) {
				changed = true
			}
		}
	}
	return changed
}

// The details of the model routes' 404s, as the API words them.
const (
	noSuchModel       = "Model not found"
	noSuchDeployment  = "Deployment not found"
	noSuchEnvironment = "Environment not found"
)

// restoreModels loads the models of a state file, checking each as a seed
// is checked. A file without models (written before the sandbox had any)
// gets the seed ones.
func (s *Server) restoreModels(raw json.RawMessage) error {
	if raw == nil {
		s.seedModelsLocked()
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var models []*modelRecord
	if err := dec.Decode(&models); err != nil {
		return fmt.Errorf("models: %v", err)
	}
	for i, m := range models {
		if m == nil {
			return fmt.Errorf("models: model %d is null", i)
		}
		for _, d := range m.Deployments {
			if d == nil {
				return fmt.Errorf("models: model %s has a null deployment", m.ID)
			}
		}
		for _, e := range m.Environments {
			if e == nil {
				return fmt.Errorf("models: model %s has a null environment", m.ID)
			}
		}
		if err := s.checkModelLocked(m, models[:i]); err != nil {
			return err
		}
	}
	s.models = models
	return nil
}
