package award

import (
	"errors"
	"slices"
	"strconv"
)

// AwardTypeRule is a rule set's own word on one award type of the catalogue (the
// organisation's award_types), by code: what a new decree changes — the bonus
// coefficients (hệ số mức tiền thưởng) with their citation, the vote rule (quorum, pass
// mark, quota), the legal basis — for the achievement years the set judges. A field left
// out keeps the catalogue's value; Vote, when given, replaces the whole rule. Removed:
// the set does not award the type at all (a form abolished, or one not yet created).
// What a type is — its name, kind, authority, whether it is annual — stays in the
// catalogue, so that one code means one thing in every year.
type AwardTypeRule struct {
	Code                       string    `json:"code" yaml:"code"`
	BonusCoefficient           *float64  `json:"bonus_coefficient,omitempty" yaml:"bonus_coefficient"`
	CollectiveBonusCoefficient *float64  `json:"collective_bonus_coefficient,omitempty" yaml:"collective_bonus_coefficient"`
	BonusCitation              string    `json:"bonus_citation,omitempty" yaml:"bonus_citation"`
	BonusVerified              bool      `json:"bonus_verified,omitempty" yaml:"bonus_verified"` // with BonusCitation
	Vote                       *VoteRule `json:"vote,omitempty" yaml:"vote"`
	Citation                   string    `json:"citation,omitempty" yaml:"citation"`
	Removed                    bool      `json:"removed,omitempty" yaml:"removed"`
}

// maxBonusCoefficient bounds a coefficient (the highest awards are a few dozen times the
// base salary): a larger one is a typo.
const maxBonusCoefficient = 100

// changes reports whether the rule sets anything besides its code.
func (r AwardTypeRule) changes() bool {
	return r.BonusCoefficient != nil || r.CollectiveBonusCoefficient != nil || r.BonusCitation != "" || r.BonusVerified ||
		r.Vote != nil || r.Citation != "" || r.Removed
}

// Resolve returns the set with Types filled: the catalogue's award types with the set's
// rules applied and its removed types left out. The catalogue is not changed.
func (rs RuleSet) Resolve(catalogue []AwardType) RuleSet {
	rules := map[string]AwardTypeRule{}
	for _, r := range rs.AwardTypeRules {
		rules[r.Code] = r
	}
	rs.Types = make([]AwardType, 0, len(catalogue))
	for _, t := range catalogue {
		t.Kinds = slices.Clone(t.Kinds)
		if t.Vote.Quota != nil {
			q := t.Vote.Quota.Normalized()
			t.Vote.Quota = &q
		}
		r, ok := rules[t.Code]
		if ok && r.Removed {
			continue
		}
		if ok {
			if r.BonusCoefficient != nil {
				t.BonusCoefficient = *r.BonusCoefficient
			}
			if r.CollectiveBonusCoefficient != nil {
				t.CollectiveBonusCoefficient = *r.CollectiveBonusCoefficient
			}
			if r.BonusCitation != "" {
				t.BonusCitation, t.BonusVerified = r.BonusCitation, r.BonusVerified
			}
			if r.Citation != "" {
				t.Citation = r.Citation
			}
			if r.Vote != nil {
				t.Vote = *r.Vote
				if t.Vote.Quota != nil {
					q := t.Vote.Quota.Normalized()
					t.Vote.Quota = &q
				}
			}
		}
		rs.Types = append(rs.Types, t)
	}
	return rs
}

// AwardType finds an award type as the set applies it (the set must be resolved).
func (rs RuleSet) AwardType(code string) (AwardType, bool) {
	for _, t := range rs.Types {
		if t.Code == code {
			return t, true
		}
	}
	return AwardType{}, false
}

// CheckAwardTypeRules checks a set's award type rules against the catalogue: known codes,
// each once, a rule that changes something, coefficients within 0..100 (a collective one
// only for a type that admits collectives), nothing besides removed on a removed type, a
// valid vote rule, and quotas that count a type the set awards. Every message names the
// set and the type, in Vietnamese and English.
func CheckAwardTypeRules(rs RuleSet, catalogue []AwardType) error {
	var errs []error
	byCode := map[string]AwardType{}
	for _, t := range catalogue {
		byCode[t.Code] = t
	}
	seen := map[string]bool{}
	for _, r := range rs.AwardTypeRules {
		t, ok := byCode[r.Code]
		switch {
		case !ok:
			errs = append(errs, Invalid("Bộ quy định “%[1]s”: hình thức khen thưởng “%[2]s” không có trong danh mục (award_types); khai báo hình thức trong danh mục trước",
				"rule set %[1]s: award type %[2]q is not in award_types; declare the type in the catalogue first", rs.ID, r.Code))
			continue
		case seen[r.Code]:
			errs = append(errs, Invalid("Bộ quy định “%[1]s”: hình thức “%[2]s” được khai báo hai lần",
				"rule set %[1]s: award type %[2]s is given twice", rs.ID, r.Code))
			continue
		case !r.changes():
			errs = append(errs, Invalid("Bộ quy định “%[1]s”: mục của hình thức “%[2]s” không thay đổi gì (bỏ mục, hoặc nêu hệ số, quy tắc biểu quyết, căn cứ hay removed)",
				"rule set %[1]s: the entry of award type %[2]s changes nothing (drop it, or give a coefficient, vote rule, citation or removed)", rs.ID, r.Code))
		case r.Removed && (r.BonusCoefficient != nil || r.CollectiveBonusCoefficient != nil || r.BonusCitation != "" || r.Vote != nil || r.Citation != ""):
			errs = append(errs, Invalid("Bộ quy định “%[1]s”: hình thức “%[2]s” đã bỏ (removed) thì không nêu hệ số, quy tắc hay căn cứ",
				"rule set %[1]s: award type %[2]s is removed and takes no coefficient, rule or citation", rs.ID, r.Code))
		}
		seen[r.Code] = true
		for _, c := range []*float64{r.BonusCoefficient, r.CollectiveBonusCoefficient} {
			if c != nil && (*c < 0 || *c > maxBonusCoefficient) {
				errs = append(errs, Invalid("Bộ quy định “%[1]s”: hệ số tiền thưởng %[3]s của “%[2]s” phải từ 0 đến %[4]d",
					"rule set %[1]s: bonus coefficient %[3]s of %[2]s must be between 0 and %[4]d", rs.ID, r.Code,
					strconv.FormatFloat(*c, 'f', -1, 64), maxBonusCoefficient))
			}
		}
		if r.CollectiveBonusCoefficient != nil && !t.Admits(KindCollective) {
			errs = append(errs, Invalid("Bộ quy định “%[1]s”: “%[2]s” không tặng cho tập thể, không có hệ số tiền thưởng cho tập thể",
				"rule set %[1]s: %[2]s is not awarded to collectives and takes no collective coefficient", rs.ID, r.Code))
		}
		if r.Vote != nil {
			if err := r.Vote.Validate(); err != nil {
				errs = append(errs, Invalid("Bộ quy định “%[1]s”: quy tắc biểu quyết của “%[2]s” không hợp lệ (%[3]s)",
					"rule set %[1]s: the vote rule of %[2]s is invalid: %[3]s", rs.ID, r.Code, err.Error()))
			}
		}
	}
	resolved := rs.Resolve(catalogue)
	rules := map[string]VoteRule{}
	for _, t := range resolved.Types {
		rules[t.Code] = t.Vote
	}
	quotaOK := true
	for _, t := range resolved.Types {
		q := t.Vote.Quota
		if q == nil || q.OfAwardType == t.Code {
			continue
		}
		if _, ok := rules[q.OfAwardType]; !ok {
			quotaOK = false
			errs = append(errs, Invalid("Bộ quy định “%[1]s”: chỉ tiêu của “%[2]s” tính theo “%[3]s”, hình thức mà bộ quy định không áp dụng",
				"rule set %[1]s: the quota of %[2]s counts %[3]s, which the set does not award", rs.ID, t.Code, q.OfAwardType))
		}
	}
	if quotaOK {
		if err := CheckQuotas(rules); err != nil {
			errs = append(errs, Invalid("Bộ quy định “%[1]s”: chỉ tiêu không hợp lệ (%[2]s)", "rule set %[1]s: invalid quota: %[2]s", rs.ID, err.Error()))
		}
	}
	return errors.Join(errs...)
}

// AgendaYear is a proposal on a session's agenda with its achievement year.
type AgendaYear struct {
	ProposalID  string
	NomineeName string
	AwardType   string
	Year        int
}

// SessionAwardTypes picks, when a session opens, the award types its workflow keeps
// (vote rule, quota) for the rest of its life: each type on the agenda as the rule set
// of its proposals' achievement year applies it, the others as the set of the latest
// year on the agenda does (the catalogue's for a year no set covers). The sets must be
// resolved. Refused: a type the year's set does not award, and one type whose proposals
// fall under two rule sets — the session votes one rule per type and issues one decision
// per type, which cites one set's laws; such proposals go to separate sessions.
func SessionAwardTypes(sets []RuleSet, catalogue []AwardType, agenda []AgendaYear) (map[string]AwardType, error) {
	type pick struct {
		set   string
		entry AgendaYear
	}
	out, byCode := map[string]AwardType{}, map[string]AwardType{}
	for _, t := range catalogue {
		out[t.Code], byCode[t.Code] = t, t
	}
	latest := 0
	for _, e := range agenda {
		latest = max(latest, e.Year)
	}
	if rs, ok := RuleSetForYear(sets, latest); ok && len(agenda) > 0 {
		for _, t := range rs.Types {
			out[t.Code] = t
		}
	}
	picked := map[string]pick{}
	for _, e := range agenda {
		rs, ok := RuleSetForYear(sets, e.Year)
		t, found := byCode[e.AwardType], true
		if ok {
			t, found = rs.AwardType(e.AwardType)
		}
		if !found {
			return nil, Invalid("Hồ sơ đề nghị khen thưởng %[1]s: hình thức “%[2]s” không áp dụng cho năm thành tích %[3]d (bộ quy định “%[4]s”)",
				"the proposal for %[1]s: award type %[2]s is not awarded for the achievement year %[3]d (rule set %[4]s)", e.NomineeName, e.AwardType, e.Year, rs.ID)
		}
		if p, seen := picked[e.AwardType]; seen && p.set != rs.ID {
			return nil, Invalid("Hồ sơ của %[1]s (năm %[2]d, bộ quy định “%[3]s”) và của %[4]s (năm %[5]d, bộ quy định “%[6]s”) cùng hình thức “%[7]s” nhưng theo hai bộ quy định khác nhau: mỗi quyết định chỉ căn cứ một bộ quy định, hãy xét chúng trong hai phiên họp",
				"the proposals for %[1]s (%[2]d, rule set %[3]s) and %[4]s (%[5]d, rule set %[6]s) are both for %[7]s but fall under different rule sets: one decision cites one rule set, so consider them in separate sessions",
				p.entry.NomineeName, p.entry.Year, p.set, e.NomineeName, e.Year, rs.ID, e.AwardType)
		} else if !seen {
			picked[e.AwardType] = pick{set: rs.ID, entry: e}
		}
		out[e.AwardType] = t
	}
	return out, nil
}

// CheckMovementRuleSets refuses a movement that requires registration for an award type
// the rule set of one of its achievement years removes (the movement's year, or every
// year of its period when proposals take the year they are filed in). The sets must be
// resolved.
func CheckMovementRuleSets(m Movement, sets []RuleSet) error {
	if m.Registration == nil || len(m.Registration.RequiredFor) == 0 {
		return nil
	}
	var years []int
	switch {
	case m.Year > 0:
		years = []int{m.Year}
	case !m.Start.IsZero() && !m.End.IsZero():
		for y := m.Start.Year(); y <= m.End.Year() && len(years) < 100; y++ {
			years = append(years, y)
		}
	}
	var errs []error
	for _, y := range years {
		rs, ok := RuleSetForYear(sets, y)
		if !ok {
			continue
		}
		for _, code := range m.Registration.RequiredFor {
			if _, ok := rs.AwardType(code); !ok {
				errs = append(errs, Invalid("Phong trào “%[1]s” (năm thành tích %[2]d) cần đăng ký cho hình thức “%[3]s” (registration.required_for), nhưng bộ quy định “%[4]s” không áp dụng hình thức này",
					"movement %[1]s (achievement year %[2]d) requires registration for %[3]s (registration.required_for), which rule set %[4]s does not award", m.ID, y, code, rs.ID))
			}
		}
	}
	return errors.Join(errs...)
}
