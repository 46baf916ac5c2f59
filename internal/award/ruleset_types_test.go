package award

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

// typeCatalogue is a catalogue of award types as the organisation config declares them
// (the rules every rule set keeps unless it says otherwise).
func typeCatalogue() []AwardType {
	simple := VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Base: BaseMembers, Strict: true}
	return []AwardType{
		{Code: "LDTT", Name: "Lao động tiên tiến", Kind: KindIndividual, Authority: AuthorityAgency, Vote: simple,
			BonusCoefficient: 0.3, Citation: "Luật 2022 Điều 24", Annual: true},
		{Code: "CSTDCS", Name: "Chiến sĩ thi đua cơ sở", Kind: KindIndividual, Authority: AuthorityAgency,
			Vote:             VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{70, 100}, Base: BaseMembers, Secret: true, Quota: &Quota{OfAwardType: "LDTT", Percent: 15, Rounding: RoundFloor, Ties: TieRevote}},
			BonusCoefficient: 1.0, Citation: "Luật 2022 Điều 23", Annual: true},
		{Code: "GK", Name: "Giấy khen", Kind: KindIndividual, Kinds: []NomineeKind{KindIndividual, KindCollective}, Authority: AuthorityAgency,
			Vote: simple, BonusCoefficient: 0.3, CollectiveBonusCoefficient: 0.6, Citation: "Luật 2022 Điều 74"},
		{Code: "CSTDT", Name: "Chiến sĩ thi đua cấp tỉnh", Kind: KindIndividual, Authority: AuthorityUpward, Vote: simple,
			BonusCoefficient: 3.0, Citation: "Luật 2022 Điều 22", Annual: true},
	}
}

// twoRuleSets: NĐ 98/2023 keeps the catalogue; NĐ 152/2025 (test values, not the law)
// changes the LĐTT coefficient, the CSTĐCS pass mark and quota, the collective Giấy
// khen coefficient, and does not award CSTĐT.
func twoRuleSets() []RuleSet {
	return []RuleSet{
		{ID: "nd98", Effective: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), FromYear: 2024, Citation: "NĐ 98/2023",
			DecisionBases: []string{"Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023"}},
		{ID: "nd152", Effective: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), FromYear: 2025, Citation: "NĐ 152/2025",
			DecisionBases: []string{"Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025"},
			AwardTypeRules: []AwardTypeRule{
				{Code: "LDTT", BonusCoefficient: ptr(0.35), BonusCitation: "NĐ 152/2025 [test]"},
				{Code: "CSTDCS", Vote: &VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{2, 3}, Base: BasePresent, Secret: true,
					Quota: &Quota{OfAwardType: "LDTT", Percent: 20}}},
				{Code: "GK", CollectiveBonusCoefficient: ptr(0.7)},
				{Code: "CSTDT", Removed: true},
			}},
	}
}

// TestRuleSetAwardTypes: each achievement year gets the award types of its own rule set
// (coefficients, vote rule, quota, căn cứ), and a set that says nothing of a type keeps
// the catalogue's.
func TestRuleSetAwardTypes(t *testing.T) {
	sets := twoRuleSets()
	cat := typeCatalogue()
	for i := range sets {
		if err := CheckAwardTypeRules(sets[i], cat); err != nil {
			t.Fatalf("%s: %v", sets[i].ID, err)
		}
		sets[i] = sets[i].Resolve(cat)
	}
	cases := []struct {
		year        int
		code        string
		kind        NomineeKind
		set         string
		ok          bool
		coefficient float64
		pass        Ratio
		base        PassBase
		quota       int // percent, 0: none
		basis       string
	}{
		{2024, "LDTT", KindIndividual, "nd98", true, 0.3, Ratio{1, 2}, BaseMembers, 0, "98/2023"},
		{2026, "LDTT", KindIndividual, "nd152", true, 0.35, Ratio{1, 2}, BaseMembers, 0, "152/2025"},
		{2024, "CSTDCS", KindIndividual, "nd98", true, 1.0, Ratio{70, 100}, BaseMembers, 15, "98/2023"},
		{2025, "CSTDCS", KindIndividual, "nd152", true, 1.0, Ratio{2, 3}, BasePresent, 20, "152/2025"},
		{2026, "CSTDCS", KindIndividual, "nd152", true, 1.0, Ratio{2, 3}, BasePresent, 20, "152/2025"},
		{2024, "GK", KindCollective, "nd98", true, 0.6, Ratio{1, 2}, BaseMembers, 0, "98/2023"},
		{2026, "GK", KindCollective, "nd152", true, 0.7, Ratio{1, 2}, BaseMembers, 0, "152/2025"},
		{2026, "GK", KindIndividual, "nd152", true, 0.3, Ratio{1, 2}, BaseMembers, 0, "152/2025"},
		{2024, "CSTDT", KindIndividual, "nd98", true, 3.0, Ratio{1, 2}, BaseMembers, 0, "98/2023"},
		{2026, "CSTDT", KindIndividual, "nd152", false, 0, Ratio{}, "", 0, "152/2025"},
	}
	for _, c := range cases {
		rs, ok := RuleSetForYear(sets, c.year)
		if !ok || rs.ID != c.set {
			t.Fatalf("%d: rule set %q, want %q", c.year, rs.ID, c.set)
		}
		if !strings.Contains(strings.Join(rs.DecisionBases, "\n"), c.basis) {
			t.Errorf("%d: căn cứ %q, want %s", c.year, rs.DecisionBases, c.basis)
		}
		at, ok := rs.AwardType(c.code)
		if ok != c.ok {
			t.Errorf("%d %s: found %v, want %v", c.year, c.code, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if got := at.Coefficient(c.kind); got != c.coefficient {
			t.Errorf("%d %s (%s): coefficient %v, want %v", c.year, c.code, c.kind, got, c.coefficient)
		}
		if at.Vote.Pass != c.pass || at.Vote.Base != c.base {
			t.Errorf("%d %s: pass %s of %s, want %s of %s", c.year, c.code, at.Vote.Pass, at.Vote.Base, c.pass, c.base)
		}
		if got := 0; at.Vote.Quota != nil && at.Vote.Quota.Percent != c.quota || at.Vote.Quota == nil && c.quota != got {
			t.Errorf("%d %s: quota %+v, want %d%%", c.year, c.code, at.Vote.Quota, c.quota)
		}
		if q := at.Vote.Quota; q != nil && (q.Rounding == "" || q.Ties == "") {
			t.Errorf("%d %s: quota not normalised: %+v", c.year, c.code, q)
		}
		if at.Name == "" || at.Authority == "" {
			t.Errorf("%d %s: identity lost: %+v", c.year, c.code, at)
		}
	}
	// The catalogue itself is never changed by a set.
	if cat[0].BonusCoefficient != 0.3 || cat[1].Vote.Quota.Percent != 15 {
		t.Errorf("catalogue changed: %+v", cat)
	}
	// A set's citation of the coefficients follows it; an unset one keeps the catalogue's.
	nd152, _ := RuleSetForYear(sets, 2026)
	if l, _ := nd152.AwardType("LDTT"); l.BonusCitation != "NĐ 152/2025 [test]" {
		t.Errorf("bonus citation %q", l.BonusCitation)
	}
}

// TestAwardTypeRulesRejected: a bad rule of a set is refused with a message in both
// languages naming the set and the type.
func TestAwardTypeRulesRejected(t *testing.T) {
	cases := map[string]struct {
		rules  []AwardTypeRule
		vi, en string
	}{
		"unknown code":     {[]AwardTypeRule{{Code: "LDT", BonusCoefficient: ptr(0.3)}}, "không có trong danh mục", "is not in award_types"},
		"empty code":       {[]AwardTypeRule{{BonusCoefficient: ptr(0.3)}}, "không có trong danh mục", "is not in award_types"},
		"twice":            {[]AwardTypeRule{{Code: "LDTT", BonusCoefficient: ptr(0.3)}, {Code: "LDTT", Removed: true}}, "hai lần", "twice"},
		"negative":         {[]AwardTypeRule{{Code: "LDTT", BonusCoefficient: ptr(-0.3)}}, "hệ số", "coefficient"},
		"absurd":           {[]AwardTypeRule{{Code: "LDTT", BonusCoefficient: ptr(1000.0)}}, "hệ số", "coefficient"},
		"collective":       {[]AwardTypeRule{{Code: "LDTT", CollectiveBonusCoefficient: ptr(0.5)}}, "tập thể", "collective"},
		"removed+rules":    {[]AwardTypeRule{{Code: "GK", Removed: true, BonusCoefficient: ptr(0.3)}}, "bỏ", "removed"},
		"empty rule":       {[]AwardTypeRule{{Code: "GK"}}, "không thay đổi", "changes nothing"},
		"bad vote":         {[]AwardTypeRule{{Code: "GK", Vote: &VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{3, 2}, Base: BaseMembers}}}, "biểu quyết", "vote rule"},
		"quota of removed": {[]AwardTypeRule{{Code: "LDTT", Removed: true}}, "chỉ tiêu", "quota"},
		"quota unknown": {[]AwardTypeRule{{Code: "GK", Vote: &VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Base: BaseMembers,
			Quota: &Quota{OfAwardType: "XYZ", Percent: 10}}}}, "chỉ tiêu", "quota"},
	}
	for name, c := range cases {
		rs := RuleSet{ID: "nd152", Effective: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), AwardTypeRules: c.rules}
		err := CheckAwardTypeRules(rs, typeCatalogue())
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		var de *Error
		if !errors.As(err, &de) || de.Code != CodeInvalid {
			t.Errorf("%s: not an invalid domain error: %v", name, err)
			continue
		}
		if !strings.Contains(de.VI, c.vi) || !strings.Contains(de.EN, c.en) || !strings.Contains(de.VI, "nd152") || !strings.Contains(de.EN, "nd152") {
			t.Errorf("%s: %q / %q, want %q / %q and the set", name, de.VI, de.EN, c.vi, c.en)
		}
	}
}

// TestSessionAwardTypes: a session takes, for each award type on its agenda, the rules of
// the rule set of its proposals' achievement year; proposals of one type judged under two
// different rule sets cannot share a session (one decision cites one set).
func TestSessionAwardTypes(t *testing.T) {
	sets := twoRuleSets()
	cat := typeCatalogue()
	for i := range sets {
		sets[i] = sets[i].Resolve(cat)
	}
	got, err := SessionAwardTypes(sets, cat, []AgendaYear{
		{ProposalID: "p1", NomineeName: "A", AwardType: "CSTDCS", Year: 2024},
		{ProposalID: "p2", NomineeName: "B", AwardType: "LDTT", Year: 2024},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got["CSTDCS"].Vote.Pass != (Ratio{70, 100}) || got["CSTDCS"].Vote.Quota.Percent != 15 || got["LDTT"].BonusCoefficient != 0.3 {
		t.Errorf("2024: %+v", got)
	}
	got, err = SessionAwardTypes(sets, cat, []AgendaYear{{ProposalID: "p1", NomineeName: "A", AwardType: "CSTDCS", Year: 2026}})
	if err != nil {
		t.Fatal(err)
	}
	if got["CSTDCS"].Vote.Pass != (Ratio{2, 3}) || got["CSTDCS"].Vote.Quota.Percent != 20 || got["LDTT"].BonusCoefficient != 0.35 {
		t.Errorf("2026: %+v", got)
	}
	for _, code := range []string{"LDTT", "CSTDCS", "GK", "CSTDT"} {
		if _, ok := got[code]; !ok {
			t.Errorf("2026: %s missing from the snapshot", code)
		}
	}
	// 2025 and 2026 share a set: fine.
	if _, err := SessionAwardTypes(sets, cat, []AgendaYear{{"p1", "A", "CSTDCS", 2025}, {"p2", "B", "CSTDCS", 2026}}); err != nil {
		t.Errorf("2025 + 2026: %v", err)
	}
	// Different types under different sets: each its own.
	got, err = SessionAwardTypes(sets, cat, []AgendaYear{{"p1", "A", "CSTDCS", 2024}, {"p2", "B", "GK", 2026}})
	if err != nil {
		t.Fatal(err)
	}
	if got["CSTDCS"].Vote.Quota.Percent != 15 {
		t.Errorf("mixed types: %+v", got["CSTDCS"].Vote)
	}
	// One type under two sets: refused, naming both.
	_, err = SessionAwardTypes(sets, cat, []AgendaYear{{"p1", "Nguyễn A", "CSTDCS", 2024}, {"p2", "Trần B", "CSTDCS", 2026}})
	var de *Error
	if !errors.As(err, &de) || de.Code != CodeInvalid || !strings.Contains(de.VI, "Nguyễn A") || !strings.Contains(de.VI, "Trần B") ||
		!strings.Contains(de.EN, "nd98") || !strings.Contains(de.EN, "nd152") {
		t.Errorf("one type, two sets: %v", err)
	}
	// A type the year's set does not award: refused.
	_, err = SessionAwardTypes(sets, cat, []AgendaYear{{"p1", "Nguyễn A", "CSTDT", 2026}})
	if !errors.As(err, &de) || de.Code != CodeInvalid || !strings.Contains(de.EN, "CSTDT") {
		t.Errorf("removed type: %v", err)
	}
}

// TestEvaluateTypeNotInRuleSet: a type the year's rule set does not award is not met,
// with the set named; the same type in a year that awards it is judged as usual.
func TestEvaluateTypeNotInRuleSet(t *testing.T) {
	sets := twoRuleSets()
	cat := typeCatalogue()
	for i := range sets {
		sets[i] = sets[i].Resolve(cat)
	}
	for year, want := range map[int]CriterionStatus{2024: StatusUnknown, 2026: StatusNotMet} {
		rs, _ := RuleSetForYear(sets, year)
		r := Evaluate(Rules{Set: rs, Types: rs.Types}, "CSTDT", Nominee{Kind: KindIndividual, ID: "x", Year: year}, nil)
		if Verdict(r) != want {
			t.Errorf("%d: %+v, want %s", year, r, want)
		}
		if want == StatusNotMet && (r[0].ID != "not_in_rule_set" || !strings.Contains(r[0].Reason, "nd152") || !strings.Contains(r[0].ReasonEN, "2026")) {
			t.Errorf("%d: %+v", year, r[0])
		}
	}
}
