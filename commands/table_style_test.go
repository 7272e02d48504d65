package commands_test

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

// Every table takes --no-headers, and on a terminal fits its width, long
// cells cut with "…"; piped, every byte of every cell is kept.
func TestTablesFitTheTerminalAndDropHeaders(t *testing.T) {
	long := "a key name far longer than any terminal line is wide, as names sometimes are"
	a, _ := sandboxAPI(t, sandbox.Options{Keys: []sandbox.SeedKey{{Prefix: "aaaa1111", Name: strptr(long), Type: sandbox.TypePersonal}}})
	r := newRunner(a)

	piped := r.run("org", "api-key", "list")
	assert.Equal(t, piped.Code, 0)
	assert.Assert(t, strings.Contains(piped.Stdout, long+"  aaaa1111****"), piped.Stdout)

	r.terminal, r.width, r.env["NO_COLOR"] = true, 60, "1"
	onTerminal := r.run("org", "api-key", "list")
	assert.Equal(t, onTerminal.Code, 0)
	for _, line := range strings.Split(strings.TrimSuffix(onTerminal.Stdout, "\n"), "\n") {
		assert.Assert(t, len([]rune(line)) <= 60, "%q", line)
	}
	assert.Assert(t, strings.Contains(onTerminal.Stdout, "…  aaaa1111****"), onTerminal.Stdout)

	for _, args := range [][]string{{"org", "api-key", "list"}, {"org", "team", "list"}} {
		with := r.run(args...)
		without := r.run(append(args, "--no-headers")...)
		assert.Equal(t, without.Code, 0)
		header, rows, _ := strings.Cut(with.Stdout, "\n")
		assert.Assert(t, strings.HasPrefix(header, "NAME "), header)
		assert.Equal(t, strings.Count(without.Stdout, "\n"), strings.Count(rows, "\n"), "%s", args)
		assert.Assert(t, !strings.Contains(without.Stdout, "NAME"), without.Stdout)
	}
}
