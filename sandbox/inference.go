package sandbox

// Inference: the sandbox answers for the models' inference hosts too. A
// request whose Host names one (model-<id>.<anything>, or
// model-<id>-<environment>.<anything> for an environment's own host) is an
// inference call, whatever address it reached: `baseten api inference` and
// `model predict` send it to BASETEN_INFERENCE_BASE_URL_OVERRIDE (this
// sandbox, under `sandbox serve | exec`) with the derived host in Host.
//
// Every model answers predict on each of its environments (those that
// serve a deployment) and each of its deployments by echoing the request
// body, wrapped: {"model_id", "environment" or "deployment_id", "input"}.
// A body that asks "stream": true is streamed back as text/event-stream
// instead, a word per event ({"word": ...}) and a final [DONE], the words
// being those of its "prompt" when that is a string, else of the body.
//
// Any key may call a model but a metrics key (403), and an invoke key
// created with model_ids only those models (403 for the others). The
// sandbox has no chains: a chain host answers 404. Deployment statuses are
// not consulted: a deployment that exists answers.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// inferenceHost reports whether host (a Host header) names an inference
// host, and returns its first label.
func inferenceHost(host string) (label string, ok bool) {
	label, _, found := strings.Cut(host, ".")
	if !found {
		return "", false
	}
	return label, strings.HasPrefix(label, "model-") || strings.HasPrefix(label, "chain-")
}

// predictTarget is what a predict call reached.
type predictTarget struct {
	modelID      string
	environment  string // set when called through an environment
	deploymentID string // set when called on a deployment
}

func (s *Server) serveInference(w http.ResponseWriter, r *http.Request, label string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	keyType, detail := s.authenticate(r)
	if detail != "" {
		h.Set("WWW-Authenticate", "Bearer")
		writeDetail(w, http.StatusUnauthorized, detail)
		return
	}
	if keyType == TypeWorkspaceExportMetrics {
		writeDetail(w, http.StatusForbidden, "API keys of type "+string(keyType)+" cannot call models")
		return
	}
	if strings.HasPrefix(label, "chain-") {
		writeDetail(w, http.StatusNotFound, "Chain not found: the sandbox has no chains")
		return
	}
	target, status, detail := s.findPredictTarget(strings.TrimPrefix(label, "model-"), r.URL.EscapedPath())
	if status != 0 {
		writeDetail(w, status, detail)
		return
	}
	if scope := s.modelScope(r); scope != nil && !slices.Contains(scope, target.modelID) {
		writeDetail(w, http.StatusForbidden, "This API key cannot call model "+target.modelID)
		return
	}
	if r.Method != http.MethodPost {
		h.Set("Allow", "POST")
		writeDetail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeDetail(w, http.StatusRequestEntityTooLarge, "The request body is too large")
		return
	}
	if !json.Valid(body) {
		writeDetail(w, http.StatusBadRequest, "The request body is not JSON")
		return
	}
	var request struct {
		Stream bool `json:"stream"`
		Prompt any  `json:"prompt"`
	}
	_ = json.Unmarshal(body, &request) // any JSON may be echoed; only an object streams
	if request.Stream {
		text, ok := request.Prompt.(string)
		if !ok {
			text = string(body)
		}
		streamWords(w, strings.Fields(text))
		return
	}
	answer, _ := json.Marshal(struct {
		ModelID      string          `json:"model_id"`
		Environment  string          `json:"environment,omitempty"`
		DeploymentID string          `json:"deployment_id,omitempty"`
		Input        json.RawMessage `json:"input"`
	}{target.modelID, target.environment, target.deploymentID, body})
	w.WriteHeader(http.StatusOK)
	w.Write(append(answer, '\n'))
}

// modelScope is the model IDs the (authenticated) key of r is limited to,
// nil when it may call every model: an invoke key created with model_ids.
func (s *Server) modelScope(r *http.Request) []string {
	_, key, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	prefix, _, _ := strings.Cut(strings.TrimSpace(key), ".")
	s.mu.RLock()
	defer s.mu.RUnlock()
	if k := s.byPrefix[prefix]; k != nil && k.canAuth && len(k.info.ModelIDs) > 0 {
		return slices.Clone(k.info.ModelIDs)
	}
	return nil
}

// streamWords answers with server-sent events, one word each, each sent as
// soon as it is written.
func streamWords(w http.ResponseWriter, words []string) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	for _, word := range append(words, "") {
		event := "data: [DONE]\n\n"
		if word != "" {
			data, _ := json.Marshal(map[string]string{"word": word})
			event = "data: " + string(data) + "\n\n"
		}
		if _, err := io.WriteString(w, event); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
	}
}

// findPredictTarget finds the model and environment or deployment a host's
// label (without "model-") and path name, or the status and detail to
// answer when there is none. The label is "<id>" or "<id>-<environment>";
// an environment's name may hold "-", so each split is tried.
func (s *Server) findPredictTarget(label, path string) (predictTarget, int, string) {
	segments := strings.Split(strings.TrimPrefix(path, "/"), "/")
	s.mu.RLock()
	defer s.mu.RUnlock()
	if m := s.modelLocked(label); m != nil {
		switch {
		case len(segments) == 3 && segments[0] == "environments" && segments[2] == "predict":
			return s.environmentTargetLocked(m, segments[1])
		case len(segments) == 3 && segments[0] == "deployment" && segments[2] == "predict":
			if deploymentOf(m, segments[1]) == nil {
				return predictTarget{}, http.StatusNotFound, "Deployment not found"
			}
			return predictTarget{modelID: m.ID, deploymentID: segments[1]}, 0, ""
		}
		return predictTarget{}, http.StatusNotFound, "Not Found"
	}
	for i := strings.IndexByte(label, '-'); i > 0; i = nextDash(label, i) {
		if m := s.modelLocked(label[:i]); m != nil {
			if len(segments) != 1 || segments[0] != "predict" {
				return predictTarget{}, http.StatusNotFound, "Not Found"
			}
			return s.environmentTargetLocked(m, label[i+1:])
		}
	}
	return predictTarget{}, http.StatusNotFound, fmt.Sprintf("Model not found: %s", label)
}

func nextDash(s string, after int) int {
	if j := strings.IndexByte(s[after+1:], '-'); j >= 0 {
		return after + 1 + j
	}
	return -1
}

func (s *Server) environmentTargetLocked(m *modelRecord, name string) (predictTarget, int, string) {
	for _, e := range m.Environments {
		if e.Name != name {
			continue
		}
		if e.CurrentID == "" {
			return predictTarget{}, http.StatusNotFound, "Environment " + name + " has no deployment to serve"
		}
		return predictTarget{modelID: m.ID, environment: name}, 0, ""
	}
	return predictTarget{}, http.StatusNotFound, "Environment not found"
}

func deploymentOf(m *modelRecord, id string) *deploymentRecord {
	for _, d := range m.Deployments {
		if d.ID == id {
			return d
		}
	}
	return nil
}
