package schema_test

import (
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/schema"
)

func TestBlocks(t *testing.T) {
	got := schema.Blocks("First paragraph,\nwrapped.\n\n    mkdir -p ~/a\n    echo 'x' >> ~/b\n\n\n  Not code: two spaces.\n\n    half\n  code")
	assert.DeepEqual(t, got, []schema.Block{
		{Text: "First paragraph,\nwrapped."},
		{Code: true, Text: "mkdir -p ~/a\necho 'x' >> ~/b"},
		{Text: "Not code: two spaces."},
		{Text: "half\n  code"},
	})
	assert.DeepEqual(t, schema.Blocks(""), []schema.Block(nil))
}
