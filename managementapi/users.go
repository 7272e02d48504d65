package managementapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/basetenlabs/baseten/internal/rawjson"
)

// MaxUsersPage is the largest page GET /v1/users gives (its limit's maximum).
const MaxUsersPage = 1000

// UsersResponse is one page of GET /v1/users (UsersResponseV1).
type UsersResponse struct {
	Items      []UserInfo         `json:"items"`
	Pagination PaginationResponse `json:"pagination"`
}

// PaginationResponse says whether a next page exists and how to ask for it
// (PaginationResponseV1).
type PaginationResponse struct {
	HasMore bool    `json:"has_more"`
	Cursor  *string `json:"cursor"`
}

// UserList is what `org user list -o json` prints: the users of every page,
// each as the API sent it, in one list.
type UserList struct {
	Items []UserInfo `json:"items"`
}

// UsersPage is a page of users as the server sent it: Items are the raw
// elements of its items array (each well-formed JSON, since the body is).
type UsersPage struct {
	Body       []byte
	items      []byte
	Count      int
	Pagination PaginationResponse
}

// EachItem calls fn with each user of the page as the server sent it, in
// order, until fn returns false.
func (p *UsersPage) EachItem(fn func(element []byte) bool) { rawjson.Array(p.items, fn) }

// ListUsers asks for one page of users: the first when cursor is empty.
// limit (1 to MaxUsersPage) is the page size asked for; email, when not
// empty, is sent as a filter hint, which the API does not document (a
// server may ignore it, so callers match themselves).
func (c *Client) ListUsers(ctx context.Context, cursor string, limit int, email string) (*UsersPage, error) {
	query := url.Values{}
	query.Set("limit", strconv.Itoa(limit))
	if cursor != "" {
		query.Set("cursor", cursor)
	}
	if email != "" {
		query.Set("email", email)
	}
	r, err := c.call(ctx, request{method: http.MethodGet, path: "/v1/users?" + query.Encode(), limit: MaxListBody, array: "items"})
	if err != nil {
		return nil, err
	}
	page := &UsersPage{Body: r.body, items: r.array, Count: r.elements}
	pagination := rawjson.Member(r.body, "pagination")
	if pagination == nil || json.Unmarshal(pagination, &page.Pagination) != nil || pagination[0] != '{' {
		return nil, &ResponseError{Reason: "GET /v1/users: the page holds no pagination object"}
	}
	return page, nil
}

// GetUserByID describes the user with this ID. An unknown ID is an
// *APIError with status 404; a 200 without a user_id is a *ResponseError.
func (c *Client) GetUserByID(ctx context.Context, userID string) (*Answer[UserInfo], error) {
	answer, err := get[UserInfo](ctx, c, request{method: http.MethodGet, path: "/v1/users/" + url.PathEscape(userID), limit: MaxBody})
	if err != nil {
		return nil, err
	}
	if user, err := answer.Decode(); err != nil {
		return nil, err
	} else if user.UserID == "" {
		return nil, &ResponseError{Reason: "GET /v1/users/{user_id}: the answer holds no user_id"}
	}
	return answer, nil
}
