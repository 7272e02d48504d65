package main

// Man pages: one per command node, the root, groups and leaves alike, named
// after the command line that selects it ("baseten-org-api-key-list.1"), in
// section 1. Like the MDX pages they are rendered from the schema and
// nothing else, and they state the facts --help states. Only plain man(7)
// macros are used, so groff and mandoc both read them; roff.go decides how a
// text is written down.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/basetenlabs/baseten/schema"
)

const (
	manSection = "1"
	// manManual is the header's centre. The date is left empty: a date
	// would make every regeneration a change.
	manManual = "Baseten CLI Manual"
)

// ManPages renders a man page for every command: file name -> roff source.
func ManPages(root *schema.Command) (map[string][]byte, error) {
	return renderEach(root, manFile, func(c *schema.Command) ([]byte, error) { return manPage(root, c) })
}

// manName is the page's name: the command line joined by hyphens.
func manName(c *schema.Command) string {
	return strings.Join(append([]string{schema.Program}, c.Path...), "-")
}

func manFile(c *schema.Command) string { return manName(c) + "." + manSection }

// manPage is NAME, SYNOPSIS, DESCRIPTION, COMMANDS (groups), OPTIONS,
// OUTPUT and EXAMPLES (leaves), EXIT STATUS, ENVIRONMENT and SEE ALSO.
func manPage(root, c *schema.Command) ([]byte, error) {
	if c.IsLeaf() && c.Output == nil {
		return nil, fmt.Errorf("%s: the command declares no output, which its man page shows", c.FullName())
	}
	var d roffDoc
	d.comment(generatedBy)
	d.macro("TH", roffEscape(strings.ToUpper(manName(c))), manSection, "", schema.Program, manManual)
	// No hyphenation, no justification: groff would otherwise break
	// "workspace-invoke" into "workspace-in-" and "voke", and stretch a line
	// of page references into a row of gaps. (Both requests are in man(7)'s
	// safe subset.)
	d.macro("nh")
	d.macro("ad", "l")

	d.macro("SH", "NAME")
	d.text(roffEscape(manName(c)) + ` \- ` + roffEscape(strings.TrimSuffix(c.Summary, ".")))

	d.macro("SH", "SYNOPSIS")
	d.macro("B", roffEscape(c.FullName()))
	d.text(roffEscape(strings.TrimSpace(strings.TrimPrefix(c.Usage(), c.FullName()))))

	d.macro("SH", "DESCRIPTION")
	for _, b := range schema.Blocks(c.Description) {
		if b.Code {
			manCode(&d, b.Text)
		} else {
			manParagraphs(&d, b.Text)
		}
	}

	if !c.IsLeaf() {
		d.macro("SH", "COMMANDS")
		for _, child := range c.Children {
			d.macro("TP")
			d.macro("B", roffEscape(child.Name))
			d.text(roffInline(child.Summary))
		}
	}

	manOptions(&d, c)

	if c.IsLeaf() {
		d.macro("SH", "OUTPUT")
		if c.Output.PayloadType == "" { // no output modes to tell apart (sandbox exec)
			manParagraphs(&d, c.Output.Text)
		} else {
			manParagraphs(&d, "Text mode (--output text): "+c.Output.Text)
			d.macro("PP")
			d.text(roffInline("JSON mode (--output json): payload type ") + roffBold(c.Output.PayloadType) + ".")
		}

		d.macro("SH", "EXAMPLES")
		for _, ex := range c.AllExamples() {
			manParagraphs(&d, sentence(ex.Description))
			manCode(&d, ex.Command)
		}
	}

	d.macro("SH", "EXIT STATUS")
	for _, e := range schema.ExitCodes {
		d.macro("TP")
		d.macro("B", strconv.Itoa(e.Code))
		d.text(roffInline(e.Meaning))
	}

	d.macro("SH", "ENVIRONMENT")
	for _, v := range schema.UserEnvironment() {
		d.macro("TP")
		d.macro("B", roffEscape(v.Name))
		d.text(roffInline(v.Meaning))
	}

	related := seeAlso(root, c)
	if len(related) > 0 {
		d.macro("SH", "SEE ALSO")
	}
	for i, r := range related {
		punctuation := ","
		if i == len(related)-1 {
			punctuation = ""
		}
		d.macro("BR", roffEscape(manName(r)), "("+manSection+")"+punctuation)
	}
	return d.bytes(), nil
}

// manCode adds lines of commands, indented and as written.
func manCode(d *roffDoc, lines string) {
	d.macro("RS", "4")
	d.macro("EX")
	for _, line := range strings.Split(lines, "\n") {
		d.text(roffEscape(line))
	}
	d.macro("EE")
	d.macro("nh") // groff's .EE turns hyphenation back on
	d.macro("RE")
}

// manParagraphs adds a text's paragraphs, each after .PP.
func manParagraphs(d *roffDoc, s string) {
	for _, p := range roffParagraphs(s) {
		d.macro("PP")
		d.text(p)
	}
}

// manOptions lists the flags as --help does: a leaf's own flags, then the
// flags every command shares; a group's flags all together. Each is a tagged
// paragraph: the names and value type, then help, values, default and rules.
func manOptions(d *roffDoc, c *schema.Command) {
	d.macro("SH", "OPTIONS")
	for _, f := range c.Flags {
		if !f.Common || !c.IsLeaf() {
			manFlag(d, f, c.Flags)
		}
	}
	if c.IsLeaf() {
		d.macro("SS", "Common options")
		for _, f := range c.Flags {
			if f.Common {
				manFlag(d, f, c.Flags)
			}
		}
	}
	manFlag(d, schema.Flag{Long: "help", Short: "h", Type: "BOOL", Help: "Show help for this command."}, nil)
}

func manFlag(d *roffDoc, f schema.Flag, siblings []schema.Flag) {
	d.macro("TP")
	tag := roffBold("--" + f.Long)
	if f.Short != "" {
		tag = roffBold("-"+f.Short) + ", " + tag
	}
	if f.Type != "BOOL" {
		tag += " " + roffItalic(strings.TrimSuffix(f.Type, " (repeatable)"))
	}
	d.text(tag)

	var facts []string
	if strings.HasSuffix(f.Type, "(repeatable)") {
		facts = append(facts, "Repeatable.")
	}
	if len(f.Enum) > 0 {
		values := make([]string, len(f.Enum))
		for i, v := range f.Enum {
			values[i] = roffBold(v)
		}
		facts = append(facts, "One of: "+strings.Join(values, ", ")+".")
	}
	if f.HasDefault {
		value := roffBold(f.Default)
		if f.Default == "" {
			value = `\(dq\(dq (empty)`
		}
		facts = append(facts, "Default: "+value+".")
	}
	for _, group := range f.Xor {
		var others []string
		for _, s := range siblings {
			if s.Long != f.Long && slices.Contains(s.Xor, group) {
				others = append(others, roffBold("--"+s.Long))
			}
		}
		rule := fmt.Sprintf("Mutually exclusive with %s (group %s)", strings.Join(others, ", "), roffItalic(group))
		if len(others) == 0 { // only one flag of the group on this command
			rule = "Mutually exclusive with the other flags of group " + roffItalic(group)
		}
		if f.XorRequired {
			rule += "; one of them is required"
		}
		facts = append(facts, rule+".")
	}
	if f.Required {
		facts = append(facts, "Required.")
	}

	// The facts end the last paragraph of help, as they end its line in --help.
	body := roffParagraphs(sentence(f.Help))
	if len(body) == 0 {
		body = []string{""}
	}
	body[len(body)-1] = strings.TrimSpace(body[len(body)-1] + " " + strings.Join(facts, " "))
	for i, p := range body {
		if i > 0 {
			d.macro("IP")
		}
		if p != "" {
			d.text(p)
		}
	}
}

// seeAlso is the pages related to c: its parent's, its children's and its
// siblings'.
func seeAlso(root, c *schema.Command) []*schema.Command {
	if len(c.Path) == 0 {
		return c.Children
	}
	parent := root.Find(c.Path[:len(c.Path)-1]...)
	related := append([]*schema.Command{parent}, c.Children...)
	for _, sibling := range parent.Children {
		if sibling != c {
			related = append(related, sibling)
		}
	}
	return related
}

// sentence ends s with a period, as help does.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}
