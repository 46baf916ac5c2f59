package award

import (
	"fmt"
	"slices"
)

// Choice is one ballot mark on one proposal.
type Choice string

const (
	Yes     Choice = "yes"
	No      Choice = "no"
	Abstain Choice = "abstain"
)

// Valid reports whether c is a known choice.
func (c Choice) Valid() bool { return c == Yes || c == No || c == Abstain }

// Ratio is a fraction such as 2/3 or 50/100.
type Ratio struct {
	Num int `json:"num" yaml:"num"`
	Den int `json:"den" yaml:"den"`
}

func (r Ratio) String() string { return fmt.Sprintf("%d/%d", r.Num, r.Den) }

// atLeast reports whether n/of ≥ r (strict: >), in integers so 2/3 is exact.
func (r Ratio) atLeast(n, of int, strict bool) bool {
	if r.Den <= 0 {
		return false
	}
	if strict {
		return n*r.Den > r.Num*of
	}
	return n*r.Den >= r.Num*of
}

// PassBase is the denominator of the pass mark.
type PassBase string

const (
	BaseMembers PassBase = "members" // all members of the council
	BasePresent PassBase = "present" // members who took part in the vote
)

// VoteRule is the agency's own rule (quy chế) for one award type. It is data, not code:
// quorum, pass mark and its denominator differ between agencies.
type VoteRule struct {
	Quorum Ratio    `json:"quorum" yaml:"quorum"`         // share of members who must take part
	Pass   Ratio    `json:"pass" yaml:"pass"`             // share of Base that must vote yes
	Base   PassBase `json:"base" yaml:"base"`             // denominator of Pass
	Strict bool     `json:"strict" yaml:"strict"`         // pass needs more than Pass (quá bán), not just reach it
	Secret bool     `json:"secret" yaml:"secret"`         // secret ballot (bỏ phiếu kín)
	Quota  *Quota   `json:"quota,omitempty" yaml:"quota"` // optional cap on awardees
}

// Quota caps the awardees of a type to a share of another type's awardees over the
// achievement year (e.g. CSTĐCS at most 15 % of LĐTT): see quota.go.
type Quota struct {
	OfAwardType string `json:"of_award_type" yaml:"of_award_type"`
	Percent     int    `json:"percent" yaml:"percent"`
	// Rounding of percent × base / 100: floor (the default), half_up or ceil.
	Rounding Rounding `json:"rounding,omitempty" yaml:"rounding"`
	// Ties settles candidates tied at the cut: chair (the chair's casting vote) or
	// revote (the default).
	Ties TieRule `json:"ties,omitempty" yaml:"ties"`
}

// Validate checks that the rule can be applied.
func (v VoteRule) Validate() error {
	if v.Quorum.Den <= 0 || v.Quorum.Num < 0 || v.Quorum.Num > v.Quorum.Den {
		return fmt.Errorf("quorum %s is not a fraction between 0 and 1", v.Quorum)
	}
	if v.Pass.Den <= 0 || v.Pass.Num <= 0 || v.Pass.Num > v.Pass.Den {
		return fmt.Errorf("pass mark %s is not a fraction in (0, 1]", v.Pass)
	}
	if !slices.Contains(PassBases, v.Base) {
		return fmt.Errorf("pass base %q must be members, present or valid", v.Base)
	}
	if v.Quota != nil {
		if err := v.Quota.validate(); err != nil {
			return err
		}
	}
	return nil
}

// Count is the tally of one proposal.
type Count struct {
	Yes     int `json:"yes"`
	No      int `json:"no"`
	Abstain int `json:"abstain"`
}

// Cast is the number of ballots that marked this proposal.
func (c Count) Cast() int { return c.Yes + c.No + c.Abstain }

// Add counts one mark.
func (c *Count) Add(ch Choice) {
	switch ch {
	case Yes:
		c.Yes++
	case No:
		c.No++
	case Abstain:
		c.Abstain++
	}
}

// Result is the council's verdict on one proposal.
type Result struct {
	QuorumMet bool   `json:"quorum_met"`
	Passed    bool   `json:"passed"`
	Reason    string `json:"reason"` // Vietnamese, for the minutes and the proposal history
	// Revote: the proposal passed the vote but was tied with others at a quota's cut;
	// it is neither passed nor failed and goes back to the council for a re-vote.
	Revote bool `json:"revote,omitempty"`
	// Vote is the arithmetic behind the verdict (absent below quorum: nothing was
	// counted). Documents and the page print it from here.
	Vote *VoteResult `json:"vote,omitempty"`
}

// QuorumMet reports whether enough members took part.
func (v VoteRule) QuorumMet(members, present int) bool {
	return members > 0 && v.Quorum.atLeast(present, members, false)
}

// Judge applies the rule to one proposal's count: members are the voting members,
// present those who cast a ballot; the valid ballots on the proposal are c.Cast().
func (v VoteRule) Judge(members, present int, c Count) Result {
	if !v.QuorumMet(members, present) {
		return Result{Reason: fmt.Sprintf("Không đủ số thành viên tham dự (%d/%d, cần %s)", present, members, v.Quorum)}
	}
	vr := v.Vote(members, present, c.Cast(), c.Yes)
	verdict := "Không đạt"
	if vr.Passed {
		verdict = "Đạt"
	}
	return Result{QuorumMet: true, Passed: vr.Passed, Reason: verdict + ": " + vr.Summary(), Vote: &vr}
}

// Ranked is a passed proposal competing for a quota.
type Ranked struct {
	ProposalID string
	Yes        int
}

// ApplyQuota keeps at most floor(percent × reference / 100) of the candidates, highest yes
// count first; ties at the cut are all dropped rather than broken arbitrarily, because
// the council has to settle them, not the software. It returns the ids kept. It is the
// rule of sessions counted before quotas counted the year (see quota.go, CutQuota).
func ApplyQuota(q Quota, reference int, candidates []Ranked) (kept map[string]bool, limit int) {
	limit = q.Percent * reference / 100
	kept = map[string]bool{}
	if limit <= 0 {
		return kept, limit
	}
	sorted := append([]Ranked(nil), candidates...)
	// insertion sort by Yes desc, then id for a stable order
	for i := 1; i < len(sorted); i++ {
		for j := i; j > 0 && (sorted[j].Yes > sorted[j-1].Yes ||
			(sorted[j].Yes == sorted[j-1].Yes && sorted[j].ProposalID < sorted[j-1].ProposalID)); j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	if len(sorted) <= limit {
		for _, r := range sorted {
			kept[r.ProposalID] = true
		}
		return kept, limit
	}
	cut := sorted[limit-1].Yes
	tiedBeyond := sorted[limit].Yes == cut
	for _, r := range sorted[:limit] {
		if tiedBeyond && r.Yes == cut {
			continue
		}
		kept[r.ProposalID] = true
	}
	return kept, limit
}
