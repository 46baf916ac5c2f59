package award

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ruleParams says which parameters each kind of rule needs and which it may take; any
// other parameter set on a criterion is a configuration error (a typo, or a number the
// rule would silently ignore).
var ruleParams = map[RuleKind]struct{ required, optional []string }{
	RuleRating:            {required: []string{"min_rating"}},
	RuleMonths:            {required: []string{"min_months"}},
	RuleAbsence:           {required: []string{"absence_limit"}},
	RuleDiscipline:        {required: []string{"discipline_from"}},
	RuleInitiatives:       {required: []string{"min_count"}},
	RuleResearch:          {required: []string{"min_count"}},
	RuleTitle:             {required: []string{"title", "title_source"}},
	RuleAnyOf:             {required: []string{"any_of"}},
	RuleMembersTitle:      {required: []string{"title", "title_source"}, optional: []string{"share", "strict", "min_count"}},
	RuleMembersRating:     {required: []string{"min_rating", "share"}, optional: []string{"strict"}},
	RuleMembersDiscipline: {required: []string{"discipline_from"}},
	RuleConsecutiveYears:  {required: []string{"title", "title_source", "years"}, optional: []string{"include_current"}},
	RuleJudgement:         {required: []string{"text", "text_en"}},
}

// params lists the parameters set on a criterion (non-zero).
func (c EligibilityCriterion) params() []string {
	var p []string
	add := func(set bool, name string) {
		if set {
			p = append(p, name)
		}
	}
	add(c.MinRating != "", "min_rating")
	add(c.MinMonths != 0, "min_months")
	add(c.AbsenceLimit != 0, "absence_limit")
	add(c.DisciplineFrom != "", "discipline_from")
	add(c.MinCount != 0, "min_count")
	add(c.Title != "", "title")
	add(c.TitleSource != "", "title_source")
	add(c.Share != nil, "share")
	add(c.Strict, "strict")
	add(c.Years != 0, "years")
	add(c.IncludeCurrent, "include_current")
	add(len(c.AnyOf) > 0, "any_of")
	add(c.Text != "", "text")
	add(c.TextEN != "", "text_en")
	return p
}

// Bounds of criterion parameters.
const (
	maxConsecutiveYears = 50
	maxCriteria         = 100
)

// CheckRuleSets checks the rule sets against the award types, so that bad rule data
// is refused at start: unique ids and first achievement years; criteria that name
// known award types and kinds, known rule kinds, exactly the parameters their rule
// takes, numbers in range (no negative months or days, shares within 0..1), a citation
// each, and no title that needs itself through other titles. A set with any criteria
// must give criteria to every award type and kind, so that no proposal is judged by
// silence.
func CheckRuleSets(sets []RuleSet, types []AwardType) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	ids := map[string]bool{}
	firstYears := map[int]string{}
	for _, rs := range sets {
		if rs.ID == "" || ids[rs.ID] {
			bad("rule set %q: id missing or repeated", rs.ID)
		}
		ids[rs.ID] = true
		if rs.Effective.IsZero() {
			bad("rule set %q: effective date is required", rs.ID)
		}
		if rs.FromYear != 0 && (rs.FromYear < 1945 || rs.FromYear > 9999) {
			bad("rule set %q: from_year %d is not a year", rs.ID, rs.FromYear)
		}
		if other, ok := firstYears[rs.FirstYear()]; ok {
			bad("rule sets %q and %q both start with achievement year %d", other, rs.ID, rs.FirstYear())
		}
		firstYears[rs.FirstYear()] = rs.ID
		// The set's criteria name the types as the set applies them (Resolve): a type
		// the set removes takes no criteria and is no title to hold.
		own := types
		if rs.Types != nil {
			own = rs.Types
		}
		if err := checkEligibility(rs, own, types); err != nil {
			bad("rule set %q: %w", rs.ID, err)
		}
	}
	return errors.Join(errs...)
}

type typeKind struct {
	code string
	kind NomineeKind
}

func checkEligibility(rs RuleSet, types, catalogue []AwardType) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	byCode := map[string]AwardType{}
	for _, t := range types {
		byCode[t.Code] = t
	}
	removed := map[string]bool{}
	for _, t := range catalogue {
		if _, ok := byCode[t.Code]; !ok {
			removed[t.Code] = true
		}
	}
	covered := map[typeKind]bool{}
	whole := map[string]bool{} // types with a kind-less entry
	edges := map[typeKind][]typeKind{}
	for i, e := range rs.Eligibility {
		t, ok := byCode[e.AwardType]
		if !ok && removed[e.AwardType] {
			errs = append(errs, Invalid("Bộ quy định “%[1]s” nêu tiêu chuẩn của hình thức “%[2]s” mà bộ quy định đã bỏ (removed): bỏ các tiêu chuẩn đó hoặc giữ hình thức",
				"rule set %[1]s gives eligibility criteria for %[2]s, which the set removes: drop the criteria or keep the type", rs.ID, e.AwardType))
			continue
		}
		if !ok {
			bad("eligibility[%d]: unknown award type %q", i, e.AwardType)
			continue
		}
		kinds := t.Kinds
		if len(kinds) == 0 {
			kinds = []NomineeKind{t.Kind}
		}
		if e.Kind != "" {
			if !t.Admits(e.Kind) {
				bad("eligibility %s: award type does not admit kind %q", e.AwardType, e.Kind)
				continue
			}
			kinds = []NomineeKind{e.Kind}
		}
		if whole[e.AwardType] || e.Kind == "" && slices.ContainsFunc(kinds, func(k NomineeKind) bool { return covered[typeKind{e.AwardType, k}] }) {
			bad("eligibility %s: criteria given twice", e.AwardType)
		}
		for _, k := range kinds {
			if covered[typeKind{e.AwardType, k}] {
				bad("eligibility %s (%s): criteria given twice", e.AwardType, k)
			}
			covered[typeKind{e.AwardType, k}] = true
		}
		if e.Kind == "" {
			whole[e.AwardType] = true
		}
		if len(e.Criteria) == 0 || len(e.Criteria) > maxCriteria {
			bad("eligibility %s: between 1 and %d criteria are required", e.AwardType, maxCriteria)
		}
		cids := map[string]bool{}
		for _, c := range e.Criteria {
			where := e.AwardType + "/" + c.ID
			if c.ID == "" || cids[c.ID] || strings.ContainsAny(c.ID, " \t\n") {
				bad("eligibility %s: criterion id %q missing, repeated or with spaces", e.AwardType, c.ID)
			}
			cids[c.ID] = true
			if strings.TrimSpace(c.Citation) == "" {
				bad("%s: a citation is required (mark an unchecked one verified: false)", where)
			}
			for _, k := range kinds {
				checkCriterion(where, c, k, byCode, bad, 0)
				for _, to := range titleEdges(c, k) {
					edges[typeKind{e.AwardType, k}] = append(edges[typeKind{e.AwardType, k}], to)
				}
			}
		}
	}
	if len(rs.Eligibility) > 0 {
		for _, t := range types {
			kinds := t.Kinds
			if len(kinds) == 0 {
				kinds = []NomineeKind{t.Kind}
			}
			for _, k := range kinds {
				if !covered[typeKind{t.Code, k}] {
					bad("award type %s (%s) has no eligibility criteria", t.Code, k)
				}
			}
		}
	}
	if cyc := findCycle(edges); cyc != "" {
		bad("titles judged from records need themselves: %s", cyc)
	}
	return errors.Join(errs...)
}

func checkCriterion(where string, c EligibilityCriterion, k NomineeKind, types map[string]AwardType, bad func(string, ...any), depth int) {
	spec, ok := ruleParams[c.Rule]
	if !ok {
		bad("%s: unknown rule %q", where, c.Rule)
		return
	}
	set := c.params()
	for _, p := range spec.required {
		if !slices.Contains(set, p) {
			bad("%s: rule %s needs %s", where, c.Rule, p)
		}
	}
	for _, p := range set {
		if !slices.Contains(spec.required, p) && !slices.Contains(spec.optional, p) {
			bad("%s: rule %s does not take %s", where, c.Rule, p)
		}
	}
	if c.Rule == RuleMembersTitle && c.Share == nil && c.MinCount == 0 {
		bad("%s: rule %s needs share or min_count", where, c.Rule)
	}
	member := strings.HasPrefix(string(c.Rule), "members_")
	if member && k != KindCollective {
		bad("%s: rule %s applies to collectives only", where, c.Rule)
	}
	if (c.Rule == RuleMonths || c.Rule == RuleAbsence) && k != KindIndividual {
		bad("%s: rule %s applies to individuals only", where, c.Rule)
	}
	if c.MinRating != "" && !c.MinRating.Valid() {
		bad("%s: unknown min_rating %q", where, c.MinRating)
	}
	if c.DisciplineFrom != "" && (!c.DisciplineFrom.Valid() || c.DisciplineFrom == DisciplineNone) {
		bad("%s: discipline_from %q must be a disciplinary measure", where, c.DisciplineFrom)
	}
	if c.MinMonths < 0 || c.MinMonths > 12 {
		bad("%s: min_months %d must be between 1 and 12", where, c.MinMonths)
	}
	if c.AbsenceLimit < 0 || c.AbsenceLimit > MaxWorkingDaysInYear {
		bad("%s: absence_limit %d must be between 1 and %d", where, c.AbsenceLimit, MaxWorkingDaysInYear)
	}
	if c.MinCount < 0 {
		bad("%s: min_count %d must be positive", where, c.MinCount)
	}
	if c.Years < 0 || c.Years > maxConsecutiveYears {
		bad("%s: years %d must be between 1 and %d", where, c.Years, maxConsecutiveYears)
	}
	if s := c.Share; s != nil && (s.Den <= 0 || s.Num < 0 || s.Num > s.Den) {
		bad("%s: share %s is not a fraction between 0 and 1", where, s)
	}
	if c.TitleSource != "" && !slices.Contains(TitleSources, c.TitleSource) {
		bad("%s: title_source %q must be register, record or register_or_record", where, c.TitleSource)
	}
	if c.Title != "" {
		holder := k
		if member {
			holder = KindIndividual
		}
		if t, ok := types[c.Title]; !ok {
			bad("%s: unknown title %q", where, c.Title)
		} else if !t.Admits(holder) {
			bad("%s: title %q is not awarded to %s nominees", where, c.Title, holder)
		}
	}
	if depth > 2 {
		bad("%s: any_of nested too deep", where)
		return
	}
	for i, sub := range c.AnyOf {
		if sub.Citation != "" || sub.Verified {
			bad("%s: any_of[%d] takes its citation from the criterion", where, i)
		}
		checkCriterion(fmt.Sprintf("%s/any_of[%d]", where, i), sub, k, types, bad, depth+1)
	}
}

// titleEdges lists the titles a criterion judges from records (which evaluate that
// title's criteria in turn).
func titleEdges(c EligibilityCriterion, k NomineeKind) []typeKind {
	var out []typeKind
	if c.Title != "" && c.TitleSource != TitleFromRegister {
		holder := k
		if c.Rule == RuleMembersTitle {
			holder = KindIndividual
		}
		out = append(out, typeKind{c.Title, holder})
	}
	for _, s := range c.AnyOf {
		out = append(out, titleEdges(s, k)...)
	}
	return out
}

// findCycle returns a cycle of the graph as "A → B → A", or "".
func findCycle(edges map[typeKind][]typeKind) string {
	const (
		white = iota
		grey
		black
	)
	color := map[typeKind]int{}
	var path []typeKind
	var found string
	var visit func(n typeKind) bool
	visit = func(n typeKind) bool {
		color[n] = grey
		path = append(path, n)
		for _, m := range edges[n] {
			switch color[m] {
			case grey:
				i := slices.Index(path, m)
				var names []string
				for _, p := range append(path[i:], m) {
					names = append(names, p.code+"("+string(p.kind)+")")
				}
				found = strings.Join(names, " → ")
				return true
			case white:
				if visit(m) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		color[n] = black
		return false
	}
	keys := make([]typeKind, 0, len(edges))
	for k := range edges {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b typeKind) int { return strings.Compare(a.code+string(a.kind), b.code+string(b.kind)) })
	for _, k := range keys {
		if color[k] == white && visit(k) {
			return found
		}
	}
	return ""
}
