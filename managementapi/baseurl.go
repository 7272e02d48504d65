package managementapi

import (
	"fmt"
	"net/url"
	"strings"
)

// BaseURL derives the management API's address from a Baseten remote URL:
// the API lives on the same host with "app." replaced by "api."
// (https://app.baseten.co -> https://api.baseten.co); any other host is used
// as is, which is what local stand-ins such as http://127.0.0.1:8765 need.
func BaseURL(remote string) (*url.URL, error) {
	u, err := ParseRemoteURL(remote)
	if err != nil {
		return nil, err
	}
	if len(u.Host) > len("app.") && strings.EqualFold(u.Host[:len("app.")], "app.") {
		u.Host = "api." + u.Host[len("app."):]
	}
	return u, nil
}

// Endpoint is where API requests go: override, the API's own base URL
// (BASETEN_MANAGEMENT_API_URL_OVERRIDE, parsed by ParseAPIURL), when set;
// else the API beside the remote (BaseURL).
func Endpoint(remote string, override *url.URL) (*url.URL, error) {
	if override != nil {
		return override, nil
	}
	return BaseURL(remote)
}

// ParseAPIURL accepts the management API's own base URL (what
// BASETEN_MANAGEMENT_API_URL_OVERRIDE names). Unlike a remote URL it may
// carry a path prefix, since it names the API itself rather than the web app.
func ParseAPIURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https"):
		return nil, fmt.Errorf("%q is not an http(s) URL", raw)
	case u.Hostname() == "":
		return nil, fmt.Errorf("%q has no host", raw)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil:
		return nil, fmt.Errorf("%q must not have credentials, a query or a fragment", raw)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimSuffix(u.Path, "/")}, nil
}

// ParseRemoteURL accepts only an origin: http or https, a host, and nothing
// after it but an optional "/". A path, query or fragment would silently be
// dropped or misrouted, so they are errors.
func ParseRemoteURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL", raw)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%q must start with https:// or http://", raw)
	case u.Hostname() == "":
		return nil, fmt.Errorf("%q has no host", raw)
	case u.User != nil:
		return nil, fmt.Errorf("%q must not contain credentials", raw)
	case u.Path != "" && u.Path != "/":
		return nil, fmt.Errorf("%q must not have a path (%s)", raw, u.Path)
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("%q must not have a query", raw)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, fmt.Errorf("%q must not have a fragment", raw)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}
