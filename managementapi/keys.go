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
	rawjson.Objects(keys, func(field string, value []byte) bool {
		problem = decodeKeyField(&key, field, value, &name, &teamName, &modelIDs)
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
func decodeKeyField(key *APIKeyInfo, field string, value []byte, name, teamName *string, modelIDs *[]string) error {
	var problem error
	switch field {
	case "prefix":
		key.Prefix, problem = requiredString(field, value)
	case "type":
		var category string
		category, problem = requiredString(field, value)
		key.Type = APIKeyCategory(category)
	case "name":
		key.Name, problem = optionalString(field, value, name)
	case "team_name":
		key.TeamName, problem = optionalString(field, value, teamName)
	case "model_ids":
		key.ModelIDs, problem = optionalStrings(field, value, (*modelIDs)[:0])
		*modelIDs = key.ModelIDs
	}
	return problem
}

func requiredString(field string, value []byte) (string, error) {
	s, ok := rawjson.String(value)
	if !ok {
		return "", fmt.Errorf("has a %s that is not a string", field)
	}
	return s, nil
}

func optionalString(field string, value []byte, storage *string) (*string, error) {
	if rawjson.IsNull(value) {
		return nil, nil
	}
	s, err := requiredString(field, value)
	*storage = s
	return storage, err
}

// optionalStrings appends to list (storage to reuse) the strings of value.
func optionalStrings(field string, value []byte, list []string) ([]string, error) {
	if rawjson.IsNull(value) {
		return nil, nil
	}
	if value[0] != '[' {
		return nil, fmt.Errorf("has %s that is not a list", field)
	}
	var err error
	rawjson.Array(value, func(element []byte) bool {
		var s string
		s, err = requiredString(field, element)
		list = append(list, s)
		return err == nil
	})
	if list == nil {
		list = []string{} // an empty list, as sent, not null
	}
	return list, err
}
