package commands

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/schema"
)

// ModelRef is how every `model` command names the model it acts on:
// exactly one of --model-id or --model-name (the xor group model-ref),
// with --team, only beside --model-name, to choose among models of the
// same name in different teams. Leaves embed it; Kong calls its
// AfterApply (hooks of embedded structs run too), so a leaf cannot forget
// the checks, and the leaf's Run calls lookup or fetch.
type ModelRef struct {
	ModelID   string `name:"model-id" xor:"model-ref" required:"" predictor:"model-id" help:"ID of the model, as model list shows it."`
	ModelName string `name:"model-name" xor:"model-ref" required:"" predictor:"model-name" help:"Exact name of the model. Names are unique within a team only: when models of several teams share it, nothing is done and they are listed with their teams and IDs."`
	Team      string `predictor:"team" help:"Team (name or ID) whose model --model-name names, when models of several teams have that name. Only valid with --model-name."`
}

// modelListHint points at the command that shows every model's name and ID.
const modelListHint = "Run 'baseten model list' to see the models, their teams and IDs."

// AfterApply refuses what the flags alone show to be wrong, before any
// request: an ID unfit for a URL path, an empty name, --team without
// --model-name.
func (r *ModelRef) AfterApply(kctx *kong.Context) error {
	if err := refuseEmpty(kctx, "model-name", r.ModelName); err != nil {
		return err
	}
	if err := refuseEmpty(kctx, "team", r.Team); err != nil {
		return err
	}
	if flagGiven(kctx, "team") && !flagGiven(kctx, "model-name") {
		return usageError("--team is only valid with --model-name", "A model ID names one model in whichever team it is; drop --team.")
	}
	if flagGiven(kctx, "model-id") {
		return checkPathID("--model-id", "model ID", r.ModelID, modelListHint)
	}
	return nil
}

// checkPathID refuses a value of a flag that goes into a URL path
// (flag names it) and could change that path's meaning; what says what it
// should be ("model ID").
func checkPathID(flag, what, value, hint string) error {
	if problem := pathIDProblem(what, value); problem != "" {
		return usageError(fmt.Sprintf("%s %q %s", flag, value, problem), hint)
	}
	return nil
}

// resolvedModel is the model a ModelRef names. Body is its JSON as the
// API sent it, and Model the typed view, when they were fetched (always
// for a name, which is looked up in the list; for an ID, only by fetch).
type resolvedModel struct {
	ID    string
	Model *managementapi.Model
	Body  []byte
}

// label names the model for a human: its name and ID when known.
func (m *resolvedModel) label() string {
	if m.Model == nil {
		return "model " + m.ID
	}
	return fmt.Sprintf("model %s (%s)", m.Model.Name, m.ID)
}

// lookup returns the model's ID, looking the name up when one was given.
// An ID is taken as given: the request that uses it says whether the
// model exists.
func (r *ModelRef) lookup(ctx context.Context, client *managementapi.Client) (*resolvedModel, error) {
	if r.ModelID != "" {
		return &resolvedModel{ID: r.ModelID}, nil
	}
	return r.byName(ctx, client)
}

// fetch returns the model with its JSON and typed view: GET
// /v1/models/{id} for an ID, the list's element for a name.
func (r *ModelRef) fetch(ctx context.Context, client *managementapi.Client) (*resolvedModel, error) {
	if r.ModelID == "" {
		return r.byName(ctx, client)
	}
	answer, err := client.GetModel(ctx, r.ModelID)
	if err != nil {
		return nil, modelNotFound(err, r.ModelID)
	}
	model, err := answer.Decode() // decoded and checked by GetModel
	if err != nil {
		return nil, err
	}
	// What is confirmed and reported is named by the answer: it must be
	// the model asked for, or a question would name one model and the
	// request change another.
	if model.ID != r.ModelID {
		return nil, notTheOneAsked("model", r.ModelID, model.ID)
	}
	return &resolvedModel{ID: r.ModelID, Model: model, Body: answer.Body}, nil
}

// notTheOneAsked refuses an answer about another thing than the one asked
// for (a proxy that rewrote the path, a lying server): nothing is done.
func notTheOneAsked(what, asked, got string) error {
	return &managementapi.ResponseError{Reason: fmt.Sprintf("asked for %s %q, the API answered with %s %q; nothing was done", what, asked, what, got)}
}

// modelNotFound turns the API's 404 for a model ID into exit 4 with a
// hint; the API's own message ("Model not found") would say less.
func modelNotFound(err error, id string) error {
	return asNotFound(err, modelListHint, "no model with ID %q", id)
}

// byName finds the one model named --model-name: in the list of all
// models, or of --team's. Several matches are exit 2, listing each with
// its team and ID; none is exit 4.
func (r *ModelRef) byName(ctx context.Context, client *managementapi.Client) (*resolvedModel, error) {
	teamID, teamName, where := "", "", ""
	if r.Team != "" {
		var err error
		if teamID, teamName, err = modelTeam(ctx, client, r.Team); err != nil {
			return nil, err
		}
		where = fmt.Sprintf(" in team %q", r.Team)
	}
	answer, err := client.ListModels(ctx, teamID)
	if err != nil {
		return nil, err
	}
	list, err := answer.Decode() // decoded and checked by ListModels
	if err != nil {
		return nil, err
	}
	var named []int
	for i, m := range list.Models {
		// A model the team's list holds but says is another team's is not
		// the one --team named.
		if m.Name == r.ModelName && (teamName == "" || m.TeamName == teamName) {
			named = append(named, i)
		}
	}
	switch len(named) {
	case 0:
		return nil, notFound(modelListHint, "no model named %q%s", r.ModelName, where)
	case 1:
		m := &list.Models[named[0]]
		if problem := pathIDProblem("model ID", m.ID); problem != "" {
			return nil, failed("", "the API lists model %q with ID %q, which %s; nothing was done", r.ModelName, m.ID, problem)
		}
		return &resolvedModel{ID: m.ID, Model: m, Body: answer.Element(named[0])}, nil
	}
	matches := make([]string, len(named))
	for i, j := range named {
		matches[i] = fmt.Sprintf("%s (team %s)", shorten(list.Models[j].ID, 64), shorten(list.Models[j].TeamName, 64))
	}
	sort.Strings(matches)
	hint := "Nothing was done. Pass --model-id with one of these IDs, or --team to choose the team."
	if r.Team != "" {
		hint = "Nothing was done. Pass --model-id with one of these IDs."
	}
	return nil, usageError(fmt.Sprintf("%d models are named %q%s: %s", len(named), r.ModelName, where, strings.Join(matches, ", ")), hint)
}

// modelTeam turns --team (an ID or a name) into a team ID fit for a path,
// and the team's name.
func modelTeam(ctx context.Context, client *managementapi.Client, team string) (id, name string, err error) {
	answer, err := client.ListTeams(ctx)
	if err != nil {
		return "", "", err
	}
	teams, err := answer.Decode()
	if err != nil {
		return "", "", err
	}
	if id, err = pickTeam(teams.Teams, team); err != nil {
		return "", "", err
	}
	if problem := teamIDProblem(id); problem != "" {
		return "", "", failed("", "the API lists team %q with ID %q, which %s; nothing was done", team, id, problem)
	}
	for _, t := range teams.Teams {
		if t.ID == id {
			name = t.Name
		}
	}
	return id, name, nil
}

// DeploymentRef is --deployment-id, for the commands that act on one
// deployment of the model ModelRef names.
type DeploymentRef struct {
	DeploymentID string `name:"deployment-id" required:"" predictor:"deployment-id" help:"ID of the deployment, as model deployment list shows it."`
}

// deploymentListHint points at the command that lists a model's deployments.
const deploymentListHint = "Run 'baseten model deployment list' with the model to see its deployments and their IDs."

func (r *DeploymentRef) AfterApply() error {
	return checkPathID("--deployment-id", "deployment ID", r.DeploymentID, deploymentListHint)
}

// deploymentNotFound turns a 404 for a deployment into exit 4: the model
// or the deployment is missing, and the API's detail says which.
func deploymentNotFound(err error, m *resolvedModel, deploymentID string) error {
	if apiErr, ok := errors.AsType[*managementapi.APIError](err); ok && apiErr.Status == 404 {
		msg := fmt.Sprintf("no deployment %q in %s", deploymentID, m.label())
		if strings.Contains(strings.ToLower(apiErr.Message), "model") {
			msg = fmt.Sprintf("no model with ID %q", m.ID)
		}
		return withCode(schema.ExitNotFound, &wrapped{msg: msg, cause: err}, deploymentListHint)
	}
	return err
}

// EnvironmentRef is --environment, for the commands that act on one
// environment of the model ModelRef names.
type EnvironmentRef struct {
	Environment string `required:"" predictor:"environment" help:"Name of the environment (production, staging, ...), as model environment list shows it."`
}

// environmentListHint points at the command that lists a model's environments.
const environmentListHint = "Run 'baseten model environment list' with the model to see its environments."

func (r *EnvironmentRef) AfterApply() error {
	return checkPathID("--environment", "environment name", r.Environment, environmentListHint)
}

// environmentNotFound is deploymentNotFound for an environment.
func environmentNotFound(err error, m *resolvedModel, env string) error {
	if apiErr, ok := errors.AsType[*managementapi.APIError](err); ok && apiErr.Status == 404 {
		msg := fmt.Sprintf("no environment %q in %s", env, m.label())
		if strings.Contains(strings.ToLower(apiErr.Message), "model") {
			msg = fmt.Sprintf("no model with ID %q", m.ID)
		}
		return withCode(schema.ExitNotFound, &wrapped{msg: msg, cause: err}, environmentListHint)
	}
	return err
}
