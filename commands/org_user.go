package commands

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/basetenlabs/baseten/managementapi"
)

// UserCmd is the `baseten org user` group: the organization's members.
type UserCmd struct {
	List     UserListCmd     `cmd:"" aliases:"ls"`
	Describe UserDescribeCmd `cmd:""`
}

// userListHint points at the command that shows users' IDs and emails.
const userListHint = "Run 'baseten org user list' to see the users, their IDs and emails."

// Guards against a server that pages forever. A real organization has at
// most some thousands of members: 10,000 pages of them (a million users
// even in the API's default pages of 100) is a server that never ends, and
// pages that stay empty while has_more says otherwise are one that lies.
// (A variable only so that a test can reach it.)
var maxUserPages = 10_000

const maxEmptyUserPages = 3

// maxUserCursor bounds a cursor: it goes into the next page's URL, where
// servers take some kilobytes, and every one is remembered (as a digest)
// to catch a repeat; a real one is a few dozen bytes.
const maxUserCursor = 8 << 10

// eachUserPage pages through GET /v1/users: the first page, then the
// cursor of each page while it says has_more. It asks for pages of want
// users (at most the API's maximum) and calls fn with each page as it
// lands; fn returns false to stop. A cursor the server already sent,
// has_more without a cursor, and a server that never ends are errors,
// returned after the pages already handed to fn: never a loop.
func eachUserPage(ctx context.Context, client *managementapi.Client, want int, email string, fn func(page *managementapi.UsersPage) (more bool, err error)) error {
	seen := map[[sha256.Size]byte]bool{} // digests: memory flat in the cursors' length
	cursor, empty := "", 0
	for pages := 1; ; pages++ {
		size := managementapi.MaxUsersPage
		if want > 0 {
			size = min(want, size)
		}
		page, err := client.ListUsers(ctx, cursor, size, email)
		if err != nil {
			if pages > 1 {
				return fmt.Errorf("page %d of users: %w", pages, err)
			}
			return err
		}
		more, err := fn(page)
		if err != nil || !more {
			return err
		}
		if want > 0 {
			if want -= page.Count; want <= 0 {
				return nil
			}
		}
		p := page.Pagination
		if !p.HasMore {
			return nil
		}
		switch {
		case p.Cursor == nil || *p.Cursor == "":
			return failed("", "the API said more users follow page %d but gave no cursor to ask for them", pages)
		case len(*p.Cursor) > maxUserCursor:
			return failed("", "the API sent a cursor of %d bytes after page %d, more than the %d KiB a cursor may be; stopped", len(*p.Cursor), pages, maxUserCursor>>10)
		case seen[sha256.Sum256([]byte(*p.Cursor))] || *p.Cursor == cursor:
			return failed("", "the API sent the cursor of page %d again; stopped rather than loop", pages)
		case pages >= maxUserPages:
			return failed("", "the API is still sending pages of users after %d; stopped", pages)
		}
		if page.Count == 0 {
			if empty++; empty >= maxEmptyUserPages {
				return failed("", "the API sent %d empty pages of users in a row, each saying more follow; stopped", empty)
			}
		} else {
			empty = 0
		}
		seen[sha256.Sum256([]byte(*p.Cursor))] = true
		cursor = *p.Cursor
	}
}

// userIDProblem says what makes id unfit for /v1/users/{user_id}, by the
// rules a team ID follows, or "".
func userIDProblem(id string) string {
	if problem := teamIDProblem(id); problem != "" {
		return strings.ReplaceAll(problem, "team ID", "user ID")
	}
	return ""
}

// sameEmail compares emails folding ASCII case only (as enums do): Unicode
// folding would make a Kelvin sign a "k".
func sameEmail(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
