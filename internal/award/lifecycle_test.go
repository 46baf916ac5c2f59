package award

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var (
	lcHead   = Actor{ID: "truongban", Name: "Nguyễn Văn Hùng", Roles: []Role{RoleChair}}
	lcDeputy = Actor{ID: "phoban", Name: "Lê Thị Thu Hà", Roles: []Role{RoleMember}}
	lcSec    = Actor{ID: "thuky", Name: "Huỳnh Thị Mỹ Linh", Roles: []Role{RoleSecretary, RoleMember, RoleStaff}}
	lcClerk  = Actor{ID: "vanthu", Name: "Phan Thị Thanh Thuý", Roles: []Role{RoleClerk}}
	lcStaff  = Actor{ID: "hongdao", Name: "Nguyễn Thị Hồng Đào", Roles: []Role{RoleStaff}}
	lcAdmin  = Actor{ID: "quantri", Name: "Quản trị", Roles: []Role{RoleAdmin}}
	lcActors = []Actor{lcHead, lcDeputy, lcSec, lcClerk, lcStaff, lcAdmin}
)

func lcSession(now time.Time) *Session {
	head := SignerRef{ID: lcHead.ID, Name: lcHead.Name, Title: "TRƯỞNG BAN"}
	deputy := SignerRef{ID: lcDeputy.ID, Name: lcDeputy.Name, Title: "PHÓ TRƯỞNG BAN", Prefix: "K/T", Body: "TRƯỞNG BAN"}
	s := &Session{ID: "s1", Status: SessionDeciding}
	s.Documents = []PendingDocument{
		NewPendingDocument("s1.LDTT", DocKindDecision, "LDTT", []string{"p1", "p2", "p3"}, SignerFor("LDTT", head, map[string]SignerRef{"GK": deputy}),
			DocumentRef{ID: "s1.LDTT", Key: "drafts/1"}, now, now.Add(72*time.Hour)),
		NewPendingDocument("s1.GK", DocKindDecision, "GK", []string{"p4"}, SignerFor("GK", head, map[string]SignerRef{"GK": deputy}),
			DocumentRef{ID: "s1.GK", Key: "drafts/2"}, now, now.Add(24*time.Hour)),
	}
	return s
}

func code(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Only the document's own signer may approve or send back its draft: the head for
// LĐTT, the deputy for Giấy khen (delegated); nobody else, in any role.
func TestOnlyTheSignerDecides(t *testing.T) {
	now := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	for _, a := range lcActors {
		for _, doc := range []string{"s1.LDTT", "s1.GK"} {
			s := lcSession(now)
			want := (doc == "s1.LDTT" && a.ID == lcHead.ID) || (doc == "s1.GK" && a.ID == lcDeputy.ID)
			err := s.CheckApprove(a, doc)
			if (err == nil) != want {
				t.Errorf("%s approves %s: err=%v, want allowed=%v", a.ID, doc, err, want)
			}
			if !want && code(err) != CodeForbidden {
				t.Errorf("%s approves %s: code %q, want forbidden", a.ID, doc, code(err))
			}
			if err := s.CheckSendBack(a, doc, "Xem lại danh sách"); (err == nil) != want {
				t.Errorf("%s sends back %s: err=%v, want allowed=%v", a.ID, doc, err, want)
			}
			// Only clerks issue, and only what was signed.
			if err := s.CheckIssue(a, doc); err == nil {
				t.Errorf("%s issued an unsigned draft %s", a.ID, doc)
			}
		}
	}
}

func TestApproveThenIssue(t *testing.T) {
	now := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	s := lcSession(now)
	if err := s.Approve(lcHead, "s1.LDTT", DocumentRef{ID: "s1.LDTT", Key: "signed/1", SHA256: "aa"}, now); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(lcHead, "s1.LDTT", DocumentRef{}, now); code(err) != CodeWrongStage {
		t.Errorf("second approval: %v, want wrong_stage", err)
	}
	for _, a := range lcActors {
		err := s.CheckIssue(a, "s1.LDTT")
		if (err == nil) != (a.ID == lcClerk.ID) {
			t.Errorf("%s issues: %v", a.ID, err)
		}
	}
	got := s.DocumentWaiters([]string{"thuky"}, []string{"vanthu"}, []string{"chair"})
	if !slices.Equal(got, []string{"vanthu", "phoban"}) {
		t.Errorf("waiters = %v, want the clerk (signed LĐTT) and the deputy (GK draft)", got)
	}
	ref := DecisionRef{DocumentRef: DocumentRef{ID: "s1.LDTT", NumberText: "Số 05-QĐ/BTGTU"}, Number: 5, AwardType: "LDTT"}
	if err := s.Issue(lcClerk, "s1.LDTT", ref, now); err != nil {
		t.Fatal(err)
	}
	if err := s.Issue(lcClerk, "s1.LDTT", ref, now); code(err) != CodeWrongStage {
		t.Errorf("issued twice: %v", err)
	}
	if len(s.Decisions) != 1 || s.Decisions[0].Number != 5 {
		t.Errorf("decisions = %+v", s.Decisions)
	}
	if !s.Deciding() {
		t.Error("GK is still a draft: the session is still deciding")
	}
	d, _ := s.Document("s1.LDTT")
	var actions []DocAction
	for _, e := range d.History {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []DocAction{DocActionDrafted, DocActionApproved, DocActionIssued}) {
		t.Errorf("history = %v", actions)
	}
}

func TestSendBackReviseAbandon(t *testing.T) {
	now := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	s := lcSession(now)
	if err := s.SendBack(lcHead, "s1.LDTT", "   ", now); code(err) != CodeInvalid {
		t.Errorf("send back without reason: %v", err)
	}
	if err := s.SendBack(lcHead, "s1.LDTT", "Bỏ trường hợp p2", now); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckApprove(lcHead, "s1.LDTT"); code(err) != CodeWrongStage {
		t.Errorf("approve after send back: %v", err)
	}
	for _, a := range lcActors {
		err := s.CheckRevise(a, "s1.LDTT", []string{"p2"}, "Theo ý kiến Trưởng Ban")
		if (err == nil) != a.Has(RoleSecretary) {
			t.Errorf("%s revises: %v", a.ID, err)
		}
	}
	bad := [][]string{{"p9"}, {"p2", "p2"}, {"p1", "p2", "p3"}}
	for _, drop := range bad {
		if err := s.CheckRevise(lcSec, "s1.LDTT", drop, "x"); code(err) != CodeInvalid {
			t.Errorf("drop %v: %v, want invalid", drop, err)
		}
	}
	due := now.Add(48 * time.Hour)
	if err := s.Revise(lcSec, "s1.LDTT", []string{"p2"}, "Theo ý kiến Trưởng Ban", DocumentRef{Key: "drafts/1.r2"}, now, due); err != nil {
		t.Fatal(err)
	}
	d, _ := s.Document("s1.LDTT")
	if d.Revision != 2 || d.Status != DocAwaitingSignature || !slices.Equal(d.Awardees, []string{"p1", "p3"}) || !d.DueAt.Equal(due) {
		t.Errorf("after revise: %+v", d)
	}
	if err := s.CheckAbandon(lcSec, "s1.LDTT", "x"); code(err) != CodeWrongStage {
		t.Errorf("abandon a draft waiting for signature: %v", err)
	}
	_ = s.SendBack(lcHead, "s1.LDTT", "Không khen năm nay", now)
	if err := s.Abandon(lcSec, "s1.LDTT", "Theo chỉ đạo", now); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckIssue(lcClerk, "s1.LDTT"); code(err) != CodeWrongStage {
		t.Errorf("issue an abandoned draft: %v", err)
	}
}

func TestOverdueEscalates(t *testing.T) {
	now := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	s := lcSession(now)
	if got := s.NextDue(); !got.Equal(now.Add(24 * time.Hour)) {
		t.Errorf("next due = %v", got)
	}
	if s.MarkOverdue(now.Add(23 * time.Hour)) {
		t.Error("overdue before the deadline")
	}
	if !s.MarkOverdue(now.Add(24 * time.Hour)) {
		t.Error("not overdue at the deadline")
	}
	if s.MarkOverdue(now.Add(25 * time.Hour)) {
		t.Error("marked overdue twice")
	}
	got := s.DocumentWaiters(nil, nil, []string{"truongban", "chanhvp"})
	if !slices.Equal(got, []string{"truongban", "phoban", "chanhvp"}) {
		t.Errorf("waiters = %v", got)
	}
	if got := s.NextDue(); !got.Equal(now.Add(72 * time.Hour)) {
		t.Errorf("next due after escalation = %v", got)
	}
}

// Property: whatever order people act in, a document reaches issue only through its
// signer's approval, a number is recorded only at issue, and dropped proposals never
// come back.
func TestLifecycleProperty(t *testing.T) {
	now := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		s := lcSession(now)
		dropped := map[string]bool{}
		for range 30 {
			a := lcActors[r.IntN(len(lcActors))]
			doc := []string{"s1.LDTT", "s1.GK", "nope"}[r.IntN(3)]
			before, _ := s.Document(doc)
			var status DocStatus
			if before != nil {
				status = before.Status
			}
			switch r.IntN(5) {
			case 0:
				err := s.Approve(a, doc, DocumentRef{Key: "k"}, now)
				if err == nil && (status != DocAwaitingSignature || a.ID != before.Signer.ID) {
					t.Fatalf("seed %d: %s approved %s in %s", seed, a.ID, doc, status)
				}
			case 1:
				_ = s.SendBack(a, doc, "lý do", now)
			case 2:
				d, _ := s.Document(doc)
				var drop []string
				if d != nil && len(d.Awardees) > 1 {
					drop = slices.Clone(d.Awardees[:1])
				}
				if s.Revise(a, doc, drop, "lý do", DocumentRef{}, now, now) == nil {
					for _, id := range drop {
						dropped[id] = true
					}
				}
			case 3:
				_ = s.Abandon(a, doc, "lý do", now)
			case 4:
				err := s.Issue(a, doc, DecisionRef{DocumentRef: DocumentRef{ID: doc}}, now)
				if err == nil && (status != DocAwaitingIssue || !a.Has(RoleClerk)) {
					t.Fatalf("seed %d: %s issued %s in %s", seed, a.ID, doc, status)
				}
			}
		}
		issued := 0
		for _, d := range s.Documents {
			for _, id := range d.Awardees {
				if dropped[id] {
					t.Fatalf("seed %d: dropped %s is back on %s", seed, id, d.ID)
				}
			}
			if d.Status == DocIssued {
				issued++
				if d.Signed == nil {
					t.Fatalf("seed %d: %s issued unsigned", seed, d.ID)
				}
			}
		}
		if issued != len(s.Decisions) {
			t.Fatalf("seed %d: %d issued, %d decisions recorded", seed, issued, len(s.Decisions))
		}
	}
}
