package managementapi

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Secrets is the response of GET /v1/secrets and GET
// /v1/teams/{team_id}/secrets (SecretsV1). Values are never listed.
type Secrets struct {
	Secrets []Secret `json:"secrets"`
}

// Secret is the metadata of one secret (SecretV1): the API never returns a
// secret's value.
type Secret struct {
	ID        string `json:"id"`
	CreatedAt string `json:"created_at"`
	Name      string `json:"name"`
	TeamName  string `json:"team_name"`
}

// UpsertSecretRequest is the body of both upsert endpoints (UpsertSecretRequestV1).
type UpsertSecretRequest struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SecretTombstone is the response of a secret delete (SecretTombstoneV1).
type SecretTombstone struct {
	Name string `json:"name"`
}

// secretsPath is /v1/secrets, or the team's /v1/teams/{team_id}/secrets.
func secretsPath(teamID string) string {
	if teamID == "" {
		return "/v1/secrets"
	}
	return "/v1/teams/" + url.PathEscape(teamID) + "/secrets"
}

// ListSecrets lists the secrets of every team the caller belongs to, or of
// the team with this ID when teamID is not empty.
func (c *Client) ListSecrets(ctx context.Context, teamID string) (*Answer[Secrets], error) {
	return get[Secrets](ctx, c, request{method: http.MethodGet, path: secretsPath(teamID), limit: MaxListBody, array: "secrets"})
}

// UpsertSecret creates or replaces the secret req names, in the team with
// this ID, or in the caller's primary team when teamID is empty. It is
// never retried (the value could be sent again to a server that already
// stored it, harmlessly, but a POST is not retried anywhere in this
// client). The value never comes back: an error answer that quotes it has
// its message withheld, and a 2xx answer that holds it is refused, so that
// nothing the server says can carry the value to a terminal or a log.
func (c *Client) UpsertSecret(ctx context.Context, teamID string, req UpsertSecretRequest) (*Answer[Secret], error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	answer, err := get[Secret](ctx, c, request{method: http.MethodPost, path: secretsPath(teamID), body: body, limit: MaxBody, withhold: req.Value})
	if err != nil {
		return nil, err
	}
	if answerHoldsSecret(answer.Body, req.Value, req.Name) {
		return nil, &ResponseError{Reason: "the upsert response holds the secret's value or a piece of it, which the API never returns; nothing of it is shown"}
	}
	secret, err := answer.Decode()
	if err != nil {
		return nil, err
	}
	if secret.Name == "" {
		return nil, &ResponseError{Reason: "the upsert response holds no secret name"}
	}
	return answer, nil
}

// DeleteSecret deletes the secret with this name, in the team with this ID
// or, when teamID is empty, in the caller's organization's default team. A
// 204 is a success like the documented 200 with its tombstone; a retry that
// finds the secret gone (an earlier attempt deleted it) is one too.
func (c *Client) DeleteSecret(ctx context.Context, teamID, name string) (answer *Answer[SecretTombstone], goneEarlier bool, err error) {
	path := secretsPath(teamID) + "/" + url.PathEscape(name)
	r, err := c.call(ctx, request{method: http.MethodDelete, path: path, limit: MaxBody, noContentOK: true})
	if apiErr, ok := errors.AsType[*APIError](err); ok && apiErr.Status == http.StatusNotFound && r.earlierSent {
		goneEarlier, err = true, nil
	}
	if err != nil {
		return nil, false, err
	}
	if r.body == nil {
		body, _ := json.Marshal(SecretTombstone{Name: name})
		return &Answer[SecretTombstone]{Body: body, value: &SecretTombstone{Name: name}}, goneEarlier, nil
	}
	answer = &Answer[SecretTombstone]{Body: r.body}
	if tombstone, err := answer.Decode(); err != nil {
		return nil, false, err
	} else if tombstone.Name == "" {
		return nil, false, &ResponseError{Reason: "the delete response holds no secret name"}
	}
	return answer, goneEarlier, nil
}

// answerHoldsSecret reports whether a 2xx body holds value, or a piece of
// it: the whole value as written in the body, or, in any of its JSON
// strings and numbers once unescaped, the value or (for a value of at
// least minSecretPart bytes) any minSecretPart consecutive bytes of it, as
// error messages are checked: a server that echoes the value cut short, or
// cut into fields, leaks what it shows. A string equal to name (the
// secret's name, sent alongside and echoed by design) is not secret
// material and is skipped; a value shorter than minSecretPart counts only
// when a whole string equals it, since it turns up inside ordinary words
// by chance.
func answerHoldsSecret(body []byte, value, name string) bool {
	if value == "" {
		return false
	}
	if len(value) >= minSecretPart && strings.Contains(string(body), value) {
		return true
	}
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.UseNumber() // a value of digits echoed as a number is a string here
	var v any
	if decoder.Decode(&v) != nil {
		return false
	}
	var texts []string
	for _, s := range jsonTexts(v, nil) {
		if s != name {
			texts = append(texts, s)
		}
	}
	if len(value) < minSecretPart {
		return slices.Contains(texts, value)
	}
	return sharesPart(texts, value)
}

// jsonTexts appends to texts every string of a decoded JSON value, member
// names and numbers (with UseNumber) included.
func jsonTexts(v any, texts []string) []string {
	switch v := v.(type) {
	case string:
		texts = append(texts, v)
	case json.Number:
		texts = append(texts, string(v))
	case []any:
		for _, e := range v {
			texts = jsonTexts(e, texts)
		}
	case map[string]any:
		for name, member := range v {
			texts = jsonTexts(member, append(texts, name))
		}
	}
	return texts
}

// readErrorMessage reads the start of an error answer for its message,
// which is withheld when it quotes withhold (a secret the request carried).
func readErrorMessage(resp *http.Response, withhold string) string {
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	msg := errorMessage(raw)
	if withhold != "" && quotesSecret(raw, msg, withhold) {
		return withheldMessage
	}
	return msg
}

// quotesSecret reports whether an error answer (raw, and msg, the message
// made of it) quotes value, or any 8 bytes of it: a server that cuts the
// value short, or a body cut at the read limit, still leaks what it shows.
// The JSON strings of raw are checked unescaped as well.
func quotesSecret(raw []byte, msg, value string) bool {
	texts := []string{string(raw), msg}
	var v any
	if json.Unmarshal(raw, &v) == nil {
		texts = jsonTexts(v, texts)
	}
	return sharesPart(texts, value)
}

// sharesPart reports whether any of texts holds value, or, for a value of
// at least minSecretPart bytes, any minSecretPart consecutive bytes of it.
// The windows of one side (whichever has fewer) go into one set and the
// other side is scanned once: the cost is the bytes of both, however many
// texts there are (a body of thousands of short strings against a value
// of 1 MiB must not cost a pass over the value per string).
func sharesPart(texts []string, value string) bool {
	const n = minSecretPart
	if len(value) < n {
		return slices.ContainsFunc(texts, func(text string) bool { return strings.Contains(text, value) })
	}
	windows := func(s string) int { return max(len(s)-n+1, 0) }
	inTexts := 0
	for _, text := range texts {
		inTexts += windows(text)
	}
	if inTexts == 0 {
		return false
	}
	small, large := texts, []string{value}
	if windows(value) < inTexts {
		small, large = large, small
	}
	set := make(map[uint64]struct{}, min(inTexts, windows(value)))
	for _, s := range small {
		for i := 0; i+n <= len(s); i++ {
			set[window(s, i)] = struct{}{}
		}
	}
	for _, s := range large {
		for i := 0; i+n <= len(s); i++ {
			if _, found := set[window(s, i)]; found {
				return true
			}
		}
	}
	return false
}

const (
	_ = uint(minSecretPart - 8)
	_ = uint(8 - minSecretPart)
)

// window is the minSecretPart (8) bytes of s at i, as one number.
// (minSecretPart must be 8 for that: these constants do not compile else.)
func window(s string, i int) uint64 {
	return binary.LittleEndian.Uint64([]byte(s[i : i+minSecretPart]))
}

// withheldMessage replaces an error message that quotes the secret value
// the request carried.
const withheldMessage = "(the API's message is not shown: it quotes the secret value that was sent)"
