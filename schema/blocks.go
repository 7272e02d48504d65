package schema

import "strings"

// Block is one part of a command's description: a paragraph of prose, or
// lines of shell commands to be shown as written (never wrapped or joined,
// so that they stay copyable).
type Block struct {
	Code bool
	// Text is the paragraph, or the command lines joined by "\n" without
	// their indentation.
	Text string
}

// codeIndent marks a line of commands in a description, as in Markdown: a
// block of lines that all start with it is a code block.
const codeIndent = "    "

// Blocks splits a description at blank lines into paragraphs and code
// blocks (paragraphs whose every line starts with four spaces).
func Blocks(s string) []Block {
	var blocks []Block
	for _, part := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		lines := strings.Split(strings.Trim(part, "\n"), "\n")
		code := true
		for i, l := range lines {
			rest, ok := strings.CutPrefix(l, codeIndent)
			code = code && ok && strings.TrimSpace(rest) != ""
			lines[i] = rest
		}
		if code {
			blocks = append(blocks, Block{Code: true, Text: strings.Join(lines, "\n")})
		} else {
			blocks = append(blocks, Block{Text: strings.TrimSpace(part)})
		}
	}
	return blocks
}
