package commands_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox"
)

func TestDownloadFromTheSandbox(t *testing.T) {
	a, _ := modelSandbox(t, sandbox.Options{})
	r := newRunner(a)
	dir := t.TempDir()
	file := filepath.Join(dir, "truss.tar.gz")
	got := r.run("model", "deployment", "download", "--model-id", llamaID, "--deployment-id", prodID, "--out-file", file)
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Downloaded deployment d7v3n8q1 to "+file+" ("), got.Stderr)
	requests := a.Requests()
	assert.Equal(t, requests[0], "GET /v1/models/q4o7k2zw/deployments/d7v3n8q1/download")
	assert.Assert(t, strings.HasPrefix(requests[1], "GET /presigned/"), requests[1])
	// The key went to the API, never to the presigned URL (which the
	// sandbox would refuse: 400).
	assert.Equal(t, a.requests[0].Authorization, "Bearer "+testKey)
	assert.Equal(t, a.requests[1].Authorization, "")
	archive, err := os.ReadFile(file)
	assert.NilError(t, err)
	assert.Assert(t, bytes.HasPrefix(archive, []byte{0x1f, 0x8b}))

	// An existing file needs --overwrite, refused before any request.
	a.Reset()
	got = r.run("model", "deployment", "download", "--model-id", llamaID, "--deployment-id", prodID, "--out-file", file)
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --out-file "+file+" already exists\nPass --overwrite to replace it.\n"), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{})
	got = r.run("model", "deployment", "download", "--model-id", llamaID, "--deployment-id", prodID, "--out-file", file, "--overwrite", "--jq", ".download_url | startswith(\"http://\")")
	assertResult(t, got, "true\n", got.Stderr, 0)

	out := filepath.Join(dir, "truss")
	got = r.run("model", "deployment", "download", "--model-name", "llama-chat", "--deployment-id", prodID, "--out-dir", out)
	assertResult(t, got, "", "Extracted deployment d7v3n8q1 into "+out+" (3 files)\n", 0)
	model, err := os.ReadFile(filepath.Join(out, "model", "model.py"))
	assert.NilError(t, err)
	assert.Assert(t, strings.HasPrefix(string(model), "class Model:"))
	config, err := os.ReadFile(filepath.Join(out, "config.yaml"))
	assert.NilError(t, err)
	assert.Equal(t, string(config), "model_name: llama-chat\npython_version: py311\n# deployment d7v3n8q1\n")

	got = r.run("model", "deployment", "download", "--model-name", "llama-chat", "--deployment-id", prodID, "--out-dir", out)
	assert.Equal(t, got.Code, 2)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --out-dir "+out+" is not empty\nPass --overwrite to replace its contents, or choose another directory.\n"), got.Stderr)
	assert.NilError(t, os.WriteFile(filepath.Join(out, "stale.txt"), []byte("old"), 0o644))
	got = r.run("model", "deployment", "download", "--model-name", "llama-chat", "--deployment-id", prodID, "--out-dir", out, "--overwrite")
	assert.Equal(t, got.Code, 0, got.Stderr)
	_, err = os.Stat(filepath.Join(out, "stale.txt"))
	assert.Assert(t, os.IsNotExist(err), "--overwrite replaces the contents")
	assertNoLeftovers(t, dir, "truss", "truss.tar.gz")

	got = r.run("model", "deployment", "download", "--model-name", "llama-chat", "--deployment-id", prodID, "--out-dir", file)
	assert.Equal(t, got.Code, 2, got.Stderr)
	got = r.run("model", "deployment", "download", "--model-name", "llama-chat", "--deployment-id", prodID)
	assert.Equal(t, got.Code, 2, got.Stderr)
	a.Reset()
	missing := filepath.Join(dir, "no", "such")
	got = r.run("model", "deployment", "download", "--model-name", "llama-chat", "--deployment-id", prodID, "--out-dir", missing)
	assert.Equal(t, got.Code, 2, got.Stderr)
	assert.Assert(t, strings.HasPrefix(got.Stderr, "Error: --out-dir "+missing+": the directory "+filepath.Join(dir, "no")+" does not exist\n"), got.Stderr)
	assert.DeepEqual(t, a.Requests(), []string{})
}

// assertNoLeftovers checks that dir holds exactly these names: no
// temporary file or staging directory left behind.
func assertNoLeftovers(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	assert.NilError(t, err)
	var have []string
	for _, e := range entries {
		have = append(have, e.Name())
	}
	if names == nil {
		names = []string{}
	}
	if have == nil {
		have = []string{}
	}
	assert.DeepEqual(t, have, names)
}

// storage is a stand-in for object storage on another host: it serves
// one archive at any path and records the Authorization header of every
// request.
type storage struct {
	mu      sync.Mutex
	auth    []string
	archive []byte
	status  int
}

func (s *storage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.auth = append(s.auth, r.Header.Get("Authorization"))
	s.mu.Unlock()
	if s.status != 0 {
		w.WriteHeader(s.status)
		w.Write([]byte("AccessDenied: Request has expired\n"))
		return
	}
	w.Write(s.archive)
}

// downloadAPI answers the download call with a presigned URL on store.
func downloadAPI(t *testing.T, url string) *api {
	return newAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"download_url":"` + url + `"}`))
	}))
}

type entry struct {
	name, body, link string
	kind             byte
}

func tarball(t *testing.T, gz bool, entries ...entry) []byte {
	var buf bytes.Buffer
	var w = &buf
	var zw *gzip.Writer
	tw := tar.NewWriter(w)
	if gz {
		zw = gzip.NewWriter(w)
		tw = tar.NewWriter(zw)
	}
	for _, e := range entries {
		kind := e.kind
		if kind == 0 {
			kind = tar.TypeReg
		}
		assert.NilError(t, tw.WriteHeader(&tar.Header{Name: e.name, Typeflag: kind, Linkname: e.link, Size: int64(len(e.body)), Mode: 0o644}))
		_, err := tw.Write([]byte(e.body))
		assert.NilError(t, err)
	}
	assert.NilError(t, tw.Close())
	if zw != nil {
		assert.NilError(t, zw.Close())
	}
	return buf.Bytes()
}

// The presigned URL is on another host: the archive comes from there,
// without the API key, and the URL's signature is never shown.
func TestDownloadFromAnotherHost(t *testing.T) {
	store := &storage{archive: tarball(t, false, entry{name: "config.yaml", body: "model_name: x\n"}, entry{name: "model/", kind: tar.TypeDir}, entry{name: "model/model.py", body: "pass\n"})}
	storeServer := newAPI(t, store)
	a := downloadAPI(t, storeServer.URL+"/bucket/truss.tar?X-Amz-Signature=SIGNATURE123")
	dir := t.TempDir()
	out := filepath.Join(dir, "truss")
	got := newRunner(a).run("model", "deployment", "download", "--model-id", "m1", "--deployment-id", "dep1", "--out-dir", out, "-v")
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, strings.Contains(got.Stderr, "GET "+storeServer.URL+"/bucket/truss.tar 200"), got.Stderr)
	assert.Assert(t, !strings.Contains(got.Stderr, "SIGNATURE123"), got.Stderr)
	assert.Assert(t, strings.HasSuffix(got.Stderr, "Extracted deployment dep1 into "+out+" (2 files)\n"), got.Stderr)
	assert.DeepEqual(t, store.auth, []string{""})
	assert.Equal(t, a.Last().Authorization, "Bearer "+testKey)
	body, err := os.ReadFile(filepath.Join(out, "model", "model.py"))
	assert.NilError(t, err)
	assert.Equal(t, string(body), "pass\n")

	// Refused by the storage: exit 1, nothing written.
	store.status = 403
	got = newRunner(a).run("model", "deployment", "download", "--model-id", "m1", "--deployment-id", "dep1", "--out-file", filepath.Join(dir, "x.tar"))
	assertResult(t, got, "", "Error: downloading from "+storeServer.URL+"/bucket/truss.tar: the server answered 403 Forbidden: AccessDenied: Request has expired; nothing was written\n", 1)
	assertNoLeftovers(t, dir, "truss")

	// Plain http to a host that is not loopback is never fetched.
	b := downloadAPI(t, "http://storage.example/bucket/truss.tar")
	got = newRunner(b).run("model", "deployment", "download", "--model-id", "m1", "--deployment-id", "dep1", "--out-file", filepath.Join(dir, "y.tar"))
	assertResult(t, got, "", "Error: unexpected response from the API: the download_url is http://storage.example, not https\n", 1)
	c := downloadAPI(t, "https://user:pw@storage.example/x")
	got = newRunner(c).run("model", "deployment", "download", "--model-id", "m1", "--deployment-id", "dep1", "--out-file", filepath.Join(dir, "y.tar"))
	assert.Equal(t, got.Code, 1, got.Stderr)
	assertNoLeftovers(t, dir, "truss")
}

// Hostile archives: nothing lands outside the directory, nothing is
// written through a link, and a refused archive leaves nothing behind.
func TestDownloadRefusesUnsafeArchives(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []entry
		err     string
	}{
		{"dot-dot", []entry{{name: "ok.txt", body: "ok"}, {name: "../evil.txt", body: "x"}}, `the archive's entry "../evil.txt" would land outside the directory`},
		{"nested dot-dot", []entry{{name: "a/../../evil.txt", body: "x"}}, `the archive's entry "a/../../evil.txt" would land outside the directory`},
		{"absolute", []entry{{name: "/tmp/evil.txt", body: "x"}}, `the archive's entry "/tmp/evil.txt" is an absolute path`},
		{"backslash", []entry{{name: `..\evil.txt`, body: "x"}}, `the archive's entry "..\\evil.txt" holds a backslash`},
		{"symlink out", []entry{{name: "link", link: "../../etc", kind: tar.TypeSymlink}}, `the archive's entry "link" is a link to "../../etc", outside the directory`},
		{"absolute symlink", []entry{{name: "link", link: "/etc/passwd", kind: tar.TypeSymlink}}, `the archive's entry "link" is a link to an absolute path`},
		{"write through a symlink", []entry{{name: "sub/", kind: tar.TypeDir}, {name: "link", link: "sub", kind: tar.TypeSymlink}, {name: "link/x.txt", body: "x"}}, `the archive's entry "link/x.txt" goes through "link", a link the archive made`},
		{"symlink through a symlink", []entry{{name: "up", link: ".", kind: tar.TypeSymlink}, {name: "out", link: "up/..", kind: tar.TypeSymlink}}, `the archive's entry "out" is a link through "up", a link the archive made`},
		{"file over a symlink", []entry{{name: "link", link: "x", kind: tar.TypeSymlink}, {name: "link", body: "x"}}, `the archive's entry "link" appears twice in the archive`},
		{"hard link out", []entry{{name: "hard", link: "../outside.txt", kind: tar.TypeLink}}, `the archive's entry "hard" is a link to "../outside.txt", outside the directory`},
		{"device", []entry{{name: "dev", kind: tar.TypeChar}}, `the archive's entry "dev" is a device file`},
		{"fifo", []entry{{name: "pipe", kind: tar.TypeFifo}}, `the archive's entry "pipe" is a FIFO`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			store := &storage{archive: tarball(t, true, tc.entries...)}
			storeServer := newAPI(t, store)
			a := downloadAPI(t, storeServer.URL+"/truss.tar.gz")
			out := filepath.Join(parent, "work", "truss")
			assert.NilError(t, os.Mkdir(filepath.Dir(out), 0o755))
			got := newRunner(a).run("model", "deployment", "download", "--model-id", "m1", "--deployment-id", "dep1", "--out-dir", out)
			assertResult(t, got, "", "Error: "+tc.err+"; nothing was extracted\n", 1)
			assertNoLeftovers(t, filepath.Dir(out))
			assertNoLeftovers(t, parent, "work")
		})
	}
}

// A hard link inside the directory, to a file extracted before it, is fine.
func TestDownloadKeepsLinksInside(t *testing.T) {
	store := &storage{archive: tarball(t, false, entry{name: "a.txt", body: "A"}, entry{name: "b.txt", link: "a.txt", kind: tar.TypeLink}, entry{name: "c", link: "a.txt", kind: tar.TypeSymlink})}
	storeServer := newAPI(t, store)
	out := filepath.Join(t.TempDir(), "truss")
	got := newRunner(downloadAPI(t, storeServer.URL+"/t.tar")).run("model", "deployment", "download", "--model-id", "m1", "--deployment-id", "dep1", "--out-dir", out)
	assert.Equal(t, got.Code, 0, got.Stderr)
	b, err := os.ReadFile(filepath.Join(out, "b.txt"))
	assert.NilError(t, err)
	assert.Equal(t, string(b), "A")
	link, err := os.Readlink(filepath.Join(out, "c"))
	assert.NilError(t, err)
	assert.Equal(t, link, "a.txt")
}

// On a terminal, a progress bar on stderr, erased once done; elsewhere none.
func TestDownloadProgressBar(t *testing.T) {
	store := &storage{archive: tarball(t, true, entry{name: "big.bin", body: strings.Repeat("x", 300<<10)})}
	storeServer := newAPI(t, store)
	r := newRunner(downloadAPI(t, storeServer.URL+"/t.tar.gz"))
	r.errTerminal = true
	file := filepath.Join(t.TempDir(), "t.tar.gz")
	got := r.run("model", "deployment", "download", "--model-id", "m1", "--deployment-id", "dep1", "--out-file", file)
	assert.Equal(t, got.Code, 0, got.Stderr)
	assert.Assert(t, strings.Contains(got.Stderr, "\rDownloading deployment dep1  [##############################] "), "%q", got.Stderr)
	assert.Assert(t, strings.Contains(got.Stderr, "  100%\x1b[K\r\x1b[KDownloaded deployment dep1 to "+file), "%q", got.Stderr)
}
