// Command hello is the start-up floor of the process benchmark (go run
// ./bench): the least a Go program that links net/http, as the CLI does, can
// do. `baseten --version` and `--help` are measured against it.
package main

import (
	"fmt"
	"net/http"
)

func main() {
	// Naming the default client keeps net/http (and its package
	// initialisation) in the binary, as in the CLI.
	fmt.Printf("hello from %T\n", http.DefaultClient)
}
