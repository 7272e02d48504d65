package commands_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// The admin key can come from a file or stdin (--api-key-file PATH|-),
// where ps does not show it to every user of the machine as it shows
// --api-key's value.
func TestServeWithAPIKeyFile(t *testing.T) {
	const key = "0123abcd.from-a-file-S3CRETS3CRET"
	file := filepath.Join(t.TempDir(), "admin-key")
	assert.NilError(t, os.WriteFile(file, []byte(key+"\n"), 0o600))
	s := serveSandbox(t, nil, "--state", "", "--api-key-file", file)
	assert.Equal(t, s.key, key)
	assert.Equal(t, s.stop(), 0)

	// From stdin.
	out, errOut := &sandboxtest.Buffer{}, &sandboxtest.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	streams := &render.IO{In: strings.NewReader(key + "\n"), Out: out, Err: errOut}
	go func() {
		done <- commands.Main(ctx, []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--state", "", "--api-key-file", "-"}, streams, func(string) string { return "" }, nil)
	}()
	for deadline := time.Now().Add(time.Minute); out.String() == ""; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve printed nothing: %s", errOut)
		}
	}
	cancel()
	assert.Equal(t, <-done, 0, errOut.String())
	assert.Assert(t, is.Contains(out.String(), "export BASETEN_API_KEY="+key+"\n"))

	// The help says why.
	got := newRunner(nil).run("sandbox", "serve", "--help")
	assert.Assert(t, is.Contains(strings.Join(strings.Fields(got.Stdout), " "), "is visible to other users of this machine (ps); prefer --api-key-file."))
}

func TestServeAPIKeyFileRefusals(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		assert.NilError(t, os.WriteFile(path, []byte(content), 0o600))
		return path
	}
	bad := write("bad", "not-a-key-S3CRETS3CRET\n")
	empty := write("empty", "\n\n")
	good := write("good", "0123abcd.from-a-file-S3CRETS3CRET\n")
	missing := filepath.Join(dir, "missing")
	r := newRunner(nil)
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"--api-key-file", bad}, "Error: invalid key in --api-key-file " + bad + ": an API key starts with 8 lowercase hexadecimal characters and a '.'\n"},
		{[]string{"--api-key-file", empty}, "Error: --api-key-file " + empty + " holds no key\nPut the admin key on its first line.\n"},
		{[]string{"--api-key-file", missing}, "Error: cannot read --api-key-file: " + missing + ": no such file or directory\n"},
		{[]string{"--api-key-file", dir}, "Error: cannot read --api-key-file " + dir + ": not a regular file\nPass - to read the key from stdin.\n"},
		{[]string{"--api-key-file", good, "--api-key", "0123abcd.on-the-line-S3CRETS3CRET"}, "Error: --api-key and --api-key-file can't be used together"},
	} {
		got := r.run(append([]string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--state", ""}, tc.args...)...)
		assert.Equal(t, got.Code, 2, "%v: %s", tc.args, got.Stderr)
		assert.Assert(t, strings.HasPrefix(got.Stderr, tc.stderr), "%v: %s", tc.args, got.Stderr)
		assert.Equal(t, got.Stdout, "")
		assert.Assert(t, !strings.Contains(got.Stderr, "S3CRET"), "a key on stderr: %s", got.Stderr)
	}
}

// An admin key whose secret holds a "/" is redacted whole in the request
// log: a request that puts it in the path logged its tail in the clear.
func TestServeLogRedactsAKeyWithASlash(t *testing.T) {
	const key = "0123abcd.abcdefgh/ijklmnopqrst"
	s := serveSandbox(t, nil, "--state", "", "--api-key", key)
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	assert.NilError(t, err)
	fmt.Fprintf(conn, "DELETE /v1/api_keys/%s HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n", key, key)
	buf := make([]byte, 4096)
	_, _ = conn.Read(buf)
	conn.Close()
	assert.Equal(t, s.stop(), 0)
	log := s.stderr.String()
	assert.Assert(t, is.Contains(log, "DELETE /v1/api_keys/0123abcd.*** 404 "))
	assert.Assert(t, !strings.Contains(log, "ijklmnop"), "a secret in the log: %s", log)
}
