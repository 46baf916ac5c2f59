package award

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// anyArg formats as a placeholder under every verb, so that rendering a message with
// it shows only what the format itself gets wrong (missing, extra or bad-index
// arguments: fmt's "%!" debris).
type anyArg struct{}

func (anyArg) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte("‹x›")) }

// constructors are the functions that format both languages with shared arguments, and
// how many leading arguments come before the two formats.
var constructors = map[string]int{
	"Malformed": 0, "Unauthenticated": 0, "Invalid": 0, "Forbidden": 0, "WrongStage": 0,
	"Duplicate": 0, "NotFound": 0, "TooLarge": 0, "UnsupportedType": 0,
	"TooManyRequests": 1, "Unavailable": 1, "newErr": 1,
}

// TestErrorCallSites renders every call of an error constructor in the repository, in
// both languages, with as many arguments as the call passes, and fails on fmt debris
// ("%!(EXTRA …)", "%!s(MISSING)", …) and on formats that are not string literals (they
// could not be checked). It is the class test for messages like "Tệp quá lớn%!(EXTRA
// int=1048576)".
func TestErrorCallSites(t *testing.T) {
	root := repoRoot(t)
	fset := token.NewFileSet()
	calls := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".tools", "testdata", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inAward := f.Name.Name == "award"
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "award" {
					name = fn.Sel.Name
				}
			case *ast.Ident:
				if inAward {
					name = fn.Name
				}
			}
			lead, ok := constructors[name]
			if !ok || name == "newErr" && !inAward {
				return true
			}
			if name == "newErr" {
				lead = 1
			}
			pos := fset.Position(call.Pos())
			if len(call.Args) < lead+2 {
				return true
			}
			if call.Ellipsis.IsValid() {
				return true // a forwarding wrapper (newErr's callers pass args...)
			}
			calls++
			nargs := len(call.Args) - lead - 2
			args := make([]any, nargs)
			for i := range args {
				args[i] = anyArg{}
			}
			for i, lang := range []string{"vi", "en"} {
				lit, ok := call.Args[lead+i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Errorf("%s: %s: the %s message of %s is not a string literal, so it cannot be checked", pos, lang, lang, name)
					continue
				}
				format, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Errorf("%s: %v", pos, err)
					continue
				}
				if out := fmt.Sprintf(format, args...); strings.Contains(out, "%!") {
					t.Errorf("%s: %s message of %s renders with fmt debris: %q", pos, lang, name, out)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 30 {
		t.Fatalf("found only %d constructor calls: the scan is broken", calls)
	}
	t.Logf("%d constructor calls checked", calls)
}

// TestNamedErrorsRender renders the constructors that build their own messages.
func TestNamedErrorsRender(t *testing.T) {
	errs := []*Error{
		Internal(), MethodNotAllowed("DELETE", "/api/v1/login"),
		TooManyRequests(0, "x", "x"), Unavailable(3, "x", "x"),
	}
	for _, n := range []Noun{NounProposal, NounSession, NounDecision, NounDocument, NounEvidence, NounFile,
		NounBallot, NounInbox, NounProposalList, NounSessionList} {
		errs = append(errs, NotFoundNoun(n))
	}
	for _, e := range errs {
		for _, m := range []string{e.VI, e.EN} {
			if m == "" || strings.Contains(m, "%!") {
				t.Errorf("%s: bad message %q", e.Code, m)
			}
		}
		if e.Code == CodeTooManyRequests || e.Code == CodeUnavailable {
			if e.RetryAfter < 1 {
				t.Errorf("%s without Retry-After", e.Code)
			}
		}
	}
	if got := NotFoundNoun(NounSession); got.EN != "council session not found" || got.VI != "Không tìm thấy phiên họp" {
		t.Errorf("noun message mixes languages: %+v", got)
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}
