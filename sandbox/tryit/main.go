// Command tryit shows the baseten CLI at work without a Baseten account: it
// starts the sandbox API on 127.0.0.1, points the real command tree at it and
// runs a short tour (create, list, jq, delete). With arguments it runs just
// that command line against a sandbox seeded with a few keys:
//
//	go run ./sandbox/tryit
//	go run ./sandbox/tryit org api-key list -o json
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/basetenlabs/baseten/commands"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/sandbox"
)

var tour = [][]string{
	{"org", "api-key", "list"},
	{"org", "api-key", "create", "--type", "personal", "--name", "laptop"},
	{"org", "api-key", "create", "--type", "workspace-invoke", "--name", "inference", "--model-id", "abc123", "--team", "Research"},
	{"org", "api-key", "list"},
	{"org", "api-key", "list", "--jq", `.keys[] | select(.type == "PERSONAL") | .prefix`},
	{"org", "api-key", "delete", "--name", "laptop"},
	{"org", "api-key", "delete", "--name", "nope"},
	{"org", "api-key", "list", "-o", "json"},
}

func main() {
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	sb := sandbox.New(sandbox.Options{
		Teams: []sandbox.Team{
			{ID: sandbox.DefaultTeamID, Name: sandbox.DefaultTeamName, Default: true, CreatedAt: sandbox.DefaultTeamCreatedAt},
			{ID: "team-research", Name: "Research", CreatedAt: sandbox.DefaultTeamCreatedAt},
		},
		Keys: []sandbox.SeedKey{{Name: ptr("ci-deploy"), Type: sandbox.TypeWorkspaceManageAll, TeamName: ptr(sandbox.DefaultTeamName)}},
	})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "tryit:", err)
		os.Exit(1)
	}
	go http.Serve(listener, sb) //nolint:errcheck // ends with the process
	apiURL := "http://" + listener.Addr().String()

	env := map[string]string{
		"BASETEN_API_KEY":                     sb.AdminKey(),
		"BASETEN_MANAGEMENT_API_URL_OVERRIDE": apiURL,
		"NO_COLOR":                            os.Getenv("NO_COLOR"),
		"TERM":                                os.Getenv("TERM"),
	}
	getenv := func(k string) string { return env[k] }
	streams := render.Stdio()

	if len(os.Args) > 1 {
		os.Exit(commands.Main(ctx, os.Args[1:], streams, getenv))
	}
	fmt.Fprintf(os.Stderr, "Sandbox API on %s (BASETEN_MANAGEMENT_API_URL_OVERRIDE); nothing leaves this machine.\n", apiURL)
	for _, args := range tour {
		fmt.Fprintf(os.Stderr, "\n$ baseten %s\n", quote(args))
		code := commands.Main(ctx, args, streams, getenv)
		fmt.Fprintf(os.Stderr, "(exit %d)\n", code)
		if ctx.Err() != nil {
			os.Exit(130)
		}
	}
}

func quote(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " |\"$") {
			a = "'" + a + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

func ptr(s string) *string { return &s }
