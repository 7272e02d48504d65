package commands

import (
	"math/big"
	"testing"

	"gotest.tools/v3/assert"
)

// Sums are exact at the finest scale of their terms; nothing goes through
// float64 (where 0.1 + 0.2 is 0.30000000000000004).
func TestAmounts(t *testing.T) {
	for _, tc := range []struct {
		terms []string
		sum   string
	}{
		{[]string{"0.1", "0.2"}, "0.3"},
		{[]string{"12.30"}, "12.30"},
		{[]string{"1", "0.005"}, "1.005"},
		{[]string{"-0.05", "0.05"}, "0.00"},
		{[]string{"-1.5", "0.25"}, "-1.25"},
		{[]string{"1e2", "0.5"}, "100.5"},
		{[]string{"1.5e-3"}, "0.0015"},
		{[]string{".5", "5."}, "5.5"},
		{[]string{"99999999999999999999.99", "0.01"}, "100000000000000000000.00"},
	} {
		var sum amount
		for _, term := range tc.terms {
			a, err := parseAmount(term)
			assert.NilError(t, err, term)
			sum = sum.add(a)
		}
		assert.Equal(t, sum.String(), tc.sum, "%v", tc.terms)
	}
	for _, bad := range []string{"", "-", ".", "+-1", "1.2.3", "0x1", "1e", "1e999", "١"} {
		_, err := parseAmount(bad)
		assert.Assert(t, err != nil, "%q", bad)
	}
}

func TestBars(t *testing.T) {
	largest := big.NewRat(22, 10)
	assert.Equal(t, bar(big.NewRat(22, 10), largest, false), "########################################")
	assert.Equal(t, bar(big.NewRat(3, 10), largest, true), "█████▍")
	assert.Equal(t, bar(big.NewRat(1, 1000000), largest, false), "#", "any spend shows")
	assert.Equal(t, bar(new(big.Rat), largest, true), "")
	assert.Equal(t, bar(big.NewRat(-1, 1), largest, true), "")
}
