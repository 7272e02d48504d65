// Command bench measures the baseten CLI as users run it: whole processes,
// built like a release, listing keys from a local server, side by side with
// two floors built in the same run (a Go "hello" that links net/http, and a
// program that GETs the key list and copies the body to stdout). It prints a
// markdown report for BENCHMARKS.md: per workload the median wall time, the
// peak RSS, the floor's median and the ratio, with issue 8's targets.
//
//	go run ./bench                   # 50,000 keys, 9 runs per workload
//	go run ./bench -keys 1000000     # about 107 MB of JSON
//	go run ./bench -runs 3 -run 'json|table'
//
// It reports; it never fails on a slow result. The exit code is 1 only when
// something could not run: a build, the server, or a workload that exited
// non-zero, wrote to stderr or printed wrong output.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// config is the command line.
type config struct {
	keys     int
	logLines int
	runs     int
	only     *regexp.Regexp
	serve    bool   // internal: be the key-list server (see serve.go)
	args     string // the flags as given, for the report
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if cfg.serve {
		err = serve(cfg.keys, cfg.logLines)
	} else {
		err = run(cfg, os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (config, error) {
	var cfg config
	var only string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.IntVar(&cfg.keys, "keys", 50_000, "number of API keys the server lists (1000000 is about 107 MB of JSON)")
	fs.IntVar(&cfg.logLines, "log-lines", 200_000, "number of log lines in the window the logs workloads print")
	fs.IntVar(&cfg.runs, "runs", 9, "timed runs per workload, each alternating with a run of its floor")
	fs.StringVar(&only, "run", "", "run only the workloads whose name matches this regular expression (names: "+workloadNames()+")")
	fs.BoolVar(&cfg.serve, "serve", false, "internal: serve the key list and print its address (the runner starts this)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./bench [-keys N] [-log-lines N] [-runs N] [-run REGEXP]\n\n")
		fs.VisitAll(func(f *flag.Flag) {
			if f.Name != "serve" {
				fmt.Fprintf(fs.Output(), "  -%s\n    \t%s", f.Name, f.Usage)
				if f.DefValue != "" {
					fmt.Fprintf(fs.Output(), " (default %s)", f.DefValue)
				}
				fmt.Fprintln(fs.Output())
			}
		})
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cfg.keys < 1 || cfg.runs < 1 || cfg.logLines < 1 {
		return cfg, fmt.Errorf("-keys, -log-lines and -runs must be at least 1")
	}
	re, err := regexp.Compile(only)
	if err != nil {
		return cfg, fmt.Errorf("-run: %v", err)
	}
	cfg.only = re
	cfg.args = strings.Join(quoteAll(args), " ")
	return cfg, nil
}
