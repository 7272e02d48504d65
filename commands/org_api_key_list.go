package commands

import (
	"context"
	"errors"
	"io"
	"unsafe"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// APIKeyListCmd is `baseten org api-key list`.
type APIKeyListCmd struct {
	CommonFlags
}

// Help is the command's description (Kong's HelpProvider): each leaf owns
// its words, here and in Spec.
func (c *APIKeyListCmd) Help() string {
	return "List API keys (metadata only; key values are never returned)."
}

func (c *APIKeyListCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "List all API keys in the org", Command: "baseten org api-key list"},
		},
		JQExample: schema.Example{
			Description: "Print just the prefixes of personal keys",
			Command:     `baseten org api-key list --jq '.keys[] | select(.type == "PERSONAL") | .prefix'`,
		},
		TextOutput: `Table with columns: NAME, KEY (prefix + ****), TYPE, TEAM. When no keys exist, prints "No API keys found." to stderr.`,
		Payload:    managementapi.APIKeys{},
	}
}

func (c *APIKeyListCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	answer, err := client.ListAPIKeys(ctx)
	if err != nil {
		return err
	}
	if c.output.Mode != render.Text { // the body as sent; no typed view needed
		return c.write(ctx, streams, answer.Body, nil)
	}
	empty := true
	if err := managementapi.EachKey(answer, func(*managementapi.APIKeyInfo) error { empty = false; return errStop }); err != nil && err != errStop {
		return err
	}
	if empty {
		streams.Notef("No API keys found.")
		return nil
	}
	return c.write(ctx, streams, answer.Body, func(w io.Writer) error {
		return keyTable(answer).Write(w, streams.Styled())
	})
}

// Rehearsal: the jq example prints personal keys; a fresh sandbox has only
// its admin key.
func (c *APIKeyListCmd) Rehearsal() schema.Rehearsal {
	return schema.Rehearsal{Before: []string{"baseten org api-key create --type personal --name example-key"}}
}

// errStop ends an iteration early; it never reaches the user.
var errStop = errors.New("stop")

// keyTable lays keys out as the reference describes: NAME, KEY (prefix +
// ****), TYPE in lowercase kebab form, TEAM; missing values are empty cells.
//
// The table keeps the cells it reads (64 bytes a key, sharing the body's
// strings) when that is less memory than the body: decoding the keys again
// costs more than that (measured with go run ./bench). A list of keys that
// small on the wire is read twice instead, so memory stays within twice
// the body whatever it holds.
func keyTable(list *managementapi.Answer[managementapi.APIKeys]) render.Table {
	keep := list.Elements()
	if keep*int(unsafe.Sizeof([4]string{})) > len(list.Body) {
		keep = 0
	}
	return render.Table{
		Keep:   keep,
		Header: []string{"NAME", "KEY", "TYPE", "TEAM"},
		Suffix: []string{"", "****"},
		Rows: func(row func(cells ...string) error) error {
			var cells [4]string // one array for every row
			return managementapi.EachKey(list, func(k *managementapi.APIKeyInfo) error {
				cells = [4]string{deref(k.Name), k.Prefix, typeFlagValue(k.Type), deref(k.TeamName)}
				return row(cells[:]...)
			})
		},
	}
}
