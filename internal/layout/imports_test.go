package layout

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

const module = "github.com/basetenlabs/baseten"

// allowed is ARCHITECTURE.md's "Imports point one way" as data: for each
// package of the module (by its path below the module, "" for the
// binary), the packages of ours it may import and the external modules
// it may import. Anything else it imports, for any platform CI builds,
// fails TestImportsPointOneWay. A new package needs a line here (the test
// says so): deciding where it sits is the point.
var allowed = map[string]struct{ ours, external []string }{
	// The binary: the process (signals, stdio), then commands.Main; schema
	// for the exit code of a second signal.
	"": {ours: []string{"commands", "render", "schema"}},
	// x/sys: sandbox exec asks the terminal which process group is in the
	// foreground before it passes a signal on. internal/atomicfile: the one
	// file commands writes itself, sandbox serve's --env-file.
	"commands": {ours: []string{"credentials", "internal/atomicfile", "managementapi", "render", "sandbox", "schema"}, external: []string{"github.com/alecthomas/kong", "github.com/posener/complete", "github.com/willabides/kongplete", "golang.org/x/sys"}},
	"schema":   {external: []string{"github.com/alecthomas/kong"}},
	"render":   {ours: []string{"internal/rawjson"}, external: []string{"github.com/itchyny/gojq", "github.com/jedib0t/go-pretty/v6", "golang.org/x/term", "golang.org/x/sys", "go.yaml.in/yaml/v4"}},
	// The client knows HTTP and the API's JSON, nothing of commands: the
	// JSON checker, and render for the one spelling of a duration its
	// messages use.
	"managementapi": {ours: []string{"internal/rawjson", "render"}},
	// Stored credentials know nothing of the API.
	"credentials": {ours: []string{"internal/atomicfile", "internal/filelock"}, external: []string{"github.com/zalando/go-keyring"}},
	// The stand-in mirrors the API's wire format on its own, so that a bug
	// in the client's types cannot hide in a matching bug in it.
	"sandbox":             {ours: []string{"internal/atomicfile", "internal/filelock"}},
	"sandbox/sandboxtest": {external: []string{"github.com/getkin/kin-openapi", "github.com/dlclark/regexp2/v2"}},
	"internal/atomicfile": {},
	"internal/filelock":   {external: []string{"golang.org/x/sys"}},
	"internal/rawjson":    {},
	"internal/release":    {},
	"internal/layout":     {},
	"docgen":              {ours: []string{"commands", "schema"}},
	// The benchmark and the release builder run the CLI as a built binary
	// and import none of its code (but a floor that measures linking it).
	"bench":                {ours: []string{"bench/launch", "internal/release"}},
	"bench/launch":         {ours: []string{"bench/launch/wire"}},
	"bench/launch/wire":    {},
	"bench/launcher":       {ours: []string{"bench/launch/wire"}},
	"bench/floors/getcopy": {},
	"bench/floors/getlogs": {},
	"bench/floors/hello":   {},
	"bench/floors/hellojq": {external: []string{"github.com/itchyny/gojq"}},
	"bench/floors/linked":  {ours: []string{"commands", "render"}},
	"release":              {ours: []string{"internal/release"}},
	"e2e":                  {},
}

// goPackage is what go list says of one package.
type goPackage struct {
	ImportPath string
	Imports    []string // non-test imports, for the GOOS listed
	Deps       []string // everything it links, transitively
	GoFiles    []string
	Dir        string
}

// listed caches listPackages by GOOS: go list takes a second or two.
var listed = map[string][]goPackage{}

// listPackages runs go list -deps over the module for one platform.
func listPackages(t *testing.T, goos string) []goPackage {
	t.Helper()
	if pkgs, ok := listed[goos]; ok {
		return pkgs
	}
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Imports,Deps,GoFiles,Dir", "./...")
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(cmd.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0")
	out, err := cmd.Output()
	assert.NilError(t, err)
	var pkgs []goPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p goPackage
		assert.NilError(t, dec.Decode(&p))
		if p.ImportPath == module || strings.HasPrefix(p.ImportPath, module+"/") {
			pkgs = append(pkgs, p)
		}
	}
	assert.Assert(t, len(pkgs) > 10, "go list found %d packages of the module", len(pkgs))
	listed[goos] = pkgs
	return pkgs
}

// ours is a module package's path below the module ("" for the binary).
func ours(path string) (string, bool) {
	if path == module {
		return "", true
	}
	rest, found := strings.CutPrefix(path, module+"/")
	return rest, found
}

// isStd reports whether an import path is the standard library's.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func TestImportsPointOneWay(t *testing.T) {
	for _, goos := range []string{"linux", "darwin", "windows"} {
		for _, p := range listPackages(t, goos) {
			name, _ := ours(p.ImportPath)
			rule, known := allowed[name]
			if !known {
				t.Errorf("%s: package %q has no line in allowed (imports_test.go); add one saying what it may import", goos, name)
				continue
			}
			for _, imp := range p.Imports {
				if isStd(imp) {
					continue
				}
				if dep, mine := ours(imp); mine {
					assert.Check(t, slices.Contains(rule.ours, dep), "%s: %q imports %q, which ARCHITECTURE.md's rules do not allow", goos, name, dep)
					continue
				}
				assert.Check(t, slices.ContainsFunc(rule.external, func(m string) bool { return imp == m || strings.HasPrefix(imp, m+"/") }),
					"%s: %q imports %s, which ARCHITECTURE.md's rules do not allow", goos, name, imp)
			}
		}
	}
}

// The contract checker (and the OpenAPI library behind it) is for tests:
// the binary never links it.
func TestBinaryLinksNoTestSupport(t *testing.T) {
	for _, goos := range []string{"linux", "windows"} {
		for _, p := range listPackages(t, goos) {
			if p.ImportPath != module {
				continue
			}
			for _, dep := range p.Deps {
				assert.Check(t, dep != module+"/sandbox/sandboxtest" && !strings.HasPrefix(dep, "github.com/getkin/"), "%s: the binary links %s", goos, dep)
			}
		}
	}
}

// Outside tests, only the sandbox command's files import the sandbox.
func TestOnlyTheSandboxCommandImportsTheSandbox(t *testing.T) {
	for _, p := range listPackages(t, "linux") {
		name, _ := ours(p.ImportPath)
		for _, file := range p.GoFiles {
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(p.Dir, file), nil, parser.ImportsOnly)
			assert.NilError(t, err)
			for _, spec := range f.Imports {
				path, _ := strconv.Unquote(spec.Path.Value)
				if path == module+"/sandbox" {
					assert.Check(t, name == "commands" && strings.HasPrefix(file, "sandbox"), "%s/%s imports the sandbox", name, file)
				}
			}
		}
	}
}
