package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/schema"
)

// Each nasty input, the MDX written for it, what a reader sees (Markdown
// rendered to text by the fidelity test's renderInline, which knows code
// spans, backslash escapes and character references; a man page shows the
// same, see TestNastyManPagesRender) and the roff lines of a man page.
var proseCases = []struct {
	name, in, mdx, shown, man string
}{
	{"plain", "Lists keys.", "Lists keys.", "Lists keys.", `Lists keys.`},
	{"flag names", "implies --output json (or --jq).", "implies `--output` json (or `--jq`).", "implies --output json (or --jq).", `implies \fB\-\-output\fR json (or \fB\-\-jq\fR).`},
	{"flag with digits and hyphens", "use --ipv6-only, not --x-", "use `--ipv6-only`, not --x-", "use --ipv6-only, not --x-", `use \fB\-\-ipv6\-only\fR, not \-\-x\-`},
	{"not a flag", "a--b, ---c, --Output, -- alone, --foo_bar", `a--b, ---c, --Output, -- alone, --foo\_bar`, "a--b, ---c, --Output, -- alone, --foo_bar", `a\-\-b, \-\-\-c, \-\-Output, \-\- alone, \-\-foo_bar`},
	{"flag already in code", "the same as `baseten --version` and --help", "the same as `baseten --version` and `--help`", "the same as baseten --version and --help", `the same as \fBbaseten \-\-version\fR and \fB\-\-help\fR`},
	{"JSX", "Prints <prefix> and <b>bold</b>", `Prints \<prefix\> and \<b\>bold\</b\>`, "Prints <prefix> and <b>bold</b>", `Prints <prefix> and <b>bold</b>`},
	{"expression", "a {b} c {", `a \{b\} c \{`, "a {b} c {", `a {b} c {`},
	{"emphasis", "5 * 3 = _x_ and **y** and prefix + ****", `5 \* 3 = \_x\_ and \*\*y\*\* and prefix + \*\*\*\*`, "5 * 3 = _x_ and **y** and prefix + ****", `5 * 3 = _x_ and **y** and prefix + ****`},
	{"backslashes", `C:\path\to and \<`, `C:\\path\\to and \\\<`, `C:\path\to and \<`, `C:\(rspath\(rsto and \(rs<`},
	{"link and image", "[a](b) ![c](d) [^1]", `\[a\](b) !\[c\](d) \[^1\]`, "[a](b) ![c](d) [^1]", `[a](b) ![c](d) [\(ha1]`},
	{"character reference", "R&D &amp; &#123;", `R\&D \&amp; \&#123;`, "R&D &amp; &#123;", `R&D &amp; &#123;`},
	{"strikethrough and table", "~~old~~ a | b", `\~\~old\~\~ a \| b`, "~~old~~ a | b", `\(ti\(tiold\(ti\(ti a | b`},
	{"HTML comment", "<!-- hidden -->", `\<!-- hidden --\>`, "<!-- hidden -->", `<!\-\- hidden \-\->`},
	{"autolink", "<https://x.example>", `\<https\://x.example\>`, "<https://x.example>", `<https://x.example>`},
	{"bare URL", "(default https://app.baseten.co)", "(default https://app.baseten.co)", "(default https://app.baseten.co)", `(default https://app.baseten.co)`},
	{"bare URL with a flag-like path", "see https://x.example/--foo.", "see https://x.example/--foo.", "see https://x.example/--foo.", `see https://x.example/\-\-foo.`},
	{"bare URL that needs escapes", "see https://x.example/a_b*c*.", `see https\://x.example/a\_b\*c\*.`, "see https://x.example/a_b*c*.", `see https://x.example/a_b*c*.`},
	{"www URL that needs escapes", "www.x.example/{a}", `www\.x.example/\{a\}`, "www.x.example/{a}", `www.x.example/{a}`},
	{"not a URL", "xhttps://a_b", `xhttps://a\_b`, "xhttps://a_b", `xhttps://a_b`},
	{"heading", "# not a heading", `\# not a heading`, "# not a heading", `# not a heading`},
	{"block quote", "> not a quote", `\> not a quote`, "> not a quote", `> not a quote`},
	{"list markers", "- not a list", `\- not a list`, "- not a list", `\- not a list`},
	{"plus list marker", "+ not a list", `\+ not a list`, "+ not a list", `+ not a list`},
	{"ordered list", "1. not a list", `1\. not a list`, "1. not a list", `1. not a list`},
	{"ordered list with paren", "12) not a list", `12\) not a list`, "12) not a list", `12) not a list`},
	{"setext underline", "=== x", `\=== x`, "=== x", `=== x`},
	{"flag at the start", "--model-id may be repeated", "`--model-id` may be repeated", "--model-id may be repeated", `\fB\-\-model\-id\fR may be repeated`},
	{"ESM export", "export the key", "&#101;xport the key", "export the key", `export the key`},
	{"ESM import", "import", "&#105;mport", "import", `import`},
	{"not ESM", "exported keys", "exported keys", "exported keys", `exported keys`},
	{"unmatched backtick", "a ` b", "a \\` b", "a ` b", `a \(ga b`},
	{"unmatched backtick run", "a ``` b ` c", "a \\`\\`\\` b \\` c", "a ``` b ` c", `a \(ga\(ga\(ga b \(ga c`},
	{"code span with backtick", "``a ` b`` then <x>", "``a ` b`` then \\<x\\>", "a ` b then <x>", `\fBa \(ga b\fR then <x>`},
	{"code span keeps its content", "`{x} <y> *z*`", "`{x} <y> *z*`", "{x} <y> *z*", `\fB{x} <y> *z*\fR`},
	{"lines joined", "one\n  two\r\nthree", "one two three", "one two three", `one two three`},
	{"control characters", "a\tb\x00c", "a b c", "a b c", `a b c`},
	{"quotes and unicode", `say "hi" — it’s “fine” ✓`, `say "hi" — it’s “fine” ✓`, `say "hi" — it’s “fine” ✓`, `say \(dqhi\(dq \[u2014] it\[u2019]s \[u201C]fine\[u201D] \[u2713]`},
	{"empty", "  \n ", "", "", ``},
	{"roff request", ".SH NAME", ".SH NAME", ".SH NAME", `\&.SH NAME`},
	{"roff request with apostrophe", "'br and .", "'br and .", "'br and .", `\(aqbr and .`},
	{"roff escapes", `\fBbold\fR \(aq \n[x] \& \e \-`, `\\fBbold\\fR \\(aq \\n\[x\] \\\& \\e \\-`, `\fBbold\fR \(aq \n[x] \& \e \-`, `\(rsfBbold\(rsfR \(rs(aq \(rsn[x] \(rs& \(rse \(rs\-`},
	{"roff quotes and accents", `"q" 'a' ~t ^c`, `"q" 'a' \~t ^c`, `"q" 'a' ~t ^c`, `\(dqq\(dq \(aqa\(aq \(tit \(hac`},
}

func TestProse(t *testing.T) {
	for _, tc := range proseCases {
		t.Run(tc.name, func(t *testing.T) {
			got := prose(tc.in)
			assert.Equal(t, got, tc.mdx)
			assert.Equal(t, renderInline(got), tc.shown)
		})
	}
}

func TestProseParagraphs(t *testing.T) {
	assert.DeepEqual(t, proseParagraphs("First <a>\nstill first.\n\n\n# Second\n"), []string{`First \<a\> still first.`, `\# Second`})
	assert.Equal(t, prose("a\n\nb"), "a\n\nb")
}

// splitInline is what both renderers read a paragraph with.
func TestSplitInline(t *testing.T) {
	type piece = inlinePiece
	got := splitInline("use --jq or `a --b` at https://x.example/--y and ` alone")
	want := []piece{
		{plainPiece, "use "}, {flagPiece, "--jq"}, {plainPiece, " or "}, {codePiece, "`a --b`"},
		{plainPiece, " at "}, {urlPiece, "https://x.example/--y"}, {plainPiece, " and ` alone"},
	}
	assert.Check(t, slices.Equal(got, want), "%q", got)
	assert.Check(t, is.Len(splitInline(""), 0))
}

func TestTableCell(t *testing.T) {
	assert.Equal(t, tableCell("a | b `c|d` --e\n\nf"), "a \\| b `c\\|d` `--e` f")
	// Only the start of a line is block syntax, and a cell never starts one.
	assert.Equal(t, tableCell("# 1. x"), "# 1. x")
}

func TestCodeSpan(t *testing.T) {
	for in, want := range map[string]string{
		"managementapi.APIKeys": "`managementapi.APIKeys`",
		"a`b":                   "``a`b``",
		"`a":                    "`` `a ``",
		"a``":                   "``` a`` ```",
		" a ":                   "`  a  `",
		" ":                     "` `",
	} {
		assert.Check(t, is.Equal(codeSpan(in), want), in)
		assert.Check(t, is.Equal(renderInline(codeSpan(in)), in), in)
	}
}

func TestFence(t *testing.T) {
	assert.Equal(t, shellFence("baseten x --jq '.a'"), "```sh theme={\"system\"}\nbaseten x --jq '.a'\n```")
	// Content with a fence of its own gets a longer one; nothing is escaped.
	assert.Equal(t, fence("", "echo ```{x}```\n````\n"), "`````\necho ```{x}```\n````\n`````")
}

func TestJSXAttr(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"-q, --jq", `body="-q, --jq"`},
		{"TEXT (repeatable)", `body="TEXT (repeatable)"`},
		{"", `body=""`},
		{"it's", `body="it's"`},
		{`say "hi"`, `body={"say \"hi\""}`},
		{"{x}", `body={"\u007bx\u007d"}`},
		{"<b> & </b>", `body={"\u003cb\u003e \u0026 \u003c/b\u003e"}`},
		{`a\b`, `body={"a\\b"}`},
		{"line\nbreak", `body={"line\nbreak"}`},
	} {
		assert.Check(t, is.Equal(jsxAttr("body", tc.value), tc.want), tc.value)
	}
}

func TestYAMLString(t *testing.T) {
	assert.Equal(t, yamlString(`Manage API keys`), `"Manage API keys"`)
	assert.Equal(t, yamlString(`a "b" \c`+"\n"), `"a \"b\" \\c\u000a"`)
}

// nastyTree is a command tree made of nasty texts: every prose case as the
// description of one leaf, and examples, flags and names that try to break
// MDX and roff.
func nastyTree() *schema.Command {
	var texts []string
	for _, tc := range proseCases {
		texts = append(texts, tc.in)
	}
	run := leaf("run", strings.Join(texts, "\n\n"))
	run.Summary = `Runs "it" {now} <fast> | *really* \ok ` + "`a|b`"
	run.Examples = []schema.Example{
		{Description: "export <name> with {braces} and --flags.", Command: "baseten nasty run --x '<a>{b}`c`'"},
		{Description: "1. A fence inside", Command: "baseten nasty run <<'EOF'\n```\n{x}\nEOF"},
		{Description: ".TH a request, 'br another", Command: "baseten nasty run <<'EOF'\n.SH NAME\n'br\n\n  \\fBbold\\fR \\\\ \\(aq \"q\" ~ ^\nEOF"},
	}
	run.JQExample = &schema.Example{Description: "* Pick | choose", Command: `baseten nasty run --jq '.a | {b: .c} | "\(.d)"'`}
	run.Output = &schema.Output{Text: "# Prints <x> {y} *z* _w_ and `--output none` prints nothing.", PayloadType: "pkg.Nasty"}
	run.Flags = []schema.Flag{
		{Long: "count", Short: "n", Type: "INTEGER", Help: "How many <items>; see --wait.", Default: "0", HasDefault: true},
		{Long: "mode", Type: "TEXT", Help: "- A mode.", Enum: []string{"a|b", "`c`", "{d}", `\fB`}, Required: true},
		{Long: "sep", Type: "TEXT", Help: "Separator.\n\n.A second paragraph, 'quoted'", Default: `"{,}"`, HasDefault: true},
		{Long: "tag", Type: "TEXT (repeatable)", Help: "export tags", Xor: []string{"<group>"}},
		{Long: "wait", Type: "DURATION", Help: "", Default: "1m0s", HasDefault: true},
		{Long: "verbose", Short: "v", Type: "BOOL", Help: "Enable verbose logging"},
	}
	return tree("The <nasty> CLI {test}.", group("nasty", "Nasty | group *1*", run), leaf("import", ".export everything"))
}

// Pages made of nasty texts, golden-tested like the real ones. They are kept
// in testdata/nasty/ so that the real MDX compiler (@mdx-js/mdx) can be run
// over them: Go cannot prove that MDX accepts a page, only the compiler can.
func TestNastyPageGolden(t *testing.T) {
	assertGoldens(t, pagesOf(t, nastyTree()), filepath.Join("testdata", "nasty"), ".golden", ".mdx")
}
