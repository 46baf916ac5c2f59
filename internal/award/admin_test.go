package award

import (
	"errors"
	"strings"
	"testing"
)

func TestCanAdminister(t *testing.T) {
	for _, c := range []struct {
		roles []Role
		ok    bool
	}{
		{[]Role{RoleAdmin}, true},
		{[]Role{RoleStaff, RoleAdmin}, true},
		{nil, false},
		{[]Role{RoleStaff}, false},
		{[]Role{RoleHead}, false},
		{[]Role{RoleChair}, false},
		{[]Role{RoleSecretary, RoleMember}, false},
		{[]Role{RoleClerk}, false},
	} {
		err := CanAdminister(Actor{ID: "x", Roles: c.roles})
		if (err == nil) != c.ok {
			t.Errorf("roles %v: CanAdminister = %v, want ok=%v", c.roles, err, c.ok)
		}
		var e *Error
		if err != nil && (!errors.As(err, &e) || e.Code != CodeForbidden || !strings.Contains(e.VI, "quản trị")) {
			t.Errorf("roles %v: refusal %v, want a Vietnamese forbidden", c.roles, err)
		}
	}
	// Every role but admin is refused.
	for _, r := range Roles {
		if err := CanAdminister(Actor{ID: "x", Roles: []Role{r}}); (err == nil) != (r == RoleAdmin) {
			t.Errorf("role %s alone: %v", r, err)
		}
	}
}

func TestVoteRuleText(t *testing.T) {
	for _, c := range []struct {
		rule VoteRule
		want string
	}{
		{VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Base: BaseMembers, Strict: true},
			"Cần ít nhất 2/3 thành viên Hội đồng tham gia; đạt khi đồng ý trên 50% tổng số thành viên Hội đồng; biểu quyết công khai"},
		{VoteRule{Quorum: Ratio{1, 2}, Pass: Ratio{7, 10}, Base: BasePresent, Secret: true},
			"Cần ít nhất 50% thành viên Hội đồng tham gia; đạt khi đồng ý từ 70% trở lên số thành viên tham gia bỏ phiếu; bỏ phiếu kín"},
		{VoteRule{Quorum: Ratio{3, 4}, Pass: Ratio{2, 3}, Base: BaseValid},
			"Cần ít nhất 75% thành viên Hội đồng tham gia; đạt khi đồng ý từ 2/3 trở lên số phiếu hợp lệ; biểu quyết công khai"},
		{VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Strict: true}, // no base: members
			"Cần ít nhất 2/3 thành viên Hội đồng tham gia; đạt khi đồng ý trên 50% tổng số thành viên Hội đồng; biểu quyết công khai"},
	} {
		if got := VoteRuleText(c.rule); got != c.want {
			t.Errorf("VoteRuleText(%+v)\n got %q\nwant %q", c.rule, got, c.want)
		}
	}
}

func TestQuotaText(t *testing.T) {
	for _, c := range []struct {
		q      *Quota
		ofName string
		want   string
	}{
		{nil, "Lao động tiên tiến", ""},
		{&Quota{OfAwardType: "LDTT", Percent: 15}, "Lao động tiên tiến",
			"Không quá 15% số được Lao động tiên tiến (làm tròn xuống; trường hợp bằng phiếu ở ngưỡng: bỏ phiếu lại)"},
		{&Quota{OfAwardType: "LDTT", Percent: 20, Rounding: RoundHalfUp, Ties: TieChair}, "Lao động tiên tiến",
			"Không quá 20% số được Lao động tiên tiến (làm tròn (từ 0,5 trở lên thì làm tròn lên); trường hợp bằng phiếu ở ngưỡng: theo phiếu của Chủ tịch Hội đồng)"},
		{&Quota{OfAwardType: "LDTT", Percent: 10, Rounding: RoundCeil}, "",
			"Không quá 10% số được LDTT (làm tròn lên; trường hợp bằng phiếu ở ngưỡng: bỏ phiếu lại)"},
	} {
		if got := QuotaText(c.q, c.ofName); got != c.want {
			t.Errorf("QuotaText(%+v, %q)\n got %q\nwant %q", c.q, c.ofName, got, c.want)
		}
	}
}

func TestAwardTypeTexts(t *testing.T) {
	for _, c := range []struct {
		t            AwardType
		kinds, bonus string
	}{
		{AwardType{Kind: KindIndividual, BonusCoefficient: 0.3}, "Cá nhân", "0,3 × mức lương cơ sở"},
		{AwardType{Kind: KindCollective, BonusCoefficient: 1.5}, "Tập thể", "1,5 × mức lương cơ sở"},
		{AwardType{Kind: KindIndividual, Kinds: []NomineeKind{KindIndividual, KindCollective}, BonusCoefficient: 1, CollectiveBonusCoefficient: 2},
			"Cá nhân, Tập thể", "1 × mức lương cơ sở (tập thể: 2 ×)"},
		{AwardType{Kind: KindIndividual, Kinds: []NomineeKind{KindIndividual, KindCollective}, BonusCoefficient: 1, CollectiveBonusCoefficient: 1},
			"Cá nhân, Tập thể", "1 × mức lương cơ sở"},
		{AwardType{Kind: KindIndividual}, "Cá nhân", "Không có tiền thưởng"},
	} {
		if got := KindsText(c.t); got != c.kinds {
			t.Errorf("KindsText(%+v) = %q, want %q", c.t, got, c.kinds)
		}
		if got := BonusText(c.t); got != c.bonus {
			t.Errorf("BonusText(%+v) = %q, want %q", c.t, got, c.bonus)
		}
	}
	for _, c := range []struct {
		a    Authority
		want string
	}{
		{AuthorityAgency, "Thủ trưởng cơ quan quyết định khen thưởng"},
		{AuthorityUpward, "Cơ quan trình cấp trên khen thưởng"},
	} {
		if got := c.a.LabelVI(); got != c.want {
			t.Errorf("%s.LabelVI() = %q, want %q", c.a, got, c.want)
		}
	}
}
