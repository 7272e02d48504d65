package main

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/schema"
)

func describe(t *testing.T) *schema.Command {
	t.Helper()
	root, err := commands.Describe()
	assert.NilError(t, err)
	return root
}

func pagesOf(t *testing.T, root *schema.Command) map[string][]byte {
	t.Helper()
	return rendered(t, Pages, root)
}

func manPagesOf(t *testing.T, root *schema.Command) map[string][]byte {
	t.Helper()
	return rendered(t, ManPages, root)
}

// rendered is render's files for root; an error fails the test.
func rendered(t *testing.T, render func(*schema.Command) (map[string][]byte, error), root *schema.Command) map[string][]byte {
	t.Helper()
	pages, err := render(root)
	assert.NilError(t, err)
	return pages
}

// Each page of the real reference against the committed one in docs/ (no
// copy under testdata: the pages are generated once); `go generate ./...`
// rewrites them after a deliberate change.
func TestPagesGolden(t *testing.T) {
	assertGoldens(t, pagesOf(t, describe(t)), filepath.Join("..", defaultDir), "", ".mdx")
}

// assertGoldens compares each page with <dir>/<page><suffix> (dir relative
// to docgen/), and fails on a file ending in <ext><suffix> that is no
// page's: it would otherwise linger unnoticed after its command is gone.
func assertGoldens(t *testing.T, pages map[string][]byte, dir, suffix, ext string) {
	t.Helper()
	dir, err := filepath.Abs(dir) // golden reads a relative name below testdata/
	assert.NilError(t, err)
	for name, content := range pages {
		t.Run(name, func(t *testing.T) {
			golden.Assert(t, string(content), filepath.Join(dir, name+suffix))
		})
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"+ext+suffix))
	assert.NilError(t, err)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), suffix)
		assert.Check(t, pages[name] != nil, "%s is the file of no page; delete it", f)
	}
}

// The set of pages follows from the tree: one per group with leaf children,
// one per top-level leaf, and the overview.
func TestOnePagePerGroupAndTopLevelLeaf(t *testing.T) {
	root := describe(t)
	want := []string{overviewFile}
	root.Walk(func(c *schema.Command) {
		if len(c.Path) == 0 {
			return
		}
		hasLeaf := slices.ContainsFunc(c.Children, (*schema.Command).IsLeaf)
		if (c.IsLeaf() && len(c.Path) == 1) || hasLeaf {
			want = append(want, strings.Join(c.Path, "-")+".mdx")
		}
	})
	assert.DeepEqual(t, sortedKeys(pagesOf(t, root)), sorted(want))
}

func TestEveryLeafHasOneSectionOnItsPage(t *testing.T) {
	root := describe(t)
	pages := pagesOf(t, root)
	root.Walk(func(c *schema.Command) {
		if !c.IsLeaf() {
			return
		}
		file := strings.Join(c.Path, "-") + ".mdx"
		if len(c.Path) > 1 {
			file = strings.Join(c.Path[:len(c.Path)-1], "-") + ".mdx"
		}
		page := string(pages[file])
		assert.Check(t, is.Equal(strings.Count(page, "\n## "+c.Name+"\n"), 1), "%s on %s", c.FullName(), file)
		assert.Check(t, is.Contains(page, "\n"+c.Usage()+"\n"), c.FullName())
	})
}

// A hand-built tree with nesting the real one lacks: a group holding both a
// group and a leaf, and a group holding only a group.
func TestPagesFollowTheTree(t *testing.T) {
	root := tree("Root.", group("a", "Group a.",
		group("b", "Group b.", leaf("x", "Leaf x.")),
		leaf("y", "Leaf y."),
		group("c", "Only groups below.", group("d", "Group d.", leaf("z", "Leaf z."))),
	), leaf("w", "Leaf w."))
	pages := pagesOf(t, root)
	assert.DeepEqual(t, sortedKeys(pages), []string{"a-b.mdx", "a-c-d.mdx", "a.mdx", "overview.mdx", "w.mdx"})

	a := string(pages["a.mdx"])
	assert.Check(t, is.Contains(a, "\n## y\n"))
	assert.Check(t, !strings.Contains(a, "## x"), "a leaf of a subgroup belongs on the subgroup's page")
	assert.Check(t, is.Contains(string(pages["a-b.mdx"]), "title: \"baseten a b\"\ndescription: \"Group b.\"\n"))

	overview := string(pages["overview.mdx"])
	for _, row := range []string{
		"| `baseten a c` | Only groups below. |", // no page of its own: no link
		"| [`baseten a c d z`](a-c-d#z) | Leaf z. |",
		"| [`baseten a`](a) | Group a. |",
		"| [`baseten w`](w) | Leaf w. |",
	} {
		assert.Check(t, is.Contains(overview, row+"\n"))
	}
}

func TestPageNameCollisionFails(t *testing.T) {
	// `a b` and `a-b` would both be documented on a-b.mdx.
	root := tree("Root.", group("a", "A.", group("b", "B.", leaf("x", "X."))), group("a-b", "AB.", leaf("y", "Y.")))
	_, err := Pages(root)
	assert.ErrorContains(t, err, "baseten a-b: its page a-b.mdx is already another command's")

	_, err = Pages(tree("Root.", leaf("overview", "Clashes with the overview.")))
	assert.ErrorContains(t, err, "overview.mdx")

	// Man pages are named after the command line: `a b` and `a-b` clash there.
	_, err = ManPages(tree("Root.", group("a", "A.", leaf("b", "B.")), leaf("a-b", "AB.")))
	assert.ErrorContains(t, err, "baseten a-b: its page baseten-a-b.1 is already another command's")
}

func TestLeafWithoutOutputFails(t *testing.T) {
	x := leaf("x", "X.")
	x.Output = nil
	_, err := Pages(tree("Root.", x))
	assert.ErrorContains(t, err, "baseten x: the command declares no output")
	_, err = ManPages(tree("Root.", x))
	assert.ErrorContains(t, err, "baseten x: the command declares no output, which its man page shows")
}

// A leaf without output flags has no jq section, and its output paragraph
// names no modes.
func TestLeafWithoutOutputFlags(t *testing.T) {
	x := leaf("x", "X.")
	x.JQExample, x.Output = nil, &schema.Output{Text: "Whatever it runs prints."}
	page := string(pagesOf(t, tree("Root.", x))["x.mdx"])
	assert.Check(t, !strings.Contains(page, "--jq"), page)
	assert.Check(t, !strings.Contains(page, "mode"), page)
	assert.Check(t, is.Contains(page, "### Output\n\nWhatever it runs prints.\n"))

	man, err := ManPages(tree("Root.", x))
	assert.NilError(t, err)
	roff := string(man["baseten-x.1"])
	assert.Check(t, !strings.Contains(roff, `\-\-jq`), roff)
	assert.Check(t, !strings.Contains(roff, "mode"), roff)
	assert.Check(t, is.Contains(roff, ".SH OUTPUT\n.PP\nWhatever it runs prints.\n.SH EXAMPLES\n"))
}

// Every flag type the schema produces renders as the ParamField's type, for
// every flag of every leaf; the real tree covers BOOL, TEXT and
// TEXT (repeatable), the hand-built one the rest.
func TestEveryFlagTypeRenders(t *testing.T) {
	root := describe(t)
	pages := pagesOf(t, root)
	all := strings.Join(valuesOf(pages), "\n")
	types := map[string]bool{}
	root.Walk(func(c *schema.Command) {
		if !c.IsLeaf() {
			return
		}
		for _, f := range c.Flags {
			types[f.Type] = true
			assert.Check(t, is.Contains(all, `body="`+flagNames(f)+`" type="`+f.Type+`"`), "%s --%s", c.FullName(), f.Long)
		}
	})
	for _, typ := range []string{"BOOL", "TEXT", "TEXT (repeatable)"} {
		assert.Check(t, types[typ], "no flag of type %s in the tree", typ)
	}

	x := leaf("x", "X.")
	x.Flags = []schema.Flag{{Long: "count", Type: "INTEGER", Help: "How many."}, {Long: "wait", Type: "DURATION", Help: "How long."}}
	page := string(pagesOf(t, tree("Root.", x))["x.mdx"])
	assert.Check(t, is.Contains(page, `<ParamField body="--count" type="INTEGER">`))
	assert.Check(t, is.Contains(page, `<ParamField body="--wait" type="DURATION">`))
}

func TestParamField(t *testing.T) {
	cases := []struct {
		name string
		flag schema.Flag
		want string
	}{
		{"default and enum", schema.Flag{Long: "output", Short: "o", Type: "TEXT", Help: "Output format", Default: "text", HasDefault: true, Enum: []string{"text", "json"}},
			"<ParamField body=\"-o, --output\" type=\"TEXT\" default=\"text\">\n  Output format\n\n  One of: `text`, `json`\n</ParamField>"},
		{"required", schema.Flag{Long: "type", Type: "TEXT", Help: "Category.", Required: true},
			"<ParamField body=\"--type\" type=\"TEXT\" required>\n  Category.\n</ParamField>"},
		{"required through an xor group", schema.Flag{Long: "name", Type: "TEXT", Help: "Name.", XorRequired: true, Xor: []string{"identifier", "other"}},
			"<ParamField body=\"--name\" type=\"TEXT\">\n  Name.\n\n  Mutually exclusive with other flags in group `identifier`.\n\n  Mutually exclusive with other flags in group `other`.\n</ParamField>"},
		{"empty default", schema.Flag{Long: "tag", Type: "TEXT (repeatable)", HasDefault: true},
			"<ParamField body=\"--tag\" type=\"TEXT (repeatable)\" default=\"\">\n</ParamField>"},
		{"quote in default", schema.Flag{Long: "sep", Type: "TEXT", Help: "Separator <s>.", Default: `"{,}"`, HasDefault: true},
			"<ParamField body=\"--sep\" type=\"TEXT\" default={\"\\\"\\u007b,\\u007d\\\"\"}>\n  Separator \\<s\\>.\n</ParamField>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, paramField(tc.flag), tc.want)
		})
	}
}

func TestOverviewListsEveryCommandExitCodeAndVariable(t *testing.T) {
	root := describe(t)
	overview := string(pagesOf(t, root)[overviewFile])
	assert.Check(t, strings.HasPrefix(overview, "---\ntitle: \"baseten\"\ndescription: "+yamlString(root.Summary)+"\n---\n"))
	root.Walk(func(c *schema.Command) {
		if c != root {
			assert.Check(t, is.Contains(overview, "`"+c.FullName()+"`"))
		}
	})
	for _, code := range schema.ExitCodes {
		assert.Check(t, is.Contains(overview, "\n| "+strconv.Itoa(code.Code)+" | "+tableCell(code.Meaning)+" |\n"))
	}
	assert.Check(t, is.Contains(overview, "\n## Environment\n"))
	for _, v := range schema.Environment {
		assert.Check(t, is.Contains(overview, "\n| `"+v.Name+"` | "+tableCell(v.Meaning)+" |\n"))
	}
}

// The leaf page layout, block by block, on a minimal leaf.
func TestLeafPageShape(t *testing.T) {
	x := leaf("x", "Does x. Then more.")
	x.Flags = []schema.Flag{{Long: "verbose", Short: "v", Type: "BOOL", Help: "Enable verbose logging"}}
	page := string(pagesOf(t, tree("Root.", x))["x.mdx"])
	assert.Equal(t, page, `---
title: "baseten x"
description: "Does x."
---

## x

`+"```"+`sh theme={"system"}
baseten x [OPTIONS]
`+"```"+`

Does x. Then more.

### Options

{/* Generated by docgen from the command definitions. Do not edit. */}

<ParamField body="-v, --verbose" type="BOOL">
  Enable verbose logging
</ParamField>

### Examples

Run x

`+"```"+`sh theme={"system"}
baseten x
`+"```"+`

### Filter output with `+"`--jq`"+`

Print x's name

`+"```"+`sh theme={"system"}
baseten x --jq '.name'
`+"```"+`

### Output

**Text mode (`+"`--output text`"+`):** Prints x.

**JSON mode (`+"`--output json`"+`):** payload type `+"`pkg.X`"+`.
`)
}

// ---- helpers building hand-made trees ----

func tree(summary string, children ...*schema.Command) *schema.Command {
	root := &schema.Command{Name: schema.Program, Summary: summary, Description: summary, Children: children}
	setPaths(root, nil)
	return root
}

func group(name, summary string, children ...*schema.Command) *schema.Command {
	return &schema.Command{Name: name, Summary: summary, Description: summary, Children: children}
}

func leaf(name, description string) *schema.Command {
	summary, _, _ := strings.Cut(description, ". ")
	if !strings.HasSuffix(summary, ".") {
		summary += "."
	}
	return &schema.Command{
		Name: name, Summary: summary, Description: description,
		Examples:  []schema.Example{{Description: "Run " + name + ".", Command: "baseten " + name}},
		JQExample: &schema.Example{Description: "Print " + name + "'s name", Command: "baseten " + name + " --jq '.name'"},
		Output:    &schema.Output{Text: "Prints " + name + ".", PayloadType: "pkg." + strings.ToUpper(name)},
	}
}

// setPaths fills in Path the way schema.Build does.
func setPaths(c *schema.Command, path []string) {
	c.Path = path
	for _, child := range c.Children {
		setPaths(child, append(append([]string(nil), path...), child.Name))
	}
}

func flagNames(f schema.Flag) string {
	if f.Short != "" {
		return "-" + f.Short + ", --" + f.Long
	}
	return "--" + f.Long
}

func sortedKeys(m map[string][]byte) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	return sorted(keys)
}

func valuesOf(m map[string][]byte) []string {
	var values []string
	for _, k := range sortedKeys(m) {
		values = append(values, string(m[k]))
	}
	return values
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
