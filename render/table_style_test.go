package render

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func styleTable() Table {
	rows := [][]string{
		{"laptop", "aaaa1111", "personal", "Default"},
		{"a name far too long for any terminal, as people do write them", "bbbb2222", "workspace-invoke", "Research and Development"},
	}
	return Table{
		Header: []string{"NAME", "KEY", "TYPE", "TEAM"},
		Suffix: []string{"", "****"},
		Rows: func(row func(cells ...string) error) error {
			for _, r := range rows {
				if err := row(r...); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func printed(t *testing.T, table Table, style TableStyle) string {
	t.Helper()
	var out strings.Builder
	assert.NilError(t, table.Print(&out, style))
	return out.String()
}

// On a terminal a table fits its width: the widest columns are cut, each
// long cell ending in "…"; a key's prefix (with its suffix) is never cut.
// Not on a terminal (Width 0) every byte is kept.
func TestTableFitsTheTerminal(t *testing.T) {
	got := printed(t, styleTable(), TableStyle{Width: 60})
	assert.Equal(t, got, ""+
		"NAME            KEY           TYPE            TEAM\n"+
		"laptop          aaaa1111****  personal        Default\n"+
		"a name far to…  bbbb2222****  workspace-inv…  Research and …\n")
	for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		assert.Assert(t, len([]rune(line)) <= 60, "%q", line)
	}
	bold := printed(t, styleTable(), TableStyle{Width: 60, Bold: true})
	assert.Equal(t, strings.NewReplacer("\x1b[1m", "", "\x1b[0m", "").Replace(bold), got)
	whole := printed(t, styleTable(), TableStyle{})
	assert.Assert(t, strings.Contains(whole, "a name far too long for any terminal, as people do write them  bbbb2222****"), whole)
	assert.Assert(t, !strings.Contains(whole, ellipsis))
	// A terminal wide enough changes nothing.
	assert.Equal(t, printed(t, styleTable(), TableStyle{Width: 500}), whole)
}

// --no-headers prints the rows only, laid out by the rows alone.
func TestTableWithoutHeaders(t *testing.T) {
	table := Table{
		Header: []string{"A-LONG-HEADER", "B"},
		Rows:   func(row func(cells ...string) error) error { return row("x", "y") },
	}
	assert.Equal(t, printed(t, table, TableStyle{NoHeaders: true}), "x  y\n")
	assert.Equal(t, printed(t, table, TableStyle{NoHeaders: true, Bold: true}), "x  y\n")
	assert.Equal(t, printed(t, table, TableStyle{}), "A-LONG-HEADER  B\nx              y\n")
}
