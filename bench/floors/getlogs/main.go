// Command getlogs is the wire-speed floor of the logs workloads of the
// process benchmark (go run ./bench): it pages through the window `baseten
// model deployment logs` prints, with the same requests (1,000 lines each,
// ascending, each from the millisecond of the last timestamp of the page
// before), and copies every page to stdout untouched. No CLI can print the
// window faster than this.
package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
)

// The window of the workloads (bench/logs.go): the hour from
// 2026-03-01T00:00:00Z, in epoch milliseconds.
const (
	windowStart = 1772323200000
	windowEnd   = windowStart + 3600_000
	pageSize    = 1000
	path        = "/v1/models/benchmodel/deployments/benchdep/logs"
)

var timestampKey = []byte(`"timestamp":"`)

func main() {
	if err := getLogs(); err != nil {
		fmt.Fprintln(os.Stderr, "getlogs:", err)
		os.Exit(1)
	}
}

func getLogs() error {
	base := os.Getenv("BASETEN_MANAGEMENT_API_URL_OVERRIDE") + path
	for start := int64(windowStart); ; {
		q := url.Values{"start_epoch_millis": {strconv.FormatInt(start, 10)}, "end_epoch_millis": {strconv.FormatInt(windowEnd, 10)},
			"direction": {"asc"}, "limit": {strconv.Itoa(pageSize)}}
		req, err := http.NewRequest(http.MethodGet, base+"?"+q.Encode(), nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+os.Getenv("BASETEN_API_KEY"))
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", req.URL, resp.Status)
		}
		if _, err := os.Stdout.Write(body); err != nil {
			return err
		}
		if bytes.Count(body, timestampKey) < pageSize {
			return nil
		}
		last := body[bytes.LastIndex(body, timestampKey)+len(timestampKey):]
		ts, err := strconv.ParseInt(string(last[:bytes.IndexByte(last, '"')]), 10, 64)
		if err != nil {
			return err
		}
		next := ts / 1e6
		if next <= start {
			return fmt.Errorf("no progress past %d", start)
		}
		start = next
	}
}
