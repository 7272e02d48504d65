package commands_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/sandbox"
)

// BenchmarkList50k runs `org api-key list` end to end (HTTP included) against
// an org of 50,000 keys in every output mode. The "body-MB" metric is the
// size of the API response, to read B/op against: a few copies of the
// payload is the budget.
func BenchmarkList50k(b *testing.B) {
	const n = 50_000
	keys := make([]sandbox.SeedKey, n)
	for i := range keys {
		keys[i] = sandbox.SeedKey{Prefix: fmt.Sprintf("k%07d", i), Name: strptr(fmt.Sprintf("key-%d", i)),
			Type: sandbox.TypeWorkspaceInvoke, ModelIDs: []string{"m1"}, TeamName: strptr("Default")}
	}
	srv := httptest.NewServer(sandbox.New(sandbox.Options{APIKey: testKey, Keys: keys}))
	defer srv.Close()
	body := &countingWriter{}
	resp, err := srv.Client().Do(mustRequest(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(body, resp.Body)
	resp.Body.Close()

	env := map[string]string{"BASETEN_API_KEY": testKey, "BASETEN_MANAGEMENT_API_URL_OVERRIDE": srv.URL}
	for _, mode := range [][]string{{"-o", "text"}, {"-o", "json"}, {"-o", "jsonl"}, {"--jq", ".keys[].prefix"}, {"-o", "none"}} {
		b.Run(mode[len(mode)-1], func(b *testing.B) {
			out := &countingWriter{}
			streams := &render.IO{Out: out, Err: io.Discard}
			args := append([]string{"org", "api-key", "list"}, mode...)
			b.ReportAllocs()
			for b.Loop() {
				if code := commands.Main(context.Background(), args, streams, func(k string) string { return env[k] }, nil); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
			b.ReportMetric(float64(body.n)/1e6, "body-MB")
			b.ReportMetric(float64(out.n)/float64(b.N)/1e6, "stdout-MB")
		})
	}
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

func mustRequest(url string) *http.Request {
	req, err := http.NewRequest("GET", url+"/v1/api_keys", nil)
	if err != nil {
		panic(err)
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	return req
}

// BenchmarkHelp is `org api-key list --help` in process: what help costs
// beyond starting the binary (go run ./bench measures the whole process).
func BenchmarkHelp(b *testing.B) {
	r := newRunner(nil)
	b.ReportAllocs()
	for b.Loop() {
		if got := r.run("org", "api-key", "list", "--help"); got.Code != 0 {
			b.Fatal(got.Stderr)
		}
	}
}

// BenchmarkVersion is `--version` in process, for comparison with help.
func BenchmarkVersion(b *testing.B) {
	r := newRunner(nil)
	b.ReportAllocs()
	for b.Loop() {
		if got := r.run("--version"); got.Code != 0 {
			b.Fatal(got.Stderr)
		}
	}
}
