package award

import (
	"testing"
	"time"
)

var testGrounds = RevocationRules{Grounds: []RevocationGround{
	{Code: "gian_doi", LabelVI: "Gian dối trong kê khai thành tích", LabelEN: "falsified achievements", Citation: "Luật Thi đua, khen thưởng 2022 Điều 93 k1"},
}}

func revTarget() RevocationTarget {
	return RevocationTarget{DocumentID: "d1", Kind: "decision", NumberText: "Số 05-QĐ/BTGTU", AwardType: "LDTT",
		Awardees: []RevokedAwardee{{ProposalID: "p1", Name: "A", Amount: 1_170_000}, {ProposalID: "p2", Name: "B", Amount: 1_170_000},
			{ProposalID: "p3", Name: "C", Amount: 0}},
		Revoked: []string{"p3"}}
}

// Every refusal of a revocation request, with the code the HTTP layer maps to a status.
func TestCheckRevocationRequest(t *testing.T) {
	ok := RevocationRequest{DocumentID: "d1", Ground: "gian_doi", Reason: "Phát hiện kê khai sai sáng kiến"}
	cases := []struct {
		name  string
		actor Actor
		tweak func(*RevocationTarget, *RevocationRequest)
		code  Code
		want  []string
	}{
		{"head, every awardee in force", lcHead, nil, "", []string{"p1", "p2"}},
		{"secretary, one awardee", lcSec, func(_ *RevocationTarget, r *RevocationRequest) { r.Awardees = []string{"p2"} }, "", []string{"p2"}},
		{"order follows the decision", lcSec, func(_ *RevocationTarget, r *RevocationRequest) { r.Awardees = []string{"p2", "p1"} }, "", []string{"p1", "p2"}},
		{"clerk may not ask", lcClerk, nil, CodeForbidden, nil},
		{"staff may not ask", lcStaff, nil, CodeForbidden, nil},
		{"a deputy who is not the head", lcDeputy, nil, CodeForbidden, nil},
		{"not a decision", lcHead, func(t *RevocationTarget, _ *RevocationRequest) { t.Kind = "minutes" }, CodeWrongStage, nil},
		{"unknown ground", lcHead, func(_ *RevocationTarget, r *RevocationRequest) { r.Ground = "khac" }, CodeInvalid, nil},
		{"no reason", lcHead, func(_ *RevocationTarget, r *RevocationRequest) { r.Reason = "   " }, CodeInvalid, nil},
		{"awardee twice", lcHead, func(_ *RevocationTarget, r *RevocationRequest) { r.Awardees = []string{"p1", "p1"} }, CodeInvalid, nil},
		{"awardee not on the decision", lcHead, func(_ *RevocationTarget, r *RevocationRequest) { r.Awardees = []string{"p9"} }, CodeInvalid, nil},
		{"awardee revoked already", lcHead, func(_ *RevocationTarget, r *RevocationRequest) { r.Awardees = []string{"p3"} }, CodeDuplicate, nil},
		{"everything revoked already", lcHead, func(t *RevocationTarget, _ *RevocationRequest) { t.Revoked = []string{"p1", "p2", "p3"} }, CodeDuplicate, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tg, req := revTarget(), ok
			if tc.tweak != nil {
				tc.tweak(&tg, &req)
			}
			got, err := CheckRevocationRequest(tc.actor, lcHead.ID, tg, req, testGrounds)
			if codeOf(err) != tc.code {
				t.Fatalf("error %v: want code %q", err, tc.code)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("awardees %+v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i].ProposalID != tc.want[i] {
					t.Fatalf("awardees %+v, want %v", got, tc.want)
				}
			}
		})
	}
}

// The revocation decision goes the award decision's way: only its signer signs or sends
// back, only the requester (or a secretary) revises or drops it, only a văn thư issues.
func TestRevocationLifecycle(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tg := revTarget()
	aw, err := CheckRevocationRequest(lcHead, lcHead.ID, tg, RevocationRequest{Ground: "gian_doi", Reason: "Sai"}, testGrounds)
	if err != nil {
		t.Fatal(err)
	}
	signer := SignerRef{ID: lcHead.ID, Name: lcHead.Name, Title: "TRƯỞNG BAN"}
	r := NewRevocation("rv-1", tg, aw, RevocationRequest{Ground: "gian_doi", Reason: " Sai "}, lcSec, signer, DocumentRef{ID: "rv-1"}, now, now.Add(72*time.Hour))
	if r.Recovery() != 2_340_000 || r.Reason != "Sai" || r.Document.Kind != DocKindRevocation || len(r.Document.Awardees) != 2 {
		t.Fatalf("new revocation %+v", r)
	}
	for _, a := range []Actor{lcSec, lcClerk, lcStaff, lcDeputy} {
		if codeOf(r.CheckApprove(a)) != CodeForbidden {
			t.Errorf("%s may approve", a.ID)
		}
	}
	if codeOf(r.CheckIssue(lcClerk)) != CodeWrongStage || codeOf(r.CheckRevise(lcSec, "", "x", testGrounds)) != CodeWrongStage {
		t.Fatal("issue or revise before signature")
	}
	if codeOf(r.CheckSendBack(lcHead, "")) != CodeInvalid {
		t.Fatal("send back without a reason")
	}
	if err := r.SendBack(lcHead, "Bổ sung căn cứ", now); err != nil {
		t.Fatal(err)
	}
	if w := r.Waiters([]string{"thuky2"}, []string{"vanthu"}, nil); len(w) != 2 || w[0] != lcSec.ID {
		t.Fatalf("waiters after send-back %v", w)
	}
	if codeOf(r.CheckRevise(lcStaff, "", "x", testGrounds)) != CodeForbidden || codeOf(r.CheckRevise(lcSec, "khac", "x", testGrounds)) != CodeInvalid {
		t.Fatal("revise checks")
	}
	if err := r.Revise(lcSec, "gian_doi", "Sai, có biên bản xác minh", testGrounds, DocumentRef{ID: "rv-1"}, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if r.Document.Revision != 2 || r.Reason != "Sai, có biên bản xác minh" {
		t.Fatalf("after revise %+v", r)
	}
	if !r.MarkOverdue(now.Add(2*time.Hour)) || r.MarkOverdue(now.Add(3*time.Hour)) {
		t.Fatal("overdue once")
	}
	if w := r.Waiters(nil, nil, []string{"phoban"}); len(w) != 2 || w[1] != "phoban" {
		t.Fatalf("overdue waiters %v", w)
	}
	if err := r.Approve(lcHead, DocumentRef{ID: "rv-1"}, now); err != nil {
		t.Fatal(err)
	}
	if codeOf(r.CheckIssue(lcHead)) != CodeForbidden {
		t.Fatal("the head may not issue")
	}
	if acts := r.Actions(lcClerk); len(acts) != 1 || acts[0] != "issue" {
		t.Fatalf("clerk actions %v", acts)
	}
	if err := r.Issue(lcClerk, DecisionRef{DocumentRef: DocumentRef{NumberText: "Số 07-QĐ/BTGTU"}}, now); err != nil {
		t.Fatal(err)
	}
	if !r.Document.Status.Final() || len(r.Actions(lcClerk)) != 0 {
		t.Fatal("issued is final")
	}
}

func TestCheckRevocationRules(t *testing.T) {
	g := testGrounds.Grounds[0]
	for name, rules := range map[string][]RevocationGround{
		"bad code":    {{Code: "Gian Dối", LabelVI: "x", LabelEN: "x", Citation: "x"}},
		"twice":       {g, g},
		"no english":  {{Code: "a", LabelVI: "x", Citation: "x"}},
		"no citation": {{Code: "a", LabelVI: "x", LabelEN: "x"}},
	} {
		if CheckRevocationRules(RevocationRules{Grounds: rules}) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := CheckRevocationRules(testGrounds); err != nil {
		t.Fatal(err)
	}
}
