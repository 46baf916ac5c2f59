package httpapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// withSetRules is the demo with NĐ 152/2025 (achievement years 2025 on) given its own
// rules (test values, not the law): LĐTT 0.35, a CSTĐCS pass mark of 2/3 of those present
// with a 20 % quota, and no CSTĐT.
func withSetRules(t *testing.T) (*Server, http.Handler, *orgconfig.Org) {
	t.Helper()
	s, h := newTestServer(t)
	o := mustOrg(t, s)
	rs := o.RuleSets[1]
	if rs.ID != "luat-2022-nd152" {
		t.Fatalf("second set %q", rs.ID)
	}
	coef := 0.35
	rules := slices.Clone(rs.AwardTypeRules)
	for i, r := range rules {
		switch r.Code {
		case "LDTT":
			rules[i].BonusCoefficient = &coef
		case "CSTDCS":
			rules[i].Vote = &award.VoteRule{Quorum: award.Ratio{Num: 2, Den: 3}, Pass: award.Ratio{Num: 2, Den: 3}, Base: award.BasePresent, Secret: true,
				Quota: &award.Quota{OfAwardType: "LDTT", Percent: 20}}
		case "CSTDT":
			rules[i] = award.AwardTypeRule{Code: "CSTDT", Removed: true}
		}
	}
	rs.AwardTypeRules = rules
	if err := award.CheckAwardTypeRules(rs, o.AwardTypes); err != nil {
		t.Fatal(err)
	}
	o.RuleSets[1] = rs.Resolve(o.AwardTypes)
	return s, h, o
}

// TestSessionSnapshotsTheRulesOfTheYear: a session opened over 2024 proposals keeps
// NĐ 98/2023's vote rule and quota, one over 2026 proposals NĐ 152/2025's; one award
// type under two rule sets is refused before anything starts.
func TestSessionSnapshotsTheRulesOfTheYear(t *testing.T) {
	_, _, o := withSetRules(t)
	for _, c := range []struct {
		year  int
		pass  award.Ratio
		base  award.PassBase
		quota int
	}{{2024, award.Ratio{Num: 70, Den: 100}, award.BaseMembers, 15}, {2026, award.Ratio{Num: 2, Den: 3}, award.BasePresent, 20}} {
		infos, err := sessionAwardTypes(o, []award.AgendaYear{{ProposalID: "p1", NomineeName: "A", AwardType: "CSTDCS", Year: c.year}})
		if err != nil {
			t.Fatal(err)
		}
		r := infos["CSTDCS"].Rule
		if r.Pass != c.pass || r.Base != c.base || r.Quota == nil || r.Quota.Percent != c.quota || infos["CSTDCS"].Name != "Chiến sĩ thi đua cơ sở" {
			t.Errorf("%d: %+v", c.year, infos["CSTDCS"])
		}
		if len(infos) != len(o.AwardTypes) {
			t.Errorf("%d: %d types in the snapshot, want %d", c.year, len(infos), len(o.AwardTypes))
		}
	}
	_, err := sessionAwardTypes(o, []award.AgendaYear{{ProposalID: "p1", NomineeName: "Nguyễn Văn A", AwardType: "CSTDCS", Year: 2024}, {ProposalID: "p2", NomineeName: "Trần Thị B", AwardType: "CSTDCS", Year: 2026}})
	if de, ok := err.(*award.Error); !ok || de.Code != award.CodeInvalid || !strings.Contains(de.VI, "Trần Thị B") {
		t.Errorf("two sets: %v", err)
	}
}

// TestFilingRefusesATypeTheYearDoesNotAward: a proposal for a type the rule set of its
// achievement year removed is refused (422) before anything starts, naming the set.
func TestFilingRefusesATypeTheYearDoesNotAward(t *testing.T) {
	s, h, _ := withSetRules(t)
	tok, _ := s.Tokens.Issue("hongdao", time.Now())
	rec := call(h, "POST", "/api/v1/proposals", tok,
		`{"award_type":"CSTDT","movement_id":"vanhoa-2025","kind":"individual","nominee_name":"Nguyễn Thị Hồng Đào"}`)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	e := errorOf(t, rec)
	if !strings.Contains(e.VI, "luat-2022-nd152") || !strings.Contains(e.EN, "2025") {
		t.Errorf("%+v", e)
	}
}

// TestOrgAnswersEachRuleSetsAwardTypes: /org gives, for each rule set, the award types as
// it applies them, so that a page reads a type through the set of its year.
func TestOrgAnswersEachRuleSetsAwardTypes(t *testing.T) {
	s, h, _ := withSetRules(t)
	tok, _ := s.Tokens.Issue("hongdao", time.Now())
	rec := call(h, "GET", "/api/v1/org", tok, "")
	var org struct {
		RuleSets []struct {
			ID         string            `json:"id"`
			AwardTypes []award.AwardType `json:"award_types"`
		} `json:"rule_sets"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &org); err != nil || len(org.RuleSets) != 2 {
		t.Fatalf("org = %d %s", rec.Code, rec.Body)
	}
	find := func(types []award.AwardType, code string) (award.AwardType, bool) {
		for _, at := range types {
			if at.Code == code {
				return at, true
			}
		}
		return award.AwardType{}, false
	}
	old, _ := find(org.RuleSets[0].AwardTypes, "LDTT")
	cur, _ := find(org.RuleSets[1].AwardTypes, "LDTT")
	if old.BonusCoefficient != 0.3 || cur.BonusCoefficient != 0.35 || !strings.Contains(old.BonusCitation, "98/2023") || !strings.Contains(cur.BonusCitation, "152/2025") {
		t.Errorf("LĐTT: %+v / %+v", old, cur)
	}
	if _, ok := find(org.RuleSets[1].AwardTypes, "CSTDT"); ok {
		t.Errorf("NĐ 152/2025 lists the removed CSTĐT")
	}
	if cs, _ := find(org.RuleSets[1].AwardTypes, "CSTDCS"); cs.Vote.Quota == nil || cs.Vote.Quota.Percent != 20 {
		t.Errorf("CSTĐCS under NĐ 152/2025: %+v", cs.Vote)
	}
}
