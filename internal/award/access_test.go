package award

import (
	"slices"
	"strings"
	"testing"
)

// One actor per role, so each access rule is checked against every role.
func roleActors() map[Role]Actor {
	return map[Role]Actor{
		RoleStaff:     {ID: "staff", Department: "tt", Roles: []Role{RoleStaff}},
		RoleHead:      {ID: "head", Department: "tt", Roles: []Role{RoleHead}},
		RoleChair:     {ID: "chair", Department: "ld", Roles: []Role{RoleChair}},
		RoleSecretary: {ID: "secretary", Department: "vp", Roles: []Role{RoleSecretary}},
		RoleMember:    {ID: "member", Department: "vp", Roles: []Role{RoleMember}},
		RoleAdmin:     {ID: "admin", Department: "vp", Roles: []Role{RoleAdmin}},
		RoleClerk:     {ID: "clerk", Department: "vp", Roles: []Role{RoleClerk}},
	}
}

var allRoles = Roles

func TestAccessRulesEveryRole(t *testing.T) {
	rules := []struct {
		name    string
		check   func(Actor) error
		allowed []Role
	}{
		{"file for own department", func(a Actor) error { return CanFile(a, a.Department) }, allRoles},
		{"file for another department", func(a Actor) error { return CanFile(a, "other") }, []Role{RoleAdmin}},
		{"open a session", CanOpenSession, []Role{RoleSecretary}},
		{"see sessions", CanSeeSessions, []Role{RoleChair, RoleSecretary, RoleMember, RoleAdmin, RoleClerk}},
		{"issue documents", CanIssue, []Role{RoleClerk}},
		{"export a session", CanExport, []Role{RoleChair, RoleSecretary, RoleAdmin}},
	}
	actors := roleActors()
	for _, r := range rules {
		for _, role := range allRoles {
			err := r.check(actors[role])
			want := slices.Contains(r.allowed, role)
			if want && err != nil {
				t.Errorf("%s: %s refused: %v", r.name, role, err)
			}
			if !want && codeOf(err) != CodeForbidden {
				t.Errorf("%s: %s allowed (err %v)", r.name, role, err)
			}
		}
	}
}

// A list never shows a proposal the actor may not open.
func TestProposalScopeWithinCanView(t *testing.T) {
	actors := roleActors()
	want := map[Role]ListScope{
		RoleStaff: {Proposer: "staff"}, RoleHead: {Department: "tt"},
		RoleChair: {All: true}, RoleSecretary: {All: true}, RoleMember: {All: true}, RoleAdmin: {All: true},
		RoleClerk: {Proposer: "clerk"},
	}
	props := []*Proposal{
		{ID: "own", ProposerID: "staff", Draft: Draft{Department: "tt"}},
		{ID: "dept", ProposerID: "x", Draft: Draft{Department: "tt"}},
		{ID: "other", ProposerID: "y", Draft: Draft{Department: "vp"}},
	}
	for _, role := range allRoles {
		a := actors[role]
		sc := ProposalScope(a)
		if sc != want[role] {
			t.Errorf("%s: scope %+v, want %+v", role, sc, want[role])
		}
		for _, p := range props {
			listed := sc.All || (sc.Department != "" && p.Department == sc.Department) || (sc.Proposer != "" && p.ProposerID == sc.Proposer)
			if listed && !p.CanView(a) {
				t.Errorf("%s: lists %s but may not view it", role, p.ID)
			}
		}
	}
}

func TestReviewers(t *testing.T) {
	heads, headReviewers := []string{"head"}, []string{"chair", "deputy"}
	cases := []struct {
		name                string
		proposer, nominee   string
		heads, headReviewrs []string
		want                []string
	}{
		{"staff files for self: the head", "staff", "staff", heads, headReviewers, []string{"head"}},
		{"staff files for a colleague: the head", "staff", "colleague", heads, headReviewers, []string{"head"}},
		{"head files for self: configured reviewers", "head", "head", heads, headReviewers, []string{"chair", "deputy"}},
		{"head files for a staff member: configured reviewers", "head", "staff", heads, headReviewers, []string{"chair", "deputy"}},
		{"staff nominates their head: configured reviewers", "staff", "head", heads, headReviewers, []string{"chair", "deputy"}},
		{"collective filed by staff: the head", "staff", "", heads, headReviewers, []string{"head"}},
		{"collective filed by the head: configured reviewers", "head", "", heads, headReviewers, []string{"chair", "deputy"}},
		{"second head of the department is passed over too", "head", "head", []string{"head", "head2"}, headReviewers, []string{"chair", "deputy"}},
		{"department without a head: configured reviewers", "x", "x", nil, headReviewers, []string{"chair", "deputy"}},
		{"chair files for self: the deputy", "chair", "chair", nil, headReviewers, []string{"deputy"}},
		{"deputy nominates the chair: nobody", "deputy", "chair", nil, headReviewers, []string{}},
	}
	for _, c := range cases {
		got := Reviewers(c.proposer, c.nominee, c.heads, c.headReviewrs)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// The department-head review over every role and every way a head can be involved:
// who may endorse, and that everyone else gets 403; including the escalation target
// (the chair), who reviews exactly the proposals the config sends to them.
func TestReviewTableOverRoles(t *testing.T) {
	staff := Actor{ID: "staff", Name: "Nguyễn Thị Hồng Đào", Department: "tt", Roles: []Role{RoleStaff}}
	head := Actor{ID: "head", Name: "Phạm Minh Tâm", Department: "tt", Roles: []Role{RoleHead, RoleMember}}
	otherHead := Actor{ID: "otherhead", Name: "Trần Quốc Bảo", Department: "vp", Roles: []Role{RoleHead}}
	chair := Actor{ID: "chair", Name: "Nguyễn Văn Hùng", Department: "ld", Roles: []Role{RoleChair}}
	deputy := Actor{ID: "deputy", Name: "Lê Thị Thu Hà", Department: "ld", Roles: []Role{RoleMember}}
	secretary := Actor{ID: "secretary", Name: "Huỳnh Thị Mỹ Linh", Department: "vp", Roles: []Role{RoleSecretary, RoleStaff}}
	admin := Actor{ID: "admin", Name: "Quản trị", Department: "vp", Roles: []Role{RoleAdmin}}
	everyone := []Actor{staff, head, otherHead, chair, deputy, secretary, admin}
	directory := []Person{}
	for _, a := range everyone {
		directory = append(directory, Person{ID: a.ID, Name: a.Name, Department: a.Department})
	}
	cases := []struct {
		name     string
		proposer Actor
		kind     NomineeKind
		nominee  string
		awardee  string // the nominee's id once resolved
		may      []string
	}{
		{"head files for self", head, KindIndividual, "Phạm Minh Tâm", "head", []string{"chair", "deputy"}},
		{"head files for self, name spelled without diacritics", head, KindIndividual, "pham  minh TAM", "head", []string{"chair", "deputy"}},
		{"head files for a staff member", head, KindIndividual, "Nguyễn Thị Hồng Đào", "staff", []string{"chair", "deputy"}},
		{"staff nominates their head", staff, KindIndividual, "Phạm Minh Tâm", "head", []string{"chair", "deputy"}},
		{"staff files for self", staff, KindIndividual, "Nguyễn Thị Hồng Đào", "staff", []string{"head"}},
		// DOMAIN.md: the head of the nominee's department endorses; for a collective
		// that is the head of the unit, unless the head filed it.
		{"staff files the unit's collective proposal", staff, KindCollective, "Phòng Tuyên truyền - Báo chí", "", []string{"head"}},
		{"head files the unit's collective proposal", head, KindCollective, "Phòng Tuyên truyền - Báo chí", "", []string{"chair", "deputy"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Draft{AwardType: "X", MovementID: "m", Kind: c.kind, NomineeName: c.nominee, Department: "tt"}
			d, err := ResolveNominee(d, directory)
			if err != nil || d.NomineeID != c.awardee {
				t.Fatalf("resolve nominee: %q, %v; want %q", d.NomineeID, err, c.awardee)
			}
			p, err := NewProposal("p", d, c.proposer, "rs", t0)
			if err != nil {
				t.Fatal(err)
			}
			p.SetReviewers([]string{"head"}, []string{"chair", "deputy"})
			if err := p.Submit(c.proposer, nil, t0); err != nil {
				t.Fatal(err)
			}
			for _, a := range everyone {
				err := p.CheckReview(a, HeadEndorse, "")
				if slices.Contains(c.may, a.ID) {
					if err != nil {
						t.Errorf("%s may review but got %v", a.ID, err)
					}
					if !p.CanView(a) {
						t.Errorf("reviewer %s cannot view the proposal", a.ID)
					}
				} else if codeOf(err) != CodeForbidden {
					t.Errorf("%s must get 403, got %v", a.ID, err)
				}
			}
			i := slices.IndexFunc(everyone, func(a Actor) bool { return a.ID == c.may[0] })
			if err := p.Review(everyone[i], HeadEndorse, "Đồng ý", t0); err != nil || p.Stage != StageEndorsed {
				t.Fatalf("the reviewer could not endorse: %v", err)
			}
		})
	}
}

func TestSubmitWithoutReviewerRefused(t *testing.T) {
	chair := Actor{ID: "chair", Department: "ld", Roles: []Role{RoleChair}}
	d := newDraft()
	d.NomineeID = "chair"
	p, _ := NewProposal("p", d, chair, "rs", t0)
	p.SetReviewers(nil, []string{"chair"})
	if err := p.Submit(chair, nil, t0); codeOf(err) != CodeInvalid || !strings.Contains(err.Error(), "cấu hình") {
		t.Fatalf("a proposal nobody can review was submitted: %v", err)
	}
	if p.Stage != StageDraft {
		t.Fatalf("stage %s", p.Stage)
	}
}

func TestResolveNominee(t *testing.T) {
	dir := []Person{
		{ID: "a", Name: "Nguyễn Văn An", Department: "tt"},
		{ID: "b", Name: "Nguyen Van An", Department: "tt"},
		{ID: "c", Name: "Lê Thị Cúc", Department: "tt"},
		{ID: "d", Name: "Lê Thị Cúc", Department: "vp"},
	}
	cases := []struct {
		name           string
		kind           NomineeKind
		id, nominee    string
		wantID, wantNm string
		wantErr        bool
	}{
		{"by name", KindIndividual, "", "lê thị cúc", "c", "lê thị cúc", false},
		{"same name in another department is not matched", KindIndividual, "", "Lê Thị Cúc", "c", "Lê Thị Cúc", false},
		{"ambiguous name asks for nominee_id", KindIndividual, "", "Nguyễn Văn An", "", "", true},
		{"nominee_id fills the name", KindIndividual, "a", "", "a", "Nguyễn Văn An", false},
		{"nominee_id and matching name", KindIndividual, "b", "Nguyễn Văn An", "b", "Nguyễn Văn An", false},
		{"nominee_id and another name", KindIndividual, "c", "Nguyễn Văn An", "", "", true},
		{"nominee_id of another department", KindIndividual, "d", "", "", "", true},
		{"unknown nominee_id", KindIndividual, "zz", "", "", "", true},
		{"nobody of that name: nominees are records", KindIndividual, "", "Người Ngoài", "", "", true},
		{"collective with nominee_id", KindCollective, "c", "Phòng", "", "", true},
		{"collective", KindCollective, "", "Lê Thị Cúc", "", "Lê Thị Cúc", false},
	}
	for _, c := range cases {
		d, err := ResolveNominee(Draft{Kind: c.kind, NomineeID: c.id, NomineeName: c.nominee, Department: "tt"}, dir)
		if c.wantErr {
			if codeOf(err) != CodeInvalid {
				t.Errorf("%s: want 422, got %+v %v", c.name, d, err)
			}
			continue
		}
		if err != nil || d.NomineeID != c.wantID || d.NomineeName != c.wantNm {
			t.Errorf("%s: got %q %q %v; want %q %q", c.name, d.NomineeID, d.NomineeName, err, c.wantID, c.wantNm)
		}
	}
}

// Handlers and validators share one check per step: each Check* refuses exactly what
// its step refuses, and a refused step changes nothing.
func TestChecksMatchSteps(t *testing.T) {
	staff, head, _, chair, _ := people()
	fresh := func() *Proposal {
		p, err := NewProposal("p", newDraft(), staff, "rs", t0)
		if err != nil {
			t.Fatal(err)
		}
		p.SetReviewers([]string{head.ID}, []string{chair.ID})
		return p
	}
	moved := newDraft()
	moved.Department = "vp"
	emoji := newDraft()
	emoji.NomineeName = "Đào 😀"
	sha := strings.Repeat("ab", 32)
	steps := []struct {
		name  string
		check func(p *Proposal) error
		do    func(p *Proposal) error
	}{
		{"revise to another department",
			func(p *Proposal) error { _, err := p.CheckRevise(staff, moved); return err },
			func(p *Proposal) error { return p.Revise(staff, moved, t0) }},
		{"revise with an emoji",
			func(p *Proposal) error { _, err := p.CheckRevise(staff, emoji); return err },
			func(p *Proposal) error { return p.Revise(staff, emoji, t0) }},
		{"revise by someone else",
			func(p *Proposal) error { _, err := p.CheckRevise(head, newDraft()); return err },
			func(p *Proposal) error { return p.Revise(head, newDraft(), t0) }},
		{"attach with a NUL in the name",
			func(p *Proposal) error {
				_, err := p.CheckAttach(staff, Evidence{SHA256: sha, Key: "k", Name: "a\x00.pdf"})
				return err
			},
			func(p *Proposal) error {
				_, err := p.Attach(staff, Evidence{SHA256: sha, Key: "k", Name: "a\x00.pdf"}, t0)
				return err
			}},
		{"attach by the head",
			func(p *Proposal) error {
				_, err := p.CheckAttach(head, Evidence{SHA256: sha, Key: "k", Name: "a.pdf"})
				return err
			},
			func(p *Proposal) error {
				_, err := p.Attach(head, Evidence{SHA256: sha, Key: "k", Name: "a.pdf"}, t0)
				return err
			}},
		{"self-assess with a bidi override",
			func(p *Proposal) error {
				return p.CheckSelfAssess(staff, []CriterionAnswer{{CriterionID: "c1", Note: "\u202e"}, {CriterionID: "c2"}}, crit)
			},
			func(p *Proposal) error {
				return p.SelfAssess(staff, []CriterionAnswer{{CriterionID: "c1", Note: "\u202e"}, {CriterionID: "c2"}}, crit, t0)
			}},
		{"submit by the head",
			func(p *Proposal) error { return p.CheckSubmit(head, nil) },
			func(p *Proposal) error { return p.Submit(head, nil, t0) }},
	}
	for _, st := range steps {
		p := fresh()
		before := len(p.History)
		cerr, derr := st.check(p), st.do(p)
		if cerr == nil || derr == nil || codeOf(cerr) != codeOf(derr) {
			t.Errorf("%s: check %v, step %v: both must refuse alike", st.name, cerr, derr)
		}
		if len(p.History) != before || p.Department != "tt" || len(p.Evidence) != 0 {
			t.Errorf("%s: a refused step changed the proposal", st.name)
		}
	}
	// Accepted steps store the cleaned text.
	p := fresh()
	nfd := newDraft()
	nfd.NomineeName = "Nguye\u0302\u0303n  Thi\u0323 \ufeffHo\u0302\u0300ng Đào"
	if err := p.Revise(staff, nfd, t0); err != nil || p.NomineeName != "Nguyễn Thị Hồng Đào" {
		t.Fatalf("revise kept %q, %v", p.NomineeName, err)
	}
	if _, err := p.Attach(staff, Evidence{SHA256: sha, Key: "k", Name: "Ba\u0301o ca\u0301o.pdf"}, t0); err != nil || p.Evidence[0].Name != "Báo cáo.pdf" {
		t.Fatalf("attach kept %+v, %v", p.Evidence, err)
	}
}
