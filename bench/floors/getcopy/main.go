// Command getcopy is the wire-speed floor of the process benchmark (go run
// ./bench): it sends the request `baseten org api-key list` sends, with the
// same headers and environment variables, and copies the response body to
// stdout untouched. No CLI can list keys faster than this.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	if err := getCopy(); err != nil {
		fmt.Fprintln(os.Stderr, "getcopy:", err)
		os.Exit(1)
	}
}

func getCopy() error {
	req, err := http.NewRequest(http.MethodGet, os.Getenv("BASETEN_MANAGEMENT_API_URL_OVERRIDE")+"/v1/api_keys", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("BASETEN_API_KEY"))
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", req.URL, resp.Status)
	}
	_, err = io.Copy(os.Stdout, resp.Body)
	return err
}
