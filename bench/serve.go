package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
)

// benchAPIKey is the key the server accepts and every child sends. It is
// not a secret: the server lives on 127.0.0.1 for the length of one run.
const benchAPIKey = "benchkey.not-a-secret"

// serverInfo is the one line the server prints on stdout once it listens.
type serverInfo struct {
	URL    string `json:"url"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// server is the key-list server, in a process of its own (this program
// re-executed with -serve) so that no process in the chain that starts the
// workloads holds the 107 MB body: on Linux exec carries the starter's peak
// memory into the child's ru_maxrss (see package launch).
type server struct {
	cmd   *exec.Cmd
	stdin io.Closer
	info  serverInfo
}

// startServer starts the server process and waits for its address.
func startServer(keys, logLines int) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-serve", "-keys", strconv.Itoa(keys), "-log-lines", strconv.Itoa(logLines))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, stdin: stdin}
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, &s.info)
	}
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("key server did not start: %v", err)
	}
	return s, nil
}

// stop closes the server's stdin, which is its signal to exit.
func (s *server) stop() {
	s.stdin.Close()
	s.cmd.Wait()
}

// serve is the -serve mode. It builds the body once, serves it with its
// Content-Length to any request that authenticates, and exits when its stdin
// closes (when the runner stops it, or dies).
func serve(keys, logLines int) error {
	body := listBody(keys)
	logs := logsHandler(buildLogs(logLines))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	info, _ := json.Marshal(serverInfo{URL: "http://" + ln.Addr().String(), Bytes: int64(len(body)), SHA256: hex.EncodeToString(sum[:])})
	if _, err := fmt.Printf("%s\n", info); err != nil {
		return err
	}
	go func() {
		if err := http.Serve(ln, listHandler(body, logs)); !errors.Is(err, net.ErrClosed) {
			fmt.Fprintln(os.Stderr, "bench: key server:", err)
			os.Exit(1)
		}
	}()
	io.Copy(io.Discard, os.Stdin)
	return nil
}

// listBody is the GET /v1/api_keys response (APIKeysV1) for keys keys.
func listBody(keys int) []byte {
	var b bytes.Buffer
	b.Grow(keys*110 + 16)
	b.WriteString(`{"keys":[`)
	for i := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		element, err := json.Marshal(keyAt(i))
		if err != nil { // unreachable: apiKey holds only strings
			panic(err)
		}
		b.Write(element)
	}
	b.WriteString("]}\n")
	return b.Bytes()
}

// listHandler answers GET /v1/api_keys like the API, FastAPI-style errors
// included, so a client with the wrong path or key fails loudly.
func listHandler(body []byte, logs http.Handler) http.Handler {
	length := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == logsPath && r.Method == http.MethodGet && r.Header.Get("Authorization") == "Bearer "+benchAPIKey:
			logs.ServeHTTP(w, r)
		case r.URL.Path != "/v1/api_keys":
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"detail":"Not Found"}`)
		case r.Method != http.MethodGet:
			w.WriteHeader(http.StatusMethodNotAllowed)
			io.WriteString(w, `{"detail":"Method Not Allowed"}`)
		case r.Header.Get("Authorization") != "Bearer "+benchAPIKey:
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"detail":"Invalid API key"}`)
		default:
			w.Header().Set("Content-Length", length)
			w.Write(body) // an error means the client went away
		}
	})
}
