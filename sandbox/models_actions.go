package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// The changing routes of models, deployments and environments. Each sets
// the status that starts a change and schedules the rest (models.go).

func (s *Server) deleteModel(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inModel(w, params, func(m *modelRecord, _ time.Time) answer {
		s.models = slices.DeleteFunc(s.models, func(o *modelRecord) bool { return o == m })
		return changed200(struct {
			ID      string `json:"id"`
			Deleted bool   `json:"deleted"`
		}{m.ID, true})
	})
}

// deleteDeployment refuses, as the API does, to delete the deployment an
// environment serves or one being promoted: the environment would be
// left without one.
func (s *Server) deleteDeployment(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inDeployment(w, params, func(m *modelRecord, d *deploymentRecord, _ time.Time) answer {
		if env := m.environmentOf(d.ID); env == productionEnvironment {
			return detail(http.StatusBadRequest, "Cannot delete the production deployment; promote another deployment to production first")
		} else if env != "" {
			return detail(http.StatusBadRequest, fmt.Sprintf("Cannot delete a deployment that environment %s serves; promote another deployment to it first", env))
		}
		for _, e := range m.Environments {
			if e.Promotion != nil && e.Promotion.CandidateID == d.ID && e.Promotion.Status != "FAILED" {
				return detail(http.StatusBadRequest, fmt.Sprintf("Cannot delete a deployment being promoted to %s; cancel the promotion first", e.Name))
			}
		}
		m.Deployments = slices.DeleteFunc(m.Deployments, func(o *deploymentRecord) bool { return o == d })
		if m.DevelopmentID == d.ID {
			m.DevelopmentID = ""
		}
		return changed200(struct {
			ID      string `json:"id"`
			Deleted bool   `json:"deleted"`
			ModelID string `json:"model_id"`
		}{d.ID, true, m.ID})
	})
}

type successBody struct {
	Success bool `json:"success"`
}

// activate wakes d up; a running or waking deployment is left as it is.
func activate(d *deploymentRecord, now time.Time) answer {
	switch d.Status {
	case statusActive, statusWakingUp:
		return ok200(successBody{true})
	case statusInactive, statusScaledToZero, statusDeactivating:
		d.schedule(now, statusWakingUp, statusActive)
		return changed200(successBody{true})
	}
	return detail(http.StatusBadRequest, fmt.Sprintf("Deployment %s cannot be activated: its status is %s", d.ID, d.Status))
}

// deactivate stops d; a stopped or stopping deployment is left as it is.
func deactivate(d *deploymentRecord, now time.Time) answer {
	switch d.Status {
	case statusInactive, statusDeactivating:
		return ok200(successBody{true})
	case statusActive, statusScaledToZero, statusWakingUp, "UNHEALTHY":
		d.schedule(now, statusDeactivating, statusInactive)
		return changed200(successBody{true})
	}
	return detail(http.StatusBadRequest, fmt.Sprintf("Deployment %s cannot be deactivated: its status is %s", d.ID, d.Status))
}

func (s *Server) activateDeployment(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inDeployment(w, params, func(_ *modelRecord, d *deploymentRecord, now time.Time) answer { return activate(d, now) })
}

func (s *Server) deactivateDeployment(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inDeployment(w, params, func(_ *modelRecord, d *deploymentRecord, now time.Time) answer { return deactivate(d, now) })
}

// retryDeployment builds and deploys a failed deployment again.
func (s *Server) retryDeployment(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inDeployment(w, params, func(m *modelRecord, d *deploymentRecord, now time.Time) answer {
		type retried struct {
			Retried    bool           `json:"retried"`
			Reason     *string        `json:"reason"`
			Deployment *apiDeployment `json:"deployment"`
		}
		if !failedStatus(d.Status) {
			reason := fmt.Sprintf("Only a failed deployment can be retried; this one is %s", d.Status)
			return ok200(retried{false, &reason, deploymentView(m, d)})
		}
		d.schedule(now, statusBuilding, statusDeploying, statusLoadingModel, statusActive)
		return changed200(retried{true, nil, deploymentView(m, d)})
	})
}

// getDeploymentConfig answers the config in the output_format asked for:
// the text as uploaded (raw), the parsed one with the server's defaults
// (parsed), or both (the default).
func (s *Server) getDeploymentConfig(w http.ResponseWriter, r *http.Request, params []string) {
	format := "both"
	if q := r.URL.Query(); q.Has("output_format") {
		format = q.Get("output_format")
	}
	if format != "raw" && format != "parsed" && format != "both" {
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			Detail []validationError `json:"detail"`
		}{[]validationError{{Loc: []any{"query", "output_format"}, Msg: "Input should be 'raw', 'parsed' or 'both'", Type: "enum"}}})
		return
	}
	s.inDeployment(w, params, func(_ *modelRecord, d *deploymentRecord, _ time.Time) answer {
		body := struct {
			Config    json.RawMessage `json:"config"`
			RawConfig *string         `json:"raw_config"`
		}{}
		if format != "raw" {
			body.Config = d.Config
		}
		if format != "parsed" {
			body.RawConfig = d.RawConfig
		}
		return ok200(body)
	})
}

func (s *Server) terminateReplica(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inDeployment(w, params, func(_ *modelRecord, d *deploymentRecord, _ time.Time) answer {
		i := slices.Index(d.Replicas, params[2])
		if i < 0 {
			return detail(http.StatusNotFound, "Replica not found")
		}
		// The autoscaler replaces it, as it would a crashed one.
		d.Replicas = slices.Delete(d.Replicas, i, i+1)
		d.addReplica()
		return changed200(successBody{true})
	})
}

// environmentDeployment is the deployment e serves, or the 400 to answer.
func environmentDeployment(m *modelRecord, e *environmentRecord) (*deploymentRecord, *answer) {
	d := m.deployment(e.CurrentID)
	if d == nil {
		a := detail(http.StatusBadRequest, fmt.Sprintf("Environment %s has no deployment", e.Name))
		return nil, &a
	}
	return d, nil
}

func (s *Server) activateEnvironment(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inEnvironment(w, params, func(m *modelRecord, e *environmentRecord, now time.Time) answer {
		d, refused := environmentDeployment(m, e)
		if refused != nil {
			return *refused
		}
		return activate(d, now)
	})
}

func (s *Server) deactivateEnvironment(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inEnvironment(w, params, func(m *modelRecord, e *environmentRecord, now time.Time) answer {
		d, refused := environmentDeployment(m, e)
		if refused != nil {
			return *refused
		}
		return deactivate(d, now)
	})
}

// promoteToEnvironment reads a PromoteToEnvironmentRequestV1 and starts
// the promotion; the answer is the candidate deployment.
func (s *Server) promoteToEnvironment(w http.ResponseWriter, r *http.Request, params []string) {
	req, problems := parsePromoteRequest(w, r)
	if len(problems) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			Detail []validationError `json:"detail"`
		}{problems})
		return
	}
	s.inEnvironment(w, params, func(m *modelRecord, e *environmentRecord, now time.Time) answer {
		d := m.deployment(req.DeploymentID)
		if d == nil {
			return detail(http.StatusNotFound, noSuchDeployment)
		}
		if refusal := s.startPromotionLocked(m, e, d, req.ScaleDownPrevious, now); refusal != "" {
			return detail(http.StatusBadRequest, refusal)
		}
		return changed200(deploymentView(m, d))
	})
}

type promoteRequest struct {
	DeploymentID      string
	ScaleDownPrevious bool
}

// parsePromoteRequest validates the body as pydantic would: deployment_id
// a required string, the two booleans optional (true by default).
func parsePromoteRequest(w http.ResponseWriter, r *http.Request) (promoteRequest, []validationError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	var fields struct {
		DeploymentID      *string `json:"deployment_id"`
		ScaleDownPrevious *bool   `json:"scale_down_previous_deployment"`
		PreserveInstance  *bool   `json:"preserve_env_instance_type"`
	}
	if err != nil || !isJSON(r.Header.Get("Content-Type")) || json.Unmarshal(body, &fields) != nil {
		return promoteRequest{}, []validationError{{Loc: []any{"body"}, Msg: "Input should be a valid dictionary or object to extract fields from", Type: "model_attributes_type"}}
	}
	if fields.DeploymentID == nil || !sandboxID(*fields.DeploymentID) {
		return promoteRequest{}, []validationError{{Loc: []any{"body", "deployment_id"}, Msg: "Field required", Type: "missing"}}
	}
	req := promoteRequest{DeploymentID: *fields.DeploymentID, ScaleDownPrevious: true}
	if fields.ScaleDownPrevious != nil {
		req.ScaleDownPrevious = *fields.ScaleDownPrevious
	}
	return req, nil
}

func (s *Server) cancelPromotion(w http.ResponseWriter, _ *http.Request, params []string) {
	s.inEnvironment(w, params, func(_ *modelRecord, e *environmentRecord, now time.Time) answer {
		status := s.cancelPromotionLocked(e, now)
		if status == "" {
			return detail(http.StatusBadRequest, fmt.Sprintf("No promotion to %s is in progress", e.Name))
		}
		message := "The promotion was canceled"
		if status == "RAMPING_DOWN" {
			message = "Traffic is ramping down to the previous deployment"
		}
		return changed200(struct {
			Status  string `json:"status"`
			Message string `json:"message"`
		}{status, message})
	})
}
