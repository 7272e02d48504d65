package e2e_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"
)

func TestInterruptExits130(t *testing.T) {
	res := signalWhileListing(t, syscall.SIGINT)
	res.Assert(t, icmd.Expected{ExitCode: 130, Err: "Error: interrupted"})
}

// signalWhileListing runs org api-key list against a server that holds the
// request, sends sig once the request has arrived, and returns how the
// command ended.
func signalWhileListing(t *testing.T, sig syscall.Signal) *icmd.Result {
	t.Helper()
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)

	res := icmd.StartCmd(baseten(srv.URL, "org", "api-key", "list"))
	assert.NilError(t, res.Error)
	select {
	case <-arrived:
	case <-time.After(20 * time.Second):
		t.Fatal("request never arrived")
	}
	assert.NilError(t, res.Cmd.Process.Signal(sig))
	return icmd.WaitOnCmd(20*time.Second, res)
}

// SIGTERM and SIGHUP are handled like Ctrl-C, create's guidance included.
func TestTerminationSignalsDuringCreate(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			arrived := make(chan struct{}, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				// Reading the body lets the server notice the client hang up.
				io.Copy(io.Discard, r.Body)
				arrived <- struct{}{}
				<-r.Context().Done()
			}))
			t.Cleanup(srv.Close)
			res := icmd.StartCmd(baseten(srv.URL, "org", "api-key", "create", "--type", "personal", "--remote-url", "http://127.0.0.1:1"))
			assert.NilError(t, res.Error)
			t.Cleanup(func() { res.Cmd.Process.Kill() }) // runs before srv.Close, which waits for it
			select {
			case <-arrived:
			case <-time.After(20 * time.Second):
				t.Fatal("request never arrived")
			}
			assert.NilError(t, res.Cmd.Process.Signal(sig))
			res = icmd.WaitOnCmd(20*time.Second, res)
			res.Assert(t, icmd.Expected{ExitCode: 130, Err: "Error: interrupted while creating the key; it may have been created\n" +
				"Before creating another, check with: baseten org api-key list --remote-url http://127.0.0.1:1\n"})
		})
	}
}
