package render_test

import (
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/render"
)

// Strings a YAML 1.1 reader (PyYAML, which truss uses) would take for
// something else are quoted: a sexagesimal number ("12:30" is 750 there)
// and "=" (a value key it cannot even load).
func TestJSONAsYAMLQuotesWhatYAML11ReadsOtherwise(t *testing.T) {
	out, err := render.JSONAsYAML([]byte(`{"time":"12:30","neg":"-1:20:30.5","eq":"=","ok":"a:b","port":"8080:80"}`))
	assert.NilError(t, err)
	assert.Equal(t, out, "time: \"12:30\"\nneg: \"-1:20:30.5\"\neq: \"=\"\nok: a:b\nport: \"8080:80\"\n")
}
