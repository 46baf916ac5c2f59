package orgconfig

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
)

// withoutSetTypes removes every rule set's award_types block: the configuration shape
// from before rule sets carried award types.
func withoutSetTypes(y string) string {
	re := regexp.MustCompile(`(?m)^    award_types:\n(?:      .*\n|         .*\n)*`)
	return re.ReplaceAllString(y, "")
}

// TestOldAwardTypesShapeLoads: a configuration whose rule sets say nothing of award
// types still loads, and every year gets the catalogue's types unchanged.
func TestOldAwardTypesShapeLoads(t *testing.T) {
	y := withoutSetTypes(string(demoYAML))
	if strings.Count(y, "award_types:") != strings.Count(string(demoYAML), "award_types:")-2 {
		t.Fatalf("the demo's rule sets did not lose their award_types")
	}
	o, err := Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	for _, year := range []int{2024, 2025, 2026} {
		rules, ok := o.RulesForYear(year)
		if !ok {
			t.Fatalf("%d: no rule set", year)
		}
		if !reflect.DeepEqual(rules.Types, o.AwardTypes) {
			t.Errorf("%d: the set's types differ from the catalogue:\n%+v\n%+v", year, rules.Types, o.AwardTypes)
		}
		for _, c := range o.AwardTypes {
			got, ok := o.AwardTypeForYear(c.Code, year)
			if !ok || got.Coefficient(award.KindIndividual) != c.BonusCoefficient || !reflect.DeepEqual(got.Vote, c.Vote) {
				t.Errorf("%d %s: %+v, want the catalogue's %+v", year, c.Code, got, c)
			}
		}
	}
}

// changedDemo is the demo with NĐ 152/2025 changing the LĐTT coefficient and the
// CSTĐCS vote rule (test values, not the law).
func changedDemo(t *testing.T) *Org {
	t.Helper()
	y := string(demoYAML)
	for from, to := range map[string]string{
		`{code: LDTT, bonus_coefficient: 0.3, bonus_citation: "Nghị định 152/2025`: `{code: LDTT, bonus_coefficient: 0.35, bonus_citation: "Nghị định 152/2025`,
		`{code: CSTDCS, bonus_coefficient: 1.0, bonus_citation: "Nghị định 152/2025`: `{code: CSTDCS, vote: {quorum: {num: 2, den: 3}, pass: {num: 2, den: 3}, base: present, secret: true, ` +
			`quota: {of_award_type: LDTT, percent: 20}}, bonus_coefficient: 1.0, bonus_citation: "Nghị định 152/2025`,
		`{code: GK, bonus_coefficient: 0.3, collective_bonus_coefficient: 0.6, bonus_verified: false,
         bonus_citation: "Nghị định 152/2025`: `{code: GK, bonus_coefficient: 0.3, collective_bonus_coefficient: 0.7, bonus_verified: false,
         bonus_citation: "Nghị định 152/2025`,
	} {
		if !strings.Contains(y, from) {
			t.Fatalf("demo lacks %q", from)
		}
		y = strings.Replace(y, from, to, 1)
	}
	o, err := Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestRuleSetTypesByYear: a 2024 proposal gets NĐ 98/2023's coefficient, vote rule,
// quota and căn cứ; a 2026 one NĐ 152/2025's (with its date).
func TestRuleSetTypesByYear(t *testing.T) {
	o := changedDemo(t)
	for _, c := range []struct {
		year             int
		set              string
		ldtt, gkTapThe   float64
		pass             award.Ratio
		base             award.PassBase
		quota            int
		basis, bonusCite string
	}{
		{2024, "luat-2022-nd98", 0.3, 0.6, award.Ratio{Num: 70, Den: 100}, award.BaseMembers, 15, "98/2023/NĐ-CP ngày 31 tháng 12 năm 2023", "98/2023"},
		{2025, "luat-2022-nd152", 0.35, 0.7, award.Ratio{Num: 2, Den: 3}, award.BasePresent, 20, "152/2025/NĐ-CP ngày 14 tháng 6 năm 2025", "152/2025"},
		{2026, "luat-2022-nd152", 0.35, 0.7, award.Ratio{Num: 2, Den: 3}, award.BasePresent, 20, "152/2025/NĐ-CP ngày 14 tháng 6 năm 2025", "152/2025"},
	} {
		rules, ok := o.RulesForYear(c.year)
		if !ok || rules.Set.ID != c.set {
			t.Fatalf("%d: rule set %q, want %q", c.year, rules.Set.ID, c.set)
		}
		if !strings.Contains(strings.Join(rules.Set.DecisionBases, "\n"), c.basis) {
			t.Errorf("%d: căn cứ %q", c.year, rules.Set.DecisionBases)
		}
		ldtt, _ := o.AwardTypeForYear("LDTT", c.year)
		gk, _ := o.AwardTypeForYear("GK", c.year)
		cs, _ := o.AwardTypeForYear("CSTDCS", c.year)
		if ldtt.Coefficient(award.KindIndividual) != c.ldtt || gk.Coefficient(award.KindCollective) != c.gkTapThe || gk.Coefficient(award.KindIndividual) != 0.3 {
			t.Errorf("%d: coefficients LĐTT %v, Giấy khen tập thể %v", c.year, ldtt.BonusCoefficient, gk.Coefficient(award.KindCollective))
		}
		if !strings.Contains(ldtt.BonusCitation, c.bonusCite) {
			t.Errorf("%d: LĐTT coefficient cites %q", c.year, ldtt.BonusCitation)
		}
		if cs.Vote.Pass != c.pass || cs.Vote.Base != c.base || cs.Vote.Quota == nil || cs.Vote.Quota.Percent != c.quota || cs.Vote.Quota.Rounding == "" {
			t.Errorf("%d: CSTĐCS vote %+v quota %+v", c.year, cs.Vote, cs.Vote.Quota)
		}
		// The eligibility rules carry the same types.
		if rt, ok := rules.Set.AwardType("CSTDCS"); !ok || !reflect.DeepEqual(rt, cs) {
			t.Errorf("%d: RulesForYear's CSTĐCS %+v, AwardTypeForYear's %+v", c.year, rt, cs)
		}
		if !reflect.DeepEqual(rules.Types, rules.Set.Types) {
			t.Errorf("%d: Rules.Types is not the set's", c.year)
		}
	}
	// The catalogue keeps its own values (older readers, names and kinds).
	if l, _ := o.AwardType("LDTT"); l.BonusCoefficient != 0.3 {
		t.Errorf("catalogue LĐTT %v", l.BonusCoefficient)
	}
}

// TestDemoRuleSetsCiteTheirCoefficients: the demo's two sets carry their own citations
// of the coefficients; NĐ 152/2025's values are unverified and kept equal to NĐ 98/2023's
// (no difference is invented).
func TestDemoRuleSetsCiteTheirCoefficients(t *testing.T) {
	o, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range o.AwardTypes {
		old, ok1 := o.AwardTypeForYear(c.Code, 2024)
		cur, ok2 := o.AwardTypeForYear(c.Code, 2026)
		if !ok1 || !ok2 {
			t.Fatalf("%s missing", c.Code)
		}
		if !strings.Contains(old.BonusCitation, "98/2023") || !strings.Contains(cur.BonusCitation, "152/2025") {
			t.Errorf("%s: citations %q / %q", c.Code, old.BonusCitation, cur.BonusCitation)
		}
		if cur.BonusVerified || !strings.Contains(cur.BonusCitation, "verify") {
			t.Errorf("%s: NĐ 152/2025 coefficient marked verified: %q", c.Code, cur.BonusCitation)
		}
		if old.Coefficient(award.KindIndividual) != cur.Coefficient(award.KindIndividual) || old.Coefficient(award.KindCollective) != cur.Coefficient(award.KindCollective) {
			t.Errorf("%s: the demo invents a difference", c.Code)
		}
	}
}

// TestRuleSetTypesRejected: a bad award type rule of a set stops the start with a
// message in both languages.
func TestRuleSetTypesRejected(t *testing.T) {
	nd152LDTT := `{code: LDTT, bonus_coefficient: 0.3, bonus_citation: "Nghị định 152/2025`
	nd152GK := `{code: GK, bonus_coefficient: 0.3, collective_bonus_coefficient: 0.6, bonus_verified: false,
         bonus_citation: "Nghị định 152/2025/NĐ-CP [verify: điều, khoản về mức tiền thưởng; giữ 0,3 cá nhân, 0,6 tập thể như NĐ 98/2023]"}`
	cases := map[string]struct{ from, to, vi, en string }{
		"unknown code": {nd152LDTT, `{code: LDTX, bonus_coefficient: 0.3, bonus_citation: "Nghị định 152/2025`,
			"“LDTX” không có trong danh mục", `"LDTX" is not in award_types`},
		"a type twice": {nd152GK, `{code: LDTT, removed: true}`, "khai báo hai lần", "given twice"},
		"removed while a movement names it": {nd152GK, `{code: GK, removed: true}`,
			"Phong trào “vanhoa-2025” (năm thành tích 2025) cần đăng ký cho hình thức “GK”", "movement vanhoa-2025 (achievement year 2025) requires registration for GK"},
		"removed while eligibility names it": {nd152GK, `{code: GK, removed: true}`,
			"tiêu chuẩn của hình thức “GK” mà bộ quy định đã bỏ", "eligibility criteria for GK, which the set removes"},
		"removed while a quota counts it": {nd152LDTT + `/NĐ-CP [verify: điều, khoản về mức tiền thưởng; giữ 0,3 như NĐ 98/2023]", bonus_verified: false}`, `{code: LDTT, removed: true}`,
			"chỉ tiêu của “CSTDCS” tính theo “LDTT”", "the quota of CSTDCS counts LDTT"},
		"negative coefficient": {nd152LDTT, `{code: LDTT, bonus_coefficient: -0.3, bonus_citation: "Nghị định 152/2025`, "hệ số tiền thưởng -0.3", "bonus coefficient -0.3"},
		"collective coefficient of an individual title": {nd152LDTT, `{code: LDTT, collective_bonus_coefficient: 0.5, bonus_citation: "Nghị định 152/2025`,
			"không tặng cho tập thể", "not awarded to collectives"},
		"bad pass mark": {nd152LDTT, `{code: LDTT, vote: {quorum: {num: 2, den: 3}, pass: {num: 3, den: 2}, base: members}, bonus_citation: "Nghị định 152/2025`,
			"quy tắc biểu quyết của “LDTT” không hợp lệ", "the vote rule of LDTT is invalid"},
		"an unknown key": {nd152LDTT, `{code: LDTT, bonus: 0.3, bonus_citation: "Nghị định 152/2025`, "", "field bonus not found"},
	}
	for name, c := range cases {
		y := strings.Replace(string(demoYAML), c.from, c.to, 1)
		if y == string(demoYAML) {
			t.Fatalf("%s: replacement did not apply", name)
		}
		_, err := Parse([]byte(y))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), c.vi) || !strings.Contains(err.Error(), c.en) {
			t.Errorf("%s: error does not say %q and %q:\n%v", name, c.vi, c.en, err)
		}
		if c.vi != "" {
			var de *award.Error
			if !errors.As(err, &de) || de.Code != award.CodeInvalid {
				t.Errorf("%s: no bilingual domain error in %v", name, err)
			}
		}
	}
}
