package activities

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/workflows"
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

// TestBonusFromTheRuleSetOfTheYear: the coefficient a decision prints and the register
// enters is the one of the rule set of the achievement year (here NĐ 152/2025 is given
// test values: LĐTT 0.5, Giấy khen for collectives 0.8), never the catalogue's.
func TestBonusFromTheRuleSetOfTheYear(t *testing.T) {
	y := string(orgconfig.DemoYAML())
	for from, to := range map[string]string{
		`{code: LDTT, bonus_coefficient: 0.3, bonus_citation: "Nghị định 152/2025`: `{code: LDTT, bonus_coefficient: 0.5, bonus_citation: "Nghị định 152/2025`,
		`{code: GK, bonus_coefficient: 0.3, collective_bonus_coefficient: 0.6, bonus_verified: false,
         bonus_citation: "Nghị định 152/2025`: `{code: GK, bonus_coefficient: 0.3, collective_bonus_coefficient: 0.8, bonus_verified: false,
         bonus_citation: "Nghị định 152/2025`,
	} {
		if !strings.Contains(y, from) {
			t.Fatalf("demo lacks %q", from)
		}
		y = strings.Replace(y, from, to, 1)
	}
	for _, c := range []struct {
		year       int
		ldtt, gkTT float64
		amount     int64 // LĐTT, base salary 2.340.000 from 01/07/2024
	}{{2024, 0.3, 0.6, 710000}, {2025, 0.5, 0.8, 1170000}, {2026, 0.5, 0.8, 1170000}} {
		org, err := orgconfig.Parse([]byte(y))
		if err != nil {
			t.Fatal(err)
		}
		for i := range org.Movements {
			org.Movements[i].Year = c.year
		}
		req := decisionRequest(2)
		d, err := DecisionDocument(org, req)
		if err != nil {
			t.Fatal(err)
		}
		if d.BonusCoefficient != c.ldtt {
			t.Errorf("%d: LĐTT decision coefficient %v, want %v", c.year, d.BonusCoefficient, c.ldtt)
		}
		gk := req
		gk.AwardType, gk.Awardees = "GK", slices.Clone(req.Awardees)
		for i := range gk.Awardees {
			gk.Awardees[i].AwardType, gk.Awardees[i].Kind = "GK", award.KindCollective
		}
		if d, err := DecisionDocument(org, gk); err != nil || d.BonusCoefficient != c.gkTT {
			t.Errorf("%d: collective Giấy khen coefficient %v (%v), want %v", c.year, d.BonusCoefficient, err, c.gkTT)
		}
		a := &Activities{org: org}
		for _, r := range a.awardees(req.Awardees, req.Date) {
			if r.Year != c.year || r.Amount != c.amount {
				t.Errorf("%d: the register enters %s year %d amount %d, want %d", c.year, r.ProposalID, r.Year, r.Amount, c.amount)
			}
		}
	}
}

// TestTheProposalsYearRulesItsDocuments: an agenda item carries its proposal's
// achievement year (a proposal filed in 2024 under a movement without a year, decided in
// 2026): the decision cites that year's rule set and prints its coefficient, and the
// register and the quota count the title in that year. Items of older sessions have no
// year: the movement's, else the document's date, as before.
func TestTheProposalsYearRulesItsDocuments(t *testing.T) {
	y := strings.Replace(string(orgconfig.DemoYAML()), `{code: LDTT, bonus_coefficient: 0.3, bonus_citation: "Nghị định 152/2025`,
		`{code: LDTT, bonus_coefficient: 0.5, bonus_citation: "Nghị định 152/2025`, 1)
	org, err := orgconfig.Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	for i := range org.Movements {
		org.Movements[i].Year = 0
	}
	for _, c := range []struct {
		itemYear, want int
		coefficient    float64
		basis          string
	}{{2024, 2024, 0.3, "98/2023"}, {0, 2026, 0.5, "152/2025"}, {2025, 2025, 0.5, "152/2025"}} {
		req := decisionRequest(2) // dated 05/02/2026
		for i := range req.Awardees {
			req.Awardees[i].Year = c.itemYear
		}
		d, err := DecisionDocument(org, req)
		if err != nil {
			t.Fatal(err)
		}
		if d.BonusCoefficient != c.coefficient || !strings.Contains(strings.Join(d.Bases, "\n"), c.basis) {
			t.Errorf("item year %d: coefficient %v, bases %q; want %v and %s", c.itemYear, d.BonusCoefficient, d.Bases, c.coefficient, c.basis)
		}
		a := &Activities{Org: org, org: org, Log: slog.New(slog.DiscardHandler)}
		for _, r := range a.awardees(req.Awardees, req.Date) {
			if r.Year != c.want {
				t.Errorf("item year %d: the register enters %d", c.itemYear, r.Year)
			}
		}
		reg, err := a.ReadQuotaRegister(context.Background(), workflows.QuotaRegisterRequest{SessionID: "s", At: req.Date, Agenda: req.Awardees, AwardTypes: []string{"LDTT"}})
		if err != nil {
			t.Fatal(err)
		}
		if reg.Years[req.Awardees[0].ProposalID] != c.want {
			t.Errorf("item year %d: the quota counts %d", c.itemYear, reg.Years[req.Awardees[0].ProposalID])
		}
	}
}
