package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEndToEnd runs the benchmark program as `go run ./bench` would, with
// tiny settings, and checks that the report has a row for every workload and
// nothing failed. It asserts nothing about speed.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI, the floors and the launcher")
	}
	bin := filepath.Join(t.TempDir(), "bench")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "-keys", "100", "-log-lines", "2500", "-runs", "1")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("bench: %v\nstdout:\n%s\nstderr:\n%s", err, &stdout, &stderr)
	}
	report := stdout.String()
	for _, w := range workloads {
		row := "| `" + strings.ReplaceAll(w.command(), "|", `\|`) + "` | "
		if !strings.Contains(report, "\n"+row) {
			t.Errorf("no row for %s (%q) in the report:\n%s", w.name, row, report)
		}
	}
	for _, want := range []string{"### 100 keys", "- command: `go run ./bench -keys 100 -log-lines 2500 -runs 1`", "- machine: ", "| workload | median | peak RSS |"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "FAILED") {
		t.Errorf("a workload failed:\n%s", report)
	}
}

// The checks are what stop a broken CLI from looking fast: they accept what
// the server sent, reindented or with members the API may add, and refuse
// anything else.
func TestChecks(t *testing.T) {
	const keys = 50
	want := expected{keys: keys, logLines: 3}
	body := listBody(keys)
	var indented bytes.Buffer
	json.Indent(&indented, body, "", "  ")
	table := "NAME KEY TYPE TEAM\n" + strings.Repeat("row\n", keys)
	var personal strings.Builder
	for i := range keys {
		if keyAt(i).Type == "PERSONAL" {
			personal.WriteString(keyAt(i).Prefix + "\n")
		}
	}

	for _, tc := range []struct {
		name   string
		check  func(*os.File, expected) error
		output string
		ok     bool
	}{
		{"jsonl", checkJSONL, string(body), true},
		{"jsonl with an added member", checkJSONL, `{"next":null,` + string(body[1:]), true},
		{"jsonl indented", checkJSONL, indented.String(), false},
		{"jsonl missing the last key", checkJSONL, string(body[:bytes.LastIndex(body, []byte(`,{"prefix"`))]) + "]}\n", false},
		{"jsonl with null for []", checkJSONL, strings.Replace(string(body), `"model_ids":null`, `"model_ids":[]`, 1), false},
		{"jsonl truncated", checkJSONL, string(body[:len(body)/2]), false},
		{"json", checkJSON, indented.String(), true},
		{"json compact", checkJSON, string(body), false},
		{"json with a changed name", checkJSON, strings.Replace(indented.String(), `"laptop-`, `"Laptop-`, 1), false},
		{"json twice", checkJSON, indented.String() + indented.String(), false},
		{"table", checkTable, table, true},
		{"table short", checkTable, strings.TrimSuffix(table, "row\n"), false},
		{"table without header", checkTable, strings.Repeat("row\n", keys+1), false},
		{"jq", checkPersonalPrefixes, personal.String(), true},
		{"jq missing the last", checkPersonalPrefixes, personal.String()[:personal.Len()-9], false},
		{"jq every key", checkPersonalPrefixes, personal.String() + "extra\n", false},
		{"logs jsonl", checkLogsJSONL, logsJSONL(3), true},
		{"logs jsonl missing a line", checkLogsJSONL, logsJSONL(2), false},
		{"logs jsonl with a line twice", checkLogsJSONL, logsJSONL(3) + string(logAt(2)) + "\n", false},
		{"logs text", checkLogsText, logsText(3), true},
		{"logs text out of order", checkLogsText, strings.Join([]string{strings.Split(logsText(3), "\n")[1], strings.Split(logsText(3), "\n")[0], strings.Split(logsText(3), "\n")[2]}, "\n") + "\n", false},
		{"logs pages", checkLogPages, `{"logs":[` + strings.TrimSuffix(strings.ReplaceAll(logsJSONL(3), "\n", ","), ",") + "]}", true},
		{"logs pages short", checkLogPages, `{"logs":[` + string(logAt(0)) + "]}", false},
		{"none", checkEmpty, "", true},
		{"none printing", checkEmpty, "\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := os.CreateTemp(t.TempDir(), "out")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			f.WriteString(tc.output)
			f.Seek(0, 0)
			if err := tc.check(f, want); (err == nil) != tc.ok {
				t.Errorf("check accepted %v, want %v (error: %v)", err == nil, tc.ok, err)
			}
		})
	}
}

func logsJSONL(n int) string {
	var b strings.Builder
	for i := range n {
		b.Write(logAt(i))
		b.WriteByte('\n')
	}
	return b.String()
}

// logsText is the window as the CLI prints it with --utc.
func logsText(n int) string {
	var b strings.Builder
	for i := range n {
		var l struct {
			Message, Replica string
			Level            *string
		}
		json.Unmarshal(logAt(i), &l)
		level := "-"
		if l.Level != nil {
			level = *l.Level
		}
		fmt.Fprintf(&b, "%s %-7s %s %s\n", logBase.Add(time.Duration(i)*logSpacing).Format("2006-01-02T15:04:05.000Z"), level, l.Replica, l.Message)
	}
	return b.String()
}
