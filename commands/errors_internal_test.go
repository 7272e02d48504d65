package commands

import (
	"errors"
	"io/fs"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/schema"
)

// The vocabulary keeps causes: what a command adds words to stays
// reachable through errors.Is and errors.As, and the exit code and hint
// are the ones given.
func TestErrorVocabularyKeepsTheCause(t *testing.T) {
	cause := &fs.PathError{Op: "open", Path: "/x", Err: fs.ErrPermission}
	err := failed("try again", "cannot read the config: %w", cause)
	assert.Equal(t, err.Error(), "cannot read the config: open /x: permission denied")
	assert.Assert(t, errors.Is(err, fs.ErrPermission))
	code, hint := classify(err)
	assert.Equal(t, code, schema.ExitError)
	assert.Equal(t, hint, "try again")

	err = withCode(schema.ExitAuth, cause, "")
	assert.Equal(t, err.Error(), cause.Error())
	assert.Assert(t, errors.Is(err, fs.ErrPermission))

	err = notFound("see the list", "no team named %q", "x")
	code, hint = classify(err)
	assert.Equal(t, code, schema.ExitNotFound)
	assert.Equal(t, hint, "see the list")
	assert.Equal(t, err.Error(), `no team named "x"`)
}

// asNotFound replaces the API's 404 only: its words become ours, the API
// error stays the cause, and anything else passes through untouched.
func TestAsNotFound(t *testing.T) {
	gone := &managementapi.APIError{Status: 404, Message: "Team not found"}
	err := asNotFound(gone, "hint", "no team with ID %q", "t1")
	assert.Equal(t, err.Error(), `no team with ID "t1"`)
	apiErr, ok := errors.AsType[*managementapi.APIError](err)
	assert.Assert(t, ok && apiErr == gone)
	code, hint := classify(err)
	assert.Equal(t, code, schema.ExitNotFound)
	assert.Equal(t, hint, "hint")

	forbidden := &managementapi.APIError{Status: 403, Message: "no"}
	assert.Equal(t, asNotFound(forbidden, "hint", "x"), error(forbidden))
	assert.NilError(t, asNotFound(nil, "hint", "x"))
}

// A quiet exit prints nothing: report writes no line for it.
func TestQuietExit(t *testing.T) {
	err := quietExit(7)
	assert.Equal(t, err.Error(), "")
	code, hint := classify(err)
	assert.Equal(t, code, 7)
	assert.Equal(t, hint, "")
}
