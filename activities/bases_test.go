package activities

import (
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// The laws a decision cites are those of the rule set of the achievement year: a 2024
// achievement cites NĐ 98/2023, a 2025 one NĐ 152/2025 with its date; the agency's own
// lines follow. Both document profiles.
func TestDecisionCitesTheRuleSetOfTheYear(t *testing.T) {
	for _, profile := range []award.Profile{award.ProfileHD36, award.ProfileND30} {
		for _, c := range []struct {
			year int
			want string
		}{{2024, "98/2023/NĐ-CP ngày 31 tháng 12 năm 2023"}, {2025, "152/2025/NĐ-CP ngày 14 tháng 6 năm 2025"}, {2026, "152/2025/NĐ-CP"}} {
			org, err := orgconfig.Demo()
			if err != nil {
				t.Fatal(err)
			}
			org.Agency.Profile = profile
			for i := range org.Movements {
				org.Movements[i].Year = c.year
			}
			d, err := DecisionDocument(org, decisionRequest(2))
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(d.Bases, "\n")
			if !strings.Contains(d.Bases[1], c.want) || !strings.HasPrefix(d.Bases[0], "Căn cứ Luật Thi đua, khen thưởng") {
				t.Errorf("%s, %d: bases\n%s\nwant the law then %q", profile, c.year, all, c.want)
			}
			if other := map[bool]string{true: "152/2025", false: "98/2023"}[c.year == 2024]; strings.Contains(all, other) {
				t.Errorf("%s, %d: cites %s too:\n%s", profile, c.year, other, all)
			}
			if last := d.Bases[len(d.Bases)-1]; !strings.Contains(strings.Join(org.Agency.Decision.Bases, "\n"), last) {
				t.Errorf("%s, %d: the agency's own lines do not close the bases: %q", profile, c.year, last)
			}
		}
	}
}
