package render_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/render"
)

func table(rows ...[]string) render.Table {
	return render.Table{
		Header: []string{"NAME", "KEY", "TEAM"},
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

func TestTableLayout(t *testing.T) {
	var out bytes.Buffer
	err := table(
		[]string{"日本語", "k1", ""},
		[]string{"", "longer-key", "team"},
		[]string{"tab\there", "k3", ""},
	).Print(&out, render.TableStyle{})
	assert.NilError(t, err)
	// Wide runes count two columns; empty trailing cells leave no trailing
	// spaces; control characters are replaced.
	assert.Equal(t, out.String(), ""+
		"NAME      KEY         TEAM\n"+
		"日本語    k1\n"+
		"          longer-key  team\n"+
		"tab\uFFFDhere  k3\n")
	for _, line := range strings.Split(out.String(), "\n") {
		assert.Assert(t, !strings.HasSuffix(line, " "), "trailing whitespace in %q", line)
	}
}

func TestTableBoldHeader(t *testing.T) {
	var out bytes.Buffer
	assert.NilError(t, table([]string{"a", "b", "c"}).Print(&out, render.TableStyle{Bold: true}))
	assert.Equal(t, out.String(), "\x1b[1mNAME\x1b[0m  \x1b[1mKEY\x1b[0m  \x1b[1mTEAM\x1b[0m\na     b    c\n")
}

func TestCompileJQPosition(t *testing.T) {
	_, err := render.CompileJQ(`.keys[] | select(.type == ) `)
	assert.Error(t, err, `invalid --jq expression ".keys[] | select(.type == ) ": unexpected token ")" at position 27`)
}

func TestJQHaltIsNotAnError(t *testing.T) {
	code, err := render.CompileJQ(`.a, halt, .b`)
	assert.NilError(t, err)
	var out bytes.Buffer
	err = render.Output{Mode: render.JSON, JQ: code}.Write(context.Background(), &out, []byte(`{"a":1,"b":2}`), nil)
	assert.NilError(t, err)
	assert.Equal(t, out.String(), "1\n")
}

// json and jsonl change only whitespace: escapes, key order and number
// spelling stay the server's.
func TestJSONIsTheBodyAsSent(t *testing.T) {
	body := []byte(` {"z":"<a&b>", "a":"\u003c\u00e9", "n":1.50e3, "big":123456789012345678901234567890} `)
	var out bytes.Buffer
	assert.NilError(t, render.Output{Mode: render.JSONL}.Write(context.Background(), &out, body, nil))
	assert.Equal(t, out.String(), `{"z":"<a&b>","a":"\u003c\u00e9","n":1.50e3,"big":123456789012345678901234567890}`+"\n")
	out.Reset()
	assert.NilError(t, render.Output{Mode: render.JSON}.Write(context.Background(), &out, body, nil))
	assert.Equal(t, out.String(), "{\n  \"z\": \"<a&b>\",\n  \"a\": \"\\u003c\\u00e9\",\n  \"n\": 1.50e3,\n  \"big\": 123456789012345678901234567890\n}\n")
}

func TestWrap(t *testing.T) {
	assert.DeepEqual(t, render.Wrap("Only valid with --type workspace-export-metrics or workspace-invoke.", 20),
		[]string{"Only valid with", "--type", "workspace-export-metrics", "or workspace-invoke."})
	assert.DeepEqual(t, render.Wrap("  spaced   out  ", 80), []string{"spaced out"})
	assert.Equal(t, len(render.Wrap("", 80)), 0)
}

// Keeping the rows (one reading) lays out exactly what reading them twice
// does; a Keep that does not match the rows falls back to the second reading.
func TestTableKeepsRowsWhenAsked(t *testing.T) {
	rows := [][]string{{"日本語", "k1", ""}, {"", "longer-key", "team"}, {"tab\there", "k3", ""}}
	var want bytes.Buffer
	assert.NilError(t, table(rows...).Print(&want, render.TableStyle{}))
	for keep, readings := range map[int]int{3: 1, 2: 2, 7: 2} {
		calls := 0
		tb := table(rows...)
		rowsOf := tb.Rows
		tb.Rows = func(row func(cells ...string) error) error { calls++; return rowsOf(row) }
		tb.Keep = keep
		var got bytes.Buffer
		assert.NilError(t, tb.Print(&got, render.TableStyle{}))
		assert.Equal(t, got.String(), want.String(), "keep %d", keep)
		assert.Equal(t, calls, readings, "keep %d", keep)
	}
}
