package sandbox

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// logRoutes serve the logs of a deployment and of an environment (logs.go
// makes the lines).
var logRoutes = []route{
	{[]string{"v1", "models", "", "deployments", "", "logs"}, map[string]handlerFunc{"GET": (*Server).deploymentLogsHandler}, "GET, HEAD", false},
	{[]string{"v1", "models", "", "environments", "", "logs"}, map[string]handlerFunc{"GET": (*Server).environmentLogsHandler}, "GET, HEAD", false},
}

func init() { routes = append(routes, logRoutes...) }

// SetLateLogs makes that fraction (0 to 1) of log lines arrive late: some
// seconds after their timestamp, as the real logging pipeline sometimes
// delivers them (`sandbox serve --late-logs`).
func (s *Server) SetLateLogs(fraction float64) {
	s.mu.Lock()
	s.lateLogs = min(max(fraction, 0), 1)
	s.mu.Unlock()
}

func (s *Server) deploymentLogsHandler(w http.ResponseWriter, r *http.Request, params []string) {
	s.logsHandler(w, r, params, func(m *modelRecord, now time.Time) ([]deploymentLogs, *answer) {
		d := m.deployment(params[1])
		if d == nil {
			a := detail(http.StatusNotFound, noSuchDeployment)
			return nil, &a
		}
		return []deploymentLogs{d.logSource(now)}, nil
	})
}

// environmentLogsHandler answers the lines of every deployment the
// environment served: its current one, and while a promotion runs the
// candidate and the one it replaces. (The sandbox keeps no history of
// what an environment served before.)
func (s *Server) environmentLogsHandler(w http.ResponseWriter, r *http.Request, params []string) {
	s.logsHandler(w, r, params, func(m *modelRecord, now time.Time) ([]deploymentLogs, *answer) {
		e := m.environment(params[1])
		if e == nil {
			a := detail(http.StatusNotFound, noSuchEnvironment)
			return nil, &a
		}
		ids := []string{e.CurrentID}
		if p := e.Promotion; p != nil {
			ids = append(ids, p.CandidateID, p.PreviousID)
		}
		var sources []deploymentLogs
		for i, id := range ids {
			if d := m.deployment(id); d != nil && !slices.Contains(ids[:i], id) {
				sources = append(sources, d.logSource(now))
			}
		}
		return sources, nil
	})
}

// logsHandler validates the query (a 422 comes before a 404, as FastAPI
// validates first), finds what to make lines of under the lock, and makes
// them outside it: a week-long window with a rare filter takes a while.
func (s *Server) logsHandler(w http.ResponseWriter, r *http.Request, params []string, find func(m *modelRecord, now time.Time) ([]deploymentLogs, *answer)) {
	q, problems := parseLogQuery(r.URL.Query(), s.now())
	if len(problems) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			Detail []validationError `json:"detail"`
		}{problems})
		return
	}
	// As inModels does: due status steps first, saved before answering.
	now := s.now()
	s.mu.Lock()
	stepped := s.advanceLocked(now)
	var sources []deploymentLogs
	var refused *answer
	if m := s.modelLocked(params[0]); m == nil {
		a := detail(http.StatusNotFound, noSuchModel)
		refused = &a
	} else {
		sources, refused = find(m, now)
	}
	late := s.lateLogs
	var change *batch
	if stepped {
		change = s.changedLocked()
	}
	s.mu.Unlock()
	if change != nil {
		if err := s.save(change); err != nil {
			writeSaveError(w, err)
			return
		}
	}
	if refused != nil {
		writeJSON(w, refused.status, refused.value)
		return
	}
	body, err := encodeLogs(collectLogs(sources, q, now, late))
	if err != nil { // unreachable: lines are strings
		writeDetail(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// logSource is what the deployment's lines are made of: its ID and when
// it was active (a restored deployment without that record, active now,
// counts as active since it was created).
func (d *deploymentRecord) logSource(now time.Time) deploymentLogs {
	spans := slices.Clone(d.Active)
	if len(spans) == 0 && loggingStatus(d.Status) {
		created, _ := time.Parse(time.RFC3339, d.CreatedAt)
		spans = []activeSpan{{From: created}}
	}
	return deploymentLogs{id: d.ID, active: spans}
}

// loggingStatus: a deployment in this status runs replicas, which log.
func loggingStatus(status string) bool {
	switch status {
	case statusActive, statusWakingUp, statusDeactivating, statusLoadingModel, "UPDATING", "UNHEALTHY":
		return true
	}
	return false
}

// maxActiveSpans bounds the activity a deployment remembers.
const maxActiveSpans = 16

// recordActivity notes when d starts or stops logging. It is called on
// every status change (settle), when StepsFrom is the time of the change
// (zero for a seed, whose change is its creation).
func (d *deploymentRecord) recordActivity() {
	at := d.StepsFrom
	if at.IsZero() {
		at, _ = time.Parse(time.RFC3339, d.CreatedAt)
	}
	open := len(d.Active) > 0 && d.Active[len(d.Active)-1].To.IsZero()
	switch logging := loggingStatus(d.Status); {
	case logging && !open:
		d.Active = append(d.Active, activeSpan{From: at})
		if len(d.Active) > maxActiveSpans {
			d.Active = slices.Delete(d.Active, 0, len(d.Active)-maxActiveSpans)
		}
	case !logging && open:
		d.Active[len(d.Active)-1].To = at
	}
}
