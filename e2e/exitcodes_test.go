package e2e_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"
)

func TestExitCodeContract(t *testing.T) {
	srv, _ := serveSandbox(t)
	status := func(code int) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(code)
			fmt.Fprint(w, `{"detail":"nope"}`)
		}))
		t.Cleanup(s.Close)
		return s.URL
	}
	noKey := icmd.Command(binary, "org", "api-key", "list")
	noKey.Env = []string{"BASETEN_MANAGEMENT_API_URL_OVERRIDE=" + srv.URL}

	cases := []struct {
		name string
		cmd  icmd.Cmd
		want icmd.Expected
	}{
		{"ok", baseten(srv.URL, "org", "api-key", "list"), icmd.Expected{ExitCode: 0, Out: "laptop  aaaa1111****  personal"}},
		{"usage", baseten(srv.URL, "org", "api-key", "delete"), icmd.Expected{ExitCode: 2, Err: "Error: missing flags: --name=TEXT or --prefix=TEXT"}},
		{"kong parse error is not 80", baseten(srv.URL, "org", "api-key", "list", "--nope"), icmd.Expected{ExitCode: 2, Err: "Error: unknown flag --nope"}},
		{"auth", noKey, icmd.Expected{ExitCode: 3, Err: "Error: no API key: BASETEN_API_KEY is not set and no stored credential is active"}},
		{"not found", baseten(srv.URL, "org", "api-key", "delete", "--prefix", "zzzz9999"), icmd.Expected{ExitCode: 4, Err: "Error: no API key has the prefix \"zzzz9999\"\n"}},
		{"rejected", baseten(status(409), "org", "api-key", "list"), icmd.Expected{ExitCode: 5, Err: "(409 Conflict): nope"}},
		{"server", baseten(status(503), "org", "api-key", "list"), icmd.Expected{ExitCode: 6, Err: "(503 Service Unavailable): nope"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := icmd.RunCmd(tc.cmd)
			res.Assert(t, tc.want)
			assert.Assert(t, !strings.Contains(res.Stderr(), "goroutine"), "no stack traces")
		})
	}
}
