package award

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The rules in force as the admin pages show them: each award type's vote rule, quota,
// authority, kinds and bonus written in words, from the same arithmetic the minutes and
// decisions print (ratioText, ThresholdText, Rounding and TieRule labels). Pure: the
// HTTP layer only picks the rule set in force and fills the names in.

// CanAdminister reports whether the actor may open the admin pages (the directory with
// deactivated people, the signers and the rules in force): admins only.
func CanAdminister(a Actor) error {
	if a.Has(RoleAdmin) {
		return nil
	}
	return Forbidden("Chỉ quản trị mới xem được trang quản trị", "only an admin may open the admin pages")
}

// LabelVI says who decides an award of this authority.
func (a Authority) LabelVI() string {
	switch a {
	case AuthorityAgency:
		return "Thủ trưởng cơ quan quyết định khen thưởng"
	case AuthorityUpward:
		return "Cơ quan trình cấp trên khen thưởng"
	}
	return string(a)
}

// VoteRuleText is the vote rule in one sentence: "Cần ít nhất 2/3 thành viên Hội đồng
// tham gia; đạt khi đồng ý trên 50% tổng số thành viên Hội đồng; biểu quyết công khai".
func VoteRuleText(v VoteRule) string {
	parts := []string{
		"Cần ít nhất " + ratioText(v.Quorum) + " thành viên Hội đồng tham gia",
		"đạt khi đồng ý " + v.ThresholdText() + " " + v.Base.Label(),
	}
	if v.Secret {
		parts = append(parts, "bỏ phiếu kín")
	} else {
		parts = append(parts, "biểu quyết công khai")
	}
	return strings.Join(parts, "; ")
}

// QuotaText is a quota in words, with the name of the award type it is a share of:
// "Không quá 15% số được Lao động tiên tiến (làm tròn xuống; trường hợp bằng phiếu ở
// ngưỡng: bỏ phiếu lại)". A nil quota is "".
func QuotaText(q *Quota, ofName string) string {
	if q == nil {
		return ""
	}
	n := q.Normalized()
	if ofName == "" {
		ofName = n.OfAwardType
	}
	return "Không quá " + strconv.Itoa(n.Percent) + "% số được " + ofName + " (" + n.Rounding.phraseVI() +
		"; trường hợp bằng phiếu ở ngưỡng: " + lowerFirst(n.Ties.LabelVI()) + ")"
}

// KindsText lists the kinds of nominee a type admits: "Cá nhân", "Cá nhân, Tập thể".
func KindsText(t AwardType) string {
	kinds := t.Kinds
	if len(kinds) == 0 {
		kinds = []NomineeKind{t.Kind}
	}
	out := make([]string, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, k.LabelVI())
	}
	return strings.Join(out, ", ")
}

// BonusText is the bonus as a multiple of the base salary: "0,3 × mức lương cơ sở",
// with the collective's coefficient when it differs: "1 × mức lương cơ sở (tập thể:
// 2 ×)". Zero is "Không có tiền thưởng".
func BonusText(t AwardType) string {
	if t.BonusCoefficient == 0 && t.CollectiveBonusCoefficient == 0 {
		return "Không có tiền thưởng"
	}
	s := coefficientVI(t.BonusCoefficient) + " × mức lương cơ sở"
	if t.CollectiveBonusCoefficient > 0 && t.CollectiveBonusCoefficient != t.BonusCoefficient {
		s += " (tập thể: " + coefficientVI(t.CollectiveBonusCoefficient) + " ×)"
	}
	return s
}

// coefficientVI writes a coefficient with the decimal comma and no trailing zeros: 0.3
// → "0,3", 1.5 → "1,5", 2 → "2".
func coefficientVI(c float64) string {
	return strings.ReplaceAll(strconv.FormatFloat(c, 'f', -1, 64), ".", ",")
}

// lowerFirst lower-cases the first letter, for a label used inside a sentence.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
