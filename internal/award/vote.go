package award

import (
	"fmt"
	"strconv"
)

// Vote arithmetic lives here, once: the minutes, the tờ trình, the council's own tờ
// trình to the head, the session's JSON and the page all print what VoteResult says,
// so that a percentage, its base and the verdict can never disagree between documents.
//
// Conventions (decided here, documented in DOMAIN.md by the coordinator):
//   - A result's percentage has two decimals and the Vietnamese decimal comma, with no
//     space before the sign: "66,67%", "100,00%", "0,00%" [practice: Vietnamese
//     administrative text writes "100%" attached, as the seed document does].
//   - It is rounded half up, except that it is never rounded across the pass mark: 4 of
//     6 under "trên 2/3" prints 66,66% (not 66,67%, which would read as above 2/3), so
//     that the printed percentage compared with the printed threshold always gives the
//     printed verdict. The exact fraction ("4/6") is printed next to it.
//   - The verdict is computed exactly, in integers, on the fraction yes/base.
//   - The threshold is the rule as the quy chế writes it, one way: "trên 50%" when the
//     pass mark must be exceeded (strict, quá bán), "từ 70% trở lên" when reaching it
//     is enough; a pass mark that is not a whole or two-decimal percentage is written as
//     a fraction ("từ 2/3 trở lên").
//   - The base is named: "tổng số thành viên Hội đồng" (members), "số thành viên tham
//     gia bỏ phiếu" (present: members who cast a ballot), "số phiếu hợp lệ" (valid).

// BaseValid: the valid ballots that marked the proposal (phiếu hợp lệ).
const BaseValid PassBase = "valid"

// PassBases lists the pass-mark denominators a rule may name.
var PassBases = []PassBase{BaseMembers, BasePresent, BaseValid}

// Label is the base in running text: "tổng số thành viên Hội đồng".
func (b PassBase) Label() string {
	switch b {
	case BasePresent:
		return "số thành viên tham gia bỏ phiếu"
	case BaseValid:
		return "số phiếu hợp lệ"
	}
	return "tổng số thành viên Hội đồng"
}

// VoteResult is one proposal's vote under its award type's rule: the base and its
// count, the yes count, the percentage and the threshold as printed, and the verdict.
type VoteResult struct {
	Base      PassBase `json:"base"`       // members, present or valid
	BaseCount int      `json:"base_count"` // the denominator
	Yes       int      `json:"yes"`
	// Passed: yes/base reaches the pass mark (before any quota between award types).
	Passed bool `json:"passed"`
	// Percent is yes/base as printed: "66,67%".
	Percent string `json:"percent"`
	// Threshold is the pass mark as printed: "trên 50%", "từ 70% trở lên".
	Threshold string `json:"threshold"`
	// BaseText names the base: "tổng số thành viên Hội đồng".
	BaseText string `json:"base_text"`
	// Text is what a table cell prints: "4/6 (66,67%)".
	Text string `json:"text"`
}

// Fraction is "4/6".
func (r VoteResult) Fraction() string { return strconv.Itoa(r.Yes) + "/" + strconv.Itoa(r.BaseCount) }

// Summary is the result in one clause, for the minutes' notes, the council's tờ trình
// and the proposal history: "đồng ý 4/6 (66,67%) tính trên tổng số thành viên Hội
// đồng, yêu cầu trên 50%".
func (r VoteResult) Summary() string {
	return fmt.Sprintf("đồng ý %s tính trên %s, yêu cầu %s", r.Text, r.BaseText, r.Threshold)
}

// BaseCount is the denominator a rule divides by: all voting members, those who took
// part in the vote, or the valid ballots that marked the proposal.
func (v VoteRule) BaseCount(members, present, valid int) int {
	switch v.Base {
	case BasePresent:
		return present
	case BaseValid:
		return valid
	}
	return members
}

// ThresholdText is the pass mark written one way: "trên 50%", "từ 70% trở lên",
// "từ 2/3 trở lên".
func (v VoteRule) ThresholdText() string {
	mark := ratioText(v.Pass)
	if v.Strict {
		return "trên " + mark
	}
	return "từ " + mark + " trở lên"
}

// Vote works out one proposal's result: yes of the rule's base, with members the voting
// members, present those who cast a ballot and valid the valid ballots on this proposal.
func (v VoteRule) Vote(members, present, valid, yes int) VoteResult {
	base := v.BaseCount(members, present, valid)
	r := VoteResult{Base: v.Base, BaseCount: base, Yes: yes, Threshold: v.ThresholdText(), BaseText: v.Base.Label()}
	if r.Base == "" {
		r.Base = BaseMembers
	}
	// No base (no valid ballot): nothing can pass, whatever 0/0 would compare as.
	r.Passed = base > 0 && yes >= 0 && v.Pass.atLeast(yes, base, v.Strict)
	r.Percent = FormatPercent(v.percentHundredths(yes, base, r.Passed))
	r.Text = r.Fraction() + " (" + r.Percent + ")"
	return r
}

// percentHundredths is yes/base in hundredths of a percent (66,67% → 6667), rounded
// half up but never across the pass mark (see the package comment above).
func (v VoteRule) percentHundredths(yes, base int, passed bool) int64 {
	if base <= 0 || yes <= 0 {
		return 0
	}
	y, b := int64(yes), int64(base)
	num := y * 10000
	p := (2*num + b) / (2 * b) // half up
	// meets reports whether p/10000 (as a share of 1) meets the pass mark.
	meets := func(p int64) bool {
		if v.Pass.Den <= 0 {
			return false
		}
		l, r := p*int64(v.Pass.Den), int64(v.Pass.Num)*10000
		if v.Strict {
			return l > r
		}
		return l >= r
	}
	switch {
	case passed && !meets(p):
		p = (num + b - 1) / b // up
	case !passed && meets(p):
		p = num / b // down
	}
	return p
}

// FormatPercent writes hundredths of a percent with two decimals and the decimal
// comma: 6667 → "66,67%".
func FormatPercent(hundredths int64) string {
	neg := ""
	if hundredths < 0 {
		neg, hundredths = "-", -hundredths
	}
	return fmt.Sprintf("%s%d,%02d%%", neg, hundredths/100, hundredths%100)
}

// ratioText writes a pass mark: a whole percentage ("50%"), a two-decimal one
// ("66,75%"), or else the fraction itself ("2/3").
func ratioText(r Ratio) string {
	if r.Den <= 0 {
		return r.String()
	}
	n, d := int64(r.Num), int64(r.Den)
	if (n*100)%d == 0 {
		return strconv.FormatInt(n*100/d, 10) + "%"
	}
	if (n*10000)%d == 0 {
		h := n * 10000 / d
		s := FormatPercent(h)
		// Drop a trailing zero decimal: 66,50% → 66,5%.
		if h%10 == 0 {
			s = s[:len(s)-2] + "%"
		}
		return s
	}
	return r.String()
}
