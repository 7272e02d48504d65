package commands_test

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/sandbox"
)

// heapWatcher counts what is written and measures the live heap every
// 256 KiB of output (after a collection, so that garbage, whose headroom
// grows with the in-process sandbox's users, does not count), keeping the
// largest it saw.
type heapWatcher struct {
	n, sinceSample int
	peak           uint64
}

func (w *heapWatcher) Write(p []byte) (int, error) {
	w.n += len(p)
	if w.sinceSample += len(p); w.sinceSample >= 256<<10 {
		w.sinceSample = 0
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		w.peak = max(w.peak, m.HeapAlloc)
	}
	return len(p), nil
}

// BenchmarkUserList pages through 10,000 and 50,000 users (pages of
// 1,000) with -o jsonl and -o json. "peak-live-MB" is the most live heap
// the run added to what was live before it (the in-process sandbox's
// users): it stays flat in the number of users, since each page is
// written and dropped before the next is fetched.
func BenchmarkUserList(b *testing.B) {
	for _, users := range []int{10_000, 50_000} {
		sb := sandbox.New(sandbox.Options{APIKey: testKey})
		if err := sb.AddGeneratedUsers(users); err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(sb)
		env := map[string]string{"BASETEN_API_KEY": testKey, "BASETEN_MANAGEMENT_API_URL_OVERRIDE": srv.URL}
		for _, mode := range []string{"jsonl", "json"} {
			b.Run(fmt.Sprintf("%d/%s", users, mode), func(b *testing.B) {
				out := &heapWatcher{}
				streams := &render.IO{Out: out, Err: io.Discard}
				runtime.GC()
				var base runtime.MemStats
				runtime.ReadMemStats(&base)
				b.ReportAllocs()
				for b.Loop() {
					if code := commands.Main(context.Background(), []string{"org", "user", "list", "-o", mode}, streams, func(k string) string { return env[k] }, nil); code != 0 {
						b.Fatalf("exit %d", code)
					}
				}
				b.ReportMetric(float64(out.peak-min(out.peak, base.HeapAlloc))/1e6, "peak-live-MB")
				b.ReportMetric(float64(out.n)/float64(b.N)/1e6, "stdout-MB")
			})
		}
		srv.Close()
	}
}
