package schema_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/schema"
)

// envTableFile declares schema.Environment; the scan leaves it out, or every
// entry would trivially "appear in the code".
var envTableFile = filepath.Join("..", "schema", "environment.go")

var basetenName = regexp.MustCompile(`\bBASETEN_[A-Z0-9_]*[A-Z0-9]\b`)

// envUse is what the CLI's non-test Go code says about the environment.
type envUse struct {
	literals map[string]bool // every string literal, whole
	baseten  map[string]bool // BASETEN_* names inside any string literal (prose included)
	getenv   map[string]bool // arguments of os.Getenv, os.LookupEnv and the like: literals, or constants naming one
}

// envConstants are the names environment.go declares (EnvAPIKey and the
// rest) with their values: the code names variables through them.
func envConstants(t *testing.T) map[string]string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), envTableFile, nil, parser.SkipObjectResolution)
	assert.NilError(t, err)
	consts := map[string]string{}
	ast.Inspect(file, func(n ast.Node) bool {
		if spec, ok := n.(*ast.ValueSpec); ok {
			for i, name := range spec.Names {
				if i >= len(spec.Values) {
					continue
				}
				if lit, ok := spec.Values[i].(*ast.BasicLit); ok {
					if s, ok := stringLit(lit); ok {
						consts[name.Name] = s
					}
				}
			}
		}
		return true
	})
	return consts
}

// schemaConstant is the value of schema.EnvX when expr is that selector.
func schemaConstant(expr ast.Expr, envConsts map[string]string) (string, bool) {
	sel, ok := expr.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "schema" {
		return "", false
	}
	value, ok := envConsts[sel.Sel.Name]
	return value, ok
}

// cliDirs are the directories of this module's packages that the baseten
// binary links, found by go list from the module root. The bench and the
// docgen programs read variables of their own (PROCESSOR_IDENTIFIER, ...)
// that the CLI never does.
func cliDirs(t *testing.T, root string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if .Module}}{{if .Module.Main}}{{.Dir}}{{end}}{{end}}", ".")
	cmd.Dir = root
	out, err := cmd.Output()
	assert.NilError(t, err)
	return strings.Fields(string(out))
}

// scanEnvUse parses every non-test Go file (for every platform) of the
// CLI's packages below root.
func scanEnvUse(t *testing.T, root string) envUse {
	t.Helper()
	use := envUse{literals: map[string]bool{}, baseten: map[string]bool{}, getenv: map[string]bool{}}
	envConsts := envConstants(t)
	table, err := filepath.Abs(envTableFile)
	assert.NilError(t, err)
	for _, dir := range cliDirs(t, root) {
		files := token.NewFileSet()
		paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
		assert.NilError(t, err)
		var parsed []*ast.File
		consts := map[string]string{} // the package's string constants, by name
		for _, path := range paths {
			if strings.HasSuffix(path, "_test.go") || path == table {
				continue
			}
			file, err := parser.ParseFile(files, path, nil, parser.SkipObjectResolution)
			assert.NilError(t, err)
			parsed = append(parsed, file)
			ast.Inspect(file, func(n ast.Node) bool {
				if spec, ok := n.(*ast.ValueSpec); ok {
					for i, name := range spec.Names {
						if i < len(spec.Values) {
							if lit, ok := spec.Values[i].(*ast.BasicLit); ok {
								if s, ok := stringLit(lit); ok {
									consts[name.Name] = s
								}
							}
							if s, ok := schemaConstant(spec.Values[i], envConsts); ok {
								consts[name.Name] = s // a short name for schema's
							}
						}
					}
				}
				return true
			})
		}
		for _, file := range parsed {
			ast.Inspect(file, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if s, ok := schemaConstant(n, envConsts); ok {
						use.literals[s] = true // named through schema's constant
					}
				case *ast.BasicLit:
					if s, ok := stringLit(n); ok {
						use.literals[s] = true
						for _, name := range basetenName.FindAllString(s, -1) {
							use.baseten[name] = true
						}
					}
				case *ast.CallExpr:
					if isGetenv(n.Fun) && len(n.Args) == 1 {
						switch arg := n.Args[0].(type) {
						case *ast.BasicLit:
							if s, ok := stringLit(arg); ok {
								use.getenv[s] = true
							}
						case *ast.Ident:
							if s, ok := consts[arg.Name]; ok {
								use.getenv[s] = true
							}
						case *ast.SelectorExpr:
							if s, ok := schemaConstant(arg, envConsts); ok {
								use.getenv[s] = true
							}
						}
					}
				}
				return true
			})
		}
	}
	return use
}

func stringLit(lit *ast.BasicLit) (string, bool) {
	if lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// isGetenv matches os.Getenv, os.LookupEnv and the commands' getenv function.
func isGetenv(fun ast.Expr) bool {
	var name string
	switch f := fun.(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
	}
	return strings.EqualFold(name, "getenv") || name == "LookupEnv"
}

// The table lists exactly the variables the code reads: every BASETEN_* name
// any string in the code mentions and every literal passed to a getenv is in
// it, and every entry is named somewhere in the code (a string literal, or
// its constant from environment.go), and every such constant is in it.
func TestEnvironmentTableMatchesCode(t *testing.T) {
	use := scanEnvUse(t, "..")
	// Guard against a scan that passes because it found nothing.
	assert.Assert(t, use.baseten["BASETEN_API_KEY"] && use.getenv["NO_COLOR"] && use.getenv["TERM"], "the scan found too little: %v", use)

	table := map[string]bool{}
	for _, v := range schema.Environment {
		table[v.Name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(use.baseten)) {
		if !table[name] {
			t.Errorf("the code mentions %s; add it to schema.Environment", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(use.getenv)) {
		if !table[name] {
			t.Errorf("the code reads %s; add it to schema.Environment", name)
		}
	}
	for name, value := range envConstants(t) {
		if !table[value] {
			t.Errorf("environment.go declares %s = %q, which schema.Environment does not list", name, value)
		}
	}
	for _, v := range schema.Environment {
		if !use.literals[v.Name] {
			t.Errorf("schema.Environment lists %s, which no code reads; remove it", v.Name)
		}
	}
}

func TestEnvironmentTableShape(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range schema.Environment {
		assert.Check(t, regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`).MatchString(v.Name), v.Name)
		assert.Check(t, !seen[v.Name], "%s is listed twice", v.Name)
		seen[v.Name] = true
		assert.Check(t, v.Meaning != "" && !strings.ContainsAny(v.Meaning, "\r\n"), "%s: one line each", v.Name)
	}
}
