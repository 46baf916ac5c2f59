package award

import (
	"testing"
	"testing/quick"
)

func TestCheckJudged(t *testing.T) {
	ind := &Proposal{Draft: Draft{Kind: KindIndividual, NomineeID: "hongdao", Department: "vhtt", AwardType: "LDTT"}}
	col := &Proposal{Draft: Draft{Kind: KindCollective, NomineeName: "Phòng Văn hoá", Department: "vhtt", AwardType: "TTLDXS"}}
	for _, tc := range []struct {
		name  string
		p     *Proposal
		j     *Judged
		year  int
		stale bool
	}{
		{"nothing judged", ind, nil, 2025, false},
		{"individual as judged", ind, &Judged{KindIndividual, "hongdao", "LDTT", 2025}, 2025, false},
		{"collective judged as its unit", col, &Judged{KindCollective, "vhtt", "TTLDXS", 2025}, 2025, false},
		{"another nominee", ind, &Judged{KindIndividual, "vanson", "LDTT", 2025}, 2025, true},
		{"another award type", ind, &Judged{KindIndividual, "hongdao", "CSTĐCS", 2025}, 2025, true},
		{"another year", ind, &Judged{KindIndividual, "hongdao", "LDTT", 2024}, 2025, true},
		{"individual judged as a collective", ind, &Judged{KindCollective, "hongdao", "LDTT", 2025}, 2025, true},
		{"collective judged by its name", col, &Judged{KindCollective, "Phòng Văn hoá", "TTLDXS", 2025}, 2025, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.CheckJudged(tc.j, tc.year)
			if (err != nil) != tc.stale {
				t.Fatalf("CheckJudged = %v, want stale %v", err, tc.stale)
			}
			if err != nil && codeOf(err) != CodeWrongStage {
				t.Fatalf("code %s, want %s", codeOf(err), CodeWrongStage)
			}
		})
	}
}

// Whatever a proposal is, the judgement made for it passes, and one differing in any
// field is refused (arbitrary Unicode ids and names).
func TestCheckJudgedProperty(t *testing.T) {
	f := func(collective bool, nominee, dept, awardType, other string, year int, field uint8) bool {
		p := &Proposal{Draft: Draft{Kind: KindIndividual, NomineeID: nominee, Department: dept, AwardType: awardType}}
		if collective {
			p.Kind = KindCollective
		}
		j := p.JudgedFor(year)
		if p.CheckJudged(&j, year) != nil {
			return false
		}
		changed := j
		switch field % 4 {
		case 0:
			changed.Nominee += other + "x"
		case 1:
			changed.AwardType += other + "x"
		case 2:
			changed.Year++
		case 3:
			if changed.Kind == KindIndividual {
				changed.Kind = KindCollective
			} else {
				changed.Kind = KindIndividual
			}
		}
		return p.CheckJudged(&changed, year) != nil
	}
	if err := quick.Check(f, nil); err != nil {
		t.Fatal(err)
	}
}
