package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// The logs workloads print a whole window of a deployment's logs: the CLI
// pages through it 1,000 lines a request (by time, each request from the
// last timestamp seen), as `model deployment logs` does against the API.

const (
	logModelID      = "benchmodel"
	logDeploymentID = "benchdep"
	logsPath        = "/v1/models/" + logModelID + "/deployments/" + logDeploymentID + "/logs"
	// logSpacing puts two or three lines in each millisecond, so every
	// page boundary falls inside a millisecond and lines come again.
	logSpacing = 400 * time.Microsecond
)

// logBase is the time of line 0. The window asked for is the hour from
// it: room for 9 million lines; the pages after the last line are empty,
// and the first page that is not full ends the window. (The getlogs floor
// asks for the same window.)
var logBase = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

const (
	logWindowStart = "2026-03-01T00:00:00Z"
	logWindowEnd   = "2026-03-01T01:00:00Z"
)

// logAt is the i-th line of the served window (LogV1), as the server
// sends it. A pure function of i, like keyAt.
func logAt(i int) []byte {
	h := splitmix64(uint64(i) + 1<<40)
	ts := logBase.Add(time.Duration(i) * logSpacing).UnixNano()
	level := [...]string{`"INFO"`, `"INFO"`, `"INFO"`, `"DEBUG"`, `"WARNING"`, `"ERROR"`, `null`}[h%7]
	replica := base36(h>>8%(36*36*36*36*36), 5)
	var msg string
	switch h >> 40 % 4 {
	case 0:
		msg = fmt.Sprintf("POST /predict 200 in %d ms", h>>20%900+10)
	case 1:
		msg = fmt.Sprintf("batch of %d tokens scheduled on GPU %d", h>>24%512+1, h>>30%8)
	case 2:
		msg = fmt.Sprintf("Completed prediction %d for the caller, output of %d bytes", i, h>>34%4096)
	default:
		msg = "model: loaded weights shard " + strconv.FormatUint(h>>44%16, 10) + "/16 from the cache"
	}
	return fmt.Appendf(nil, `{"timestamp":"%d","message":%q,"replica":"%s","request_id":"req-%012x","level":%s}`, ts, msg, replica, h>>12, level)
}

// logsHandler pages the window as the API documents it: both ends to the
// millisecond, ascending, up to limit lines. lines holds every line's
// JSON, built once.
func logsHandler(lines [][]byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("direction") != "asc" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"detail":"the benchmark serves direction=asc only"}`)
			return
		}
		start, err1 := strconv.ParseInt(q.Get("start_epoch_millis"), 10, 64)
		end, err2 := strconv.ParseInt(q.Get("end_epoch_millis"), 10, 64)
		limit, err3 := strconv.Atoi(q.Get("limit"))
		if err1 != nil || err2 != nil || err3 != nil || limit < 1 || limit > 1000 {
			w.WriteHeader(http.StatusUnprocessableEntity)
			io.WriteString(w, `{"detail":"bad query"}`)
			return
		}
		base := logBase.UnixNano()
		first := max(0, (start*1e6-base+int64(logSpacing)-1)/int64(logSpacing))
		var body bytes.Buffer
		body.WriteString(`{"logs":[`)
		for i, n := first, 0; i < int64(len(lines)) && n < limit; i, n = i+1, n+1 {
			if base+i*int64(logSpacing) >= (end+1)*1e6 {
				break
			}
			if n > 0 {
				body.WriteByte(',')
			}
			body.Write(lines[i])
		}
		body.WriteString("]}")
		w.Header().Set("Content-Length", strconv.Itoa(body.Len()))
		w.Write(body.Bytes())
	}
}

// buildLogs makes every line once, in the server process.
func buildLogs(n int) [][]byte {
	lines := make([][]byte, n)
	for i := range lines {
		lines[i] = logAt(i)
	}
	return lines
}

func logsArgs(flags ...string) []string {
	return append([]string{"model", "deployment", "logs", "--model-id", logModelID, "--deployment-id", logDeploymentID, "--start", logWindowStart, "--end", logWindowEnd}, flags...)
}

// checkLogsJSONL: every line of the window, once, in order, exactly as
// served.
func checkLogsJSONL(f *os.File, want expected) error {
	s := bufio.NewScanner(bufio.NewReaderSize(f, 64<<10))
	i := 0
	for ; s.Scan(); i++ {
		if i >= want.logLines {
			return fmt.Errorf("more than the %d lines served", want.logLines)
		}
		if !bytes.Equal(s.Bytes(), logAt(i)) {
			return fmt.Errorf("line %d is %s, served %s", i, s.Bytes(), logAt(i))
		}
	}
	if err := s.Err(); err != nil {
		return err
	}
	if i != want.logLines {
		return fmt.Errorf("%d lines, want %d", i, want.logLines)
	}
	return nil
}

// checkLogsText: one text line per log line, in order: its timestamp (UTC,
// as --utc prints it) and its message.
func checkLogsText(f *os.File, want expected) error {
	s := bufio.NewScanner(bufio.NewReaderSize(f, 64<<10))
	i := 0
	for ; s.Scan(); i++ {
		if i >= want.logLines {
			return fmt.Errorf("more than the %d lines served", want.logLines)
		}
		var l struct{ Message string }
		json.Unmarshal(logAt(i), &l)
		stamp := logBase.Add(time.Duration(i) * logSpacing).Format("2006-01-02T15:04:05.000Z")
		if line := s.Text(); !strings.HasPrefix(line, stamp+" ") || !strings.HasSuffix(line, " "+l.Message) {
			return fmt.Errorf("line %d is %q, want %s ... %s", i, line, stamp, l.Message)
		}
	}
	if err := s.Err(); err != nil {
		return err
	}
	if i != want.logLines {
		return fmt.Errorf("%d lines, want %d", i, want.logLines)
	}
	return nil
}

// checkLogPages: the floor copied pages holding every line (the lines of
// a millisecond split by a page come twice).
func checkLogPages(f *os.File, want expected) error {
	n, err := countIn(f, []byte(`"timestamp":`))
	if err != nil {
		return err
	}
	if n < want.logLines {
		return fmt.Errorf("the pages hold %d lines, want at least %d", n, want.logLines)
	}
	return nil
}

func countIn(r io.Reader, sep []byte) (int, error) {
	all, err := io.ReadAll(r)
	return bytes.Count(all, sep), err
}
