package commands

import (
	"strings"
)

// Quoting for shells: the command lines hints print (POSIX words) and the
// candidates bash completion prints (as the word being typed is quoted).

// shellQuote returns s as one POSIX shell word: as is when it holds only
// characters no shell treats specially, else in single quotes.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// bashQuoter returns how to write a candidate for bash, which inserts it
// as text where the word being typed starts, or after the quote the word
// opens (readline drops that quote when the candidate starts with the same
// one). So the candidate is quoted for the state the line is in at the
// cursor: inside an open double quote a single-quoted candidate would be
// taken apart ("'$(rm -rf ~)'" runs rm), so there it is double-quoted
// itself. nil when the cursor is inside $'...', whose escapes no candidate
// is written for.
func bashQuoter(line string) func(string) string {
	switch quoteAtEnd(line) {
	case '\'':
		return singleQuote
	case '"':
		return doubleQuote
	case '$':
		return nil
	}
	return shellQuote
}

// quoteAtEnd scans line as a POSIX shell reads it and returns the quote
// still open at its end: a single or a double quote, '$' for $'...', or 0
// when none is.
func quoteAtEnd(line string) byte {
	var open byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch open {
		case 0:
			switch {
			case c == '\\':
				i++
			case c == '$' && i+1 < len(line) && line[i+1] == '\'':
				open = '$'
				i++
			case c == '\'' || c == '"':
				open = c
			}
		case '\'':
			if c == '\'' {
				open = 0
			}
		case '"', '$':
			switch {
			case c == '\\':
				i++
			case c == '"' && open == '"', c == '\'' && open == '$':
				open = 0
			}
		}
	}
	return open
}

// singleQuote writes s in single quotes, as one word.
func singleQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// doubleQuote writes s in double quotes, as one word, with what bash still
// expands there escaped; a "!" (history expansion, which a backslash stops
// but stays before) is written in single quotes between two double-quoted
// parts.
func doubleQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`", "!", `"'!'"`)
	return `"` + r.Replace(s) + `"`
}
