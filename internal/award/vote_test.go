package award

import (
	"math/big"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestVoteResultTexts(t *testing.T) {
	half := Ratio{1, 2}
	cases := []struct {
		name                   string
		rule                   VoteRule
		members, present, vali int
		yes                    int
		text, threshold, base  string
		passed                 bool
	}{
		// The defect of issue 7: 4 yes of 6 members next to 5 valid ballots. The
		// base is named and the fraction printed, so 66,67% cannot be read as 4/5.
		{"members base", VoteRule{Pass: half, Base: BaseMembers, Strict: true}, 6, 5, 5, 4, "4/6 (66,67%)", "trên 50%", "tổng số thành viên Hội đồng", true},
		{"present base", VoteRule{Pass: half, Base: BasePresent, Strict: true}, 6, 5, 5, 4, "4/5 (80,00%)", "trên 50%", "số thành viên tham gia bỏ phiếu", true},
		{"valid base", VoteRule{Pass: half, Base: BaseValid, Strict: true}, 6, 5, 4, 2, "2/4 (50,00%)", "trên 50%", "số phiếu hợp lệ", false},
		{"70 reached", VoteRule{Pass: Ratio{70, 100}, Base: BaseMembers}, 10, 10, 10, 7, "7/10 (70,00%)", "từ 70% trở lên", "tổng số thành viên Hội đồng", true},
		{"two thirds reached", VoteRule{Pass: Ratio{2, 3}, Base: BaseMembers}, 6, 6, 6, 4, "4/6 (66,67%)", "từ 2/3 trở lên", "tổng số thành viên Hội đồng", true},
		// Never rounded across the pass mark: 4/6 is not above 2/3.
		{"two thirds not exceeded", VoteRule{Pass: Ratio{2, 3}, Base: BaseMembers, Strict: true}, 6, 6, 6, 4, "4/6 (66,66%)", "trên 2/3", "tổng số thành viên Hội đồng", false},
		{"no valid ballot", VoteRule{Pass: half, Base: BaseValid}, 6, 6, 0, 0, "0/0 (0,00%)", "từ 50% trở lên", "số phiếu hợp lệ", false},
		{"unanimous", VoteRule{Pass: Ratio{3, 4}, Base: BaseMembers}, 7, 7, 7, 7, "7/7 (100,00%)", "từ 75% trở lên", "tổng số thành viên Hội đồng", true},
		{"two-decimal mark", VoteRule{Pass: Ratio{2, 3}, Base: BaseMembers}, 6, 6, 6, 3, "3/6 (50,00%)", "từ 2/3 trở lên", "tổng số thành viên Hội đồng", false},
		{"decimal mark", VoteRule{Pass: Ratio{133, 200}, Base: BaseMembers}, 6, 6, 6, 4, "4/6 (66,67%)", "từ 66,5% trở lên", "tổng số thành viên Hội đồng", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.rule.Vote(c.members, c.present, c.vali, c.yes)
			if r.Text != c.text || r.Threshold != c.threshold || r.BaseText != c.base || r.Passed != c.passed {
				t.Fatalf("got %q %q %q passed=%v, want %q %q %q %v", r.Text, r.Threshold, r.BaseText, r.Passed, c.text, c.threshold, c.base, c.passed)
			}
		})
	}
}

var (
	textRE      = regexp.MustCompile(`^(\d+)/(\d+) \((\d+),(\d\d)%\)$`)
	thresholdRE = regexp.MustCompile(`^(?:trên (.+)|từ (.+) trở lên)$`)
	summaryRE   = regexp.MustCompile(`^đồng ý (.+) tính trên (.+), yêu cầu (.+)$`)
)

// parseMark reads a printed pass mark ("50%", "66,5%", "2/3") as an exact fraction.
func parseMark(t *testing.T, s string) *big.Rat {
	t.Helper()
	if p, ok := strings.CutSuffix(s, "%"); ok {
		r, ok := new(big.Rat).SetString(strings.Replace(p, ",", ".", 1))
		if !ok {
			t.Fatalf("mark %q", s)
		}
		return r.Quo(r, big.NewRat(100, 1))
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("mark %q", s)
	}
	return r
}

// TestVoteResultConsistent is the property: for arbitrary counts and rules, what is
// printed — the fraction, its base, the percentage, the threshold — gives the verdict
// when a reader checks it, and agrees with the exact arithmetic.
func TestVoteResultConsistent(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 36))
	bases := PassBases
	for i := range 10000 {
		den := 1 + rng.IntN(200)
		if i%3 == 0 {
			den = []int{2, 3, 4, 100, 1000, 7}[rng.IntN(6)]
		}
		rule := VoteRule{Quorum: Ratio{1, 2}, Pass: Ratio{1 + rng.IntN(den), den}, Base: bases[rng.IntN(len(bases))], Strict: rng.IntN(2) == 0}
		if err := rule.Validate(); err != nil {
			t.Fatal(err)
		}
		members := rng.IntN(300)
		present := rng.IntN(members + 1)
		valid := rng.IntN(present + 1)
		yes := rng.IntN(valid + 1)
		r := rule.Vote(members, present, valid, yes)

		base := map[PassBase]int{BaseMembers: members, BasePresent: present, BaseValid: valid}[rule.Base]
		m := textRE.FindStringSubmatch(r.Text)
		if m == nil {
			t.Fatalf("%+v: text %q", rule, r.Text)
		}
		py, _ := strconv.Atoi(m[1])
		pb, _ := strconv.Atoi(m[2])
		if py != yes || pb != base || r.BaseCount != base || r.Base != rule.Base || r.BaseText != rule.Base.Label() {
			t.Fatalf("%+v yes=%d base=%d: printed %q base %q", rule, yes, base, r.Text, r.BaseText)
		}
		if r.Percent != m[3]+","+m[4]+"%" {
			t.Fatalf("percent %q not the one in %q", r.Percent, r.Text)
		}
		printed, _ := new(big.Rat).SetString(m[3] + "." + m[4])
		printed.Quo(printed, big.NewRat(100, 1))
		exact := big.NewRat(0, 1)
		if base > 0 {
			exact = big.NewRat(int64(yes), int64(base))
		}
		// One precision: within a hundredth of a percent of the exact share.
		diff := new(big.Rat).Sub(printed, exact)
		if diff.Abs(diff).Cmp(big.NewRat(1, 10000)) >= 0 {
			t.Fatalf("%d/%d printed %s", yes, base, r.Percent)
		}
		// The verdict is the exact comparison (nothing passes on an empty base).
		mark := big.NewRat(int64(rule.Pass.Num), int64(rule.Pass.Den))
		cmp := exact.Cmp(mark)
		want := base > 0 && (cmp > 0 || (!rule.Strict && cmp == 0))
		if r.Passed != want {
			t.Fatalf("%+v %d/%d: passed=%v", rule, yes, base, r.Passed)
		}
		// A reader comparing the printed percentage with the printed threshold gets the
		// printed verdict.
		tm := thresholdRE.FindStringSubmatch(r.Threshold)
		if tm == nil {
			t.Fatalf("threshold %q", r.Threshold)
		}
		strict := tm[1] != ""
		pm := parseMark(t, tm[1]+tm[2])
		if strict != rule.Strict || pm.Cmp(mark) != 0 {
			t.Fatalf("threshold %q for %+v", r.Threshold, rule)
		}
		c := printed.Cmp(pm)
		if reads := base > 0 && (c > 0 || (!strict && c == 0)); reads != r.Passed {
			t.Fatalf("%+v: %s against %q reads %v, verdict %v", rule, r.Text, r.Threshold, reads, r.Passed)
		}
		if sm := summaryRE.FindStringSubmatch(r.Summary()); sm == nil || sm[1] != r.Text || sm[2] != r.BaseText || sm[3] != r.Threshold {
			t.Fatalf("summary %q", r.Summary())
		}
	}
}

// TestJudgeCarriesVote: the session's verdict and reason come from the same VoteResult.
func TestJudgeCarriesVote(t *testing.T) {
	rule := VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Base: BaseMembers, Strict: true}
	r := rule.Judge(6, 5, Count{Yes: 4, No: 1})
	if r.Vote == nil || !r.Passed || r.Vote.Text != "4/6 (66,67%)" {
		t.Fatalf("%+v", r)
	}
	if r.Reason != "Đạt: đồng ý 4/6 (66,67%) tính trên tổng số thành viên Hội đồng, yêu cầu trên 50%" {
		t.Fatalf("reason %q", r.Reason)
	}
	if below := rule.Judge(6, 3, Count{Yes: 3}); below.Vote != nil || below.Passed {
		t.Fatalf("below quorum: %+v", below)
	}
	valid := VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Base: BaseValid, Strict: true}
	if r := valid.Judge(6, 5, Count{Yes: 2, No: 1, Abstain: 1}); r.Passed || r.Vote.BaseCount != 4 {
		t.Fatalf("valid base: %+v", r.Vote)
	}
}

func TestMeetingFacts(t *testing.T) {
	s := session() // 3 voting members, LDTT secret (strict 1/2), CSTDCS with a quota
	open := s.Rules["LDTT"]
	open.Secret = false
	s.Rules["LDTT"] = open
	name := func(c string) string {
		return map[string]string{"LDTT": "Lao động tiên tiến", "CSTDCS": "Chiến sĩ thi đua cơ sở"}[c]
	}
	if got, want := s.MethodsText(s.AwardTypes(), name), "biểu quyết giơ tay đối với hình thức “Lao động tiên tiến”; bỏ phiếu kín đối với hình thức “Chiến sĩ thi đua cơ sở”"; got != want {
		t.Fatalf("methods %q, want %q", got, want)
	}
	s.Voted = []string{"m2", "u-chair"}
	present, absent := s.Attendance()
	if len(present) != 2 || present[0].ID != "u-chair" || len(absent) != 1 || absent[0].ID != "m1" {
		t.Fatalf("attendance %v / %v", present, absent)
	}
	if b := s.Ballots(); b.Counted || b.Issued != 2 || b.Returned != 2 || b.Valid != 0 {
		t.Fatalf("before the count: %+v", b)
	}
	s.Status = SessionClosed
	s.Judge(map[string]Count{"p1": {Yes: 1}, "p2": {Yes: 1}, "p3": {Yes: 1}, "p4": {Yes: 1}}, 1)
	if b := s.Ballots(); !b.Counted || b.Issued != 2 || b.Valid != 1 || b.Invalid != 1 {
		t.Fatalf("after the count: %+v", b)
	}
}
