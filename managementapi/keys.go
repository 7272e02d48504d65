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
// the wrong types is a *ResponseError. The strings handed to fn may share
// the body's memory.
func EachKey(list *Answer[APIKeys], fn func(*APIKeyInfo) error) error {
	var err error
	i := 0
	rawjson.Array(rawjson.Member(list.Body, "keys"), func(element []byte) bool {
		var key APIKeyInfo
		if problem := decodeKey(element, &key); problem != nil {
			err = &ResponseError{Reason: fmt.Sprintf("GET /v1/api_keys: key %d %v", i, problem)}
			return false
		}
		i++
		err = fn(&key)
		return err == nil
	})
	return err
}

// decodeKey reads one APIKeyInfoV1, checking the type of every field it
// knows and ignoring the rest, as a JSON decoder into the struct would.
func decodeKey(element []byte, key *APIKeyInfo) error {
	if len(element) == 0 || element[0] != '{' {
		return errors.New("is not an object")
	}
	var problem error
	rawjson.Object(element, func(field string, value []byte) bool {
		switch field {
		case "prefix":
			key.Prefix, problem = requiredString(field, value)
		case "type":
			var category string
			category, problem = requiredString(field, value)
			key.Type = APIKeyCategory(category)
		case "name":
			key.Name, problem = optionalString(field, value)
		case "team_name":
			key.TeamName, problem = optionalString(field, value)
		case "model_ids":
			key.ModelIDs, problem = optionalStrings(field, value)
		}
		return problem == nil
	})
	return problem
}

func requiredString(field string, value []byte) (string, error) {
	s, ok := rawjson.String(value)
	if !ok {
		return "", fmt.Errorf("has a %s that is not a string", field)
	}
	return s, nil
}

func optionalString(field string, value []byte) (*string, error) {
	if rawjson.IsNull(value) {
		return nil, nil
	}
	s, err := requiredString(field, value)
	return &s, err
}

func optionalStrings(field string, value []byte) ([]string, error) {
	if rawjson.IsNull(value) {
		return nil, nil
	}
	if value[0] != '[' {
		return nil, fmt.Errorf("has %s that is not a list", field)
	}
	var list []string
	var err error
	rawjson.Array(value, func(element []byte) bool {
		var s string
		s, err = requiredString(field, element)
		list = append(list, s)
		return err == nil
	})
	return list, err
}
