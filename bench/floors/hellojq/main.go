// Command hellojq is the net/http hello (bench/floors/hello) with gojq
// linked in as well: the process benchmark (go run ./bench) reports it as a
// reference beside --version, to show what the jq library, which the CLI
// must link, adds to starting at all (its package initialisation builds
// jq's builtin functions).
package main

import (
	"fmt"
	"net/http"

	"github.com/itchyny/gojq"
)

func main() {
	// Naming both keeps them, and their package initialisation, linked in.
	fmt.Printf("hello from %T\n", http.DefaultClient)
	_ = gojq.Parse
}
