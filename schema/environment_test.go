package schema_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
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

// envUse is what the module's non-test Go code says about the environment.
type envUse struct {
	literals map[string]bool // every string literal, whole
	baseten  map[string]bool // BASETEN_* names inside any string literal (prose included)
	getenv   map[string]bool // literal arguments of os.Getenv, os.LookupEnv and the like
}

// scanEnvUse parses every non-test Go file of the module below root.
func scanEnvUse(t *testing.T, root string) envUse {
	t.Helper()
	use := envUse{literals: map[string]bool{}, baseten: map[string]bool{}, getenv: map[string]bool{}}
	files := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || path == envTableFile {
			return nil
		}
		file, err := parser.ParseFile(files, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, ok := stringLit(n); ok {
					use.literals[s] = true
					for _, name := range basetenName.FindAllString(s, -1) {
						use.baseten[name] = true
					}
				}
			case *ast.CallExpr:
				if isGetenv(n.Fun) && len(n.Args) == 1 {
					if lit, ok := n.Args[0].(*ast.BasicLit); ok {
						if s, ok := stringLit(lit); ok {
							use.getenv[s] = true
						}
					}
				}
			}
			return true
		})
		return nil
	})
	assert.NilError(t, err)
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
// it, and every entry is a string literal somewhere in the code.
func TestEnvironmentTableMatchesCode(t *testing.T) {
	use := scanEnvUse(t, "..")
	// Guard against a scan that passes because it found nothing.
	assert.Assert(t, use.baseten["BASETEN_API_KEY"] && use.getenv["NO_COLOR"], "the scan found too little: %v", use)

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
	for _, v := range schema.Environment {
		if !use.literals[v.Name] {
			t.Errorf("schema.Environment lists %s, which no code reads; remove it", v.Name)
		}
	}
}

func TestEnvironmentTableShape(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range schema.Environment {
		assert.Check(t, regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`).MatchString(v.Name), v.Name)
		assert.Check(t, !seen[v.Name], "%s is listed twice", v.Name)
		seen[v.Name] = true
		assert.Check(t, v.Meaning != "" && !strings.ContainsAny(v.Meaning, "\r\n"), "%s: one line each", v.Name)
	}
}
