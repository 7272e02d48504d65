package main

// Fidelity to the reference. testdata/org-api-key.reference.txt is the
// reference page of `baseten org api-key` as the docs site shows it (copied
// from shared/reference/, the authority). This test reads it and the MDX
// page docgen renders into the same structure, then compares them field by
// field. It parses the MDX text, not the schema, so it also catches layout
// and escaping mistakes: whatever a reader of our page would see differently
// from the reference is a failure.
//
// Prose is compared after removing only what the site's typography does to
// it (see normalizeProse); commands, usage lines, flag names, types and
// defaults are compared exactly.

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"regexp"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/schema"
)

// docCommand is one command's section as a reader sees it on the site.
type docCommand struct {
	Name        string
	Usage       string
	Description string
	Options     []docOption
	Examples    []docExample
	JQ          docExample
	Output      string // the text-mode and JSON-mode paragraphs, joined by a space
}

type docOption struct {
	Names    string // "-q, --jq"
	Type     string
	Default  string
	Required bool
	Text     string // the body's paragraphs, joined with nothing between them
}

type docExample struct{ Description, Command string }

func TestFidelityToReference(t *testing.T) {
	raw, err := os.ReadFile("testdata/org-api-key.reference.txt")
	assert.NilError(t, err)
	ref, err := parseReference(string(raw))
	assert.NilError(t, err)
	gen, err := parseMDX(string(pagesOf(t, describe(t))["org-api-key.mdx"]))
	assert.NilError(t, err)

	// Guard against two parsers that agree because both found nothing.
	assert.Equal(t, len(ref), 3)
	assert.Equal(t, len(ref[0].Options)+len(ref[1].Options)+len(ref[2].Options), 18)

	compared, matched := compareDocs(t.Errorf, ref, gen)
	t.Logf("fidelity to the reference: %d fields compared, %d matched", compared, matched)
}

// A wrong page must fail the comparison, naming command, field and values.
func TestFidelityReportsEachMismatch(t *testing.T) {
	raw, err := os.ReadFile("testdata/org-api-key.reference.txt")
	assert.NilError(t, err)
	ref, err := parseReference(string(raw))
	assert.NilError(t, err)
	page := string(pagesOf(t, describe(t))["org-api-key.mdx"])
	page = strings.Replace(page, "Output format\n", "Output formats\n", 1)
	page = strings.Replace(page, `body="--type" type="TEXT" required>`, `body="--type" type="TEXT">`, 1)
	page = strings.Replace(page, "baseten org api-key list --jq", "baseten org api-key list -q", 1)
	gen, err := parseMDX(page)
	assert.NilError(t, err)

	var reports []string
	compared, matched := compareDocs(func(format string, args ...any) {
		reports = append(reports, fmt.Sprintf(format, args...))
	}, ref, gen)
	assert.Equal(t, compared-matched, 3)
	assert.DeepEqual(t, reports, []string{
		"list: option -o, --output: text differs\n  reference: \"Output formatOne of: text, json, jsonl, none\"\n  generated: \"Output formatsOne of: text, json, jsonl, none\"",
		"list: jq example command differs\n  reference: \"baseten org api-key list --jq '.keys[] | select(.type == \\\"PERSONAL\\\") | .prefix'\"\n  generated: \"baseten org api-key list -q '.keys[] | select(.type == \\\"PERSONAL\\\") | .prefix'\"",
		"create: option --type: required differs\n  reference: \"true\"\n  generated: \"false\"",
	})
}

// compareDocs compares every field of every reference command with the
// generated one, reporting each mismatch separately so that one run shows
// them all. It returns how many fields it compared and how many matched.
func compareDocs(report func(format string, args ...any), ref, gen []docCommand) (compared, matched int) {
	check := func(command, field, want, got string) {
		compared++
		if want == got {
			matched++
			return
		}
		report("%s: %s differs\n  reference: %q\n  generated: %q", command, field, want, got)
	}
	prose := func(command, field, want, got string) {
		check(command, field, normalizeProse(want), normalizeProse(got))
	}

	// The reference's commands, in its order; commands it predates (rotate,
	// from issue 17) may follow them on our page.
	check("org api-key", "commands", commandNames(ref), commandNames(gen[:min(len(ref), len(gen))]))
	for _, r := range ref {
		var g docCommand
		for _, c := range gen {
			if c.Name == r.Name {
				g = c
			}
		}
		if g.Name == "" {
			continue // already reported by the "commands" field
		}
		check(r.Name, "usage", r.Usage, g.Usage)
		prose(r.Name, "description", r.Description, g.Description)

		check(r.Name, "options", optionNames(r.Options), optionNames(withoutAdditions(g.Options)))
		for _, ro := range r.Options {
			for _, gopt := range g.Options {
				if gopt.Names != ro.Names {
					continue
				}
				field := "option " + ro.Names + ": "
				check(r.Name, field+"type", ro.Type, gopt.Type)
				check(r.Name, field+"default", ro.Default, gopt.Default)
				check(r.Name, field+"required", fmt.Sprint(ro.Required), fmt.Sprint(gopt.Required))
				if _, reworded := rewordedSinceReference[ro.Names]; !reworded {
					prose(r.Name, field+"text", ro.Text, gopt.Text)
				}
			}
		}

		check(r.Name, "number of examples", fmt.Sprint(len(r.Examples)), fmt.Sprint(len(g.Examples)))
		for i := range min(len(r.Examples), len(g.Examples)) {
			prose(r.Name, fmt.Sprintf("example %d description", i+1), r.Examples[i].Description, g.Examples[i].Description)
			check(r.Name, fmt.Sprintf("example %d command", i+1), r.Examples[i].Command, g.Examples[i].Command)
		}
		prose(r.Name, "jq example description", r.JQ.Description, g.JQ.Description)
		check(r.Name, "jq example command", r.JQ.Command, g.JQ.Command)
		prose(r.Name, "output", r.Output, g.Output)
	}
	return compared, matched
}

func commandNames(cmds []docCommand) string {
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}

// beyondReference are flags the CLI has on purpose that the reference
// page predates, each with the reason; the comparison leaves them out.
var beyondReference = map[string]string{
	"--no-headers": "issue 16: every table can be printed without its header row",
	"--dry-run":    "issue 16: delete can show the key it would revoke",
	"--yes":        "issue 16: deleting the key in use needs it, or an answer on a terminal",
	"--profile":    "issue 17: a common flag, one command with a stored credential's key",
}

// rewordedSinceReference are flags whose help says more than the
// reference page, each with the reason; their text is not compared.
var rewordedSinceReference = map[string]string{
	"--remote-url": "issue 16: the default for a stored credential is its own remote, as the README says",
}

func withoutAdditions(options []docOption) []docOption {
	var kept []docOption
	for _, o := range options {
		if _, added := beyondReference[o.Names]; !added {
			kept = append(kept, o)
		}
	}
	return kept
}

func optionNames(options []docOption) string {
	var names []string
	for _, o := range options {
		names = append(names, o.Names)
	}
	return strings.Join(names, " | ")
}

// normalizeProse removes what the site's typography and MDX syntax do to a
// text, and nothing else: em dashes back to `--`, curly quotes to straight
// ones, backticks dropped, MDX escapes and character references undone, and
// angle brackets dropped (the site swallowed the ones of "<prefix>").
func normalizeProse(s string) string {
	s = unescapeMDX(s)
	s = strings.NewReplacer("—", "--", "“", `"`, "”", `"`, "‘", "'", "’", "'").Replace(s)
	s = strings.NewReplacer("`", "", "<", "", ">", "").Replace(s)
	return strings.TrimSpace(s)
}

// unescapeMDX undoes backslash escapes and character references.
func unescapeMDX(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return html.UnescapeString(b.String())
}

func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// ---- the reference's plain text ----

// parseReference reads the reference as the site renders it to text: a
// header, then per command its name, usage line, description, "Options"
// with one block per flag, "Examples" with description/command line pairs,
// "Filter output with --jq" with one pair, and "Output" with one line.
// Blank lines separate blocks and carry no meaning, so they are dropped.
func parseReference(text string) ([]docCommand, error) {
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	var cmds []docCommand
	state := "header"
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		// next consumes the line after the current one, which must exist.
		next := func(what string) (string, error) {
			if i+1 >= len(lines) {
				return "", fmt.Errorf("reference ends where %s should follow %q", what, lines[i])
			}
			i++
			return lines[i], nil
		}
		var cur *docCommand
		if len(cmds) > 0 {
			cur = &cmds[len(cmds)-1]
		}
		var err error
		switch state {
		case "header", "name":
			// A command starts with its name, a word alone on a line, followed
			// by its usage line. Before the first one is the site's header.
			isName := !strings.Contains(line, " ") && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "baseten ")
			if !isName {
				if state == "header" {
					continue
				}
				return nil, fmt.Errorf("expected a command name, found %q", line)
			}
			cmds = append(cmds, docCommand{Name: line})
			state = "usage"
		case "usage":
			cur.Usage = line
			state = "description"
		case "description":
			if line == "Options" {
				state = "options"
				continue
			}
			cur.Description = strings.TrimSpace(cur.Description + " " + line)
		case "options":
			if line == "Examples" {
				state = "examples"
				continue
			}
			if !strings.HasPrefix(line, "-") {
				return nil, fmt.Errorf("%s: expected a flag line, found %q", cur.Name, line)
			}
			opt := docOption{Names: line}
			if opt.Type, err = next("a type"); err != nil {
				return nil, err
			}
			text, err := next("a help line")
			if m := referenceDefault.FindStringSubmatch(text); err == nil && m != nil {
				opt.Default = m[1]
				text, err = next("a help line")
			}
			if err == nil && text == "required" {
				opt.Required = true
				text, err = next("a help line")
			}
			if err != nil {
				return nil, err
			}
			opt.Text = text
			cur.Options = append(cur.Options, opt)
		case "examples", "jq":
			if state == "examples" && line == "Filter output with --jq" {
				state = "jq"
				continue
			}
			ex := docExample{Description: line}
			if ex.Command, err = next("a command"); err != nil {
				return nil, err
			}
			if !strings.HasPrefix(ex.Command, "baseten ") {
				return nil, fmt.Errorf("%s: example %q: expected a command, found %q", cur.Name, line, ex.Command)
			}
			if state == "examples" {
				cur.Examples = append(cur.Examples, ex)
			} else {
				cur.JQ = ex
				state = "output heading"
			}
		case "output heading":
			if line != "Output" {
				return nil, fmt.Errorf("%s: expected Output after the jq example, found %q", cur.Name, line)
			}
			state = "output"
		case "output":
			cur.Output = line
			state = "name"
		}
	}
	if state != "name" {
		return nil, fmt.Errorf("reference ends in the middle of a command (reading its %s)", state)
	}
	return cmds, nil
}

var referenceDefault = regexp.MustCompile(`^default:"(.*)"$`)

// ---- our MDX ----

// parseMDX reads a page docgen rendered the way the site shows it: "## "
// starts a command, the first code block under it is the usage, paragraphs
// before "### Options" the description; ParamFields are options; under
// "### Examples" and "### Filter output with `--jq`" each paragraph is the
// description of the code block after it; paragraphs under "### Output"
// are the output. Inline Markdown is rendered to text (renderInline).
func parseMDX(text string) ([]docCommand, error) {
	lines := strings.Split(text, "\n")
	i := 0
	if len(lines) > 0 && lines[0] == "---" { // frontmatter
		for i = 1; i < len(lines) && lines[i] != "---"; i++ {
		}
		i++
	}
	var cmds []docCommand
	var cur *docCommand
	section, description := "", ""
	for ; i < len(lines); i++ {
		line := lines[i]
		switch {
		case line == "" || mdxComment.MatchString(line):
		case strings.HasPrefix(line, "## "):
			cmds = append(cmds, docCommand{Name: renderInline(line[3:])})
			cur, section = &cmds[len(cmds)-1], "usage"
		case cur == nil:
			return nil, fmt.Errorf("line %d: %q before the first command", i+1, line)
		case strings.HasPrefix(line, "### "):
			section = renderInline(line[4:])
		case mdxFence.MatchString(line):
			var content string
			content, i = readFence(lines, i)
			switch section {
			case "usage":
				cur.Usage = content
			case "Examples":
				cur.Examples = append(cur.Examples, docExample{Description: description, Command: content})
			case "Filter output with --jq":
				cur.JQ = docExample{Description: description, Command: content}
			default:
				return nil, fmt.Errorf("line %d: a code block in section %q", i+1, section)
			}
		case strings.HasPrefix(line, "<ParamField "):
			var opt docOption
			var err error
			if opt, i, err = readParamField(lines, i); err != nil {
				return nil, err
			}
			cur.Options = append(cur.Options, opt)
		default: // a paragraph, possibly over several lines
			for i+1 < len(lines) && isParagraphLine(lines[i+1]) {
				i++
				line += " " + lines[i]
			}
			paragraph := renderInline(strings.TrimSpace(line))
			switch section {
			case "usage":
				cur.Description = strings.TrimSpace(cur.Description + " " + paragraph)
			case "Examples", "Filter output with --jq":
				description = paragraph
			case "Output":
				cur.Output = strings.TrimSpace(cur.Output + " " + paragraph)
			default:
				return nil, fmt.Errorf("line %d: a paragraph in section %q", i+1, section)
			}
		}
	}
	return cmds, nil
}

var (
	mdxFence   = regexp.MustCompile("^(`{3,})")
	mdxComment = regexp.MustCompile(`^\{/\*.*\*/\}$`)
	// ParamField attributes: name="value", name={"json"} or a bare name.
	mdxAttr = regexp.MustCompile(`^\s*([a-zA-Z]+)(?:="([^"]*)"|=\{([^}]*)\})?`)
)

func isParagraphLine(line string) bool {
	return line != "" && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "<") &&
		!mdxFence.MatchString(line) && !mdxComment.MatchString(line)
}

// readFence returns the content of the code block opening at lines[i] and
// the index of its closing line.
func readFence(lines []string, i int) (string, int) {
	marker := mdxFence.FindString(lines[i])
	var content []string
	for i++; i < len(lines) && lines[i] != marker; i++ {
		content = append(content, lines[i])
	}
	return strings.Join(content, "\n"), i
}

// readParamField reads the ParamField opening at lines[i]. The site shows
// its body's paragraphs run together, with nothing between them.
func readParamField(lines []string, i int) (docOption, int, error) {
	var opt docOption
	tag := strings.TrimSuffix(strings.TrimPrefix(lines[i], "<ParamField"), ">")
	for strings.TrimSpace(tag) != "" {
		m := mdxAttr.FindStringSubmatch(tag)
		if m == nil {
			return opt, i, fmt.Errorf("line %d: cannot read the attributes %q", i+1, tag)
		}
		tag = tag[len(m[0]):]
		value := m[2]
		if m[3] != "" { // an expression holding a JSON string
			if err := json.Unmarshal([]byte(m[3]), &value); err != nil {
				return opt, i, fmt.Errorf("line %d: attribute %s: %v", i+1, m[1], err)
			}
		}
		switch m[1] {
		case "body":
			opt.Names = value
		case "type":
			opt.Type = value
		case "default":
			opt.Default = value
		case "required":
			opt.Required = true
		}
	}
	var paragraphs, current []string
	for i++; i < len(lines) && lines[i] != "</ParamField>"; i++ {
		if line := strings.TrimSpace(lines[i]); line != "" {
			current = append(current, line)
			continue
		}
		if len(current) > 0 {
			paragraphs = append(paragraphs, renderInline(strings.Join(current, " ")))
			current = nil
		}
	}
	if len(current) > 0 {
		paragraphs = append(paragraphs, renderInline(strings.Join(current, " ")))
	}
	opt.Text = strings.Join(paragraphs, "")
	return opt, i, nil
}

// renderInline turns one line of inline Markdown, as docgen writes it, into
// the text a reader sees: code spans become their content, backslash escapes
// and character references their character, and `**` (bold) disappears.
func renderInline(s string) string {
	var b, plain strings.Builder
	flush := func() { // character references are decoded only outside code and escapes
		b.WriteString(html.UnescapeString(plain.String()))
		plain.Reset()
	}
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			flush()
			b.WriteByte(s[i+1])
			i += 2
		case s[i] == '`':
			n := runLength(s, i, '`')
			end := closingRun(s, i+n, n)
			if end < 0 {
				plain.WriteString(s[i : i+n])
				i += n
				continue
			}
			flush()
			code := s[i+n : end]
			if len(code) > 1 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.TrimSpace(code) != "" {
				code = code[1 : len(code)-1]
			}
			b.WriteString(code)
			i = end + n
		case strings.HasPrefix(s[i:], "**"):
			i += 2
		default:
			plain.WriteByte(s[i])
			i++
		}
	}
	flush()
	return b.String()
}

// The parsers on small inputs, so that a failure of the fidelity test points
// at the page rather than at them.
func TestReferenceParser(t *testing.T) {
	cmds, err := parseReference(`Skip to main content

run

baseten x run [OPTIONS]
Runs it.

Options

-o, --output
TEXT
default:"text"
Output formatOne of: text, json
--force
BOOL
required
Force it.

Examples

Run it
baseten x run

Filter output with --jq

Print the id
baseten x run --jq '.id'

Output

Text mode (--output text): Prints. JSON mode (--output json): payload type x.Y.
`)
	assert.NilError(t, err)
	assert.DeepEqual(t, cmds, []docCommand{{
		Name: "run", Usage: "baseten x run [OPTIONS]", Description: "Runs it.",
		Options: []docOption{
			{Names: "-o, --output", Type: "TEXT", Default: "text", Text: "Output formatOne of: text, json"},
			{Names: "--force", Type: "BOOL", Required: true, Text: "Force it."},
		},
		Examples: []docExample{{"Run it", "baseten x run"}},
		JQ:       docExample{"Print the id", "baseten x run --jq '.id'"},
		Output:   "Text mode (--output text): Prints. JSON mode (--output json): payload type x.Y.",
	}})

	_, err = parseReference("run\nbaseten x run [OPTIONS]\nRuns it.\nOptions\n--force\nBOOL\n")
	assert.Check(t, is.ErrorContains(err, `reference ends where a help line should follow "BOOL"`))
}

func TestMDXParser(t *testing.T) {
	x := leaf("x", "Runs *x* with `--force`; see <https://example.com>.")
	x.Flags = []schema.Flag{{Long: "sep", Type: "TEXT", Help: "Split on it.", Default: `"{`, HasDefault: true, Enum: []string{"a", "b"}}}
	cmds, err := parseMDX(string(pagesOf(t, tree("Root.", x))["x.mdx"]))
	assert.NilError(t, err)
	assert.DeepEqual(t, cmds, []docCommand{{
		Name: "x", Usage: "baseten x [OPTIONS]", Description: "Runs *x* with --force; see <https://example.com>.",
		Options:  []docOption{{Names: "--sep", Type: "TEXT", Default: `"{`, Text: "Split on it.One of: a, b"}},
		Examples: []docExample{{"Run x", "baseten x"}},
		JQ:       docExample{"Print x's name", "baseten x --jq '.name'"},
		Output:   "Text mode (--output text): Prints x. JSON mode (--output json): payload type pkg.X.",
	}})
}
