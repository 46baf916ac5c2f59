package award

import (
	"slices"
	"strings"
	"testing"
)

// Every undo check against every stage and every kind of actor: only the proposer, and
// only at the stages the rule names. The action applies exactly when its check passes,
// and a refused action changes nothing.
func TestUndoChecksEveryStageAndActor(t *testing.T) {
	staff, head, _, chair, member := people()
	admin := Actor{ID: "u-admin", Name: "Quản trị", Department: "vp", Roles: []Role{RoleAdmin}}
	nominee := Actor{ID: "u-nominee", Name: "Lê Quốc Cường", Department: "tt", Roles: []Role{RoleStaff}}
	sha := strings.Repeat("cd", 32)
	actors := map[string]Actor{"proposer": staff, "head": head, "chair": chair, "member": member, "admin": admin, "nominee": nominee}
	checks := []struct {
		name   string
		stages []Stage // where the proposer may
		check  func(p *Proposal, a Actor) error
		apply  func(p *Proposal, a Actor) error
		after  Stage // "" : the stage does not change
	}{
		{"delete", []Stage{StageDraft, StageReturned},
			func(p *Proposal, a Actor) error { return p.CheckDelete(a) },
			func(p *Proposal, a Actor) error { return p.Delete(a, t0) }, StageDeleted},
		{"remove evidence", []Stage{StageDraft, StageReturned},
			func(p *Proposal, a Actor) error { return p.CheckRemoveEvidence(a, sha) },
			func(p *Proposal, a Actor) error { return p.RemoveEvidence(a, sha, t0) }, ""},
		{"withdraw", []Stage{StageSubmitted},
			func(p *Proposal, a Actor) error { return p.CheckWithdraw(a) },
			func(p *Proposal, a Actor) error { return p.Withdraw(a, t0) }, StageDraft},
	}
	for _, c := range checks {
		for _, stage := range Stages {
			for who, a := range actors {
				p, err := NewProposal("p1", Draft{AwardType: "LDTT", MovementID: "m1", Kind: KindIndividual,
					NomineeName: nominee.Name, NomineeID: nominee.ID}, staff, "rs", t0)
				if err != nil {
					t.Fatal(err)
				}
				p.SetReviewers([]string{head.ID}, nil)
				p.Evidence = []Evidence{{SHA256: sha, Key: "evidence/p1/" + sha, Name: "minh-chung.pdf"}}
				p.SelfAssessment = []CriterionAnswer{{CriterionID: "c1", Met: true, Evidence: []string{sha}}}
				p.Stage, p.Overdue = stage, stage == StageSubmitted
				before := len(p.History)
				err = c.check(p, a)
				want := who == "proposer" && slices.Contains(c.stages, stage)
				switch {
				case want && err != nil:
					t.Errorf("%s by %s at %s: refused: %v", c.name, who, stage, err)
				case !want && err == nil:
					t.Errorf("%s by %s at %s: allowed", c.name, who, stage)
				case !want && who != "proposer" && codeOf(err) != CodeForbidden:
					t.Errorf("%s by %s at %s: %v, want forbidden", c.name, who, stage, err)
				case !want && who == "proposer" && codeOf(err) != CodeWrongStage:
					t.Errorf("%s by the proposer at %s: %v, want wrong_stage", c.name, stage, err)
				}
				aerr := c.apply(p, a)
				if (aerr == nil) != (err == nil) {
					t.Errorf("%s by %s at %s: check says %v, apply says %v", c.name, who, stage, err, aerr)
				}
				if aerr != nil {
					if len(p.History) != before || p.Stage != stage || len(p.Evidence) != 1 {
						t.Errorf("%s by %s at %s: a refused action changed the proposal", c.name, who, stage)
					}
					continue
				}
				last := p.History[len(p.History)-1]
				if len(p.History) != before+1 || last.ActorID != staff.ID || last.Stage != p.Stage {
					t.Errorf("%s: history %+v", c.name, p.History)
				}
				if c.after != "" && p.Stage != c.after {
					t.Errorf("%s at %s: stage %s, want %s", c.name, stage, p.Stage, c.after)
				}
				if p.Overdue {
					t.Errorf("%s at %s: still overdue", c.name, stage)
				}
			}
		}
	}
}

// Removing a file takes it off every criterion it supported and records its name;
// a file not on the proposal is not found.
func TestRemoveEvidenceUnlinksCriteria(t *testing.T) {
	staff, _, _, _, _ := people()
	p, err := NewProposal("p1", newDraft(), staff, "rs", t0)
	if err != nil {
		t.Fatal(err)
	}
	a, b := strings.Repeat("aa", 32), strings.Repeat("bb", 32)
	for _, sha := range []string{a, b} {
		if _, err := p.Attach(staff, Evidence{SHA256: sha, Key: "k/" + sha, Name: "tệp-" + sha[:2] + ".pdf"}, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.SelfAssess(staff, []CriterionAnswer{{CriterionID: "c1", Met: true, Evidence: []string{a, b}},
		{CriterionID: "c2", Met: true, Evidence: []string{a}}}, crit, t0); err != nil {
		t.Fatal(err)
	}
	if err := p.RemoveEvidence(staff, strings.Repeat("ff", 32), t0); codeOf(err) != CodeNotFound {
		t.Fatalf("remove an unknown file: %v", err)
	}
	if err := p.RemoveEvidence(staff, a, t0); err != nil {
		t.Fatal(err)
	}
	if len(p.Evidence) != 1 || p.Evidence[0].SHA256 != b {
		t.Fatalf("evidence after removal: %+v", p.Evidence)
	}
	if !slices.Equal(p.SelfAssessment[0].Evidence, []string{b}) || p.SelfAssessment[1].Evidence != nil {
		t.Fatalf("criteria still point at the removed file: %+v", p.SelfAssessment)
	}
	if !p.SelfAssessment[1].Met {
		t.Fatal("removing a file changed a tick")
	}
	last := p.History[len(p.History)-1]
	if last.Action != ActionRemoveEvidence || last.Comment != "tệp-aa.pdf" {
		t.Fatalf("history line %+v", last)
	}
	// The self-assessment stays valid for submission.
	if err := p.CheckSelfAssess(staff, p.SelfAssessment, crit); err != nil {
		t.Fatalf("the self-assessment after removal: %v", err)
	}
}

// The award type's rule: evidence required refuses a proposal with none (422), with the
// proposer's other problems reported first; without the rule nothing changes.
func TestSubmitRulesEvidence(t *testing.T) {
	staff, head, _, _, _ := people()
	sha := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		name     string
		required bool
		files    int
		assessed bool
		want     Code
	}{
		{"not required, no file", false, 0, true, ""},
		{"not required, a file", false, 1, true, ""},
		{"required, no file", true, 0, true, CodeInvalid},
		{"required, a file", true, 1, true, ""},
		{"required, no file, not assessed", true, 0, false, CodeInvalid},
	} {
		p, err := NewProposal("p1", newDraft(), staff, "rs", t0)
		if err != nil {
			t.Fatal(err)
		}
		p.SetReviewers([]string{head.ID}, nil)
		if tc.files > 0 {
			if _, err := p.Attach(staff, Evidence{SHA256: sha, Key: "k", Name: "a.pdf"}, t0); err != nil {
				t.Fatal(err)
			}
		}
		if tc.assessed {
			if err := p.SelfAssess(staff, []CriterionAnswer{{CriterionID: "c1", Met: true}, {CriterionID: "c2", Met: true}}, crit, t0); err != nil {
				t.Fatal(err)
			}
		}
		rules := SubmitRulesOf(AwardType{Code: "X", EvidenceRequired: tc.required})
		err = p.CheckSubmitWith(staff, crit, rules)
		if codeOf(err) != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
		if tc.name == "required, no file" && !strings.Contains(err.Error(), "minh chứng") {
			t.Errorf("%s: message %q does not name the evidence", tc.name, err)
		}
		if tc.name == "required, no file, not assessed" && !strings.Contains(err.Error(), "tự đánh giá") {
			t.Errorf("%s: %q, want the self-assessment named first", tc.name, err)
		}
		serr := p.SubmitWith(staff, crit, rules, t0)
		if codeOf(serr) != tc.want || (serr == nil) != (p.Stage == StageSubmitted) {
			t.Errorf("%s: SubmitWith %v, stage %s", tc.name, serr, p.Stage)
		}
	}
}

func TestDeletedIsFinalAndFreesTheNominee(t *testing.T) {
	if !StageDeleted.Final() || StageDeleted.Live() {
		t.Fatal("a deleted proposal must be final and not hold its nominee's place")
	}
	ref := ProposalRef{ID: "a", Kind: KindIndividual, NomineeName: "An", AwardType: "LDTT", Year: 2025}
	other := ref
	other.ID, other.Stage = "b", StageDeleted
	if err := CheckOneLiveProposal(ref, []ProposalRef{other}); err != nil {
		t.Fatalf("a deleted proposal blocks a new one: %v", err)
	}
}
