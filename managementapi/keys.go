package managementapi

import (
	"errors"
	"fmt"

	"github.com/basetenlabs/baseten/internal/rawjson"
)

// EachKey calls fn with each key of a key list, in the server's order,
// decoded one at a time from the body: the list is never held as typed
// values all at once, so a table of a million keys costs the body and a
// row. It stops at fn's first error and returns it. A key whose fields have
// the wrong types is a *ResponseError. The key handed to fn is valid until
// fn returns, and its strings may share the body's memory: copy what you
// keep.
func EachKey(list *Answer[APIKeys], fn func(*APIKeyInfo) error) error {
	keys := list.array
	if keys == nil {
		keys = rawjson.Member(list.Body, "keys")
	}
	var (
		key      APIKeyInfo
		name     string // key.Name points here: no allocation a key
		teamName string
		modelIDs []string // key.ModelIDs' storage, reused likewise
		problem  error
		err      error
		i        int
	)
	rawjson.Objects(keys, func(m *rawjson.Field) bool {
		problem = decodeKeyField(&key, m, &name, &teamName, &modelIDs)
		return problem == nil
	}, func(isObject bool) bool {
		if !isObject {
			problem = errors.New("is not an object")
		}
		if problem != nil {
			err = &ResponseError{Reason: fmt.Sprintf("GET /v1/api_keys: key %d %v", i, problem)}
			return false
		}
		err = fn(&key)
		key, i = APIKeyInfo{}, i+1
		return err == nil
	})
	if err == nil && problem != nil { // stopped inside a key
		err = &ResponseError{Reason: fmt.Sprintf("GET /v1/api_keys: key %d %v", i, problem)}
	}
	return err
}

// decodeKeyField reads one field of an APIKeyInfoV1, checking the type of
// every field it knows and ignoring the rest, as a JSON decoder into the
// struct would. Optional strings are kept in the storage given.
func decodeKeyField(key *APIKeyInfo, m *rawjson.Field, name, teamName *string, modelIDs *[]string) error {
	var problem error
	switch m.Key {
	case "prefix":
		key.Prefix, problem = requiredString(m)
	case "type":
		var category string
		category, problem = requiredString(m)
		key.Type = APIKeyCategory(category)
	case "name":
		key.Name, problem = optionalString(m, name)
	case "team_name":
		key.TeamName, problem = optionalString(m, teamName)
	case "model_ids":
		key.ModelIDs, problem = optionalStrings(m, (*modelIDs)[:0])
		*modelIDs = key.ModelIDs
	}
	return problem
}

func requiredString(m *rawjson.Field) (string, error) {
	if !m.IsString {
		return "", fmt.Errorf("has a %s that is not a string", m.Key)
	}
	return m.Str, nil
}

func optionalString(m *rawjson.Field, storage *string) (*string, error) {
	if rawjson.IsNull(m.Value) {
		return nil, nil
	}
	s, err := requiredString(m)
	*storage = s
	return storage, err
}

// optionalStrings appends to list (storage to reuse) the strings of m.
func optionalStrings(m *rawjson.Field, list []string) ([]string, error) {
	if rawjson.IsNull(m.Value) {
		return nil, nil
	}
	if m.Value[0] != '[' {
		return nil, fmt.Errorf("has %s that is not a list", m.Key)
	}
	var err error
	rawjson.Array(m.Value, func(element []byte) bool {
		s, ok := rawjson.String(element)
		if !ok {
			err = fmt.Errorf("has %s that are not all strings", m.Key)
		}
		list = append(list, s)
		return ok
	})
	if list == nil {
		list = []string{} // an empty list, as sent, not null
	}
	return list, err
}
