package award

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 2, 5, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))

func TestFormatNumber(t *testing.T) {
	cases := []struct {
		p         Profile
		seq       int
		typ, code string
		want      string
	}{
		{ProfileND30, 5, "QĐ", "UBND", "Số: 05/QĐ-UBND"},
		{ProfileND30, 10, "QĐ", "UBND", "Số: 10/QĐ-UBND"},
		{ProfileND30, 123, "QĐ", "UBND", "Số: 123/QĐ-UBND"},
		{ProfileHD36, 5, "QĐ", "BTGTU", "Số 05-QĐ/BTGTU"},
		{ProfileHD36, 1, "BB", "BTGTU", "Số 01-BB/BTGTU"},
		{ProfileHD36, 99, "QĐ", "BTGTU", "Số 99-QĐ/BTGTU"},
	}
	for _, c := range cases {
		if got := FormatNumber(c.p, c.seq, c.typ, c.code); got != c.want {
			t.Errorf("FormatNumber(%s,%d) = %q, want %q", c.p, c.seq, got, c.want)
		}
	}
}

func TestJudge(t *testing.T) {
	twoThirds := Ratio{2, 3}
	half := Ratio{1, 2}
	seventy := Ratio{70, 100}
	cases := []struct {
		name             string
		rule             VoteRule
		members, present int
		c                Count
		quorum, passed   bool
	}{
		{"no quorum 3 of 7", VoteRule{Quorum: twoThirds, Pass: half, Base: BaseMembers}, 7, 4, Count{Yes: 4}, false, false},
		{"quorum exactly 2/3 of 6", VoteRule{Quorum: twoThirds, Pass: half, Base: BaseMembers}, 6, 4, Count{Yes: 3, No: 1}, true, true},
		{"half of members, tie passes when not strict", VoteRule{Quorum: twoThirds, Pass: half, Base: BaseMembers}, 6, 6, Count{Yes: 3, No: 3}, true, true},
		{"tie fails when strict", VoteRule{Quorum: twoThirds, Pass: half, Base: BaseMembers, Strict: true}, 6, 6, Count{Yes: 3, No: 3}, true, false},
		{"base present passes where members fails", VoteRule{Quorum: twoThirds, Pass: seventy, Base: BasePresent}, 7, 5, Count{Yes: 4, No: 1}, true, true},
		{"base members fails", VoteRule{Quorum: twoThirds, Pass: seventy, Base: BaseMembers}, 7, 5, Count{Yes: 4, No: 1}, true, false},
		{"abstain counts against on members base", VoteRule{Quorum: twoThirds, Pass: seventy, Base: BaseMembers}, 5, 5, Count{Yes: 3, Abstain: 2}, true, false},
		{"70% exactly", VoteRule{Quorum: twoThirds, Pass: seventy, Base: BaseMembers}, 10, 10, Count{Yes: 7, No: 3}, true, true},
		{"no members", VoteRule{Quorum: twoThirds, Pass: half, Base: BaseMembers}, 0, 0, Count{}, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.rule.Validate(); err != nil {
				t.Fatalf("rule invalid: %v", err)
			}
			r := c.rule.Judge(c.members, c.present, c.c)
			if r.QuorumMet != c.quorum || r.Passed != c.passed {
				t.Fatalf("got quorum=%v passed=%v (%s), want %v %v", r.QuorumMet, r.Passed, r.Reason, c.quorum, c.passed)
			}
			if r.Reason == "" {
				t.Fatal("empty reason")
			}
		})
	}
}

func TestVoteRuleValidate(t *testing.T) {
	bad := []VoteRule{
		{Quorum: Ratio{3, 2}, Pass: Ratio{1, 2}, Base: BaseMembers},
		{Quorum: Ratio{2, 3}, Pass: Ratio{0, 2}, Base: BaseMembers},
		{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Base: "all"},
		{Quorum: Ratio{2, 3}, Pass: Ratio{1, 0}, Base: BaseMembers},
		{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Base: BaseMembers, Quota: &Quota{OfAwardType: "LDTT", Percent: 0}},
	}
	for i, r := range bad {
		if r.Validate() == nil {
			t.Errorf("case %d: invalid rule accepted: %+v", i, r)
		}
	}
}

func TestApplyQuota(t *testing.T) {
	q := Quota{OfAwardType: "LDTT", Percent: 15}
	cands := []Ranked{{"a", 5}, {"b", 7}, {"c", 6}, {"d", 4}}
	kept, limit := ApplyQuota(q, 20, cands) // 15% of 20 = 3
	if limit != 3 || len(kept) != 3 || !kept["b"] || !kept["c"] || !kept["a"] || kept["d"] {
		t.Fatalf("kept %v limit %d", kept, limit)
	}
	kept, limit = ApplyQuota(q, 10, cands) // 15% of 10 = 1
	if limit != 1 || len(kept) != 1 || !kept["b"] {
		t.Fatalf("kept %v limit %d", kept, limit)
	}
	// a tie at the cut is left to the council: both tied candidates are dropped
	kept, _ = ApplyQuota(q, 14, []Ranked{{"x", 5}, {"y", 6}, {"z", 5}}) // limit 2
	if !kept["y"] || kept["x"] || kept["z"] {
		t.Fatalf("tie handling: kept %v", kept)
	}
	kept, _ = ApplyQuota(q, 5, cands) // limit 0
	if len(kept) != 0 {
		t.Fatalf("limit 0 kept %v", kept)
	}
}

func people() (staff, head, otherHead, chair, member Actor) {
	staff = Actor{ID: "u-staff", Name: "Nguyễn Thị Hồng Đào", Department: "tt", Roles: []Role{RoleStaff}}
	head = Actor{ID: "u-head", Name: "Trần Văn Cường", Department: "tt", Roles: []Role{RoleStaff, RoleHead}}
	otherHead = Actor{ID: "u-head2", Name: "Lê Văn Bình", Department: "vp", Roles: []Role{RoleStaff, RoleHead}}
	chair = Actor{ID: "u-chair", Name: "Phạm Quốc Hùng", Department: "ld", Roles: []Role{RoleChair}}
	member = Actor{ID: "u-mem", Name: "Võ Thị Lan", Department: "vp", Roles: []Role{RoleMember}}
	return
}

func codeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

var crit = []Criterion{{ID: "c1", Text: "Gương mẫu"}, {ID: "c2", Text: "Sáng kiến"}}

func newDraft() Draft {
	return Draft{AwardType: "LDTT", MovementID: "m1", Kind: KindIndividual, NomineeName: "Nguyễn Thị Hồng Đào", Achievements: "Hoàn thành xuất sắc"}
}

func TestProposalLifecycle(t *testing.T) {
	staff, head, otherHead, chair, _ := people()
	p, err := NewProposal("p1", newDraft(), staff, "rs-2025", t0)
	if err != nil {
		t.Fatal(err)
	}
	p.SetReviewers([]string{head.ID}, []string{chair.ID})
	if p.Department != "tt" || p.Stage != StageDraft {
		t.Fatalf("new proposal: %+v", p)
	}
	if err := p.Submit(staff, crit, t0); codeOf(err) != CodeInvalid {
		t.Fatalf("submit without self-assessment: %v", err)
	}
	if err := p.SelfAssess(staff, []CriterionAnswer{{CriterionID: "c1", Met: true}}, crit, t0); codeOf(err) != CodeInvalid {
		t.Fatalf("partial self-assessment accepted: %v", err)
	}
	if err := p.SelfAssess(staff, []CriterionAnswer{{CriterionID: "c1", Met: true}, {CriterionID: "zz"}}, crit, t0); codeOf(err) != CodeInvalid {
		t.Fatalf("unknown criterion accepted: %v", err)
	}
	if err := p.SelfAssess(staff, []CriterionAnswer{{CriterionID: "c1", Met: true}, {CriterionID: "c2", Evidence: []string{"nope"}}}, crit, t0); codeOf(err) != CodeInvalid {
		t.Fatalf("unknown evidence accepted: %v", err)
	}
	if err := p.SelfAssess(head, []CriterionAnswer{{CriterionID: "c1", Met: true}, {CriterionID: "c2", Met: true}}, crit, t0); codeOf(err) != CodeForbidden {
		t.Fatalf("head edited: %v", err)
	}
	sha := strings.Repeat("ab", 32)
	added, err := p.Attach(staff, Evidence{SHA256: sha, Key: "evidence/p1/" + sha, Name: "bang-khen.pdf"}, t0)
	if err != nil || !added {
		t.Fatalf("attach: %v %v", added, err)
	}
	if added, err = p.Attach(staff, Evidence{SHA256: sha, Key: "evidence/p1/" + sha}, t0); err != nil || added {
		t.Fatalf("re-attach should be a no-op: %v %v", added, err)
	}
	if err := p.SelfAssess(staff, []CriterionAnswer{{CriterionID: "c1", Met: true}, {CriterionID: "c2", Met: true, Evidence: []string{sha}}}, crit, t0); err != nil {
		t.Fatal(err)
	}
	if err := p.Review(head, HeadEndorse, "", t0); codeOf(err) != CodeWrongStage {
		t.Fatalf("endorse a draft: %v", err)
	}
	if err := p.Submit(staff, crit, t0); err != nil {
		t.Fatal(err)
	}
	if err := p.Review(staff, HeadEndorse, "", t0); codeOf(err) != CodeForbidden {
		t.Fatalf("staff endorsed: %v", err)
	}
	if err := p.Review(otherHead, HeadEndorse, "", t0); codeOf(err) != CodeForbidden {
		t.Fatalf("other department's head endorsed: %v", err)
	}
	if err := p.Review(head, HeadReturn, "  ", t0); codeOf(err) != CodeInvalid {
		t.Fatalf("return without comment: %v", err)
	}
	if err := p.Review(head, HeadReturn, "Bổ sung minh chứng sáng kiến", t0); err != nil {
		t.Fatal(err)
	}
	if p.Stage != StageReturned {
		t.Fatalf("stage %s", p.Stage)
	}
	d := newDraft()
	d.Achievements = "Đã bổ sung"
	if err := p.Revise(staff, d, t0); err != nil {
		t.Fatal(err)
	}
	if err := p.Submit(staff, crit, t0); err != nil {
		t.Fatal(err)
	}
	if err := p.Review(head, HeadEndorse, "Đồng ý", t0); err != nil {
		t.Fatal(err)
	}
	if err := p.Review(head, HeadEndorse, "", t0); codeOf(err) != CodeWrongStage {
		t.Fatalf("double endorse: %v", err)
	}
	if _, err := p.Attach(staff, Evidence{SHA256: strings.Repeat("cd", 32), Key: "k"}, t0); codeOf(err) != CodeWrongStage {
		t.Fatalf("attach after endorsement: %v", err)
	}
	if err := p.JoinSession(chair, "s1", t0); err != nil {
		t.Fatal(err)
	}
	if err := p.JoinSession(chair, "s1", t0); err != nil {
		t.Fatalf("retried join must be accepted: %v", err)
	}
	if err := p.JoinSession(chair, "s2", t0); codeOf(err) != CodeWrongStage {
		t.Fatalf("join a second session: %v", err)
	}
	o := Outcome{SessionID: "s1", Passed: true, Yes: 5}
	if err := p.ApplyOutcome(chair, o, true, t0); err != nil {
		t.Fatal(err)
	}
	if err := p.ApplyOutcome(chair, o, true, t0); err != nil {
		t.Fatalf("retried outcome: %v", err)
	}
	if p.Stage != StageAwarded || !p.Stage.Final() {
		t.Fatalf("stage %s", p.Stage)
	}
	var actions []string
	for _, e := range p.History {
		actions = append(actions, string(e.Action))
	}
	want := "create,attach_evidence,self_assess,submit,return,revise,submit,endorse,council_session,council_outcome"
	if got := strings.Join(actions, ","); got != want {
		t.Fatalf("history %s\nwant    %s", got, want)
	}
}

func TestOwnProposalAndNoQuorum(t *testing.T) {
	_, head, _, chair, _ := people()
	p, _ := NewProposal("p2", newDraft(), head, "rs", t0)
	p.SetReviewers([]string{head.ID}, []string{chair.ID})
	if err := p.Submit(head, nil, t0); err != nil {
		t.Fatal(err)
	}
	if err := p.Review(head, HeadEndorse, "", t0); codeOf(err) != CodeForbidden {
		t.Fatalf("head endorsed own proposal: %v", err)
	}
	p.Stage = StageEndorsed
	_ = p.JoinSession(chair, "s1", t0)
	if err := p.ApplyOutcome(chair, Outcome{SessionID: "s1"}, false, t0); err != nil {
		t.Fatal(err)
	}
	if p.Stage != StageEndorsed || p.SessionID != "" {
		t.Fatalf("without quorum the proposal should wait for the next session: %s %q", p.Stage, p.SessionID)
	}
}

func TestDraftValidate(t *testing.T) {
	bad := []func(*Draft){
		func(d *Draft) { d.AwardType = "" },
		func(d *Draft) { d.MovementID = " " },
		func(d *Draft) { d.Kind = "team" },
		func(d *Draft) { d.NomineeName = "" },
		func(d *Draft) { d.NomineeName = strings.Repeat("a", 201) },
		func(d *Draft) { d.Achievements = string([]byte{0xff, 0xfe}) },
	}
	for i, mut := range bad {
		d := newDraft()
		mut(&d)
		if err := d.Validate(); codeOf(err) != CodeInvalid {
			t.Errorf("case %d accepted: %v", i, err)
		}
	}
}

func session() *Session {
	rule := VoteRule{Quorum: Ratio{2, 3}, Pass: Ratio{1, 2}, Base: BaseMembers, Strict: true, Secret: true}
	cst := rule
	cst.Quota = &Quota{OfAwardType: "LDTT", Percent: 50}
	s := &Session{ID: "s1", Status: SessionOpen,
		Members: []Member{
			{ID: "u-chair", Role: RoleChair, Votes: true},
			{ID: "m1", Role: RoleMember, Votes: true},
			{ID: "m2", Role: RoleMember, Votes: true},
			{ID: "sec", Role: RoleSecretary, Votes: false},
		},
		Agenda: []AgendaItem{{ProposalID: "p1", AwardType: "LDTT"}, {ProposalID: "p2", AwardType: "LDTT"}, {ProposalID: "p3", AwardType: "CSTDCS"}, {ProposalID: "p4", AwardType: "CSTDCS"}},
		Rules:  map[string]VoteRule{"LDTT": rule, "CSTDCS": cst},
	}
	return s
}

func TestSessionBallots(t *testing.T) {
	s := session()
	chair := Actor{ID: "u-chair", Roles: []Role{RoleChair}}
	m1 := Actor{ID: "m1", Roles: []Role{RoleMember}}
	sec := Actor{ID: "sec", Roles: []Role{RoleSecretary}}
	outsider := Actor{ID: "x", Roles: []Role{RoleMember}}
	all := func(p1, p2, p3, p4 Choice) map[string]Choice {
		return map[string]Choice{"p1": p1, "p2": p2, "p3": p3, "p4": p4}
	}
	if err := s.Cast(outsider, "sealed"); codeOf(err) != CodeForbidden {
		t.Fatalf("outsider voted: %v", err)
	}
	if err := s.Cast(sec, "sealed"); codeOf(err) != CodeForbidden {
		t.Fatalf("non-voting secretary voted: %v", err)
	}
	if err := s.CheckMarks(map[string]Choice{"p1": Yes}); codeOf(err) != CodeInvalid {
		t.Fatalf("partial ballot: %v", err)
	}
	if err := s.CheckMarks(all(Yes, Yes, "maybe", Yes)); codeOf(err) != CodeInvalid {
		t.Fatalf("bad choice: %v", err)
	}
	extra := all(Yes, Yes, Yes, Yes)
	extra["p9"] = Yes
	if err := s.CheckMarks(extra); codeOf(err) != CodeInvalid {
		t.Fatalf("stranger on the ballot: %v", err)
	}
	if err := s.Cast(m1, ""); codeOf(err) != CodeInvalid {
		t.Fatalf("empty ballot: %v", err)
	}
	if err := s.Cast(m1, "sealed-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Cast(m1, "sealed-1b"); codeOf(err) != CodeDuplicate {
		t.Fatalf("second ballot: %v", err)
	}
	if err := s.Close(m1, t0); codeOf(err) != CodeForbidden {
		t.Fatalf("member closed: %v", err)
	}
	if err := s.Cast(chair, "sealed-2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(chair, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.Cast(Actor{ID: "m2"}, "sealed-3"); codeOf(err) != CodeWrongStage {
		t.Fatalf("vote after close: %v", err)
	}
	if len(s.Sealed) != 2 || len(s.Voted) != 2 {
		t.Fatalf("sealed %v voted %v", s.Sealed, s.Voted)
	}
	counts, invalid := s.Tally([]map[string]Choice{all(Yes, No, Yes, Yes), all(Yes, No, Yes, Yes), {"p1": Yes}})
	if invalid != 1 || counts["p1"].Yes != 2 || counts["p2"].No != 2 {
		t.Fatalf("tally %v invalid %d", counts, invalid)
	}
	s.Judge(counts, invalid)
	// 2 of 3 voted: quorum met; strict half of 3 members needs 2 yes
	if !s.Results["p1"].Passed || s.Results["p2"].Passed {
		t.Fatalf("results %+v", s.Results)
	}
	// CSTĐCS quota: 50 % of 1 LĐTT awardee = 0 → both dropped
	if s.Results["p3"].Passed || s.Results["p4"].Passed || len(s.Quota["CSTDCS"].Dropped) != 2 {
		t.Fatalf("quota not applied: %+v %+v", s.Results, s.Quota)
	}
	if got := s.Awardees("LDTT"); len(got) != 1 || got[0].ProposalID != "p1" {
		t.Fatalf("awardees %+v", got)
	}
	if s.Counts["p2"].No != 2 || s.Counts["p2"].Cast() != 2 || s.Invalid != 1 {
		t.Fatalf("counts %+v", s.Counts)
	}
}

func TestRuleSetAt(t *testing.T) {
	sets := []RuleSet{
		{ID: "nd98", Effective: time.Date(2023, 12, 15, 0, 0, 0, 0, time.UTC)},
		{ID: "nd152", Effective: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)},
	}
	if rs, ok := RuleSetAt(sets, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)); !ok || rs.ID != "nd98" {
		t.Fatalf("got %v", rs)
	}
	if rs, ok := RuleSetAt(sets, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); !ok || rs.ID != "nd152" {
		t.Fatalf("got %v", rs)
	}
	if _, ok := RuleSetAt(sets, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); ok {
		t.Fatal("found a rule set before any took effect")
	}
}
