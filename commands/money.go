package commands

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// amount is an exact decimal number of dollars, as the billing API sends
// it: a JSON number or a decimal string. It keeps the digits it was given
// (unscaled / 10^scale), so "12.30" prints as "12.30" and sums keep the
// finest scale of their terms. No float64 is involved anywhere: 0.1 + 0.2
// is 0.3.
type amount struct {
	unscaled *big.Int // nil is zero (the zero amount starts a sum); never changed once made
	scale    int      // digits after the point
}

// maxAmountDigits bounds what one amount may spell: a server could send a
// number of a million digits, which big.Int would happily hold and print.
const maxAmountDigits = 64

// parseAmount reads a decimal: an optional sign, digits with an optional
// point (the description's pattern, which refuses a lone sign or point),
// and, for JSON numbers, an exponent.
func parseAmount(s string) (amount, error) {
	a := amount{unscaled: new(big.Int)}
	mantissa, exponent := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > maxAmountDigits || e < -maxAmountDigits {
			return a, fmt.Errorf("%q is not a decimal amount", s)
		}
		mantissa, exponent = s[:i], e
	}
	digits := strings.TrimLeft(mantissa, "+-")
	if len(mantissa)-len(digits) > 1 {
		return a, fmt.Errorf("%q is not a decimal amount", s)
	}
	whole, frac, _ := strings.Cut(digits, ".")
	if whole+frac == "" || len(whole)+len(frac) > maxAmountDigits || strings.Trim(whole+frac, "0123456789") != "" {
		return a, fmt.Errorf("%q is not a decimal amount", s)
	}
	if _, ok := a.unscaled.SetString("0"+whole+frac, 10); !ok {
		return a, fmt.Errorf("%q is not a decimal amount", s)
	}
	if strings.HasPrefix(mantissa, "-") {
		a.unscaled.Neg(a.unscaled)
	}
	a.scale = len(frac) - exponent
	if a.scale < 0 { // 5e2: no point, more digits
		a.unscaled.Mul(a.unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-a.scale)), nil))
		a.scale = 0
	}
	return a, nil
}

// rescaled is a's unscaled value at a finer (or equal) scale.
func (a amount) rescaled(scale int) *big.Int {
	v := new(big.Int)
	if a.unscaled != nil {
		v.Set(a.unscaled)
	}
	if scale > a.scale {
		v.Mul(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale-a.scale)), nil))
	}
	return v
}

// add returns a + b exactly, at the finer of their scales.
func (a amount) add(b amount) amount {
	scale := max(a.scale, b.scale)
	return amount{unscaled: new(big.Int).Add(a.rescaled(scale), b.rescaled(scale)), scale: scale}
}

// rat is a as an exact fraction (for the ratio of a bar).
func (a amount) rat() *big.Rat {
	return new(big.Rat).SetFrac(a.rescaled(a.scale), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(a.scale)), nil))
}

// String writes a with its scale's digits after the point: "12.30", "-0.05", "7".
func (a amount) String() string {
	v := a.rescaled(a.scale)
	digits := new(big.Int).Abs(v).String()
	sign := ""
	if v.Sign() < 0 {
		sign = "-"
	}
	if a.scale == 0 {
		return sign + digits
	}
	if len(digits) <= a.scale {
		digits = strings.Repeat("0", a.scale-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-a.scale] + "." + digits[len(digits)-a.scale:]
}
