package sandbox_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

// 64 concurrent clients send 20,000 mixed list, create and delete requests
// over loopback to a sandbox that saves every change. Each client deletes
// only keys it created, so whatever the interleaving, the sandbox must end
// with exactly the keys created and not deleted, and hold the same set
// after a restart from its state file. The rate reached is logged, not
// asserted: the machines are shared.
func TestConcurrentMixedLoadWithState(t *testing.T) {
	const clients, requests = 64, 20_000
	path := filepath.Join(t.TempDir(), "sandbox.json")
	e := open(t, path, "")
	admin := e.srv.AdminKey()
	adminPrefix, _, _ := strings.Cut(admin, ".")

	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = clients // reuse connections: no port exhaustion
	client := &http.Client{Transport: transport}
	defer transport.CloseIdleConnections()
	send := func(method, path, body string) (int, []byte, error) {
		req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}

	kept := make([][]string, clients) // per client: prefixes created and not deleted
	failures := make(chan string, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 7)) // the same mix on every run
			var mine []string
			for i := range requests / clients {
				var status int
				var body []byte
				var err error
				switch roll := rng.IntN(100); {
				case roll < 20:
					status, _, err = send("GET", "/v1/api_keys", "")
				case roll < 60 || len(mine) == 0:
					status, body, err = send("POST", "/v1/api_keys", `{"type":"PERSONAL","name":"load"}`)
					var created struct {
						APIKey string `json:"api_key"`
					}
					if err == nil && json.Unmarshal(body, &created) == nil {
						prefix, _, _ := strings.Cut(created.APIKey, ".")
						mine = append(mine, prefix)
					}
				default:
					victim := rng.IntN(len(mine))
					status, _, err = send("DELETE", "/v1/api_keys/"+mine[victim], "")
					mine = slices.Delete(mine, victim, victim+1)
				}
				if err != nil || status != http.StatusOK {
					failures <- fmt.Sprintf("client %d, request %d: status %d, %v", c, i, status, err)
					return
				}
			}
			kept[c] = mine
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	t.Logf("%d requests from %d clients in %s: %.0f requests/s (each change saved to disk before it is answered)",
		requests, clients, elapsed.Round(time.Millisecond), float64(requests)/elapsed.Seconds())

	want := []string{adminPrefix}
	for _, mine := range kept {
		want = append(want, mine...)
	}
	slices.Sort(want)
	assert.Assert(t, len(want) > 1)
	listed := func(e *env) []string {
		var got []string
		for _, k := range e.list(admin) {
			got = append(got, k.Prefix)
		}
		slices.Sort(got)
		return got
	}
	assert.DeepEqual(t, listed(e), want)
	e.close()
	assert.DeepEqual(t, listed(open(t, path, "")), want)
}
