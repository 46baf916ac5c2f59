package award

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
	"unicode"
)

// labelledTypes are the types whose values people read: each needs a label.
var labelledTypes = map[string]func(code string) (label string, listed bool){
	"Stage": func(c string) (string, bool) { return Stage(c).LabelVI(), slices.Contains(Stages, Stage(c)) },
	"Action": func(c string) (string, bool) {
		return Action(c).LabelVI(), slices.Contains(Actions, Action(c))
	},
	"Role": func(c string) (string, bool) { return Role(c).LabelVI(), slices.Contains(Roles, Role(c)) },
	"SessionStatus": func(c string) (string, bool) {
		return SessionStatus(c).LabelVI(), slices.Contains(SessionStatuses, SessionStatus(c))
	},
	"NomineeKind": func(c string) (string, bool) {
		return NomineeKind(c).LabelVI(), slices.Contains(Kinds, NomineeKind(c))
	},
	"Choice": func(c string) (string, bool) { return Choice(c).LabelVI(), slices.Contains(Choices, Choice(c)) },
	"DocStatus": func(c string) (string, bool) {
		return DocStatus(c).LabelVI(), slices.Contains(DocStatuses, DocStatus(c))
	},
	"DocKind": func(c string) (string, bool) { return DocKind(c).LabelVI(), slices.Contains(DocKinds, DocKind(c)) },
	"DocAction": func(c string) (string, bool) {
		return DocAction(c).LabelVI(), slices.Contains(DocActions, DocAction(c))
	},
	"TaskRating": func(c string) (string, bool) {
		return TaskRating(c).LabelVI(), slices.Contains(TaskRatings, TaskRating(c))
	},
	"DisciplineLevel": func(c string) (string, bool) {
		return DisciplineLevel(c).LabelVI(), slices.Contains(DisciplineLevels, DisciplineLevel(c))
	},
	"CriterionStatus": func(c string) (string, bool) {
		return CriterionStatus(c).LabelVI(), slices.Contains(CriterionStatuses, CriterionStatus(c))
	},
	"Rounding": func(c string) (string, bool) { return Rounding(c).LabelVI(), slices.Contains(Roundings, Rounding(c)) },
	"TieRule":  func(c string) (string, bool) { return TieRule(c).LabelVI(), slices.Contains(TieRules, TieRule(c)) },
	// HeadDecision values are labelled through the history action they leave.
	"HeadDecision": func(c string) (string, bool) {
		return HeadDecision(c).Action().LabelVI(), slices.Contains(Actions, HeadDecision(c).Action())
	},
}

// declaredConstants reads the package's source and returns, per labelled type, every
// constant declared with it. Reading the source (not a hand-kept list) is what makes a
// new constant without a label fail this test.
func declaredConstants(t *testing.T) map[string][]string {
	t.Helper()
	fset, files := parseSource(t)
	out := map[string][]string{}
	for _, file := range files {
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				id, ok := vs.Type.(*ast.Ident)
				if !ok {
					continue
				}
				if _, labelled := labelledTypes[id.Name]; !labelled {
					continue
				}
				for i, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Errorf("%s: constant %s of type %s is not a string literal", fset.Position(v.Pos()), vs.Names[i].Name, id.Name)
						continue
					}
					code, _ := strconv.Unquote(lit.Value)
					out[id.Name] = append(out[id.Name], code)
				}
			}
		}
	}
	return out
}

// parseSource parses the package's non-test files.
func parseSource(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, n, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// TestEveryCodeHasALabel: every constant of a type shown to people has a Vietnamese label
// (not the code itself), is listed in the catalogue the server sends, and no two values of
// one type share a label.
func TestEveryCodeHasALabel(t *testing.T) {
	consts := declaredConstants(t)
	for typ, label := range labelledTypes {
		codes := consts[typ]
		if len(codes) == 0 {
			t.Errorf("no constants of type %s found: the test reads the wrong source", typ)
		}
		seen := map[string]string{}
		for _, c := range codes {
			l, listed := label(c)
			if l == c || strings.TrimSpace(l) == "" {
				t.Errorf("%s %q has no label", typ, c)
				continue
			}
			if !listed {
				t.Errorf("%s %q is not in the catalogue list (Stages, Actions, Roles, SessionStatuses, Kinds, Choices)", typ, c)
			}
			if r := []rune(l)[0]; !unicode.IsUpper(r) {
				t.Errorf("%s %q: label %q should start with a capital letter", typ, c, l)
			}
			if other, dup := seen[l]; dup && typ != "HeadDecision" {
				t.Errorf("%s %q and %q share the label %q", typ, c, other, l)
			}
			seen[l] = c
		}
	}
	// The catalogue lists only declared constants, each once.
	lists := map[string][]string{
		"Stage": strs(Stages), "Action": strs(Actions), "Role": strs(Roles),
		"SessionStatus": strs(SessionStatuses), "NomineeKind": strs(Kinds), "Choice": strs(Choices),
	}
	for typ, list := range lists {
		for i, c := range list {
			if !slices.Contains(consts[typ], c) {
				t.Errorf("catalogue of %s lists %q, which is not a declared constant", typ, c)
			}
			if slices.Index(list, c) != i {
				t.Errorf("catalogue of %s lists %q twice", typ, c)
			}
		}
	}
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = string(x)
	}
	return out
}

// TestRecordedActionsAreConstants: every history line is written with an Action constant,
// so every action the history can hold has a label.
func TestRecordedActionsAreConstants(t *testing.T) {
	fset, files := parseSource(t)
	calls := 0
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "record" || len(call.Args) != 4 {
				return true
			}
			calls++
			switch a := call.Args[2].(type) {
			case *ast.Ident:
				if !slices.Contains(strs(Actions), identValue(a.Name)) {
					t.Errorf("%s: record(…, %s, …) is not a listed Action constant", fset.Position(a.Pos()), a.Name)
				}
			case *ast.CallExpr: // d.Action(): a head's decision, checked below
			default:
				t.Errorf("%s: record's action is not an Action constant", fset.Position(a.Pos()))
			}
			return true
		})
	}
	if calls < 8 {
		t.Errorf("found %d record calls, want every history entry's call (≥ 8): the test reads the wrong source", calls)
	}
	for _, d := range []HeadDecision{HeadEndorse, HeadReturn, HeadReject} {
		if !slices.Contains(Actions, d.Action()) || string(d.Action()) != string(d) {
			t.Errorf("head decision %q leaves action %q, want the same listed code", d, d.Action())
		}
	}
}

// identValue maps the name of an Action constant to its code.
func identValue(name string) string {
	for _, a := range Actions {
		if "Action"+camel(string(a)) == name {
			return string(a)
		}
	}
	return ""
}

func camel(code string) string {
	var b strings.Builder
	for _, part := range strings.Split(code, "_") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func TestLabels(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{StageEndorsed.LabelVI(), "Chờ Hội đồng xét"},
		{ActionAttachEvidence.LabelVI(), "Thêm minh chứng"},
		{HeadReject.Action().LabelVI(), "Không xác nhận"},
		{RoleHead.LabelVI(), "Lãnh đạo phòng"},
		{SessionOpen.LabelVI(), "Đang bỏ phiếu"},
		{KindCollective.LabelVI(), "Tập thể"},
		// One word for abstention everywhere: the ballot page, the API and the documents.
		{Abstain.LabelVI(), "Không ý kiến"},
		{FileTypeLabel("application/pdf", "a.pdf"), "Tài liệu PDF"},
		{FileTypeLabel("image/jpeg", "anh.JPG"), "Ảnh JPEG"},
		{FileTypeLabel("image/png", ""), "Ảnh PNG"},
		{FileTypeLabel("text/plain; charset=utf-8", "ghi-chu.txt"), "Tệp văn bản"},
		{FileTypeLabel("application/zip", "bao-cao.DOCX"), "Tài liệu Word"},
		{FileTypeLabel("application/zip", "so-lieu.xlsx"), "Bảng tính Excel"},
		{FileTypeLabel("application/zip", "tu-lieu.zip"), "Tệp nén ZIP"},
		{FileTypeLabel("application/x-msdownload", "x.exe"), "Tệp khác"},
		{PersonLabel("Nguyễn Thị Hồng Đào", "Chuyên viên", "Phòng Tuyên truyền"), "Nguyễn Thị Hồng Đào (Chuyên viên, Phòng Tuyên truyền)"},
		{PersonLabel("Hệ thống", "", ""), "Hệ thống"},
		{PersonLabel("Lê Văn A", "", "Văn phòng"), "Lê Văn A (Văn phòng)"},
	} {
		if tc.got != tc.want {
			t.Errorf("label %q, want %q", tc.got, tc.want)
		}
	}
	got := Labels(Choices)
	if len(got) != 3 || got[2] != (Label{Code: "abstain", Label: "Không ý kiến"}) {
		t.Errorf("Labels(Choices) = %v", got)
	}
}

// TestBallotErrorsNameTheNominee: a ballot error names the nominee and the award as the
// ballot shows them, never the proposal's id, and uses the ballot's wording.
func TestBallotErrorsNameTheNominee(t *testing.T) {
	s := &Session{Agenda: []AgendaItem{
		{ProposalID: "proposal-e956b16e0123", NomineeName: "Nguyễn Thị Hồng Đào", AwardType: "LDTT"},
		{ProposalID: "proposal-0a1b2c3d4e5f", NomineeName: "Phòng Tuyên truyền", AwardType: "TTLDTT"},
	}}
	names := map[string]string{"LDTT": "Lao động tiên tiến", "TTLDTT": "Tập thể lao động tiên tiến"}
	err := s.CheckMarksNamed(map[string]Choice{"proposal-e956b16e0123": Yes}, func(c string) string { return names[c] })
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %v, want *Error", err)
	}
	for _, msg := range []string{e.VI, e.EN} {
		if strings.Contains(msg, "proposal-") || !strings.Contains(msg, "Phòng Tuyên truyền") || !strings.Contains(msg, "Tập thể lao động tiên tiến") {
			t.Errorf("message %q: want the nominee and the award, not the proposal id", msg)
		}
	}
	err = s.CheckMarks(map[string]Choice{"proposal-e956b16e0123": Yes, "proposal-0a1b2c3d4e5f": "maybe"})
	if e, ok := err.(*Error); !ok || !strings.Contains(e.VI, strings.ToLower(Abstain.LabelVI())) || strings.Contains(e.VI, "biểu quyết") {
		t.Errorf("invalid choice: %v, want the ballot's words (%q)", err, Abstain.LabelVI())
	}
}
