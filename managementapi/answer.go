package managementapi

import (
	"encoding/json"
	"fmt"

	"github.com/basetenlabs/baseten/internal/rawjson"
)

// Answer is the body of a 2xx answer as the server sent it: every field,
// the ones this client does not know included, in the server's order and
// spelling. The client has checked that it is well-formed JSON of the
// documented top-level shape; Decode gives the typed view, decoded on first
// use, so that a command printing the body as JSON never pays for it.
type Answer[T any] struct {
	Body     []byte
	value    *T
	array    []byte // the documented array member (the keys of a list), as checked
	elements int    // how many elements it holds
}

// Elements is how many elements the array the endpoint documents holds: the
// keys of a key list, the teams of a team list.
func (a *Answer[T]) Elements() int { return a.elements }

// Decode returns the typed view of the body. A body whose fields have the
// wrong types is a *ResponseError.
func (a *Answer[T]) Decode() (*T, error) {
	if a.value == nil {
		var v T
		if err := json.Unmarshal(a.Body, &v); err != nil {
			return nil, &ResponseError{Reason: fmt.Sprintf("the response is not the JSON the API documents (%v)", err)}
		}
		a.value = &v
	}
	return a.value, nil
}

// Element is the i-th element of the array the endpoint documents (a team of
// a team list) as the server sent it, or nil when there is no such element.
// It is well-formed JSON, since the whole body is: a command that picks one
// element of a list prints it as the API sent it, as it would a body.
func (a *Answer[T]) Element(i int) []byte {
	var found []byte
	n := 0
	rawjson.Array(a.array, func(element []byte) bool {
		if n == i {
			found = element
		}
		n++
		return found == nil
	})
	return found
}
