package commands_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/basetenlabs/baseten/sandbox"
)

// FuzzMain feeds arbitrary command lines to the real tree against a fresh
// sandbox and checks the promises no input may break: a documented exit
// code, no panic or stack trace, no secret on stderr, and no key deleted
// that the command line did not name (by prefix or by name).
//
// go test ./commands -run '^$' -fuzz FuzzMain -fuzztime 60s
func FuzzMain(f *testing.F) {
	for _, seed := range []string{
		"org api-key list",
		"org api-key list --jq .keys[].prefix -o jsonl",
		"org api-key create --type personal --name laptop",
		"org api-key create --type workspace-invoke --model-id m1 --jq .api_key",
		"org api-key delete --name laptop",
		"org api-key delete --prefix aaaa1111 -o json",
		"org api-key delete --prefix aaaa --name x",
		"org api-key delete --prefix ..",
		"help org api-key delete",
		"org --help",
		"version -o none",
	} {
		f.Add(seed)
	}

	var current atomic.Pointer[sandbox.Server]
	a := newAPI(f, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { current.Load().ServeHTTP(w, r) }))
	documented := []int{0, 1, 2, 3, 4, 5, 6, 130}

	f.Fuzz(func(t *testing.T, line string) {
		seeded := []sandbox.SeedKey{
			{Prefix: "aaaa1111", Name: strptr("laptop"), Type: sandbox.TypePersonal},
			{Prefix: "bbbb2222", Name: strptr("laptop"), Type: sandbox.TypePersonal},
			{Prefix: "cccc3333", Type: sandbox.TypeWorkspaceManageAll},
		}
		sb := sandbox.New(sandbox.Options{APIKey: testKey, Keys: seeded})
		current.Store(sb)
		args := strings.Fields(line)
		r := newRunner(a)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		r.ctx = ctx
		got := r.run(args...)

		if !slices.Contains(documented, got.Code) {
			t.Fatalf("undocumented exit code %d for %q: %s", got.Code, line, got.Stderr)
		}
		if strings.Contains(got.Stderr, "goroutine ") || strings.Contains(got.Stderr, "internal error") {
			t.Fatalf("crash for %q: %s", line, got.Stderr)
		}
		if strings.Contains(got.Stderr, testKey) || strings.Contains(got.Stdout, testKey) {
			t.Fatalf("configured key printed for %q", line)
		}
		left := map[string]bool{}
		for _, k := range sb.Keys() {
			left[k.Prefix] = true
		}
		for _, k := range seeded {
			if left[k.Prefix] {
				continue
			}
			named := strings.Contains(line, k.Prefix) || (k.Name != nil && strings.Contains(line, *k.Name))
			if !named {
				t.Fatalf("%q deleted key %s, which it did not name", line, k.Prefix)
			}
		}
	})
}
