package render

import "github.com/jedib0t/go-pretty/v6/text"

// Colors for text a command has already made safe (Sanitize): they add
// escape sequences only. Callers decide whether styling is on (Styled,
// ErrStyled); these do not look.

// Green is for what is well: a running deployment.
func Green(s string) string { return text.FgGreen.Sprint(s) }

// Yellow is for what is on its way somewhere: a deployment waking up.
func Yellow(s string) string { return text.FgYellow.Sprint(s) }

// Red is for what failed.
func Red(s string) string { return text.FgRed.Sprint(s) }
