package award

import (
	"go/ast"
	"go/token"
	"slices"
	"strconv"
	"testing"
)

// TestEveryRuleKindIsKnown: every RuleKind constant is listed, has its parameter spec
// (CheckRuleSets) and a requirement text (the evaluator handles it), so a new kind of
// rule cannot be configured and then silently evaluated as "unsupported".
func TestEveryRuleKindIsKnown(t *testing.T) {
	_, files := parseSource(t)
	var declared []RuleKind
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "RuleKind" {
					continue
				}
				for _, v := range vs.Values {
					s, _ := strconv.Unquote(v.(*ast.BasicLit).Value)
					declared = append(declared, RuleKind(s))
				}
			}
		}
	}
	if len(declared) != len(RuleKinds) {
		t.Fatalf("declared %v, listed %v", declared, RuleKinds)
	}
	e := &evaluator{}
	for _, k := range declared {
		if !slices.Contains(RuleKinds, k) {
			t.Errorf("%s is not in RuleKinds", k)
		}
		if _, ok := ruleParams[k]; !ok {
			t.Errorf("%s has no parameter spec", k)
		}
		if vi, _ := e.requirement(EligibilityCriterion{Rule: k, Text: "x", TextEN: "x"}); vi == string(k) {
			t.Errorf("%s has no requirement text", k)
		}
		r := e.criterion(EligibilityCriterion{Rule: k}, Nominee{Kind: KindIndividual, Year: 2025}, 0)
		if r.Status == StatusUnknown && r.Reason == "Loại quy tắc “"+string(k)+"” không được hỗ trợ" {
			t.Errorf("%s is not evaluated", k)
		}
	}
}
