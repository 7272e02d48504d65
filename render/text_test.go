package render_test

import (
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/render"
)

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0ms", 400 * time.Microsecond: "0ms", 1499 * time.Microsecond: "1ms", 340 * time.Millisecond: "340ms",
		time.Second: "1s", 1500 * time.Millisecond: "1.5s", 30 * time.Second: "30s",
		time.Minute: "1m", 150 * time.Second: "2m30s", time.Hour + 5*time.Second: "1h5s", 2 * time.Hour: "2h",
		// Where rounding carries into the next unit, the next unit spells it.
		999400 * time.Microsecond: "999ms", 999600 * time.Microsecond: "1s", 59940 * time.Millisecond: "59.9s",
		59960 * time.Millisecond: "1m", 89600 * time.Millisecond: "1m30s",
	} {
		assert.Equal(t, render.FormatDuration(d), want, d.String())
	}
}

func TestOneLine(t *testing.T) {
	assert.Equal(t, render.OneLine("  a\r\nb\t c \n"), "a b c")
	assert.Equal(t, render.OneLine(""), "")
}
