package commands

import (
	"context"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

// What the model commands that ask first share: resolve the model, then,
// unless --yes was given, name the target in full (which looks it up, so
// a missing one is exit 4 before any question) and ask. Each leaf keeps
// its own question; a helper turns the target's description into it.

// lookupConfirmingDeployment resolves the model ref names and asks
// question(target) about deploymentID of it, unless --yes was given.
func lookupConfirmingDeployment(ctx context.Context, streams *render.IO, client *managementapi.Client, ref *ModelRef, yes *YesFlag, deploymentID string, question func(target string) string) (*resolvedModel, error) {
	m, err := ref.lookup(ctx, client)
	if err != nil {
		return nil, err
	}
	if !yes.Yes {
		target, err := deploymentTarget(ctx, client, ref, m, deploymentID)
		if err != nil {
			return nil, err
		}
		if err := yes.confirm(ctx, streams, question(target)); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// lookupConfirmingEnvironment is lookupConfirmingDeployment for an
// environment; question also gets the environment as the API described
// it (a promotion in progress names its candidate).
func lookupConfirmingEnvironment(ctx context.Context, streams *render.IO, client *managementapi.Client, ref *ModelRef, yes *YesFlag, env string, question func(target string, e *managementapi.Environment) string) (*resolvedModel, error) {
	m, err := ref.lookup(ctx, client)
	if err != nil {
		return nil, err
	}
	if !yes.Yes {
		target, e, err := environmentTarget(ctx, client, ref, m, env)
		if err != nil {
			return nil, err
		}
		if err := yes.confirm(ctx, streams, question(target, e)); err != nil {
			return nil, err
		}
	}
	return m, nil
}
