package e2e_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	"gotest.tools/v3/icmd"

	"github.com/basetenlabs/baseten/sandbox"
)

// A binary answer redirected to a file arrives there byte for byte, as
// `baseten api management ... > image.png` promises.
func TestAPIBinaryAnswerToAFile(t *testing.T) {
	body := append([]byte("\x89PNG\r\n\x1a\n\x00"), bytes.Repeat([]byte{0, 0xff, '\n', 0x1b}, 300000)...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "image.png")
	out, err := os.Create(file)
	assert.NilError(t, err)
	cmd := exec.Command(binary, "api", "management", "models/m/image")
	cmd.Env = []string{"BASETEN_API_KEY=" + key, "BASETEN_MANAGEMENT_API_URL_OVERRIDE=" + srv.URL}
	cmd.Stdout = out
	var stderr strings.Builder
	cmd.Stderr = &stderr
	assert.NilError(t, cmd.Run(), stderr.String())
	out.Close()
	got, err := os.ReadFile(file)
	assert.NilError(t, err)
	assert.Assert(t, bytes.Equal(got, body), "%d bytes written, %d sent", len(got), len(body))
	assert.Equal(t, stderr.String(), "")
}

// Ctrl-C during a stream ends it with 130, what arrived before printed.
func TestAPIStreamInterrupted(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: {\"word\":\"first\"}\n\n")
		w.(http.Flusher).Flush()
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	cmd := icmd.Command(binary, "api", "inference", "predict", "--model-id", "m", "--jq", ".word")
	cmd.Env = []string{"BASETEN_API_KEY=" + key, "BASETEN_REMOTE_URL=https://app.example.test", "BASETEN_INFERENCE_BASE_URL_OVERRIDE=" + srv.URL}
	res := icmd.StartCmd(cmd)
	assert.NilError(t, res.Error)
	select {
	case <-arrived:
	case <-time.After(20 * time.Second):
		t.Fatal("the request never arrived")
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(res.Stdout(), "first") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.NilError(t, res.Cmd.Process.Signal(syscall.SIGINT))
	res = icmd.WaitOnCmd(20*time.Second, res)
	res.Assert(t, icmd.Expected{ExitCode: 130, Out: "first\n", Err: "Error: interrupted"})
}

// sandbox exec points inference at the sandbox: a script predicts
// against its models without knowing where they are.
func TestSandboxExecServesInference(t *testing.T) {
	cmd := exec.Command(binary, "sandbox", "exec", "--state", "", "--", "baseten", "model", "predict", "--model-id", sandbox.SeedModelID, "--data", `{"prompt": "one two", "stream": true}`, "--jq", ".word")
	cmd.Env = processEnv(t)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	assert.NilError(t, cmd.Run(), stderr.String())
	assert.Equal(t, stdout.String(), "one\ntwo\n")
}
