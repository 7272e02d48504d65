package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"io"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// UserListCmd is `baseten org user list`.
type UserListCmd struct {
	Limit int `placeholder:"N" help:"Stop after N users. Default: all of them."`
	CommonFlags
}

func (c *UserListCmd) Help() string {
	return "List the organization's users (joined members only), following the API's pages: each page is printed as it arrives."
}

func (c *UserListCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "List every user", Command: "baseten org user list"},
			{Description: "One JSON object per user, printed as each page arrives", Command: "baseten org user list -o jsonl --limit 50"},
		},
		JQExample: schema.Example{
			Description: "Print just the users' emails",
			Command:     "baseten org user list --jq '.items[].email'",
		},
		TextOutput: `Table with columns: USER ID, EMAIL, NAME, printed page by page (columns are aligned within a page). When there are no users, prints "No users found." to stderr. With -o json the output is {"items": [...]} with every user as the API sent it; with -o jsonl, one user per line, and --jq runs on each user.`,
		Payload:    managementapi.UserList{},
	}
}

func (c *UserListCmd) AfterApply(kctx *kong.Context) error {
	if flagGiven(kctx, "limit") && c.Limit < 1 {
		return usageError("--limit must be at least 1", "")
	}
	return nil
}

func (c *UserListCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	w := &userPageWriter{streams: streams, output: c.outputFor(streams), style: c.tableStyle(streams)}
	w.stream = w.output.Stream(streams.Out)
	printed := 0
	err := eachUserPage(ctx, client, c.Limit, "", func(page *managementapi.UsersPage) (bool, error) {
		var elements [][]byte
		page.EachItem(func(e []byte) bool {
			if c.Limit == 0 || printed < c.Limit {
				elements = append(elements, e)
				printed++
			}
			return true
		})
		if err := w.page(ctx, elements); err != nil {
			return false, err
		}
		// Each page reaches stdout as it lands: a script reading it sees
		// the first user before the last page is fetched.
		return true, w.stream.Flush()
	})
	if err != nil {
		if printed > 0 && c.output.Mode != render.None && !(c.output.Mode == render.JSON && c.output.JQ != nil) {
			w.stream.Flush()
			return withCode(exitCodeOf(err), err, "The users printed before this error are not all of them.")
		}
		return err
	}
	if err := w.end(ctx); err != nil {
		return err
	}
	if printed == 0 && c.output.Mode == render.Text && c.output.JQ == nil {
		streams.Notef("No users found.")
	}
	return w.stream.Flush()
}

// maxUserDocument bounds the {"items": [...]} document --jq runs on in
// json mode, the one output that holds every user at once: as much as one
// list answer may be (a variable, for a test to lower).
var maxUserDocument = managementapi.MaxListBody

// exitCodeOf is the exit code err is reported with.
func exitCodeOf(err error) int {
	code, _ := classify(err)
	return code
}

// userPageWriter prints pages of users in one output mode, as they come,
// each page written and dropped before the next: memory stays flat in the
// number of users, but for --jq in json mode, which runs on the whole
// document.
type userPageWriter struct {
	streams *render.IO
	output  render.Output
	stream  *render.Stream
	style   render.TableStyle // --no-headers, and the terminal's width
	// document collects {"items": [...]} for --jq in json mode.
	document bytes.Buffer
	items    int
}

func (w *userPageWriter) page(ctx context.Context, elements [][]byte) error {
	switch {
	case w.output.Mode == render.None:
		return nil
	case w.output.Mode == render.JSONL: // --jq, if any, runs on each user
		for _, e := range elements {
			if err := w.stream.Value(ctx, e, ""); err != nil {
				return err
			}
		}
		return nil
	case w.output.JQ != nil: // json mode with --jq: the whole document first
		for _, e := range elements {
			if w.document.Len()+len(e)+len(`,]}`) > maxUserDocument {
				// Bounded like any one list answer: a server that never
				// stops sending users must not take all the memory there is.
				return failed("Filter each user as it arrives instead: -o jsonl --jq FILTER.",
					"the users are more than the %d MiB --jq reads into one document; stopped", maxUserDocument>>20)
			}
			if w.items == 0 {
				w.document.WriteString(`{"items":[`)
			} else {
				w.document.WriteByte(',')
			}
			w.document.Write(e)
			w.items++
		}
		return nil
	case w.output.Mode == render.JSON:
		return w.jsonPage(ctx, elements)
	}
	return w.textPage(elements)
}

// jsonPage writes a page's users inside {"items": [...]}, each indented
// as it would be in the whole document.
func (w *userPageWriter) jsonPage(ctx context.Context, elements [][]byte) error {
	out := w.stream.Writer()
	for _, e := range elements {
		lead := ",\n"
		if w.items == 0 {
			lead = "{\n  \"items\": [\n"
		}
		if _, err := io.WriteString(out, lead); err != nil {
			return err
		}
		if err := w.stream.Value(ctx, e, "    "); err != nil {
			return err
		}
		w.items++
	}
	return nil
}

// textPage writes a page's rows, aligned within the page; the header only
// above the first.
func (w *userPageWriter) textPage(elements [][]byte) error {
	if len(elements) == 0 {
		return nil
	}
	users := make([]managementapi.UserInfo, len(elements))
	for i, e := range elements {
		if err := json.Unmarshal(e, &users[i]); err != nil {
			return &managementapi.ResponseError{Reason: "GET /v1/users: a user is not the JSON the API documents (" + err.Error() + ")"}
		}
	}
	style := w.style
	if w.items > 0 {
		style.NoHeaders = true // the header only above the first page
	}
	var table bytes.Buffer
	err := render.Table{
		Header: []string{"USER ID", "EMAIL", "NAME"},
		Rows: func(row func(cells ...string) error) error {
			for _, u := range users {
				if err := row(u.UserID, deref(u.Email), deref(u.Name)); err != nil {
					return err
				}
			}
			return nil
		},
	}.Print(&table, style)
	if err != nil {
		return err
	}
	w.items += len(users)
	_, err = w.stream.Writer().Write(table.Bytes())
	return err
}

// end closes the output once every page is written.
func (w *userPageWriter) end(ctx context.Context) error {
	out := w.stream.Writer()
	switch {
	case w.output.Mode == render.JSONL || w.output.Mode == render.None || w.output.Mode == render.Text && w.output.JQ == nil:
		return nil
	case w.output.JQ != nil:
		if w.items == 0 {
			w.document.WriteString(`{"items":[`)
		}
		w.document.WriteString("]}")
		return w.stream.Value(ctx, w.document.Bytes(), "")
	case w.items == 0:
		_, err := io.WriteString(out, "{\n  \"items\": []\n}\n")
		return err
	}
	_, err := io.WriteString(out, "\n  ]\n}\n")
	return err
}
