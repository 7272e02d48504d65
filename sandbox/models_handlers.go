package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// modelRoutes are the routes of models, deployments and environments.
// Fixed segments come before the parameter in the same place
// (deployments/production before deployments/{id}): the first match wins.
var modelRoutes = []route{
	{[]string{"v1", "models"}, map[string]handlerFunc{"GET": (*Server).listModels}, "GET, HEAD", false},
	{[]string{"v1", "teams", "", "models"}, map[string]handlerFunc{"GET": (*Server).listModels}, "GET, HEAD", false},
	{[]string{"v1", "models", ""}, map[string]handlerFunc{"GET": (*Server).getModel, "DELETE": (*Server).deleteModel}, "DELETE, GET, HEAD", false},
	{[]string{"v1", "models", "", "deployments"}, map[string]handlerFunc{"GET": (*Server).listDeployments}, "GET, HEAD", false},
	{[]string{"v1", "models", "", "deployments", "production"}, map[string]handlerFunc{"GET": (*Server).getEnvironmentDeployment}, "GET, HEAD", false},
	{[]string{"v1", "models", "", "deployments", "development"}, map[string]handlerFunc{"GET": (*Server).getDevelopmentDeployment}, "GET, HEAD", false},
	{[]string{"v1", "models", "", "deployments", ""}, map[string]handlerFunc{"GET": (*Server).getDeployment, "DELETE": (*Server).deleteDeployment}, "DELETE, GET, HEAD", false},
	{[]string{"v1", "models", "", "deployments", "", "activate"}, map[string]handlerFunc{"POST": (*Server).activateDeployment}, "POST", false},
	{[]string{"v1", "models", "", "deployments", "", "deactivate"}, map[string]handlerFunc{"POST": (*Server).deactivateDeployment}, "POST", false},
	{[]string{"v1", "models", "", "deployments", "", "retry"}, map[string]handlerFunc{"POST": (*Server).retryDeployment}, "POST", false},
	{[]string{"v1", "models", "", "deployments", "", "config"}, map[string]handlerFunc{"GET": (*Server).getDeploymentConfig}, "GET, HEAD", false},
	{[]string{"v1", "models", "", "deployments", "", "download"}, map[string]handlerFunc{"GET": (*Server).getDeploymentDownload}, "GET, HEAD", false},
	{[]string{"v1", "models", "", "deployments", "", "replicas", ""}, map[string]handlerFunc{"DELETE": (*Server).terminateReplica}, "DELETE", false},
	{[]string{"v1", "models", "", "environments"}, map[string]handlerFunc{"GET": (*Server).listEnvironments}, "GET, HEAD", false},
	{[]string{"v1", "models", "", "environments", ""}, map[string]handlerFunc{"GET": (*Server).getEnvironment}, "GET, HEAD", false},
	{[]string{"v1", "models", "", "environments", "", "activate"}, map[string]handlerFunc{"POST": (*Server).activateEnvironment}, "POST", false},
	{[]string{"v1", "models", "", "environments", "", "deactivate"}, map[string]handlerFunc{"POST": (*Server).deactivateEnvironment}, "POST", false},
	{[]string{"v1", "models", "", "environments", "", "promote"}, map[string]handlerFunc{"POST": (*Server).promoteToEnvironment}, "POST", false},
	{[]string{"v1", "models", "", "environments", "", "cancel_promotion"}, map[string]handlerFunc{"POST": (*Server).cancelPromotion}, "POST", false},
}

// answer is what a model handler answers: a status and a value to encode,
// and whether it changed the state.
type answer struct {
	status  int
	value   any
	changed bool
}

func ok200(v any) answer { return answer{status: http.StatusOK, value: v} }

func changed200(v any) answer { return answer{status: http.StatusOK, value: v, changed: true} }

func detail(status int, text string) answer {
	return answer{status: status, value: struct {
		Detail string `json:"detail"`
	}{text}}
}

// inModels answers with fn's answer, computed under the lock after every
// due status step has been applied. Whatever changed (the steps or fn) is
// saved before the answer goes out, like every other change.
func (s *Server) inModels(w http.ResponseWriter, fn func(now time.Time) answer) {
	now := s.now()
	s.mu.Lock()
	stepped := s.advanceLocked(now)
	a := fn(now)
	var change uint64
	if stepped || a.changed {
		change = s.changedLocked()
	}
	body, err := json.Marshal(a.value) // under the lock: views share records' bytes
	s.mu.Unlock()
	if change != 0 {
		if err := s.save(change); err != nil {
			writeSaveError(w, err)
			return
		}
	}
	if err != nil { // unreachable: views are plain structs
		a.status, body = http.StatusInternalServerError, []byte(`{"detail":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(a.status)
	w.Write(append(body, '\n'))
}

// inModel is inModels for a route whose first parameter is a model ID.
func (s *Server) inModel(w http.ResponseWriter, params []string, fn func(m *modelRecord, now time.Time) answer) {
	s.inModels(w, func(now time.Time) answer {
		m := s.modelLocked(params[0])
		if m == nil {
			return detail(http.StatusNotFound, noSuchModel)
		}
		return fn(m, now)
	})
}

// inDeployment is inModel for a route whose second parameter is a deployment ID.
func (s *Server) inDeployment(w http.ResponseWriter, params []string, fn func(m *modelRecord, d *deploymentRecord, now time.Time) answer) {
	s.inModel(w, params, func(m *modelRecord, now time.Time) answer {
		d := m.deployment(params[1])
		if d == nil {
			return detail(http.StatusNotFound, noSuchDeployment)
		}
		return fn(m, d, now)
	})
}

// inEnvironment is inModel for a route whose second parameter is an environment name.
func (s *Server) inEnvironment(w http.ResponseWriter, params []string, fn func(m *modelRecord, e *environmentRecord, now time.Time) answer) {
	s.inModel(w, params, func(m *modelRecord, now time.Time) answer {
		e := m.environment(params[1])
		if e == nil {
			return detail(http.StatusNotFound, noSuchEnvironment)
		}
		return fn(m, e, now)
	})
}

// listModels serves GET /v1/models and, with a team ID, the team's models.
func (s *Server) listModels(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inModels(w, func(time.Time) answer {
		team := ""
		if len(params) > 0 {
			if s.teamIndexLocked(params[0]) < 0 {
				return detail(http.StatusNotFound, "Team not found")
			}
			team = params[0]
		}
		list := struct {
			Models []apiModel `json:"models"`
		}{Models: []apiModel{}}
		for _, m := range s.models {
			if team == "" || m.TeamID == team {
				list.Models = append(list.Models, s.modelViewLocked(m))
			}
		}
		return ok200(list)
	})
}

func (s *Server) getModel(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inModel(w, params, func(m *modelRecord, _ time.Time) answer { return ok200(s.modelViewLocked(m)) })
}

func (s *Server) listDeployments(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inModel(w, params, func(m *modelRecord, _ time.Time) answer {
		list := struct {
			Deployments []*apiDeployment `json:"deployments"`
		}{Deployments: []*apiDeployment{}}
		for _, d := range m.Deployments {
			list.Deployments = append(list.Deployments, deploymentView(m, d))
		}
		return ok200(list)
	})
}

func (s *Server) getDeployment(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inDeployment(w, params, func(m *modelRecord, d *deploymentRecord, _ time.Time) answer { return ok200(deploymentView(m, d)) })
}

// getEnvironmentDeployment serves GET .../deployments/production.
func (s *Server) getEnvironmentDeployment(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inModel(w, params, func(m *modelRecord, _ time.Time) answer {
		e := m.environment(productionEnvironment)
		if e == nil || e.CurrentID == "" {
			return detail(http.StatusNotFound, "Model has no production deployment")
		}
		return ok200(deploymentView(m, m.deployment(e.CurrentID)))
	})
}

func (s *Server) getDevelopmentDeployment(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inModel(w, params, func(m *modelRecord, _ time.Time) answer {
		if m.DevelopmentID == "" {
			return detail(http.StatusNotFound, "Model has no development deployment")
		}
		return ok200(deploymentView(m, m.deployment(m.DevelopmentID)))
	})
}

func (s *Server) listEnvironments(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inModel(w, params, func(m *modelRecord, _ time.Time) answer {
		list := struct {
			Environments []apiEnvironment `json:"environments"`
		}{Environments: []apiEnvironment{}}
		for _, e := range m.Environments {
			list.Environments = append(list.Environments, environmentView(m, e))
		}
		return ok200(list)
	})
}

func (s *Server) getEnvironment(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inEnvironment(w, params, func(m *modelRecord, e *environmentRecord, _ time.Time) answer {
		return ok200(environmentView(m, e))
	})
}
