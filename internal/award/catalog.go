package award

import (
	"slices"
	"time"
)

// Criterion is one requirement of a movement (tiêu chí).
type Criterion struct {
	ID   string `json:"id" yaml:"id"`
	Text string `json:"text" yaml:"text"`
	// Target is the number the criterion asks for, when the source gives one ("100%
	// văn bản điện tử", "năng suất tăng tối thiểu 7%/năm"); see movement.go.
	Target *Target `json:"target,omitempty" yaml:"target"`
}

// Movement is an emulation campaign (phong trào thi đua) with its criteria; its period,
// reviews and registration are in movement.go.
type Movement struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
	// Year is the achievement year of the proposals filed under the movement (0: the
	// year they are filed in, on the agency's clock).
	Year         int `json:"year" yaml:"year"`
	MovementPlan `yaml:",inline"`
	Individual   []Criterion `json:"individual_criteria" yaml:"individual_criteria"`
	Collective   []Criterion `json:"collective_criteria" yaml:"collective_criteria"`
}

// Criteria returns the criteria a nominee of the given kind is assessed against: the
// movement's general criteria, then those of the kind.
func (m Movement) Criteria(k NomineeKind) []Criterion {
	own := m.Individual
	if k == KindCollective {
		own = m.Collective
	}
	if len(m.General) == 0 {
		return own
	}
	return slices.Concat(m.General, own)
}

// Authority says who decides an award.
type Authority string

const (
	AuthorityAgency Authority = "agency" // the agency head decides (quyết định)
	AuthorityUpward Authority = "upward" // the agency proposes it upward (tờ trình)
)

// AwardType is a form of award the agency handles, with the vote rule its council applies.
type AwardType struct {
	Code string      `json:"code" yaml:"code"` // short code used in ids, e.g. LDTT
	Name string      `json:"name" yaml:"name"` // "Lao động tiên tiến"
	Kind NomineeKind `json:"kind" yaml:"kind"`
	// Kinds lists the kinds of nominee the type admits when it admits both (Giấy khen
	// goes to individuals and collectives); empty means Kind alone. A session still
	// issues one decision per type and kind: a decision never mixes the two.
	Kinds            []NomineeKind `json:"kinds,omitempty" yaml:"kinds"`
	Authority        Authority     `json:"authority" yaml:"authority"`
	Vote             VoteRule      `json:"vote" yaml:"vote"`
	BonusCoefficient float64       `json:"bonus_coefficient" yaml:"bonus_coefficient"` // × base salary, Điều 2
	// CollectiveBonusCoefficient is the coefficient for collectives of a type that
	// admits both (a collective's bonus is higher); 0 means BonusCoefficient.
	CollectiveBonusCoefficient float64 `json:"collective_bonus_coefficient,omitempty" yaml:"collective_bonus_coefficient"`
	Citation                   string  `json:"citation" yaml:"citation"` // legal basis of the rule
	// BonusCitation is the article the coefficients come from (hệ số mức tiền thưởng,
	// e.g. "Nghị định 98/2023/NĐ-CP, Điều 54"); BonusVerified marks one read in the text.
	// A rule set may give its own (AwardTypeRule).
	BonusCitation string `json:"bonus_citation,omitempty" yaml:"bonus_citation"`
	BonusVerified bool   `json:"bonus_verified,omitempty" yaml:"bonus_verified"`
	// Annual: a title of ongoing emulation (thi đua thường xuyên, Luật Thi đua, khen
	// thưởng 2022 Điều 16), judged on the year: it never needs a movement's registration
	// (RegistrationNeeded); campaign awards (theo chuyên đề) may.
	Annual bool `json:"annual,omitempty" yaml:"annual"`
	// EvidenceRequired: a proposal of this type is submitted only with at least one
	// evidence file (SubmitRules); the server refuses it otherwise (422).
	EvidenceRequired bool `json:"evidence_required,omitempty" yaml:"evidence_required"`
}

// Admits reports whether the type may be proposed for a nominee of kind k.
func (t AwardType) Admits(k NomineeKind) bool {
	if len(t.Kinds) > 0 {
		return slices.Contains(t.Kinds, k)
	}
	return t.Kind == k
}

// Coefficient is the bonus coefficient for a nominee of kind k.
func (t AwardType) Coefficient(k NomineeKind) float64 {
	if k == KindCollective && t.CollectiveBonusCoefficient > 0 {
		return t.CollectiveBonusCoefficient
	}
	return t.BonusCoefficient
}

// RuleSet is an effective-dated set of award rules; a proposal records which one judged it.
type RuleSet struct {
	ID        string    `json:"id" yaml:"id"`
	Effective time.Time `json:"effective" yaml:"effective"`
	Citation  string    `json:"citation" yaml:"citation"`
	// EffectiveVerified: the effective date was read in the legal text; false marks a
	// date to be checked [verify].
	EffectiveVerified bool `json:"effective_verified" yaml:"effective_verified"`
	// FromYear is the first achievement year the set judges (RuleSetForYear); 0 means
	// the year of Effective: a year's titles are reviewed at its end, under the rules
	// then in force.
	FromYear int `json:"from_year,omitempty" yaml:"from_year"`
	// Eligibility holds the criteria of each award type (see Evaluate). A set without
	// any (older configurations) judges nothing: Evaluate answers "unknown".
	Eligibility []Eligibility `json:"eligibility,omitempty" yaml:"eligibility"`
	// DecisionBases are the căn cứ lines of the laws the set applies ("Căn cứ Nghị định
	// số 98/2023/NĐ-CP ngày …"): a decision for achievements judged under the set opens
	// with them, before the agency's own lines (its quy chế, the council's proposal).
	DecisionBases []string `json:"decision_bases,omitempty" yaml:"decision_bases"`
	// AwardTypeRules are the set's own rules for award types of the catalogue, by code:
	// coefficients, vote rule (pass mark, quota), citations, or the type removed for
	// the years the set judges (see ruleset_types.go). A set without any (older
	// configurations) keeps the catalogue's rules.
	AwardTypeRules []AwardTypeRule `json:"award_type_rules,omitempty" yaml:"award_types"`
	// Types are the award types as the set applies them: the catalogue with the set's
	// rules applied and its removed types left out (Resolve). Computed, never configured.
	Types []AwardType `json:"award_types,omitempty" yaml:"-"`
}

// FirstYear is the first achievement year the set judges.
func (rs RuleSet) FirstYear() int {
	if rs.FromYear != 0 {
		return rs.FromYear
	}
	return rs.Effective.Year()
}

// RuleSetForYear picks the rule set that judges achievements of a year: the one with
// the latest FirstYear not after it (a 2024 achievement is judged under NĐ 98/2023, a
// 2026 one under NĐ 152/2025).
func RuleSetForYear(sets []RuleSet, year int) (RuleSet, bool) {
	var best RuleSet
	found := false
	for _, s := range sets {
		if s.FirstYear() > year {
			continue
		}
		if !found || s.FirstYear() > best.FirstYear() || s.FirstYear() == best.FirstYear() && s.Effective.After(best.Effective) {
			best, found = s, true
		}
	}
	return best, found
}

// RuleSetAt picks the rule set in force at t: the latest whose Effective is not after t.
func RuleSetAt(sets []RuleSet, t time.Time) (RuleSet, bool) {
	var best RuleSet
	found := false
	for _, s := range sets {
		if !s.Effective.After(t) && (!found || s.Effective.After(best.Effective)) {
			best, found = s, true
		}
	}
	return best, found
}
