package commands

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
	"gotest.tools/v3/assert"
)

// compatPunct is, for every character whose NFKC form holds ".", "/" or
// "\", exactly that form (and leaves every other character alone).
func TestCompatPunctIsNFKCsDotsAndSlashes(t *testing.T) {
	for r := rune(0x80); r <= 0x10FFFF; r++ {
		nfkc := norm.NFKC.String(string(r))
		want := string(r)
		if strings.ContainsAny(nfkc, `./\`) {
			want = nfkc
		}
		assert.Equal(t, compatPunct.Replace(string(r)), want, "%U", r)
	}
}
