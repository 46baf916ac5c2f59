package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/store"
)

// repositoryQueries finds every query the repository runs: the SQL argument of each call
// of s.exec, s.query and s.queryRow in the package's source. A constant argument
// (literals and package constants joined with +) is evaluated here; a query assembled at
// run time must be in a function that store.DynamicQueries covers, so no query escapes
// the check.
func repositoryQueries(t *testing.T) (static map[string]string, dynamic map[string][]string) {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var parsed []*ast.File
	consts := map[string]ast.Expr{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							consts[n.Name] = vs.Values[i]
						}
					}
				}
			}
		}
	}
	var eval func(e ast.Expr) (string, bool)
	eval = func(e ast.Expr) (string, bool) {
		switch e := e.(type) {
		case *ast.BasicLit:
			if e.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		case *ast.BinaryExpr:
			if e.Op != token.ADD {
				return "", false
			}
			a, ok1 := eval(e.X)
			b, ok2 := eval(e.Y)
			return a + b, ok1 && ok2
		case *ast.ParenExpr:
			return eval(e.X)
		case *ast.Ident:
			if c, ok := consts[e.Name]; ok {
				return eval(c)
			}
		}
		return "", false
	}
	dynamicShapes := store.DynamicQueries()
	static = map[string]string{}
	dynamic = map[string][]string{}
	for _, f := range parsed {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || !slices.Contains([]string{"exec", "query", "queryRow"}, sel.Sel.Name) {
					return true
				}
				if recv, ok := sel.X.(*ast.Ident); !ok || recv.Name != "s" || len(call.Args) < 3 {
					return true
				}
				pos := fset.Position(call.Pos()).String()
				if q, ok := eval(call.Args[2]); ok {
					static[pos] = q
					return true
				}
				shapes, ok := dynamicShapes[fn.Name.Name]
				if !ok {
					t.Errorf("%s: %s builds its query at run time and store.DynamicQueries has no shapes for it", pos, fn.Name.Name)
					return true
				}
				dynamic[fn.Name.Name] = shapes
				return true
			})
		}
	}
	for name := range dynamicShapes {
		if _, used := dynamic[name]; !used {
			t.Errorf("store.DynamicQueries has shapes for %s, which runs no run-time query", name)
		}
	}
	return static, dynamic
}

// TestQueriesMatchSchema prepares every query of the repository against a freshly
// migrated database of each dialect: a table or column that a query names and the
// migrations do not create fails here, on both SQLite and PostgreSQL.
func TestQueriesMatchSchema(t *testing.T) {
	static, dynamic := repositoryQueries(t)
	if len(static) < 25 {
		t.Fatalf("found only %d static queries: the source scan is broken", len(static))
	}
	forEachDialect(t, func(t *testing.T, env *dbEnv) {
		s := env.open(t)
		db := s.DB()
		check := func(where, q string) {
			t.Helper()
			stmt, err := db.PrepareContext(ctx(t), store.Rebind(env.dialect, q))
			if err != nil {
				t.Errorf("%s: %v\n%s", where, err, q)
				return
			}
			stmt.Close()
		}
		for pos, q := range static {
			check(pos, q)
		}
		n := 0
		for fn, qs := range dynamic {
			for _, q := range qs {
				check(fn, q)
				n++
			}
		}
		t.Logf("%s: prepared %d static queries and %d run-time shapes", env.dialect, len(static), n)
	})
}

// The check itself fails on a query that names a column the schema lacks.
func TestQueriesMatchSchemaDetectsDrift(t *testing.T) {
	forEachDialect(t, func(t *testing.T, env *dbEnv) {
		s := env.open(t)
		for _, q := range []string{
			`SELECT nominee_nickname FROM projection WHERE workflow_id = ?`,
			`INSERT INTO awardee (document_id) VALUES (?)`,
		} {
			if stmt, err := s.DB().PrepareContext(ctx(t), store.Rebind(env.dialect, q)); err == nil {
				stmt.Close()
				t.Errorf("prepared %q against a schema without it", q)
			}
		}
	})
}

// Keep the scan honest: the source files exist where the test runs.
func TestMain(m *testing.M) {
	if _, err := os.Stat("store.go"); err != nil {
		panic("tests must run in the package directory: " + err.Error())
	}
	os.Exit(m.Run())
}
