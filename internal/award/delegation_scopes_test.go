package award

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// The people of the secretary's and the văn thư's delegations: the secretary and the
// văn thư of the office (vp), another office staff member, a staff member of another
// unit, the chair.
var (
	dSec      = DelegationParty{ID: "thuky", Name: "Huỳnh Thị Mỹ Linh", Department: "vp", Roles: []Role{RoleSecretary, RoleStaff}, Active: true}
	dClerk    = DelegationParty{ID: "vanthu", Name: "Phan Thị Thanh Thuý", Department: "vp", Roles: []Role{RoleClerk}, Active: true}
	dOffice   = DelegationParty{ID: "vanphong", Name: "Đỗ Thị Ánh Nguyệt", Department: "vp", Roles: []Role{RoleStaff}, Active: true}
	dElsewher = DelegationParty{ID: "kh", Name: "Võ Thành Đạt", Department: "tt", Roles: []Role{RoleStaff}, Active: true}
)

// Every scope × every role of the delegator: a person may delegate a scope only when
// they hold its tasks by their own role; votes, the chair's close and signing are never
// a scope.
func TestDelegationScopeByRole(t *testing.T) {
	holder := map[DelegationScope]Role{DelegationReview: RoleHead, DelegationSecretary: RoleSecretary, DelegationClerk: RoleClerk}
	for _, scope := range append(slices.Clone(DelegationScopes), "vote", "close", "sign") {
		for _, role := range Roles {
			t.Run(fmt.Sprintf("%s/%s", scope, role), func(t *testing.T) {
				from := DelegationParty{ID: "from", Name: "Người ủy quyền", Department: "vp", Roles: []Role{role}, Active: true}
				to := DelegationParty{ID: "to", Name: "Người nhận", Department: "vp", Roles: []Role{RoleStaff}, Active: true}
				d := Delegation{FromID: "from", ToID: "to", Scope: scope, Start: dToday, End: dToday.AddDays(4), Reason: "Nghỉ phép"}
				_, err := CheckDelegation(DelegationFacts{From: from, To: to}, Actor{ID: "from", Roles: []Role{role}}, d, dToday)
				want := holder[scope] == role
				if (err == nil) != want {
					t.Fatalf("err=%v, want allowed=%v", err, want)
				}
				if !want && !slices.Contains(DelegationScopes, scope) && codeOf(err) != CodeInvalid {
					t.Fatalf("a non-delegable scope: %v, want invalid", err)
				}
				if !want && slices.Contains(DelegationScopes, scope) && (codeOf(err) != CodeForbidden || !strings.Contains(err.Error(), "ủy quyền tiếp")) {
					t.Fatalf("a role without the scope's tasks: %v, want forbidden", err)
				}
				if want && !slices.Contains(ScopesHeld(from, nil), scope) {
					t.Fatalf("ScopesHeld(%s) = %v lacks %s", role, ScopesHeld(from, nil), scope)
				}
			})
		}
	}
}

// Every scope is named and explained by the server (the pages keep no code-to-words
// table), in Vietnamese, and no two scopes read alike.
func TestDelegationScopeWords(t *testing.T) {
	seen := map[string]DelegationScope{}
	for _, sc := range DelegationScopes {
		label, hint := sc.LabelVI(), sc.HintVI()
		if label == "" || label == string(sc) || hint == "" || !strings.Contains(hint, "người nhận") {
			t.Errorf("%s: label %q, hint %q: want words, and the hint to say who may receive it", sc, label, hint)
		}
		for _, w := range []string{label, hint} {
			if other, dup := seen[w]; dup {
				t.Errorf("%s reads like %s: %q", sc, other, w)
			}
			seen[w] = sc
		}
	}
	if DelegationScope("vote").HintVI() != "" {
		t.Error("a scope that does not exist has a hint")
	}
}

// delegationCase is one case of TestCheckDelegationSecretaryClerk: the delegate, an edit
// of the delegation, the delegations already recorded, who records it, and the expected
// refusal (code and a phrase of its message; no code: accepted).
type delegationCase struct {
	name  string
	to    DelegationParty
	edit  func(d *Delegation)
	exist []Delegation
	actor *Actor
	code  Code
	text  string
}

// The rules of the secretary's and the văn thư's delegations: to whom, periods,
// overlaps, chains, Unicode reasons.
func TestCheckDelegationSecretaryClerk(t *testing.T) {
	live := func(from, to DelegationParty, scope DelegationScope, start, end Date) Delegation {
		return Delegation{ID: "d0", FromID: from.ID, FromName: from.Name, ToID: to.ID, ToName: to.Name, Scope: scope, Start: start, End: end, Reason: "x"}
	}
	chairVP := DelegationParty{ID: "chair", Name: "Nguyễn Văn Hùng", Department: "vp", Roles: []Role{RoleChair}, Active: true}
	for _, scope := range []DelegationScope{DelegationSecretary, DelegationClerk} {
		from := dSec
		if scope == DelegationClerk {
			from = dClerk
		}
		cases := []delegationCase{
			{name: "to a staff member of the office", to: dOffice},
			{name: "a Vietnamese reason in decomposed form", to: dOffice, edit: func(d *Delegation) { d.Reason = "Nghi\u0309 phe\u0301p nam 2026 — đi công tác Hà Nội" }},
			{name: "an admin records it", to: dOffice, actor: &Actor{ID: "admin", Roles: []Role{RoleAdmin}}},
			{name: "a stranger records it", to: dOffice, actor: &Actor{ID: "kh", Roles: []Role{RoleStaff}}, code: CodeForbidden},
			{name: "the delegate records it", to: dOffice, actor: &Actor{ID: "vanphong", Roles: []Role{RoleStaff}}, code: CodeForbidden},
			{name: "to oneself", to: from, code: CodeInvalid, text: "chính mình"},
			{name: "to an inactive person", to: DelegationParty{ID: "gone", Name: "Đã nghỉ", Department: "vp"}, code: CodeInvalid, text: "đã nghỉ"},
			{name: "ends before it starts", to: dOffice, edit: func(d *Delegation) { d.End = d.Start.AddDays(-1) }, code: CodeInvalid},
			{name: "starts in the past", to: dOffice, edit: func(d *Delegation) { d.Start = dToday.AddDays(-1) }, code: CodeInvalid, text: "đã qua"},
			{name: "too long", to: dOffice, edit: func(d *Delegation) { d.End = d.Start.AddDays(90) }, code: CodeInvalid, text: "tối đa"},
			{name: "no reason", to: dOffice, edit: func(d *Delegation) { d.Reason = "\u00a0 \t" }, code: CodeInvalid},
			{name: "a reason with a bidi override", to: dOffice, edit: func(d *Delegation) { d.Reason = "Nghỉ \u202ephép" }, code: CodeInvalid},
			{name: "overlaps a live one of the same scope", to: dOffice, exist: []Delegation{live(from, dElsewher, scope, dToday.AddDays(3), dToday.AddDays(9))}, code: CodeDuplicate},
			{name: "a live one of another scope does not count", to: dOffice, exist: []Delegation{live(from, dElsewher, DelegationReview, dToday, dToday.AddDays(9))}},
			{name: "the delegate is away for the same scope", to: dOffice, exist: []Delegation{live(dOffice, dElsewher, scope, dToday, dToday.AddDays(1))}, code: CodeInvalid, text: "cũng vắng"},
			{name: "no chains", to: dOffice, exist: []Delegation{live(dElsewher, from, scope, dToday, dToday.AddDays(9))}, code: CodeInvalid, text: "không được ủy quyền tiếp"},
		}
		if scope == DelegationSecretary {
			cases = append(cases,
				delegationCase{name: "to a person of another unit", to: dElsewher},
				delegationCase{name: "to the chair", to: chairVP, code: CodeInvalid, text: "Chủ tịch"})
		} else {
			cases = append(cases, delegationCase{name: "to a person of another unit", to: dElsewher, code: CodeInvalid, text: "văn phòng"})
		}
		for _, c := range cases {
			t.Run(string(scope)+"/"+c.name, func(t *testing.T) {
				d := Delegation{ID: "d1", FromID: from.ID, ToID: c.to.ID, Scope: scope, Start: dToday, End: dToday.AddDays(13), Reason: "Nghỉ phép năm"}
				if c.edit != nil {
					c.edit(&d)
				}
				a := actorOf(from)
				if c.actor != nil {
					a = *c.actor
				}
				got, err := CheckDelegation(DelegationFacts{From: from, To: c.to, Existing: c.exist}, a, d, dToday)
				if c.code == "" {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					if got.FromName != from.Name || got.ToName != c.to.Name || strings.TrimSpace(got.Reason) == "" {
						t.Fatalf("cleaned: %+v", got)
					}
					return
				}
				if codeOf(err) != c.code || (c.text != "" && !strings.Contains(err.Error(), c.text)) {
					t.Fatalf("got %v, want %s saying %q", err, c.code, c.text)
				}
			})
		}
	}
}

// ActsAs: the role itself, or a mandate of the role's scope; never a mandate of another
// scope, never for roles whose tasks are not delegable, never a mandate for oneself.
func TestActsAs(t *testing.T) {
	sec := Mandate{DelegationID: "d1", ForID: "thuky", ForName: dSec.Name, Scope: DelegationSecretary}
	clerk := Mandate{DelegationID: "d2", ForID: "vanthu", ForName: dClerk.Name, Scope: DelegationClerk}
	review := Mandate{DelegationID: "d3", ForID: "head", ForName: dHead.Name, Scope: DelegationReview}
	for _, c := range []struct {
		name   string
		a      Actor
		role   Role
		ok     bool
		forWho string
	}{
		{"the secretary", actorOf(dSec), RoleSecretary, true, ""},
		{"the clerk", actorOf(dClerk), RoleClerk, true, ""},
		{"staff", actorOf(dOffice), RoleSecretary, false, ""},
		{"a secretary's delegate", Actor{ID: "vanphong", Acting: []Mandate{sec}}, RoleSecretary, true, "thuky"},
		{"a secretary's delegate is no clerk", Actor{ID: "vanphong", Acting: []Mandate{sec}}, RoleClerk, false, ""},
		{"a clerk's delegate", Actor{ID: "vanphong", Acting: []Mandate{clerk}}, RoleClerk, true, "vanthu"},
		{"a review delegate is no secretary", Actor{ID: "vanphong", Acting: []Mandate{review}}, RoleSecretary, false, ""},
		{"a mandate for oneself", Actor{ID: "thuky", Acting: []Mandate{sec}}, RoleSecretary, false, ""},
		{"a mandate with no one", Actor{ID: "x", Acting: []Mandate{{Scope: DelegationSecretary}}}, RoleSecretary, false, ""},
		{"the chair's role is not delegable", Actor{ID: "x", Acting: []Mandate{{ForID: "chair", Scope: "close"}}}, RoleChair, false, ""},
		{"a holder with a mandate acts in their own right", Actor{ID: "vanthu2", Roles: []Role{RoleClerk}, Acting: []Mandate{clerk}}, RoleClerk, true, ""},
	} {
		m, ok := c.a.ActsAs(c.role)
		if ok != c.ok || m.ForID != c.forWho {
			t.Errorf("%s: ActsAs(%s) = %+v, %v", c.name, c.role, m, ok)
		}
	}
	// Reading follows: a secretary's delegate reads what the council reads.
	d := Actor{ID: "vanphong", Acting: []Mandate{sec}}
	if CanSeeSessions(d) != nil || CanOpenSession(d) != nil || CanPost(d) != nil || CanExport(d) != nil || CanSeeReminders(d) != nil {
		t.Error("a secretary's delegate cannot do the secretary's work")
	}
	if CanIssue(d) == nil || CanRecordUpwardResult(d) == nil {
		t.Error("a secretary's delegate does the văn thư's work")
	}
	c := Actor{ID: "vanphong", Acting: []Mandate{clerk}}
	if CanIssue(c) != nil || CanRecordUpwardResult(c) != nil || CanSeeSessions(c) != nil || CanSeeStatistics(c) != nil {
		t.Error("a clerk's delegate cannot do the văn thư's work")
	}
	if CanOpenSession(c) == nil || CanPost(c) == nil {
		t.Error("a clerk's delegate does the secretary's work")
	}
}

// LiveMandates: only delegations to the person, live on the day, whose delegator is
// active and still holds the scope's role.
func TestLiveMandates(t *testing.T) {
	dir := map[string]DelegationParty{"thuky": dSec, "vanthu": dClerk, "head": dHead, "vanphong": dOffice}
	party := func(id string) DelegationParty { return dir[id] }
	mk := func(id, from string, scope DelegationScope, start, end Date) Delegation {
		return Delegation{ID: id, FromID: from, FromName: dir[from].Name, ToID: "vanphong", Scope: scope, Start: start, End: end}
	}
	withdrawn := mk("w", "thuky", DelegationSecretary, dToday, dToday.AddDays(3))
	withdrawn.WithdrawnAt = time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	other := mk("o", "thuky", DelegationSecretary, dToday, dToday)
	other.ToID = "kh"
	ds := []Delegation{
		mk("sec", "thuky", DelegationSecretary, dToday, dToday.AddDays(3)),
		mk("clerk", "vanthu", DelegationClerk, dToday.AddDays(-3), dToday),
		mk("future", "head", DelegationReview, dToday.AddDays(1), dToday.AddDays(3)),
		mk("ended", "head", DelegationReview, dToday.AddDays(-5), dToday.AddDays(-1)),
		mk("lost", "head", DelegationClerk, dToday, dToday), // the head holds no văn thư role
		mk("unknown", "ghost", DelegationSecretary, dToday, dToday),
		withdrawn, other,
	}
	var got []string
	for _, m := range LiveMandates("vanphong", ds, dToday, party, nil) {
		got = append(got, m.DelegationID)
	}
	if !slices.Equal(got, []string{"sec", "clerk"}) {
		t.Fatalf("live mandates %v, want sec and clerk", got)
	}
	// The secretary loses the role: the mandate stops with it.
	lost := dSec
	lost.Roles = []Role{RoleStaff}
	dir["thuky"] = lost
	if ms := LiveMandates("vanphong", ds, dToday, party, nil); len(ms) != 1 || ms[0].DelegationID != "clerk" {
		t.Fatalf("after the secretary lost the role: %+v", ms)
	}
	// The day after the clerk's delegation ends.
	if ms := LiveMandates("vanphong", ds, dToday.AddDays(1), party, nil); len(ms) != 1 || ms[0].DelegationID != "future" {
		t.Fatalf("tomorrow: %+v", ms)
	}
}

// A delegate of the văn thư issues a signed document, the history and the issued record
// say for whom; one who signed it may not number it; a delegate of the secretary revises
// and abandons drafts sent back, recorded on behalf; without a mandate both are refused.
func TestSecretaryClerkByDelegate(t *testing.T) {
	now := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	clerkDeputy := Actor{ID: "vanphong", Name: dOffice.Name, Roles: []Role{RoleStaff},
		Acting: []Mandate{{DelegationID: "d2", ForID: lcClerk.ID, ForName: lcClerk.Name, Scope: DelegationClerk}}}
	secDeputy := Actor{ID: "vanphong", Name: dOffice.Name, Roles: []Role{RoleStaff},
		Acting: []Mandate{{DelegationID: "d1", ForID: lcSec.ID, ForName: lcSec.Name, Scope: DelegationSecretary}}}
	t.Run("issue for the văn thư", func(t *testing.T) {
		s := lcSession(now)
		if err := s.Approve(lcHead, "s1.LDTT", DocumentRef{ID: "s1.LDTT", Key: "signed/1"}, now); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckIssue(secDeputy, "s1.LDTT"); code(err) != CodeForbidden {
			t.Fatalf("a secretary's delegate issued: %v", err)
		}
		ref := DecisionRef{DocumentRef: DocumentRef{ID: "s1.LDTT", NumberText: "Số 05-QĐ/BTGTU"}, Number: 5}
		if err := s.Issue(clerkDeputy, "s1.LDTT", ref, now); err != nil {
			t.Fatal(err)
		}
		d, _ := s.Document("s1.LDTT")
		e := d.History[len(d.History)-1]
		if e.ActorID != "vanphong" || e.OnBehalfOfID != lcClerk.ID || e.OnBehalfOf != lcClerk.Name {
			t.Fatalf("history %+v: want the delegate for the văn thư", e)
		}
		if got := s.Decisions[0]; got.IssuedByID != "vanphong" || got.OnBehalfOfID != lcClerk.ID || got.OnBehalfOf != lcClerk.Name {
			t.Fatalf("issued record %+v", got)
		}
	})
	t.Run("the clerk's own issue names no one", func(t *testing.T) {
		s := lcSession(now)
		_ = s.Approve(lcHead, "s1.LDTT", DocumentRef{ID: "s1.LDTT"}, now)
		if err := s.Issue(lcClerk, "s1.LDTT", DecisionRef{Number: 1}, now); err != nil {
			t.Fatal(err)
		}
		if got := s.Decisions[0]; got.IssuedByID != lcClerk.ID || got.OnBehalfOfID != "" {
			t.Fatalf("issued record %+v", got)
		}
	})
	t.Run("the signer never numbers what they signed", func(t *testing.T) {
		s := lcSession(now)
		_ = s.Approve(lcHead, "s1.LDTT", DocumentRef{ID: "s1.LDTT"}, now)
		signer := lcHead
		signer.Acting = clerkDeputy.Acting
		if err := s.CheckIssue(signer, "s1.LDTT"); code(err) != CodeForbidden || !strings.Contains(err.Error(), "hai người") {
			t.Fatalf("the signer numbered their own decision for the văn thư: %v", err)
		}
	})
	t.Run("revise and abandon for the secretary", func(t *testing.T) {
		s := lcSession(now)
		_ = s.SendBack(lcHead, "s1.LDTT", "Bỏ p2", now)
		if err := s.CheckRevise(clerkDeputy, "s1.LDTT", []string{"p2"}, "x"); code(err) != CodeForbidden {
			t.Fatalf("a clerk's delegate revised: %v", err)
		}
		if err := s.Revise(secDeputy, "s1.LDTT", []string{"p2"}, "Theo ý kiến Trưởng Ban", DocumentRef{Key: "r2"}, now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		d, _ := s.Document("s1.LDTT")
		if e := d.History[len(d.History)-1]; e.OnBehalfOfID != lcSec.ID {
			t.Fatalf("history %+v", e)
		}
		_ = s.SendBack(lcHead, "s1.LDTT", "Không khen", now)
		if err := s.Abandon(secDeputy, "s1.LDTT", "Theo chỉ đạo", now); err != nil {
			t.Fatal(err)
		}
		if e := d.History[len(d.History)-1]; e.Action != DocActionAbandon || e.OnBehalfOf != lcSec.Name {
			t.Fatalf("history %+v", e)
		}
	})
	t.Run("an ended or withdrawn mandate (none in the command)", func(t *testing.T) {
		s := lcSession(now)
		_ = s.Approve(lcHead, "s1.LDTT", DocumentRef{ID: "s1.LDTT"}, now)
		bare := Actor{ID: "vanphong", Roles: []Role{RoleStaff}}
		if err := s.CheckIssue(bare, "s1.LDTT"); code(err) != CodeForbidden {
			t.Fatalf("issued with no mandate: %v", err)
		}
	})
}

// An overdue review escalated to the agency head is theirs to decide too (unless they
// are concerned), and still the delegate's of the head it waits on.
func TestEscalatedReview(t *testing.T) {
	staff := actorOf(dStaff)
	deputy := actorOf(dDeputy)
	deputy.Acting = []Mandate{{DelegationID: "d1", ForID: "head", ForName: dHead.Name, Scope: DelegationReview}}
	chair := actorOf(dChair)
	submitted := func(t *testing.T, nominee string) *Proposal {
		t.Helper()
		d := Draft{AwardType: "X", MovementID: "m", Kind: KindIndividual, NomineeName: "n", NomineeID: nominee, Department: "tt"}
		p, err := NewProposal("p", d, staff, "rs", t0)
		if err != nil {
			t.Fatal(err)
		}
		p.SetReviewers([]string{"head"}, []string{"chair"})
		if err := p.Submit(staff, nil, t0); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := submitted(t, "staff")
	if err := p.CheckReview(chair, HeadEndorse, ""); code(err) != CodeForbidden {
		t.Fatalf("the chair reviewed before the escalation: %v", err)
	}
	if !p.MarkOverdue(t0, 7, "chair", "staff", "chair") {
		t.Fatal("not marked overdue")
	}
	if !slices.Equal(p.EscalatedTo, []string{"chair"}) {
		t.Fatalf("escalated to %v: the proposer is concerned and left out", p.EscalatedTo)
	}
	if err := p.CheckReview(staff, HeadEndorse, ""); code(err) != CodeForbidden {
		t.Fatalf("the proposer reviewed: %v", err)
	}
	if err := p.CheckReview(deputy, HeadEndorse, ""); err != nil {
		t.Fatalf("the head's delegate on an escalated review: %v", err)
	}
	if err := p.Review(chair, HeadReturn, "Bổ sung minh chứng", t0); err != nil {
		t.Fatalf("the person it escalated to: %v", err)
	}
	if p.Overdue || p.Stage != StageReturned {
		t.Fatalf("after the review: %+v", p)
	}
	if err := p.CheckReview(chair, HeadEndorse, ""); code(err) != CodeForbidden && code(err) != CodeWrongStage {
		t.Fatalf("reviewed twice: %v", err)
	}
}
