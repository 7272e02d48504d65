package rawjson

// Valid reports whether body is one well-formed JSON value of any kind (an
// object, an array, a string, a number, true, false or null), within the
// nesting and density bounds Check applies: what `baseten api` may print
// as JSON or hand to jq. Nothing is decoded.
func Valid(body []byte) error {
	_, err := scan(body, "")
	return err
}
