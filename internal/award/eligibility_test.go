package award_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// The eligibility rules are table-tested THROUGH THE DEMO CONFIGURATION: the numbers
// (10 months, 40 days, 50 %, 70 %, the rating and discipline thresholds, 3 years) are
// the config's, and each case checks that the result carries the configured criterion's
// citation and verified flag. Both rule sets (NĐ 98/2023 for 2024, NĐ 152/2025 for
// 2026) run every case.

func demoOrg(t testing.TB) *orgconfig.Org {
	t.Helper()
	o, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func ptr(n int) *int { return &n }

// goodPerson is a record that meets every LĐTT criterion, and nothing more.
func goodPerson(year int, id string) award.AnnualRecord {
	return award.AnnualRecord{Year: year, Kind: award.KindIndividual, ID: id, Rating: award.RatingGood,
		MonthsOfService: ptr(12), DaysAbsent: ptr(0), Discipline: award.DisciplineNone}
}

func find(t testing.TB, results []award.CriterionResult, id string) award.CriterionResult {
	t.Helper()
	for _, r := range results {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no result for criterion %q in %+v", id, results)
	return award.CriterionResult{}
}

// configured finds a criterion in the rule set, to compare a result with its data.
func configured(t testing.TB, rs award.RuleSet, awardType string, k award.NomineeKind, id string) award.EligibilityCriterion {
	t.Helper()
	cs, ok := rs.CriteriaFor(awardType, k)
	if !ok {
		t.Fatalf("rule set %s has no criteria for %s/%s", rs.ID, awardType, k)
	}
	for _, c := range cs {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("rule set %s: no criterion %s in %s", rs.ID, id, awardType)
	return award.EligibilityCriterion{}
}

type eligCase struct {
	name      string
	awardType string
	nominee   func(year int) award.Nominee
	history   func(year int) []award.AwardRecord
	criterion string
	want      award.CriterionStatus
	reason    string // a fragment the Vietnamese reason must hold
}

func runEligCases(t *testing.T, cases []eligCase) {
	t.Helper()
	o := demoOrg(t)
	for _, year := range []int{2024, 2026} {
		rules, ok := o.RulesForYear(year)
		if !ok {
			t.Fatalf("no rule set for %d", year)
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("%d/%s", year, c.name), func(t *testing.T) {
				n := c.nominee(year)
				var h []award.AwardRecord
				if c.history != nil {
					h = c.history(year)
				}
				results := award.Evaluate(rules, c.awardType, n, h)
				got := find(t, results, c.criterion)
				if got.Status != c.want {
					t.Fatalf("%s: status %s, want %s (%s)", c.criterion, got.Status, c.want, got.Reason)
				}
				cfg := configured(t, rules.Set, c.awardType, n.Kind, c.criterion)
				if got.Citation == "" || got.Citation != cfg.Citation || got.Verified != cfg.Verified || got.RuleSet != rules.Set.ID {
					t.Fatalf("citation %q verified %v rule set %q; config says %q %v %q", got.Citation, got.Verified, got.RuleSet, cfg.Citation, cfg.Verified, rules.Set.ID)
				}
				if got.Reason == "" || got.ReasonEN == "" || got.Requirement == "" || got.RequirementEN == "" {
					t.Fatalf("reason or requirement missing in a language: %+v", got)
				}
				if c.reason != "" && !strings.Contains(got.Reason, c.reason) {
					t.Fatalf("reason %q does not say %q", got.Reason, c.reason)
				}
				if strings.Contains(got.Reason+got.ReasonEN+got.Requirement+got.RequirementEN, "%!") {
					t.Fatalf("fmt debris: %+v", got)
				}
			})
		}
	}
}

func person(mod func(r *award.AnnualRecord)) func(int) award.Nominee {
	return func(year int) award.Nominee {
		r := goodPerson(year, "hongdao")
		if mod != nil {
			mod(&r)
		}
		return award.Nominee{Kind: award.KindIndividual, ID: "hongdao", Year: year, Record: &r}
	}
}

// TestEligibilityLDTT: Lao động tiên tiến, Luật 2022 Điều 24 and the practice
// exclusions, at every boundary.
func TestEligibilityLDTT(t *testing.T) {
	rating := func(r award.TaskRating) func(*award.AnnualRecord) {
		return func(a *award.AnnualRecord) { a.Rating = r }
	}
	cases := []eligCase{
		{name: "excellent", criterion: "ldtt-xep-loai", nominee: person(rating(award.RatingExcellent)), want: award.StatusMet},
		{name: "good", criterion: "ldtt-xep-loai", nominee: person(rating(award.RatingGood)), want: award.StatusMet},
		{name: "completed", criterion: "ldtt-xep-loai", nominee: person(rating(award.RatingCompleted)), want: award.StatusNotMet, reason: "Hoàn thành nhiệm vụ"},
		{name: "not completed", criterion: "ldtt-xep-loai", nominee: person(rating(award.RatingNotCompleted)), want: award.StatusNotMet},
		{name: "no rating", criterion: "ldtt-xep-loai", nominee: person(rating("")), want: award.StatusUnknown, reason: "Chưa có xếp loại"},
		{name: "record of another year", criterion: "ldtt-xep-loai", nominee: person(func(a *award.AnnualRecord) { a.Year-- }), want: award.StatusUnknown},
		{name: "no record", criterion: "ldtt-xep-loai", nominee: func(y int) award.Nominee {
			return award.Nominee{Kind: award.KindIndividual, ID: "x", Year: y}
		}, want: award.StatusUnknown},
		{name: "9 months", criterion: "ldtt-thoi-gian", nominee: person(func(a *award.AnnualRecord) { a.MonthsOfService = ptr(9) }), want: award.StatusNotMet, reason: "9 tháng"},
		{name: "10 months", criterion: "ldtt-thoi-gian", nominee: person(func(a *award.AnnualRecord) { a.MonthsOfService = ptr(10) }), want: award.StatusMet},
		{name: "0 months", criterion: "ldtt-thoi-gian", nominee: person(func(a *award.AnnualRecord) { a.MonthsOfService = ptr(0) }), want: award.StatusNotMet},
		{name: "months unknown", criterion: "ldtt-thoi-gian", nominee: person(func(a *award.AnnualRecord) { a.MonthsOfService = nil }), want: award.StatusUnknown},
		{name: "39 days absent", criterion: "ldtt-ngay-nghi", nominee: person(func(a *award.AnnualRecord) { a.DaysAbsent = ptr(39) }), want: award.StatusMet},
		{name: "40 days absent", criterion: "ldtt-ngay-nghi", nominee: person(func(a *award.AnnualRecord) { a.DaysAbsent = ptr(40) }), want: award.StatusNotMet, reason: "40 ngày"},
		{name: "60 days, 21 maternity", criterion: "ldtt-ngay-nghi", nominee: person(func(a *award.AnnualRecord) { a.DaysAbsent, a.MaternityDays = ptr(60), 21 }), want: award.StatusMet, reason: "thai sản"},
		{name: "60 days, 20 maternity", criterion: "ldtt-ngay-nghi", nominee: person(func(a *award.AnnualRecord) { a.DaysAbsent, a.MaternityDays = ptr(60), 20 }), want: award.StatusNotMet},
		{name: "all maternity", criterion: "ldtt-ngay-nghi", nominee: person(func(a *award.AnnualRecord) { a.DaysAbsent, a.MaternityDays = ptr(180), 180 }), want: award.StatusMet},
		{name: "absence unknown", criterion: "ldtt-ngay-nghi", nominee: person(func(a *award.AnnualRecord) { a.DaysAbsent = nil }), want: award.StatusUnknown},
		{name: "discipline unknown", criterion: "ldtt-ky-luat", nominee: person(func(a *award.AnnualRecord) { a.Discipline = "" }), want: award.StatusUnknown},
		{name: "participation is judged", criterion: "ldtt-tham-gia", nominee: person(nil), want: award.StatusJudgement},
	}
	for _, d := range award.DisciplineLevels {
		want := award.StatusNotMet // khiển trách or above excludes
		if d == award.DisciplineNone {
			want = award.StatusMet
		}
		cases = append(cases, eligCase{name: "discipline " + string(d), criterion: "ldtt-ky-luat",
			nominee: person(func(a *award.AnnualRecord) { a.Discipline = d }), want: want})
	}
	for i := range cases {
		cases[i].awardType = "LDTT"
	}
	runEligCases(t, cases)
}

// TestEligibilityCSTDCS: Chiến sĩ thi đua cơ sở, Điều 23: LĐTT of the same year AND
// (excellent completion OR a recognised initiative OR accepted research).
func TestEligibilityCSTDCS(t *testing.T) {
	initiative := []award.Recognition{{Title: "Số hoá hồ sơ thi đua", Evidence: "QĐ số 12/QĐ-BTGTU ngày 05/12/2025"}}
	registerLDTT := func(y int) []award.AwardRecord {
		return []award.AwardRecord{{Kind: award.KindIndividual, NomineeID: "hongdao", Year: y, AwardType: "LDTT"}}
	}
	cases := []eligCase{
		{name: "good, nothing else", criterion: "cstdcs-thanh-tich", nominee: person(nil), want: award.StatusNotMet},
		{name: "excellent", criterion: "cstdcs-thanh-tich", nominee: person(func(a *award.AnnualRecord) { a.Rating = award.RatingExcellent }), want: award.StatusMet},
		{name: "good with an initiative", criterion: "cstdcs-thanh-tich", nominee: person(func(a *award.AnnualRecord) { a.Initiatives = initiative }), want: award.StatusMet, reason: "Số hoá hồ sơ thi đua"},
		{name: "good with research", criterion: "cstdcs-thanh-tich", nominee: person(func(a *award.AnnualRecord) { a.Research = initiative }), want: award.StatusMet},
		{name: "no rating, an initiative", criterion: "cstdcs-thanh-tich", nominee: person(func(a *award.AnnualRecord) { a.Rating, a.Initiatives = "", initiative }), want: award.StatusMet},
		{name: "no rating, nothing else", criterion: "cstdcs-thanh-tich", nominee: person(func(a *award.AnnualRecord) { a.Rating = "" }), want: award.StatusUnknown},
		{name: "LĐTT from the record", criterion: "cstdcs-ldtt", nominee: person(nil), want: award.StatusMet, reason: "theo dữ liệu năm"},
		{name: "excellent but 9 months: no LĐTT", criterion: "cstdcs-ldtt", nominee: person(func(a *award.AnnualRecord) {
			a.Rating, a.MonthsOfService = award.RatingExcellent, ptr(9)
		}), want: award.StatusNotMet, reason: "9 tháng"},
		{name: "LĐTT in the register", criterion: "cstdcs-ldtt", nominee: person(func(a *award.AnnualRecord) { a.MonthsOfService = nil }),
			history: registerLDTT, want: award.StatusMet, reason: "sổ khen thưởng"},
		{name: "LĐTT of another year does not count", criterion: "cstdcs-ldtt", nominee: person(func(a *award.AnnualRecord) { a.MonthsOfService = nil }),
			history: func(y int) []award.AwardRecord { return registerLDTT(y - 1) }, want: award.StatusUnknown},
		{name: "disciplined: no LĐTT", criterion: "cstdcs-ldtt", nominee: person(func(a *award.AnnualRecord) {
			a.Rating, a.Discipline = award.RatingExcellent, award.DisciplineReprimand
		}), want: award.StatusNotMet},
	}
	for i := range cases {
		cases[i].awardType = "CSTDCS"
	}
	runEligCases(t, cases)
}

// unit builds a collective nominee with members made by mk (index → record).
func unit(n int, mk func(i int, r *award.AnnualRecord)) func(int) award.Nominee {
	return func(year int) award.Nominee {
		u := award.Nominee{Kind: award.KindCollective, ID: "tt", Year: year}
		for i := range n {
			r := goodPerson(year, fmt.Sprintf("p%03d", i))
			if mk != nil {
				mk(i, &r)
			}
			u.Members = append(u.Members, r)
		}
		return u
	}
}

// ldttFirst makes the first k members LĐTT and the others not (rated "completed").
func ldttFirst(k int) func(int, *award.AnnualRecord) {
	return func(i int, r *award.AnnualRecord) {
		if i >= k {
			r.Rating = award.RatingCompleted
		}
	}
}

// TestEligibilityCollectiveLDTT: Tập thể lao động tiên tiến, Điều 28: more than 50 % of
// the members LĐTT, nobody disciplined at cảnh cáo or above.
func TestEligibilityCollectiveLDTT(t *testing.T) {
	cases := []eligCase{
		{name: "1 of 2 (exactly 50%)", criterion: "ttldtt-ldtt", nominee: unit(2, ldttFirst(1)), want: award.StatusNotMet, reason: "50,00%"},
		{name: "50 of 100", criterion: "ttldtt-ldtt", nominee: unit(100, ldttFirst(50)), want: award.StatusNotMet},
		{name: "51 of 100", criterion: "ttldtt-ldtt", nominee: unit(100, ldttFirst(51)), want: award.StatusMet, reason: "51/100"},
		{name: "2 of 3", criterion: "ttldtt-ldtt", nominee: unit(3, ldttFirst(2)), want: award.StatusMet},
		{name: "all", criterion: "ttldtt-ldtt", nominee: unit(5, nil), want: award.StatusMet},
		{name: "LĐTT in the register counts", criterion: "ttldtt-ldtt", nominee: unit(2, ldttFirst(1)),
			history: func(y int) []award.AwardRecord {
				return []award.AwardRecord{{Kind: award.KindIndividual, NomineeID: "p001", Year: y, AwardType: "LDTT"}}
			}, want: award.StatusMet},
		{name: "a unit's LĐTT id is not a person's", criterion: "ttldtt-ldtt", nominee: unit(2, ldttFirst(1)),
			history: func(y int) []award.AwardRecord {
				return []award.AwardRecord{{Kind: award.KindCollective, NomineeID: "p001", Year: y, AwardType: "LDTT"}}
			}, want: award.StatusNotMet},
		{name: "2 of 4 and 1 unknown", criterion: "ttldtt-ldtt", nominee: unit(4, func(i int, r *award.AnnualRecord) {
			if i == 2 {
				r.Rating = ""
			}
			if i == 3 {
				r.Rating = award.RatingCompleted
			}
		}), want: award.StatusUnknown},
		{name: "3 of 4 and 1 unknown", criterion: "ttldtt-ldtt", nominee: unit(4, func(i int, r *award.AnnualRecord) {
			if i == 3 {
				r.Rating = ""
			}
		}), want: award.StatusMet},
		{name: "1 of 4 and 1 unknown", criterion: "ttldtt-ldtt", nominee: unit(4, func(i int, r *award.AnnualRecord) {
			if i >= 1 {
				r.Rating = award.RatingCompleted
			}
			if i == 3 {
				r.Rating = ""
			}
		}), want: award.StatusNotMet},
		{name: "no members", criterion: "ttldtt-ldtt", nominee: unit(0, nil), want: award.StatusUnknown},
		{name: "a member twice", criterion: "ttldtt-ldtt", nominee: func(y int) award.Nominee {
			u := unit(3, nil)(y)
			u.Members[2].ID = u.Members[0].ID
			return u
		}, want: award.StatusUnknown, reason: "trùng"},
		{name: "a member's record of another year", criterion: "ttldtt-ldtt", nominee: unit(2, func(i int, r *award.AnnualRecord) {
			if i == 1 {
				r.Year--
			}
		}), want: award.StatusUnknown},
		{name: "discipline unknown", criterion: "ttldtt-ky-luat", nominee: unit(3, func(i int, r *award.AnnualRecord) {
			if i == 1 {
				r.Discipline = ""
			}
		}), want: award.StatusUnknown},
	}
	for _, d := range award.DisciplineLevels {
		want := award.StatusNotMet // cảnh cáo or above excludes the collective
		if d == award.DisciplineNone || d == award.DisciplineReprimand {
			want = award.StatusMet
		}
		cases = append(cases, eligCase{name: "a member disciplined " + string(d), criterion: "ttldtt-ky-luat",
			nominee: unit(4, func(i int, r *award.AnnualRecord) {
				if i == 2 {
					r.Discipline = d
				}
			}), want: want})
	}
	for i := range cases {
		cases[i].awardType = "TTLDTT"
	}
	runEligCases(t, cases)
}

// TestEligibilityCollectiveLDXS: Tập thể lao động xuất sắc [practice]: 100 % complete
// their tasks, at least 70 % LĐTT, at least one CSTĐCS, nobody at cảnh cáo or above.
func TestEligibilityCollectiveLDXS(t *testing.T) {
	cstdcs := func(i int, r *award.AnnualRecord) {
		if i == 0 {
			r.Rating = award.RatingExcellent
		}
	}
	cases := []eligCase{
		{name: "all completed", criterion: "ttldxs-hoan-thanh", nominee: unit(10, ldttFirst(0)), want: award.StatusMet},
		{name: "one not completed", criterion: "ttldxs-hoan-thanh", nominee: unit(10, func(i int, r *award.AnnualRecord) {
			if i == 9 {
				r.Rating = award.RatingNotCompleted
			}
		}), want: award.StatusNotMet, reason: "9/10"},
		{name: "7 of 10 LĐTT", criterion: "ttldxs-ldtt", nominee: unit(10, ldttFirst(7)), want: award.StatusMet},
		{name: "6 of 10 LĐTT", criterion: "ttldxs-ldtt", nominee: unit(10, ldttFirst(6)), want: award.StatusNotMet},
		{name: "69 of 100 LĐTT", criterion: "ttldxs-ldtt", nominee: unit(100, ldttFirst(69)), want: award.StatusNotMet},
		{name: "70 of 100 LĐTT", criterion: "ttldxs-ldtt", nominee: unit(100, ldttFirst(70)), want: award.StatusMet},
		{name: "no CSTĐCS", criterion: "ttldxs-cstdcs", nominee: unit(5, nil), want: award.StatusNotMet},
		{name: "one CSTĐCS by data", criterion: "ttldxs-cstdcs", nominee: unit(5, cstdcs), want: award.StatusMet},
		{name: "one CSTĐCS in the register", criterion: "ttldxs-cstdcs", nominee: unit(5, nil), history: func(y int) []award.AwardRecord {
			return []award.AwardRecord{{Kind: award.KindIndividual, NomineeID: "p004", Year: y, AwardType: "CSTDCS"}}
		}, want: award.StatusMet},
		{name: "a member warned", criterion: "ttldxs-ky-luat", nominee: unit(5, func(i int, r *award.AnnualRecord) {
			if i == 4 {
				r.Discipline = award.DisciplineWarning
			}
		}), want: award.StatusNotMet, reason: "p004"},
	}
	for i := range cases {
		cases[i].awardType = "TTLDXS"
	}
	runEligCases(t, cases)
}

// TestEligibilityGiayKhen: Giấy khen has no data rule, for individuals and collectives
// alike: the result says the council judges, never met or not met.
func TestEligibilityGiayKhen(t *testing.T) {
	cases := []eligCase{
		{name: "individual", awardType: "GK", criterion: "gk-thanh-tich", nominee: person(func(a *award.AnnualRecord) {
			a.Rating, a.Discipline = award.RatingNotCompleted, award.DisciplineDismissal
		}), want: award.StatusJudgement, reason: "Hội đồng xem xét"},
		{name: "collective", awardType: "GK", criterion: "gk-tt-thanh-tich", nominee: unit(0, nil), want: award.StatusJudgement},
	}
	runEligCases(t, cases)
	o := demoOrg(t)
	rules, _ := o.RulesForYear(2026)
	for _, n := range []award.Nominee{person(nil)(2026), unit(3, nil)(2026)} {
		if v := award.Verdict(award.Evaluate(rules, "GK", n, nil)); v != award.StatusJudgement {
			t.Errorf("Giấy khen for %s: verdict %s, want judgement", n.Kind, v)
		}
	}
}

// TestEligibilityConsecutiveYears: a higher title (CSTĐ cấp tỉnh) needs N consecutive
// years of a lower one (CSTĐCS), read from the register; the achievement year's own
// may come from its data.
func TestEligibilityConsecutiveYears(t *testing.T) {
	cst := func(ys ...int) func(int) []award.AwardRecord {
		return func(y int) []award.AwardRecord {
			var h []award.AwardRecord
			for _, d := range ys {
				h = append(h, award.AwardRecord{Kind: award.KindIndividual, NomineeID: "hongdao", Year: y - d, AwardType: "CSTDCS"})
			}
			return h
		}
	}
	excellent := person(func(a *award.AnnualRecord) { a.Rating = award.RatingExcellent })
	cases := []eligCase{
		{name: "two before, this year by data", nominee: excellent, history: cst(1, 2), want: award.StatusMet, reason: "3 năm liên tục"},
		{name: "three in the register", nominee: person(nil), history: cst(0, 1, 2), want: award.StatusMet},
		{name: "a gap two years ago", nominee: excellent, history: cst(1, 3), want: award.StatusNotMet},
		{name: "none before", nominee: excellent, history: nil, want: award.StatusNotMet},
		{name: "this year not met", nominee: person(nil), history: cst(1, 2), want: award.StatusNotMet},
		{name: "this year unknown", nominee: person(func(a *award.AnnualRecord) { a.Rating = "" }), history: cst(1, 2), want: award.StatusUnknown},
		{name: "someone else's titles", nominee: excellent, history: func(y int) []award.AwardRecord {
			return []award.AwardRecord{{Kind: award.KindIndividual, NomineeID: "vanson", Year: y - 1, AwardType: "CSTDCS"},
				{Kind: award.KindIndividual, NomineeID: "vanson", Year: y - 2, AwardType: "CSTDCS"}}
		}, want: award.StatusNotMet},
	}
	for i := range cases {
		cases[i].awardType, cases[i].criterion = "CSTDT", "cstdt-lien-tuc"
	}
	runEligCases(t, cases)
}

// TestRuleSetByAchievementYear: a 2024 achievement is judged under NĐ 98/2023, a 2025
// and a 2026 one under NĐ 152/2025 (dated 14/6/2025, switch-over 01/07/2025 marked
// unverified); RuleSetAt keeps answering by date for its callers.
func TestRuleSetByAchievementYear(t *testing.T) {
	o := demoOrg(t)
	for year, want := range map[int]string{2024: "NĐ 98/2023", 2025: "NĐ 152/2025", 2026: "NĐ 152/2025", 2030: "NĐ 152/2025"} {
		rules, ok := o.RulesForYear(year)
		if !ok {
			t.Fatalf("%d: no rule set", year)
		}
		decree := strings.ReplaceAll(strings.ReplaceAll(want, "NĐ ", "Nghị định "), "/2023", "/2023/NĐ-CP")
		decree = strings.ReplaceAll(decree, "/2025", "/2025/NĐ-CP")
		if !strings.Contains(rules.Set.Citation, decree) {
			t.Errorf("%d: rule set %s cites %q, want %s", year, rules.Set.ID, rules.Set.Citation, decree)
		}
		// The practice exclusions cite the decree of their year.
		c := configured(t, rules.Set, "LDTT", award.KindIndividual, "ldtt-thoi-gian")
		if !strings.Contains(c.Citation, want) || c.Verified {
			t.Errorf("%d: ldtt-thoi-gian cites %q (verified %v), want %s and unverified", year, c.Citation, c.Verified, want)
		}
	}
	if rules, _ := o.RulesForYear(2026); !strings.Contains(rules.Set.Citation, "14/6/2025") || rules.Set.EffectiveVerified {
		t.Errorf("NĐ 152 set: citation %q, effective verified %v", rules.Set.Citation, rules.Set.EffectiveVerified)
	}
	if _, ok := o.RulesForYear(2023); ok {
		t.Error("2023 is before every rule set and got one")
	}
	ict := time.FixedZone("ICT", 7*3600)
	for d, want := range map[time.Time]string{
		time.Date(2025, 6, 30, 23, 59, 0, 0, ict): "luat-2022-nd98",
		time.Date(2025, 7, 1, 0, 0, 0, 0, ict):    "luat-2022-nd152",
	} {
		if rs, _ := award.RuleSetAt(o.RuleSets, d); rs.ID != want {
			t.Errorf("RuleSetAt(%s) = %s, want %s", d, rs.ID, want)
		}
	}
	// A nominee of a kind the type does not admit is not eligible.
	rules, _ := o.RulesForYear(2026)
	if r := award.Evaluate(rules, "LDTT", unit(3, nil)(2026), nil); len(r) != 1 || r[0].Status != award.StatusNotMet || !strings.Contains(r[0].Reason, "tập thể") {
		t.Errorf("LĐTT for a collective: %+v", r)
	}
	// A set without criteria judges nothing, and says so.
	r := award.Evaluate(award.Rules{Set: award.RuleSet{ID: "old"}}, "LDTT", person(nil)(2026), nil)
	if len(r) != 1 || r[0].Status != award.StatusUnknown || award.Verdict(r) != award.StatusUnknown {
		t.Errorf("a set without criteria: %+v", r)
	}
}

// TestEveryConfiguredCriterionIsEvaluated: every criterion of every award type and kind
// in both demo rule sets gives a result with its id, citation and flag, in order.
func TestEveryConfiguredCriterionIsEvaluated(t *testing.T) {
	o := demoOrg(t)
	for _, rs := range o.RuleSets {
		rules := award.Rules{Set: rs, Types: o.AwardTypes}
		for _, at := range o.AwardTypes {
			for _, k := range award.Kinds {
				if !at.Admits(k) {
					continue
				}
				cs, ok := rs.CriteriaFor(at.Code, k)
				if !ok {
					t.Fatalf("%s: no criteria for %s/%s", rs.ID, at.Code, k)
				}
				var n award.Nominee
				if k == award.KindIndividual {
					n = person(nil)(rs.FirstYear())
				} else {
					n = unit(3, nil)(rs.FirstYear())
				}
				res := award.Evaluate(rules, at.Code, n, nil)
				if len(res) != len(cs) {
					t.Fatalf("%s %s: %d results for %d criteria", rs.ID, at.Code, len(res), len(cs))
				}
				for i, c := range cs {
					if res[i].ID != c.ID || res[i].Citation != c.Citation || res[i].Verified != c.Verified || res[i].Citation == "" {
						t.Errorf("%s %s: result %+v for criterion %+v", rs.ID, at.Code, res[i], c)
					}
					if !c.Verified && !strings.Contains(c.Citation, "verify") && !strings.Contains(c.Citation, "practice") {
						t.Errorf("%s %s/%s: unverified, but the citation does not say so: %q", rs.ID, at.Code, c.ID, c.Citation)
					}
				}
			}
		}
	}
}

// TestVerdict sums results up.
func TestVerdict(t *testing.T) {
	r := func(ss ...award.CriterionStatus) []award.CriterionResult {
		var out []award.CriterionResult
		for _, s := range ss {
			out = append(out, award.CriterionResult{Status: s})
		}
		return out
	}
	for _, c := range []struct {
		in   []award.CriterionResult
		want award.CriterionStatus
	}{
		{r(award.StatusMet, award.StatusJudgement), award.StatusMet},
		{r(award.StatusMet, award.StatusUnknown, award.StatusJudgement), award.StatusUnknown},
		{r(award.StatusUnknown, award.StatusNotMet, award.StatusMet), award.StatusNotMet},
		{r(award.StatusJudgement), award.StatusJudgement},
		{nil, award.StatusJudgement},
	} {
		if got := award.Verdict(c.in); got != c.want {
			t.Errorf("Verdict(%v) = %s, want %s", c.in, got, c.want)
		}
	}
}

// TestOneLiveProposal: the same nominee cannot hold two live proposals for the same
// award and year; another year, award, kind or nominee, or a proposal that ended
// without the award, does not block.
func TestOneLiveProposal(t *testing.T) {
	p := award.ProposalRef{ID: "proposal-9", Kind: award.KindIndividual, NomineeID: "hongdao", NomineeName: "Nguyễn Thị Hồng Đào", AwardType: "LDTT", Year: 2025}
	other := func(mod func(*award.ProposalRef)) []award.ProposalRef {
		o := p
		o.ID, o.Stage = "proposal-3", award.StageSubmitted
		mod(&o)
		return []award.ProposalRef{o}
	}
	for name, c := range map[string]struct {
		others  []award.ProposalRef
		refused bool
	}{
		"same, submitted":     {other(func(*award.ProposalRef) {}), true},
		"same, awarded":       {other(func(o *award.ProposalRef) { o.Stage = award.StageAwarded }), true},
		"same, in session":    {other(func(o *award.ProposalRef) { o.Stage = award.StageInSession }), true},
		"same, rejected":      {other(func(o *award.ProposalRef) { o.Stage = award.StageRejected }), false},
		"same, not awarded":   {other(func(o *award.ProposalRef) { o.Stage = award.StageNotAwarded }), false},
		"itself":              {other(func(o *award.ProposalRef) { o.ID = p.ID }), false},
		"another year":        {other(func(o *award.ProposalRef) { o.Year = 2024 }), false},
		"another award":       {other(func(o *award.ProposalRef) { o.AwardType = "CSTDCS" }), false},
		"another person":      {other(func(o *award.ProposalRef) { o.NomineeID = "vanson" }), false},
		"a unit with that id": {other(func(o *award.ProposalRef) { o.Kind = award.KindCollective }), false},
		"free text, same name decomposed": {other(func(o *award.ProposalRef) {
			o.NomineeID, o.NomineeName = "", "NGUYEN THI HONG DAO"
		}), true},
	} {
		err := award.CheckOneLiveProposal(p, c.others)
		if (err != nil) != c.refused {
			t.Errorf("%s: err %v, refused want %v", name, err, c.refused)
		}
		if err != nil {
			var ae *award.Error
			if !asAwardError(err, &ae) || ae.Code != award.CodeDuplicate || !strings.Contains(ae.VI, "proposal-3") || !strings.Contains(ae.EN, "proposal-3") {
				t.Errorf("%s: %v is not a duplicate naming the other proposal", name, err)
			}
		}
	}
}

func asAwardError(err error, target **award.Error) bool {
	e, ok := err.(*award.Error)
	*target = e
	return ok
}

// TestAnnualRecordValidate: the record's shape, as an admin enters it.
func TestAnnualRecordValidate(t *testing.T) {
	ok := goodPerson(2025, "hongdao")
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*award.AnnualRecord){
		"no id":                  func(r *award.AnnualRecord) { r.ID = " " },
		"bad kind":               func(r *award.AnnualRecord) { r.Kind = "team" },
		"bad year":               func(r *award.AnnualRecord) { r.Year = 25 },
		"13 months":              func(r *award.AnnualRecord) { r.MonthsOfService = ptr(13) },
		"negative months":        func(r *award.AnnualRecord) { r.MonthsOfService = ptr(-1) },
		"negative days":          func(r *award.AnnualRecord) { r.DaysAbsent = ptr(-1) },
		"too many days":          func(r *award.AnnualRecord) { r.DaysAbsent = ptr(400) },
		"maternity over absence": func(r *award.AnnualRecord) { r.DaysAbsent, r.MaternityDays = ptr(10), 11 },
		"maternity, no absence":  func(r *award.AnnualRecord) { r.DaysAbsent, r.MaternityDays = nil, 5 },
		"negative maternity":     func(r *award.AnnualRecord) { r.MaternityDays = -1 },
		"bad rating":             func(r *award.AnnualRecord) { r.Rating = "great" },
		"bad discipline":         func(r *award.AnnualRecord) { r.Discipline = "khien_trach" },
		"initiative, no evidence": func(r *award.AnnualRecord) {
			r.Initiatives = []award.Recognition{{Title: "X"}}
		},
	} {
		r := goodPerson(2025, "hongdao")
		mod(&r)
		if err := r.Validate(); err == nil {
			t.Errorf("%s: accepted %+v", name, r)
		}
	}
	r := goodPerson(2025, "hongdao")
	r.Initiatives = []award.Recognition{{Title: "Sa\u0301ng kiê\u0301n  số\u200b hoá", Evidence: "QĐ 1"}}
	c, err := r.Clean()
	if err != nil || c.Initiatives[0].Title != "Sáng kiến số hoá" {
		t.Fatalf("Clean: %q, %v", c.Initiatives, err)
	}
	r.Initiatives[0].Title = "Sáng kiến \u202e"
	if _, err := r.Clean(); err == nil {
		t.Fatal("a bidi control in a title was accepted")
	}
}

// TestParseLabels: ratings, discipline levels and kinds as people write them.
func TestParseLabels(t *testing.T) {
	for in, want := range map[string]award.TaskRating{
		"Hoàn thành xuất sắc nhiệm vụ": award.RatingExcellent, "HOAN THANH XUAT SAC NHIEM VU": award.RatingExcellent,
		"htxsnv": award.RatingExcellent, "Xuất sắc": award.RatingExcellent, "excellent": award.RatingExcellent,
		"Hoa\u0300n tha\u0300nh tô\u0301t nhiê\u0323m vu\u0323": award.RatingGood, "HTTNV": award.RatingGood, "tốt": award.RatingGood,
		"  hoàn   thành nhiệm vụ ": award.RatingCompleted, "HTNV": award.RatingCompleted, "completed": award.RatingCompleted,
		"Không hoàn thành nhiệm vụ": award.RatingNotCompleted, "KHTNV": award.RatingNotCompleted, "not_completed": award.RatingNotCompleted,
	} {
		if got, ok := award.ParseTaskRating(in); !ok || got != want {
			t.Errorf("ParseTaskRating(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "giỏi", "hoàn thành xuất", "=1+1"} {
		if got, ok := award.ParseTaskRating(in); ok {
			t.Errorf("ParseTaskRating(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]award.DisciplineLevel{
		"Khiển trách": award.DisciplineReprimand, "KHIEN TRACH": award.DisciplineReprimand, "kỷ luật cảnh cáo": award.DisciplineWarning,
		"Cách chức": award.DisciplineDismissal, "không": award.DisciplineNone, "Không bị kỷ luật": award.DisciplineNone,
		"hạ bậc lương": award.DisciplineSalaryDowngrade, "giáng chức": award.DisciplineDemotion, "buộc thôi việc": award.DisciplineForcedResignment,
		"warning": award.DisciplineWarning,
	} {
		if got, ok := award.ParseDisciplineLevel(in); !ok || got != want {
			t.Errorf("ParseDisciplineLevel(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	// The order of severity.
	for i, d := range award.DisciplineLevels {
		for j, e := range award.DisciplineLevels {
			if d.AtLeast(e) != (i >= j) {
				t.Errorf("%s.AtLeast(%s) = %v", d, e, d.AtLeast(e))
			}
		}
	}
	for i, r := range award.TaskRatings {
		for j, s := range award.TaskRatings {
			if r.AtLeast(s) != (i <= j) {
				t.Errorf("%s.AtLeast(%s) = %v", r, s, r.AtLeast(s))
			}
		}
	}
	if k, ok := award.ParseNomineeKind("TẬP THỂ"); !ok || k != award.KindCollective {
		t.Errorf("ParseNomineeKind: %q %v", k, ok)
	}
}

// TestMonthsOfServiceFrom: whole months from a start date.
func TestMonthsOfServiceFrom(t *testing.T) {
	for _, c := range []struct {
		start string
		year  int
		want  int
	}{
		{"2020-05-17", 2025, 12}, {"2025-01-01", 2025, 12}, {"2025-01-02", 2025, 11}, {"2025-03-01", 2025, 10},
		{"2025-03-02", 2025, 9}, {"2025-12-01", 2025, 1}, {"2025-12-31", 2025, 0}, {"2026-01-01", 2025, 0},
	} {
		d, _ := time.Parse(time.DateOnly, c.start)
		if got := award.MonthsOfServiceFrom(d, c.year); got != c.want {
			t.Errorf("MonthsOfServiceFrom(%s, %d) = %d, want %d", c.start, c.year, got, c.want)
		}
	}
}
