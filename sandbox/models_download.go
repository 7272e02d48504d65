package sandbox

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Downloads of a deployment's truss. As in the API, GET .../download
// answers a presigned URL on another host (object storage), valid for a
// while, that authorizes the download by itself. The sandbox serves it
// under PresignedPrefix, outside the API's routes, and refuses any request
// there that carries an Authorization header, as object storage refuses
// a second authorization mechanism: a client that sends its API key along
// finds out in tests, not in the storage provider's logs.

const (
	// PresignedPrefix starts the paths of presigned download links.
	PresignedPrefix   = "/presigned/"
	presignedLifetime = 10 * time.Minute
	maxDownloads      = 1024 // links kept at once; the oldest go first
)

type presignedDownload struct {
	modelID, deploymentID, name string
	expires                     time.Time
}

// getDeploymentDownload hands out a new link to the deployment's truss.
func (s *Server) getDeploymentDownload(w http.ResponseWriter, r *http.Request, params []string) {
	s.inDeployment(w, params, func(m *modelRecord, d *deploymentRecord, now time.Time) answer {
		if s.downloads == nil {
			s.downloads = map[string]presignedDownload{}
		}
		for token, dl := range s.downloads {
			if len(s.downloads) >= maxDownloads || now.After(dl.expires) {
				delete(s.downloads, token)
			}
		}
		token := randomString(secretAlphabet, 32)
		s.downloads[token] = presignedDownload{modelID: m.ID, deploymentID: d.ID, name: m.Name, expires: now.Add(presignedLifetime)}
		url := fmt.Sprintf("http://%s%s%s/truss.tar.gz?X-Amz-Expires=%d", r.Host, PresignedPrefix, token, int(presignedLifetime.Seconds()))
		return ok200(struct {
			DownloadURL string `json:"download_url"`
		}{url})
	})
}

// servePresigned answers a request for a presigned link, in the manner
// of object storage: plain-text errors, the archive as application/gzip.
func (s *Server) servePresigned(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	if r.Header.Get("Authorization") != "" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintln(w, "InvalidArgument: Only one auth mechanism allowed; the URL is signed, and an Authorization header was sent too")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	token, _, _ := strings.Cut(strings.TrimPrefix(r.URL.EscapedPath(), PresignedPrefix), "/")
	s.mu.RLock()
	dl, found := s.downloads[token]
	s.mu.RUnlock()
	if !found || s.now().After(dl.expires) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintln(w, "AccessDenied: Request has expired or the signature does not match")
		return
	}
	archive := trussArchive(dl.name, dl.deploymentID)
	h.Set("Content-Type", "application/gzip")
	h.Set("Content-Length", strconv.Itoa(len(archive)))
	w.WriteHeader(http.StatusOK)
	w.Write(archive)
}

// trussArchive is a small truss, as a gzipped tar: a config.yaml, the
// model's code and a directory, deterministic for a deployment.
func trussArchive(modelName, deploymentID string) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	mtime := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	files := []struct{ name, body string }{
		{"config.yaml", fmt.Sprintf("model_name: %s\npython_version: py311\n# deployment %s\n", modelName, deploymentID)},
		{"model/", ""},
		{"model/__init__.py", ""},
		{"model/model.py", "class Model:\n    def __init__(self, **kwargs):\n        pass\n\n    def predict(self, model_input):\n        return model_input\n"},
	}
	for _, f := range files {
		hdr := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)), ModTime: mtime, Typeflag: tar.TypeReg}
		if strings.HasSuffix(f.name, "/") {
			hdr.Typeflag, hdr.Mode = tar.TypeDir, 0o755
		}
		tw.WriteHeader(hdr)
		tw.Write([]byte(f.body))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}
