package award

import (
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	dHead   = DelegationParty{ID: "head", Name: "Phạm Minh Tâm", Department: "tt", Roles: []Role{RoleHead, RoleMember}, Active: true}
	dDeputy = DelegationParty{ID: "deputy", Name: "Lê Văn Phó", Department: "tt", Roles: []Role{RoleStaff}, Active: true}
	dStaff  = DelegationParty{ID: "staff", Name: "Nguyễn Thị Hồng Đào", Department: "tt", Roles: []Role{RoleStaff}, Active: true}
	dOther  = DelegationParty{ID: "other", Name: "Trần Quốc Bảo", Department: "vp", Roles: []Role{RoleStaff}, Active: true}
	dChair  = DelegationParty{ID: "chair", Name: "Nguyễn Văn Hùng", Department: "ld", Roles: []Role{RoleChair}, Active: true}
	dVice   = DelegationParty{ID: "vice", Name: "Lê Thị Thu Hà", Department: "ld", Roles: []Role{RoleMember}, Active: true}
	dToday  = NewDate(2026, 12, 1)
)

func actorOf(p DelegationParty) Actor {
	return Actor{ID: p.ID, Name: p.Name, Department: p.Department, Roles: p.Roles}
}

func delegation(from, to DelegationParty, start, end Date) Delegation {
	return Delegation{ID: "d1", FromID: from.ID, ToID: to.ID, Scope: DelegationReview, Start: start, End: end, Reason: "Nghỉ phép năm"}
}

// Every rule of CheckDelegation, the accepted ones and each refusal with its code.
func TestCheckDelegation(t *testing.T) {
	admin := Actor{ID: "admin", Department: "vp", Roles: []Role{RoleAdmin}}
	ok := delegation(dHead, dDeputy, dToday, dToday.AddDays(13))
	live := func(from, to DelegationParty, start, end Date) Delegation {
		d := delegation(from, to, start, end)
		d.ID, d.FromName, d.ToName = "d0", from.Name, to.Name
		return d
	}
	cases := []struct {
		name  string
		actor Actor
		facts func(f *DelegationFacts)
		edit  func(d *Delegation)
		code  Code // "" when accepted
		text  string
	}{
		{name: "a head to their deputy", actor: actorOf(dHead)},
		{name: "an admin records it for the head", actor: admin},
		{name: "a one-day delegation starting today", actor: actorOf(dHead), edit: func(d *Delegation) { d.End = d.Start }},
		{name: "starting in the future", actor: actorOf(dHead), edit: func(d *Delegation) { d.Start, d.End = dToday.AddDays(30), dToday.AddDays(40) }},
		{name: "exactly the maximum period", actor: actorOf(dHead), edit: func(d *Delegation) { d.End = d.Start.AddDays(89) }},
		{name: "a reviewer of heads' proposals to a deputy of their unit", actor: actorOf(dChair),
			facts: func(f *DelegationFacts) { f.From, f.To = dChair, dVice },
			edit:  func(d *Delegation) { d.FromID, d.ToID = "chair", "vice" }},
		{name: "after a withdrawn overlapping one", actor: actorOf(dHead), facts: func(f *DelegationFacts) {
			o := live(dHead, dStaff, dToday, dToday.AddDays(5))
			o.WithdrawnAt = time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
			f.Existing = []Delegation{o}
		}},
		{name: "after an ended one", actor: actorOf(dHead), facts: func(f *DelegationFacts) {
			f.Existing = []Delegation{live(dHead, dStaff, dToday.AddDays(-10), dToday.AddDays(-1))}
		}},
		{name: "back to back with an earlier one", actor: actorOf(dHead), edit: func(d *Delegation) { d.Start = dToday.AddDays(6) },
			facts: func(f *DelegationFacts) { f.Existing = []Delegation{live(dHead, dStaff, dToday, dToday.AddDays(5))} }},

		{name: "someone else records it", actor: actorOf(dStaff), code: CodeForbidden, text: "người ủy quyền"},
		{name: "the delegate records it", actor: actorOf(dDeputy), code: CodeForbidden},
		{name: "a staff member has no review to delegate", actor: actorOf(dStaff), code: CodeForbidden, text: "không giữ việc xác nhận",
			facts: func(f *DelegationFacts) { f.From = dStaff }, edit: func(d *Delegation) { d.FromID, d.ToID = "staff", "deputy" }},
		{name: "a council member's vote is not delegable", actor: actorOf(dVice), code: CodeForbidden,
			facts: func(f *DelegationFacts) { f.From, f.To = dVice, dChair }, edit: func(d *Delegation) { d.FromID, d.ToID = "vice", "chair" }},
		{name: "to oneself", actor: actorOf(dHead), code: CodeInvalid, text: "chính mình",
			facts: func(f *DelegationFacts) { f.To = dHead }, edit: func(d *Delegation) { d.ToID = "head" }},
		{name: "to an inactive person", actor: actorOf(dHead), code: CodeInvalid, text: "đã nghỉ",
			facts: func(f *DelegationFacts) { f.To.Active = false }},
		{name: "from an unknown person", actor: admin, code: CodeInvalid,
			facts: func(f *DelegationFacts) { f.From.Active = false }},
		{name: "to another unit", actor: actorOf(dHead), code: CodeInvalid, text: "cùng đơn vị",
			facts: func(f *DelegationFacts) { f.To = dOther }, edit: func(d *Delegation) { d.ToID = "other" }},
		{name: "an unknown scope (votes)", actor: actorOf(dHead), code: CodeInvalid, text: "phiếu bầu",
			edit: func(d *Delegation) { d.Scope = "vote" }},
		{name: "the signing of decisions", actor: actorOf(dHead), code: CodeInvalid, text: "ký quyết định",
			edit: func(d *Delegation) { d.Scope = "sign" }},
		{name: "no first day", actor: actorOf(dHead), code: CodeInvalid, edit: func(d *Delegation) { d.Start = Date{} }},
		{name: "no last day", actor: actorOf(dHead), code: CodeInvalid, edit: func(d *Delegation) { d.End = Date{} }},
		{name: "ends before it starts", actor: actorOf(dHead), code: CodeInvalid, text: "trước ngày bắt đầu",
			edit: func(d *Delegation) { d.Start, d.End = dToday.AddDays(3), dToday.AddDays(2) }},
		{name: "starts in the past", actor: actorOf(dHead), code: CodeInvalid, text: "đã qua",
			edit: func(d *Delegation) { d.Start = dToday.AddDays(-1) }},
		{name: "longer than the maximum", actor: actorOf(dHead), code: CodeInvalid, text: "tối đa 90 ngày",
			edit: func(d *Delegation) { d.End = d.Start.AddDays(90) }},
		{name: "longer than a configured maximum", actor: actorOf(dHead), code: CodeInvalid, text: "tối đa 10 ngày",
			facts: func(f *DelegationFacts) { f.MaxDays = 10 }},
		{name: "no reason", actor: actorOf(dHead), code: CodeInvalid, text: "lý do", edit: func(d *Delegation) { d.Reason = "  " }},
		{name: "a reason with control characters", actor: actorOf(dHead), code: CodeInvalid, edit: func(d *Delegation) { d.Reason = "Nghỉ\x00phép" }},
		{name: "overlaps a live delegation of the same person", actor: actorOf(dHead), code: CodeDuplicate, text: "thu hồi",
			facts: func(f *DelegationFacts) {
				f.Existing = []Delegation{live(dHead, dStaff, dToday.AddDays(13), dToday.AddDays(20))}
			}},
		{name: "overlaps a future delegation of the same person", actor: actorOf(dHead), code: CodeDuplicate,
			facts: func(f *DelegationFacts) {
				f.Existing = []Delegation{live(dHead, dDeputy, dToday.AddDays(2), dToday.AddDays(3))}
			}},
		{name: "the delegate is away too", actor: actorOf(dChair), code: CodeInvalid, text: "cũng vắng",
			facts: func(f *DelegationFacts) {
				f.From, f.To = dChair, dVice
				f.HeadReviewers = []string{"chair", "vice"}
				f.Existing = []Delegation{live(dVice, dChair, dToday, dToday.AddDays(2))}
			},
			edit: func(d *Delegation) { d.FromID, d.ToID = "chair", "vice" }},
		{name: "no chains: a head acting for another passes it on", actor: actorOf(dChair), code: CodeInvalid, text: "không được ủy quyền tiếp",
			facts: func(f *DelegationFacts) {
				f.From, f.To = dChair, dVice
				f.HeadReviewers = []string{"chair", "vice"}
				f.Existing = []Delegation{live(dOther, dChair, dToday, dToday.AddDays(20))}
			},
			edit: func(d *Delegation) {
				d.FromID, d.ToID, d.Start, d.End = "chair", "vice", dToday.AddDays(5), dToday.AddDays(10)
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := DelegationFacts{From: dHead, To: dDeputy, HeadReviewers: []string{"chair"}}
			if c.facts != nil {
				c.facts(&f)
			}
			d := ok
			if c.edit != nil {
				c.edit(&d)
			}
			got, err := CheckDelegation(f, c.actor, d, dToday)
			if c.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if got.FromName != f.From.Name || got.ToName != f.To.Name {
					t.Fatalf("names not taken from the directory: %+v", got)
				}
				return
			}
			if codeOf(err) != c.code {
				t.Fatalf("got %v, want code %s", err, c.code)
			}
			if c.text != "" && !strings.Contains(err.Error(), c.text) {
				t.Fatalf("got %q, want it to say %q", err, c.text)
			}
		})
	}
}

// The "no chains" rule in the chain case above is only reached when the period overlaps;
// outside it, a head who held a delegation earlier may delegate their own review.
func TestDelegationLiveOnAndOverlaps(t *testing.T) {
	d := delegation(dHead, dDeputy, NewDate(2026, 12, 3), NewDate(2026, 12, 5))
	for day, want := range map[int]bool{2: false, 3: true, 4: true, 5: true, 6: false} {
		if got := d.LiveOn(NewDate(2026, 12, day)); got != want {
			t.Errorf("LiveOn(%d Dec) = %v", day, got)
		}
	}
	w := d
	w.WithdrawnAt = time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC)
	if w.LiveOn(NewDate(2026, 12, 4)) || !w.Ended(NewDate(2026, 12, 4)) {
		t.Errorf("a withdrawn delegation is live")
	}
	for _, c := range []struct {
		s, e int
		want bool
	}{{1, 2, false}, {1, 3, true}, {4, 4, true}, {5, 9, true}, {6, 9, false}, {1, 9, true}} {
		o := delegation(dHead, dDeputy, NewDate(2026, 12, c.s), NewDate(2026, 12, c.e))
		if d.Overlaps(o) != c.want || o.Overlaps(d) != c.want {
			t.Errorf("overlap of 3–5 with %d–%d: want %v", c.s, c.e, c.want)
		}
	}
}

func TestCheckWithdrawDelegation(t *testing.T) {
	d := delegation(dHead, dDeputy, dToday, dToday.AddDays(5))
	d.CreatedBy = "head"
	admin := Actor{ID: "admin", Roles: []Role{RoleAdmin}}
	for _, a := range []Actor{actorOf(dHead), actorOf(dDeputy), admin} {
		if err := CheckWithdrawDelegation(a, d, dToday); err != nil {
			t.Errorf("%s may withdraw: %v", a.ID, err)
		}
	}
	if err := CheckWithdrawDelegation(actorOf(dStaff), d, dToday); codeOf(err) != CodeForbidden {
		t.Errorf("a stranger withdrew: %v", err)
	}
	if err := CheckWithdrawDelegation(actorOf(dHead), d, dToday.AddDays(6)); codeOf(err) != CodeWrongStage || !strings.Contains(err.Error(), "hết hạn") {
		t.Errorf("an ended delegation withdrawn: %v", err)
	}
	w := d
	w.WithdrawnAt = time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	if err := CheckWithdrawDelegation(actorOf(dHead), w, dToday); codeOf(err) != CodeWrongStage {
		t.Errorf("withdrawn twice: %v", err)
	}
	if !CanSeeDelegation(actorOf(dHead), d) || !CanSeeDelegation(actorOf(dDeputy), d) || !CanSeeDelegation(admin, d) || CanSeeDelegation(actorOf(dStaff), d) {
		t.Errorf("who sees a delegation")
	}
}

// A delegate reviews for the head under a live mandate, the history says on whose behalf,
// and the conflict-of-interest rule applies to both people: a delegate who filed the
// proposal or is its nominee is refused, whatever mandate they carry.
func TestReviewByDelegate(t *testing.T) {
	head := actorOf(dHead)
	mandate := Mandate{DelegationID: "d1", ForID: "head", ForName: dHead.Name, Scope: DelegationReview}
	deputy := actorOf(dDeputy)
	deputy.Acting = []Mandate{mandate}
	staff := actorOf(dStaff)
	submitted := func(t *testing.T, proposer Actor, nominee string) *Proposal {
		t.Helper()
		d := Draft{AwardType: "X", MovementID: "m", Kind: KindIndividual, NomineeName: "n", NomineeID: nominee, Department: "tt"}
		p, err := NewProposal("p", d, proposer, "rs", t0)
		if err != nil {
			t.Fatal(err)
		}
		p.SetReviewers([]string{"head"}, []string{"chair"})
		if err := p.Submit(proposer, nil, t0); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("acts for the head", func(t *testing.T) {
		p := submitted(t, staff, "staff")
		if !p.CanView(deputy) {
			t.Fatal("the delegate cannot open the proposal")
		}
		if err := p.Review(deputy, HeadEndorse, "", t0); err != nil {
			t.Fatal(err)
		}
		e := p.History[len(p.History)-1]
		if e.ActorID != "deputy" || e.OnBehalfOfID != "head" || e.OnBehalfOf != dHead.Name {
			t.Fatalf("history %+v: want the deputy on behalf of the head", e)
		}
	})
	t.Run("the head's own review records no one", func(t *testing.T) {
		p := submitted(t, staff, "staff")
		if err := p.Review(head, HeadReturn, "Bổ sung minh chứng", t0); err != nil {
			t.Fatal(err)
		}
		if e := p.History[len(p.History)-1]; e.OnBehalfOfID != "" {
			t.Fatalf("history %+v", e)
		}
	})
	t.Run("a delegate who is the nominee", func(t *testing.T) {
		p := submitted(t, staff, "deputy")
		if err := p.CheckReview(deputy, HeadEndorse, ""); codeOf(err) != CodeForbidden {
			t.Fatalf("the nominee reviewed their own proposal for the head: %v", err)
		}
	})
	t.Run("a delegate who filed it", func(t *testing.T) {
		p := submitted(t, deputy, "staff")
		if err := p.CheckReview(deputy, HeadEndorse, ""); codeOf(err) != CodeForbidden {
			t.Fatalf("the proposer reviewed their own proposal for the head: %v", err)
		}
	})
	t.Run("the head is concerned: the delegate of the head is not a reviewer", func(t *testing.T) {
		p := submitted(t, staff, "head") // goes to the head reviewers, not the head
		if err := p.CheckReview(deputy, HeadEndorse, ""); codeOf(err) != CodeForbidden || !strings.Contains(err.Error(), "ủy quyền") {
			t.Fatalf("the head's delegate reviewed the head's own proposal: %v", err)
		}
		if p.CanView(deputy) {
			t.Fatal("the head's delegate sees a proposal the head does not review")
		}
	})
	t.Run("no mandate (ended or withdrawn)", func(t *testing.T) {
		p := submitted(t, staff, "staff")
		if err := p.CheckReview(actorOf(dDeputy), HeadEndorse, ""); codeOf(err) != CodeForbidden {
			t.Fatalf("reviewed without a mandate: %v", err)
		}
	})
	t.Run("a mandate of someone who is not a reviewer", func(t *testing.T) {
		p := submitted(t, staff, "staff")
		a := actorOf(dDeputy)
		a.Acting = []Mandate{{DelegationID: "d2", ForID: "chair", ForName: dChair.Name, Scope: DelegationReview}}
		if err := p.CheckReview(a, HeadEndorse, ""); codeOf(err) != CodeForbidden {
			t.Fatalf("reviewed for a non-reviewer: %v", err)
		}
	})
	t.Run("a mandate of another scope", func(t *testing.T) {
		p := submitted(t, staff, "staff")
		a := actorOf(dDeputy)
		a.Acting = []Mandate{{DelegationID: "d2", ForID: "head", Scope: "vote"}}
		if err := p.CheckReview(a, HeadEndorse, ""); codeOf(err) != CodeForbidden {
			t.Fatalf("reviewed under another scope: %v", err)
		}
	})
	t.Run("a legacy proposal takes no delegation", func(t *testing.T) {
		d := Draft{AwardType: "X", MovementID: "m", Kind: KindIndividual, NomineeName: "n", Department: "tt"}
		p, _ := NewLegacyProposal("p", d, staff, "rs", t0)
		if err := p.Submit(staff, nil, t0); err != nil {
			t.Fatal(err)
		}
		if err := p.CheckReview(deputy, HeadEndorse, ""); codeOf(err) != CodeForbidden {
			t.Fatalf("a delegate reviewed a legacy proposal: %v", err)
		}
	})
	if got := deputy.ActingFor(DelegationReview); !slices.Equal(got, []string{"head"}) {
		t.Fatalf("ActingFor %v", got)
	}
}
