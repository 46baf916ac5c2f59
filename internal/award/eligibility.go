package award

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Eligibility: who may be proposed for which award. The rules are DATA of a rule set
// (RuleSet.Eligibility, effective-dated, chosen by the achievement year): every number
// (10 months, 40 days, 50 %, the rating and discipline thresholds, N consecutive years)
// is a parameter of a criterion in the configuration, each criterion carries its legal
// citation and whether that citation has been verified. This file only knows the KINDS
// of rule and how to apply them.
//
// A criterion evaluates to met, not met, unknown (the data to judge it is missing) or
// judgement (no data rule: the council weighs it, e.g. a Giấy khen's "notable
// achievement").

// RuleKind is the kind of check a criterion makes.
type RuleKind string

const (
	// RuleRating: the nominee's own task rating is MinRating or better.
	RuleRating RuleKind = "rating"
	// RuleMonths: at least MinMonths months of service in the year.
	RuleMonths RuleKind = "months_of_service"
	// RuleAbsence: fewer than AbsenceLimit working days absent in the year, maternity
	// leave excepted (AbsenceLimit days or more excludes).
	RuleAbsence RuleKind = "days_absent"
	// RuleDiscipline: no discipline at DisciplineFrom or heavier in the year.
	RuleDiscipline RuleKind = "discipline"
	// RuleInitiatives: at least MinCount recognised initiatives (sáng kiến).
	RuleInitiatives RuleKind = "initiatives"
	// RuleResearch: at least MinCount accepted research projects (đề tài).
	RuleResearch RuleKind = "research"
	// RuleTitle: the nominee holds the title Title in the same year (from TitleSource).
	RuleTitle RuleKind = "title"
	// RuleAnyOf: at least one of the AnyOf criteria is met.
	RuleAnyOf RuleKind = "any_of"
	// RuleMembersTitle: of a collective's members, more than (Strict) or at least
	// Share hold Title, and at least MinCount of them.
	RuleMembersTitle RuleKind = "members_title"
	// RuleMembersRating: of a collective's members, Share (Strict: more than Share)
	// are rated MinRating or better.
	RuleMembersRating RuleKind = "members_rating"
	// RuleMembersDiscipline: no member disciplined at DisciplineFrom or heavier.
	RuleMembersDiscipline RuleKind = "members_discipline"
	// RuleConsecutiveYears: the nominee held Title in each of Years consecutive years
	// ending with the achievement year (IncludeCurrent) or the year before it. Past
	// years are read from the award register only.
	RuleConsecutiveYears RuleKind = "consecutive_years"
	// RuleJudgement: no data rule; the council judges (Text says what).
	RuleJudgement RuleKind = "judgement"
)

// RuleKinds lists the kinds of rule the evaluator knows.
var RuleKinds = []RuleKind{RuleRating, RuleMonths, RuleAbsence, RuleDiscipline, RuleInitiatives, RuleResearch,
	RuleTitle, RuleAnyOf, RuleMembersTitle, RuleMembersRating, RuleMembersDiscipline, RuleConsecutiveYears, RuleJudgement}

// TitleSource says where a title held in the achievement year is read from.
type TitleSource string

const (
	// TitleFromRegister: only an award in the register counts.
	TitleFromRegister TitleSource = "register"
	// TitleFromRecord: the year's data meets the title's data criteria under the same
	// rule set (titles of one year are voted in the same session, before the register
	// holds them).
	TitleFromRecord TitleSource = "record"
	// TitleFromRegisterOrRecord: either.
	TitleFromRegisterOrRecord TitleSource = "register_or_record"
)

// TitleSources lists the sources.
var TitleSources = []TitleSource{TitleFromRegister, TitleFromRecord, TitleFromRegisterOrRecord}

// EligibilityCriterion is one rule with its parameters, citation and verification
// flag. Only the parameters of its Rule may be set (CheckRuleSets refuses others).
type EligibilityCriterion struct {
	ID       string   `json:"id" yaml:"id"`
	Rule     RuleKind `json:"rule" yaml:"rule"`
	Citation string   `json:"citation" yaml:"citation"`
	// Verified: the citation was read in the legal text. False marks a rule taken
	// from practice or a source to be checked [verify]; results carry the flag.
	Verified bool `json:"verified" yaml:"verified"`

	MinRating      TaskRating             `json:"min_rating,omitempty" yaml:"min_rating"`
	MinMonths      int                    `json:"min_months,omitempty" yaml:"min_months"`
	AbsenceLimit   int                    `json:"absence_limit,omitempty" yaml:"absence_limit"`
	DisciplineFrom DisciplineLevel        `json:"discipline_from,omitempty" yaml:"discipline_from"`
	MinCount       int                    `json:"min_count,omitempty" yaml:"min_count"`
	Title          string                 `json:"title,omitempty" yaml:"title"`
	TitleSource    TitleSource            `json:"title_source,omitempty" yaml:"title_source"`
	Share          *Ratio                 `json:"share,omitempty" yaml:"share"`
	Strict         bool                   `json:"strict,omitempty" yaml:"strict"`
	Years          int                    `json:"years,omitempty" yaml:"years"`
	IncludeCurrent bool                   `json:"include_current,omitempty" yaml:"include_current"`
	AnyOf          []EligibilityCriterion `json:"any_of,omitempty" yaml:"any_of"`
	// Text and TextEN describe a judgement criterion.
	Text   string `json:"text,omitempty" yaml:"text"`
	TextEN string `json:"text_en,omitempty" yaml:"text_en"`
}

// Eligibility is the list of criteria of one award type, for one kind of nominee when
// the type admits both (Giấy khen); Kind empty means every kind the type admits.
type Eligibility struct {
	AwardType string                 `json:"award_type" yaml:"award_type"`
	Kind      NomineeKind            `json:"kind,omitempty" yaml:"kind"`
	Criteria  []EligibilityCriterion `json:"criteria" yaml:"criteria"`
}

// CriteriaFor finds the criteria of an award type for a kind of nominee.
func (rs RuleSet) CriteriaFor(awardType string, k NomineeKind) ([]EligibilityCriterion, bool) {
	for _, e := range rs.Eligibility {
		if e.AwardType == awardType && e.Kind == k {
			return e.Criteria, true
		}
	}
	for _, e := range rs.Eligibility {
		if e.AwardType == awardType && e.Kind == "" {
			return e.Criteria, true
		}
	}
	return nil, false
}

// CriterionStatus is a criterion's verdict.
type CriterionStatus string

const (
	StatusMet       CriterionStatus = "met"
	StatusNotMet    CriterionStatus = "not_met"
	StatusUnknown   CriterionStatus = "unknown"   // the data to judge it is missing
	StatusJudgement CriterionStatus = "judgement" // no data rule: the council judges
)

// CriterionStatuses lists the statuses.
var CriterionStatuses = []CriterionStatus{StatusMet, StatusNotMet, StatusUnknown, StatusJudgement}

// LabelVI is the status as the proposal page shows it.
func (s CriterionStatus) LabelVI() string {
	switch s {
	case StatusMet:
		return "Đạt"
	case StatusNotMet:
		return "Không đạt"
	case StatusUnknown:
		return "Chưa đủ dữ liệu"
	case StatusJudgement:
		return "Hội đồng xem xét"
	}
	return string(s)
}

// CriterionResult is one criterion's verdict with its reason and legal basis.
type CriterionResult struct {
	ID     string          `json:"id"`
	Rule   RuleKind        `json:"rule"`
	Status CriterionStatus `json:"status"`
	// Requirement is what the criterion asks, Reason why it is or is not met.
	Requirement   string `json:"requirement"`
	RequirementEN string `json:"requirement_en"`
	Reason        string `json:"reason"`
	ReasonEN      string `json:"reason_en"`
	Citation      string `json:"citation"`
	Verified      bool   `json:"verified"`
	RuleSet       string `json:"rule_set"`
}

// Verdict sums up results: not met when any criterion is not met, else unknown when any
// lacks data, else met; judgement when every criterion is the council's judgement (or
// there is none). Judgement criteria never stop a proposal: the council weighs them.
func Verdict(results []CriterionResult) CriterionStatus {
	has := func(s CriterionStatus) bool {
		return slices.ContainsFunc(results, func(r CriterionResult) bool { return r.Status == s })
	}
	switch {
	case has(StatusNotMet):
		return StatusNotMet
	case has(StatusUnknown):
		return StatusUnknown
	case has(StatusMet):
		return StatusMet
	}
	return StatusJudgement
}

// Nominee is what the rules read about a nominee for an achievement year: their own
// record (a unit's own, for a collective) and, for a collective, its members' records.
// Records of another year are ignored (treated as missing).
type Nominee struct {
	Kind    NomineeKind    `json:"kind"`
	ID      string         `json:"id"`
	Year    int            `json:"year"`
	Record  *AnnualRecord  `json:"record,omitempty"`
	Members []AnnualRecord `json:"members,omitempty"`
}

// AwardRecord is a line of the award register as the rules read it: who (kind and
// id) held which award type in which year. The register supplies live awards only
// (a revoked award is not a title held).
type AwardRecord struct {
	Kind      NomineeKind `json:"kind"`
	NomineeID string      `json:"nominee_id"`
	Year      int         `json:"year"`
	AwardType string      `json:"award_type"`
}

// Rules is a rule set with the award types it names (for the reasons' wording).
type Rules struct {
	Set   RuleSet
	Types []AwardType
}

// maxTitleDepth bounds titles judged from records through other titles (CSTĐCS needs
// LĐTT, a collective's members' CSTĐCS …); CheckRuleSets refuses cycles, this is a guard.
const maxTitleDepth = 6

// Evaluate judges a nominee against the criteria of an award type in the rule set:
// one result per criterion, in the configured order. A rule set without criteria for
// the type gives a single unknown result (nothing is silently assumed).
func Evaluate(r Rules, awardType string, n Nominee, history []AwardRecord) []CriterionResult {
	return (&evaluator{rules: r, history: history}).evaluate(awardType, n, 0)
}

type evaluator struct {
	rules   Rules
	history []AwardRecord
}

func (e *evaluator) evaluate(awardType string, n Nominee, depth int) []CriterionResult {
	if len(e.rules.Types) > 0 && !slices.ContainsFunc(e.rules.Types, func(t AwardType) bool { return t.Code == awardType }) {
		// The set of the year does not award the type (removed by a later decree, or
		// not yet created): nobody meets it.
		return []CriterionResult{{
			ID: "not_in_rule_set", Status: StatusNotMet, RuleSet: e.rules.Set.ID, Citation: e.rules.Set.Citation, Verified: e.rules.Set.EffectiveVerified,
			Requirement: "Hình thức khen thưởng áp dụng trong năm thành tích", RequirementEN: "an award form of the achievement year",
			Reason:   fmt.Sprintf("Bộ quy định “%[1]s” không áp dụng hình thức “%[2]s” cho năm thành tích %[3]d", e.rules.Set.ID, awardType, n.Year),
			ReasonEN: fmt.Sprintf("rule set %[1]s does not award %[2]s for the achievement year %[3]d", e.rules.Set.ID, awardType, n.Year),
		}}
	}
	for _, t := range e.rules.Types {
		if t.Code == awardType && !t.Admits(n.Kind) {
			return []CriterionResult{{
				ID: "kind", Status: StatusNotMet, RuleSet: e.rules.Set.ID,
				Requirement: "Đối tượng của hình thức khen thưởng", RequirementEN: "the award's kind of nominee",
				Reason:   fmt.Sprintf("“%[1]s” không dành cho %[2]s", t.Name, strings.ToLower(n.Kind.LabelVI())),
				ReasonEN: fmt.Sprintf("%s is not awarded to %s nominees", t.Name, string(n.Kind)),
			}}
		}
	}
	criteria, ok := e.rules.Set.CriteriaFor(awardType, n.Kind)
	if !ok {
		name := e.name(awardType)
		return []CriterionResult{{
			ID: "no_rules", Status: StatusUnknown, RuleSet: e.rules.Set.ID,
			Requirement:   "Tiêu chuẩn của hình thức khen thưởng",
			RequirementEN: "the award's criteria",
			Reason:        fmt.Sprintf("Bộ quy tắc “%[1]s” chưa có tiêu chuẩn cho “%[2]s” (%[3]s)", e.rules.Set.ID, name.vi, n.Kind.LabelVI()),
			ReasonEN:      fmt.Sprintf("rule set %q has no criteria for %s (%s)", e.rules.Set.ID, name.en, string(n.Kind)),
		}}
	}
	out := make([]CriterionResult, 0, len(criteria))
	for _, c := range criteria {
		res := e.criterion(c, n, depth)
		res.ID, res.Rule, res.Citation, res.Verified, res.RuleSet = c.ID, c.Rule, c.Citation, c.Verified, e.rules.Set.ID
		res.Requirement, res.RequirementEN = e.requirement(c)
		out = append(out, res)
	}
	return out
}

// bi is a message in both languages.
type bi struct{ vi, en string }

func (e *evaluator) name(code string) bi {
	for _, t := range e.rules.Types {
		if t.Code == code {
			return bi{"“" + t.Name + "”", "“" + t.Name + "” (" + code + ")"}
		}
	}
	return bi{"“" + code + "”", code}
}

func result(s CriterionStatus, vi, en string) CriterionResult {
	return CriterionResult{Status: s, Reason: vi, ReasonEN: en}
}

// own is the nominee's record for the achievement year, or nil.
func (n Nominee) own() *AnnualRecord {
	if n.Record == nil || n.Record.Year != n.Year {
		return nil
	}
	return n.Record
}

func (e *evaluator) criterion(c EligibilityCriterion, n Nominee, depth int) CriterionResult {
	rec := n.own()
	year := strconv.Itoa(n.Year)
	switch c.Rule {
	case RuleRating:
		if rec == nil || !rec.Rating.Valid() {
			return result(StatusUnknown, "Chưa có xếp loại năm "+year, "no task rating for "+year)
		}
		if rec.Rating.AtLeast(c.MinRating) {
			return result(StatusMet, fmt.Sprintf("Xếp loại “%s”", rec.Rating.LabelVI()), fmt.Sprintf("rated “%s”", rec.Rating.LabelEN()))
		}
		return result(StatusNotMet, fmt.Sprintf("Xếp loại “%[1]s”, chưa đạt “%[2]s”", rec.Rating.LabelVI(), c.MinRating.LabelVI()),
			fmt.Sprintf("rated “%s”, below “%s”", rec.Rating.LabelEN(), c.MinRating.LabelEN()))
	case RuleMonths:
		if rec == nil || rec.MonthsOfService == nil {
			return result(StatusUnknown, "Chưa có số tháng công tác năm "+year, "no months of service for "+year)
		}
		m := *rec.MonthsOfService
		if m >= c.MinMonths {
			return result(StatusMet, fmt.Sprintf("Công tác %d tháng trong năm", m), fmt.Sprintf("%d months of service in the year", m))
		}
		return result(StatusNotMet, fmt.Sprintf("Công tác %[1]d tháng trong năm, dưới %[2]d tháng", m, c.MinMonths),
			fmt.Sprintf("%[1]d months of service in the year, fewer than %[2]d", m, c.MinMonths))
	case RuleAbsence:
		if rec == nil || rec.DaysAbsent == nil {
			return result(StatusUnknown, "Chưa có số ngày nghỉ năm "+year, "no days absent for "+year)
		}
		d := max(*rec.DaysAbsent-max(rec.MaternityDays, 0), 0)
		vi, en := fmt.Sprintf("Nghỉ %d ngày làm việc", d), fmt.Sprintf("%d working days absent", d)
		if rec.MaternityDays > 0 {
			vi = fmt.Sprintf("Nghỉ %[1]d ngày làm việc, không tính %[2]d ngày nghỉ thai sản: %[3]d ngày", *rec.DaysAbsent, rec.MaternityDays, d)
			en = fmt.Sprintf("%[1]d working days absent, %[2]d of maternity leave excepted: %[3]d days", *rec.DaysAbsent, rec.MaternityDays, d)
		}
		if d < c.AbsenceLimit {
			return result(StatusMet, vi, en)
		}
		return result(StatusNotMet, fmt.Sprintf("%[1]s, từ %[2]d ngày trở lên", vi, c.AbsenceLimit), fmt.Sprintf("%[1]s, %[2]d or more", en, c.AbsenceLimit))
	case RuleDiscipline:
		if rec == nil || !rec.Discipline.Valid() {
			return result(StatusUnknown, "Chưa có thông tin kỷ luật năm "+year, "no discipline data for "+year)
		}
		if rec.Discipline.AtLeast(c.DisciplineFrom) {
			return result(StatusNotMet, fmt.Sprintf("Bị kỷ luật “%s” trong năm", rec.Discipline.LabelVI()), fmt.Sprintf("disciplined (%s) in the year", rec.Discipline.LabelEN()))
		}
		if rec.Discipline == DisciplineNone {
			return result(StatusMet, "Không bị kỷ luật trong năm", "not disciplined in the year")
		}
		return result(StatusMet, fmt.Sprintf("Kỷ luật “%s”, nhẹ hơn mức loại trừ", rec.Discipline.LabelVI()), fmt.Sprintf("%s, lighter than the excluding level", rec.Discipline.LabelEN()))
	case RuleInitiatives, RuleResearch:
		what := bi{"sáng kiến được công nhận", "recognised initiative(s)"}
		var list []Recognition
		if rec != nil {
			list = rec.Initiatives
		}
		if c.Rule == RuleResearch {
			what = bi{"đề tài nghiên cứu được nghiệm thu", "accepted research project(s)"}
			list = nil
			if rec != nil {
				list = rec.Research
			}
		}
		if len(list) >= c.MinCount {
			titles := make([]string, 0, len(list))
			for _, r := range list {
				titles = append(titles, "“"+r.Title+"” ("+r.Evidence+")")
			}
			return result(StatusMet, fmt.Sprintf("Có %[1]d %[2]s: %[3]s", len(list), what.vi, strings.Join(titles, "; ")),
				fmt.Sprintf("%d %s: %s", len(list), what.en, strings.Join(titles, "; ")))
		}
		if rec == nil {
			return result(StatusUnknown, "Chưa có dữ liệu năm "+year, "no data for "+year)
		}
		if len(list) == 0 {
			return result(StatusNotMet, "Không có "+what.vi, "no "+what.en)
		}
		return result(StatusNotMet, fmt.Sprintf("Có %[1]d %[2]s, cần ít nhất %[3]d", len(list), what.vi, c.MinCount),
			fmt.Sprintf("%d %s, at least %d required", len(list), what.en, c.MinCount))
	case RuleTitle:
		s, why := e.holds(c.Title, c.TitleSource, n.Kind, n.ID, rec, n.Year, depth)
		return result(s, why.vi, why.en)
	case RuleAnyOf:
		return e.anyOf(c, n, depth)
	case RuleMembersTitle:
		return e.members(c, n, func(m AnnualRecord) (CriterionStatus, bi) {
			return e.holds(c.Title, c.TitleSource, KindIndividual, m.ID, &m, n.Year, depth)
		}, bi{"thành viên đạt " + e.name(c.Title).vi, "members hold " + e.name(c.Title).en})
	case RuleMembersRating:
		return e.members(c, n, func(m AnnualRecord) (CriterionStatus, bi) {
			switch {
			case !m.Rating.Valid():
				return StatusUnknown, bi{}
			case m.Rating.AtLeast(c.MinRating):
				return StatusMet, bi{}
			}
			return StatusNotMet, bi{}
		}, bi{"thành viên xếp loại từ “" + c.MinRating.LabelVI() + "” trở lên", "members rated “" + c.MinRating.LabelEN() + "” or better"})
	case RuleMembersDiscipline:
		return e.membersDiscipline(c, n)
	case RuleConsecutiveYears:
		return e.consecutive(c, n, rec, depth)
	case RuleJudgement:
		return result(StatusJudgement, "Không có tiêu chí định lượng: Hội đồng xem xét ("+c.Text+")", "no data rule: the council judges ("+c.TextEN+")")
	}
	return result(StatusUnknown, fmt.Sprintf("Loại quy tắc “%s” không được hỗ trợ", string(c.Rule)), fmt.Sprintf("unsupported rule %q", string(c.Rule)))
}

func (e *evaluator) anyOf(c EligibilityCriterion, n Nominee, depth int) CriterionResult {
	var unknown, notMet []string
	var unknownEN, notMetEN []string
	for _, sub := range c.AnyOf {
		r := e.criterion(sub, n, depth)
		switch r.Status {
		case StatusMet, StatusJudgement:
			return result(r.Status, r.Reason, r.ReasonEN)
		case StatusUnknown:
			unknown, unknownEN = append(unknown, r.Reason), append(unknownEN, r.ReasonEN)
		default:
			notMet, notMetEN = append(notMet, r.Reason), append(notMetEN, r.ReasonEN)
		}
	}
	if len(unknown) > 0 {
		return result(StatusUnknown, "Chưa đạt điều kiện nào; "+strings.Join(append(notMet, unknown...), "; "),
			"none met yet; "+strings.Join(append(notMetEN, unknownEN...), "; "))
	}
	return result(StatusNotMet, "Không đạt điều kiện nào: "+strings.Join(notMet, "; "), "none met: "+strings.Join(notMetEN, "; "))
}

// holds judges whether a nominee holds a title in a year: from the register, or from
// the year's record meeting the title's data criteria (judgement criteria aside).
func (e *evaluator) holds(title string, src TitleSource, k NomineeKind, id string, rec *AnnualRecord, year, depth int) (CriterionStatus, bi) {
	name := e.name(title)
	y := strconv.Itoa(year)
	if src != TitleFromRecord && e.registered(k, id, year, title) {
		return StatusMet, bi{"Đã được tặng " + name.vi + " năm " + y + " (sổ khen thưởng)", "awarded " + name.en + " for " + y + " (register)"}
	}
	if src == TitleFromRegister {
		return StatusNotMet, bi{"Sổ khen thưởng không có " + name.vi + " năm " + y, "the register holds no " + name.en + " for " + y}
	}
	if depth >= maxTitleDepth {
		return StatusUnknown, bi{"Quy tắc lồng nhau quá sâu", "rules nested too deep"}
	}
	if rec == nil || rec.Year != year {
		return StatusUnknown, bi{"Chưa có dữ liệu năm " + y + " để xét " + name.vi, "no data for " + y + " to judge " + name.en}
	}
	sub := e.evaluate(title, Nominee{Kind: k, ID: id, Year: year, Record: rec}, depth+1)
	data := slices.DeleteFunc(sub, func(r CriterionResult) bool { return r.Status == StatusJudgement })
	for _, r := range data {
		if r.Status == StatusNotMet {
			return StatusNotMet, bi{"Không đạt tiêu chuẩn " + name.vi + " năm " + y + ": " + r.Reason, "does not meet " + name.en + " for " + y + ": " + r.ReasonEN}
		}
	}
	for _, r := range data {
		if r.Status == StatusUnknown {
			return StatusUnknown, bi{"Chưa đủ dữ liệu xét " + name.vi + " năm " + y + ": " + r.Reason, "not enough data for " + name.en + " for " + y + ": " + r.ReasonEN}
		}
	}
	return StatusMet, bi{"Đạt tiêu chuẩn " + name.vi + " năm " + y + " theo dữ liệu năm", "meets " + name.en + " for " + y + " by the year's data"}
}

func (e *evaluator) registered(k NomineeKind, id string, year int, title string) bool {
	return slices.ContainsFunc(e.history, func(h AwardRecord) bool {
		return h.Kind == k && h.NomineeID == id && h.Year == year && h.AwardType == title
	})
}

// memberRecords is a collective's members' records for the year, or a reason why they
// cannot be used (none given, or a member twice: which one counts would depend on order).
func (n Nominee) memberRecords() ([]AnnualRecord, *CriterionResult) {
	if len(n.Members) == 0 {
		r := result(StatusUnknown, "Chưa có dữ liệu thành viên của tập thể năm "+strconv.Itoa(n.Year), "no member data for "+strconv.Itoa(n.Year))
		return nil, &r
	}
	seen := map[string]int{}
	var twice []string
	for _, m := range n.Members {
		if seen[m.ID]++; seen[m.ID] == 2 {
			twice = append(twice, m.ID)
		}
	}
	if len(twice) > 0 {
		slices.Sort(twice)
		list := strings.Join(twice, ", ")
		r := result(StatusUnknown, "Dữ liệu thành viên bị trùng: "+list, "members listed twice: "+list)
		return nil, &r
	}
	return n.Members, nil
}

// members counts the members that pass a test and compares the count with the share
// (and the minimum count) of the criterion. Members whose data is missing are counted
// both ways: the result is met only if it is met even when they all fail, not met only
// if it is not met even when they all pass, and unknown otherwise.
func (e *evaluator) members(c EligibilityCriterion, n Nominee, test func(AnnualRecord) (CriterionStatus, bi), what bi) CriterionResult {
	list, bad := n.memberRecords()
	if bad != nil {
		return *bad
	}
	yes, unknown := 0, 0
	for _, m := range list {
		if m.Year != n.Year {
			unknown++
			continue
		}
		switch s, _ := test(m); s {
		case StatusMet:
			yes++
		case StatusUnknown:
			unknown++
		}
	}
	total := len(list)
	ok := func(y int) bool {
		if c.MinCount > 0 && y < c.MinCount {
			return false
		}
		return c.Share == nil || c.Share.atLeast(y, total, c.Strict)
	}
	vi := fmt.Sprintf("%[1]d/%[2]d %[3]s", yes, total, what.vi)
	en := fmt.Sprintf("%[1]d of %[2]d %[3]s", yes, total, what.en)
	if c.Share != nil {
		rule := VoteRule{Pass: *c.Share, Strict: c.Strict}
		p := FormatPercent(rule.percentHundredths(yes, total, ok(yes)))
		vi, en = fmt.Sprintf("%[1]s (%[2]s)", vi, p), fmt.Sprintf("%[1]s (%[2]s)", en, p)
	}
	if unknown > 0 {
		vi += fmt.Sprintf(", %d thành viên chưa đủ dữ liệu", unknown)
		en += fmt.Sprintf(", %d without enough data", unknown)
	}
	switch {
	case ok(yes):
		return result(StatusMet, vi, en)
	case !ok(yes + unknown):
		return result(StatusNotMet, vi, en)
	}
	return result(StatusUnknown, vi, en)
}

func (e *evaluator) membersDiscipline(c EligibilityCriterion, n Nominee) CriterionResult {
	list, bad := n.memberRecords()
	if bad != nil {
		return *bad
	}
	var hit, hitEN, unknown []string
	for _, m := range list {
		switch {
		case m.Year != n.Year || !m.Discipline.Valid():
			unknown = append(unknown, m.ID)
		case m.Discipline.AtLeast(c.DisciplineFrom):
			hit = append(hit, m.ID+" ("+m.Discipline.LabelVI()+")")
			hitEN = append(hitEN, m.ID+" ("+m.Discipline.LabelEN()+")")
		}
	}
	slices.Sort(hit)
	slices.Sort(hitEN)
	slices.Sort(unknown)
	switch {
	case len(hit) > 0:
		return result(StatusNotMet, "Có thành viên bị kỷ luật: "+strings.Join(hit, ", "), "members disciplined: "+strings.Join(hitEN, ", "))
	case len(unknown) > 0:
		return result(StatusUnknown, "Chưa có thông tin kỷ luật của: "+strings.Join(unknown, ", "), "no discipline data for: "+strings.Join(unknown, ", "))
	}
	return result(StatusMet, fmt.Sprintf("Không thành viên nào trong %d thành viên bị kỷ luật từ mức “%s” trở lên", len(list), c.DisciplineFrom.LabelVI()),
		fmt.Sprintf("none of %d members disciplined at “%s” or above", len(list), c.DisciplineFrom.LabelEN()))
}

func (e *evaluator) consecutive(c EligibilityCriterion, n Nominee, rec *AnnualRecord, depth int) CriterionResult {
	last := n.Year
	if !c.IncludeCurrent {
		last--
	}
	name := e.name(c.Title)
	var missing []string
	unknown := false
	var why bi
	for y := last - c.Years + 1; y <= last; y++ {
		var s CriterionStatus
		if y == n.Year {
			s, why = e.holds(c.Title, c.TitleSource, n.Kind, n.ID, rec, y, depth)
		} else if e.registered(n.Kind, n.ID, y, c.Title) {
			s = StatusMet
		} else {
			s = StatusNotMet
		}
		switch s {
		case StatusNotMet:
			missing = append(missing, strconv.Itoa(y))
		case StatusUnknown:
			unknown = true
		}
	}
	span := fmt.Sprintf("%d–%d", last-c.Years+1, last)
	switch {
	case len(missing) > 0:
		return result(StatusNotMet, fmt.Sprintf("Chưa đạt %[1]s các năm %[2]s (cần %[3]d năm liên tục %[4]s)", name.vi, strings.Join(missing, ", "), c.Years, span),
			fmt.Sprintf("%[1]s missing for %[2]s (%[3]d consecutive years %[4]s required)", name.en, strings.Join(missing, ", "), c.Years, span))
	case unknown:
		return result(StatusUnknown, fmt.Sprintf("Đạt %[1]s các năm trước; năm %[2]d: %[3]s", name.vi, n.Year, why.vi),
			fmt.Sprintf("%[1]s held in the earlier years; %[2]d: %[3]s", name.en, n.Year, why.en))
	}
	return result(StatusMet, fmt.Sprintf("Đạt %[1]s %[2]d năm liên tục %[3]s", name.vi, c.Years, span),
		fmt.Sprintf("held %[1]s %[2]d consecutive years %[3]s", name.en, c.Years, span))
}

// requirement says what a criterion asks, in both languages.
func (e *evaluator) requirement(c EligibilityCriterion) (string, string) {
	switch c.Rule {
	case RuleRating:
		return fmt.Sprintf("Xếp loại từ “%s” trở lên", c.MinRating.LabelVI()), fmt.Sprintf("task rating “%s” or better", c.MinRating.LabelEN())
	case RuleMonths:
		return fmt.Sprintf("Công tác từ %d tháng trở lên trong năm", c.MinMonths), fmt.Sprintf("at least %d months of service in the year", c.MinMonths)
	case RuleAbsence:
		return fmt.Sprintf("Nghỉ dưới %d ngày làm việc trong năm (không tính nghỉ thai sản)", c.AbsenceLimit),
			fmt.Sprintf("fewer than %d working days absent in the year (maternity leave excepted)", c.AbsenceLimit)
	case RuleDiscipline:
		return fmt.Sprintf("Không bị kỷ luật từ mức “%s” trở lên", c.DisciplineFrom.LabelVI()),
			fmt.Sprintf("no discipline at “%s” or above", c.DisciplineFrom.LabelEN())
	case RuleInitiatives:
		return fmt.Sprintf("Có ít nhất %d sáng kiến được công nhận", c.MinCount), fmt.Sprintf("at least %d recognised initiative(s)", c.MinCount)
	case RuleResearch:
		return fmt.Sprintf("Có ít nhất %d đề tài nghiên cứu được nghiệm thu", c.MinCount), fmt.Sprintf("at least %d accepted research project(s)", c.MinCount)
	case RuleTitle:
		return "Đạt " + e.name(c.Title).vi + " cùng năm", "holds " + e.name(c.Title).en + " the same year"
	case RuleAnyOf:
		var vi, en []string
		for _, s := range c.AnyOf {
			v, x := e.requirement(s)
			vi, en = append(vi, v), append(en, x)
		}
		return "Một trong các điều kiện: " + strings.Join(vi, "; hoặc "), "one of: " + strings.Join(en, "; or ")
	case RuleMembersTitle, RuleMembersRating:
		// "Trên 50% thành viên đạt …", "Từ 70% thành viên trở lên đạt …".
		who, what := bi{"thành viên", "of the members"}, bi{"đạt " + e.name(c.Title).vi, "hold " + e.name(c.Title).en}
		if c.Rule == RuleMembersRating {
			what = bi{"xếp loại từ “" + c.MinRating.LabelVI() + "” trở lên", "rated “" + c.MinRating.LabelEN() + "” or better"}
		}
		var vi, en []string
		if c.Share != nil {
			share := ratioText(*c.Share)
			switch {
			case !c.Strict && c.Share.Num == c.Share.Den:
				vi, en = append(vi, "Tất cả thành viên "+what.vi), append(en, "all members "+what.en)
			case c.Strict:
				vi, en = append(vi, "Trên "+share+" "+who.vi+" "+what.vi), append(en, "more than "+share+" "+who.en+" "+what.en)
			default:
				vi, en = append(vi, "Từ "+share+" "+who.vi+" trở lên "+what.vi), append(en, "at least "+share+" "+who.en+" "+what.en)
			}
		}
		if c.MinCount > 0 {
			vi = append(vi, fmt.Sprintf("Ít nhất %[1]d thành viên %[2]s", c.MinCount, what.vi))
			en = append(en, fmt.Sprintf("at least %[1]d member(s) %[2]s", c.MinCount, what.en))
		}
		return strings.Join(vi, "; "), strings.Join(en, "; ")
	case RuleMembersDiscipline:
		return fmt.Sprintf("Không thành viên nào bị kỷ luật từ mức “%s” trở lên", c.DisciplineFrom.LabelVI()),
			fmt.Sprintf("no member disciplined at “%s” or above", c.DisciplineFrom.LabelEN())
	case RuleConsecutiveYears:
		if c.IncludeCurrent {
			return fmt.Sprintf("Đạt %[1]s %[2]d năm liên tục đến năm xét", e.name(c.Title).vi, c.Years),
				fmt.Sprintf("held %[1]s %[2]d consecutive years up to the achievement year", e.name(c.Title).en, c.Years)
		}
		return fmt.Sprintf("Đạt %[1]s %[2]d năm liên tục trước năm xét", e.name(c.Title).vi, c.Years),
			fmt.Sprintf("held %[1]s %[2]d consecutive years before the achievement year", e.name(c.Title).en, c.Years)
	case RuleJudgement:
		return c.Text, c.TextEN
	}
	return string(c.Rule), string(c.Rule)
}
