package workflows

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/awardflow/awardflow/internal/award"
)

// fakeRevocations stands in for the store and the documents of a revocation.
type fakeRevocations struct {
	mu       sync.Mutex
	conflict bool
	statuses []award.DocStatus
	drafts   int
	issued   []RevocationDocRequest
	numbers  []AllocateRequest
}

func (f *fakeRevocations) register(env *testsuite.TestWorkflowEnvironment) {
	reg := func(fn any, name string) { env.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name}) }
	reg(func(_ context.Context, r RevocationCaseRequest) error {
		if f.conflict {
			return temporal.NewNonRetryableApplicationError("another revocation", ErrRevocationConflict, nil)
		}
		return nil
	}, ActivityOpenRevocation)
	reg(func(_ context.Context, r RevocationCaseRequest) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.statuses = append(f.statuses, r.Status)
		return nil
	}, ActivitySetRevocationStatus)
	reg(func(_ context.Context, r RevocationDocRequest) (award.DocumentRef, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.drafts++
		return award.DocumentRef{ID: r.Revocation.ID, Key: "drafts/x.pdf"}, nil
	}, ActivityDraftRevocation)
	reg(func(_ context.Context, r RevocationDocRequest) (SignedDocument, error) {
		return SignedDocument{Ref: award.DocumentRef{ID: r.Revocation.ID, Key: "signed/x.pdf"}}, nil
	}, ActivitySignRevocation)
	reg(func(_ context.Context, r RevocationDocRequest) (award.DocumentRef, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.issued = append(f.issued, r)
		return award.DocumentRef{ID: r.Revocation.ID, Key: "decisions/x.pdf", NumberText: "Số 09-QĐ/BTGTU"}, nil
	}, ActivityIssueRevocation)
	reg(func(_ context.Context, r AllocateRequest) (int, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.numbers = append(f.numbers, r)
		return 9, nil
	}, ActivityAllocateNumber)
}

func revocationInput() RevocationInput {
	return RevocationInput{ID: "revocation-1",
		Target:      award.RevocationTarget{DocumentID: "d1", Kind: "decision", NumberText: "Số 05-QĐ/BTGTU", AwardType: "LDTT"},
		Request:     award.RevocationRequest{DocumentID: "d1", Ground: "gian_doi", Reason: "Kê khai sai"},
		Awardees:    []award.RevokedAwardee{{ProposalID: "p1", Name: "A", Kind: award.KindIndividual, Year: 2025, Amount: 710_000}},
		RequestedBy: sec, Signer: award.SignerRef{ID: chair.ID, Name: chair.Name, Title: "TRƯỞNG BAN"},
		Rules: award.RevocationRules{Grounds: []award.RevocationGround{{Code: "gian_doi", LabelVI: "x", LabelEN: "x", Citation: "x"},
			{Code: "khac", LabelVI: "y", LabelEN: "y", Citation: "y"}}},
		Secretaries: []string{sec.ID}, Clerks: []string{clerk.ID}, Escalate: []string{mem1.ID}, SignDays: 3,
		Profile: award.ProfileHD36, AgencyCode: "BTGTU", UTCOffset: 7 * 3600}
}

func revAct(a award.Actor, reason string) RevocationActionInput {
	return RevocationActionInput{Actor: a, Reason: reason}
}

// The whole way, with a send-back, a revision, a late signature (escalated) and the
// refusals of every role that may not act at each step.
func TestRevocationWorkflowLifecycle(t *testing.T) {
	env := newEnv()
	f := &fakeRevocations{}
	f.register(env)
	var view RevocationView
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateRevocationOpened, "", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { t.Errorf("opened rejected: %v", err) }, OnAccept: func() {},
			OnComplete: func(v any, err error) {
				if err != nil {
					t.Errorf("opened: %v", err)
				}
				view = v.(RevocationView)
			}})
	}, 0)
	var late RevocationView
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryState)
		if err == nil {
			err = v.Get(&late)
		}
		if err != nil {
			t.Error(err)
		}
	}, 4*24*time.Hour)
	runSteps(t, env, []step{
		{"the clerk signs", UpdateApproveDocument, revAct(clerk, ""), award.CodeForbidden},
		{"issue before signature", UpdateIssueDocument, revAct(clerk, ""), award.CodeWrongStage},
		{"send back without a reason", UpdateSendBackDocument, revAct(chair, " "), award.CodeInvalid},
		{"the head sends back", UpdateSendBackDocument, revAct(chair, "Bổ sung biên bản"), ""},
		{"a stranger revises", UpdateReviseDocument, revAct(mem1, "x"), award.CodeForbidden},
		{"revise with an unknown ground", UpdateReviseDocument, RevocationActionInput{Actor: sec, Reason: "x", Ground: "nope"}, award.CodeInvalid},
		{"the secretary revises", UpdateReviseDocument, RevocationActionInput{Actor: sec, Reason: "Kê khai sai, có biên bản", Ground: "khac"}, ""},
	})
	at(t, env, 5*24*time.Hour,
		step{"the head signs late", UpdateApproveDocument, revAct(chair, ""), ""},
		step{"the head issues", UpdateIssueDocument, revAct(chair, ""), award.CodeForbidden},
		step{"the clerk issues", UpdateIssueDocument, revAct(clerk, ""), ""},
		step{"issue twice", UpdateIssueDocument, revAct(clerk, ""), award.CodeWrongStage},
	)
	env.SetStartTime(time.Date(2026, 12, 30, 2, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(RevocationWorkflow, revocationInput())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if view.Revocation.Document.Status != award.DocAwaitingSignature || view.Refused != "" || !slices.Equal(view.Waiting, []string{chair.ID}) {
		t.Fatalf("opened view %+v", view)
	}
	if !late.Revocation.Document.Overdue || !slices.Equal(late.Waiting, []string{chair.ID, mem1.ID}) {
		t.Fatalf("after the deadline: overdue %v waiting %v", late.Revocation.Document.Overdue, late.Waiting)
	}
	if f.drafts != 2 || len(f.issued) != 1 || len(f.numbers) != 1 {
		t.Fatalf("drafts %d issued %d numbers %d", f.drafts, len(f.issued), len(f.numbers))
	}
	// Numbered in the decision register of the term (HD36) the issue falls in, once.
	if n := f.numbers[0]; n.DocType != DocDecision || n.RequestID != "revocation-1/issue" {
		t.Fatalf("number request %+v", n)
	}
	iss := f.issued[0]
	if iss.Number != 9 || iss.Signed == nil || iss.Revocation.Ground != "khac" || iss.Revocation.Reason != "Kê khai sai, có biên bản" {
		t.Fatalf("issue request %+v", iss)
	}
	want := []award.DocStatus{award.DocSentBack, award.DocAwaitingSignature, award.DocAwaitingIssue}
	if !slices.Equal(f.statuses, want) {
		t.Fatalf("statuses recorded %v, want %v (the issue itself is recorded by IssueRevocation)", f.statuses, want)
	}
}

// The store refuses the case (another revocation on its way): the opened update answers
// the refusal, nothing is drafted, and every action is refused.
func TestRevocationWorkflowRefused(t *testing.T) {
	env := newEnv()
	f := &fakeRevocations{conflict: true}
	f.register(env)
	var view RevocationView
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateRevocationOpened, "", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { t.Errorf("opened rejected: %v", err) }, OnAccept: func() {},
			OnComplete: func(v any, err error) { view, _ = v.(RevocationView) }})
	}, 0)
	env.ExecuteWorkflow(RevocationWorkflow, revocationInput())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if view.Refused != "conflict" || f.drafts != 0 || len(f.statuses) != 0 {
		t.Fatalf("refused view %+v, drafts %d, statuses %v", view, f.drafts, f.statuses)
	}
}

// Dropping the request after a send-back ends it: no number is taken.
func TestRevocationWorkflowAbandon(t *testing.T) {
	env := newEnv()
	f := &fakeRevocations{}
	f.register(env)
	runSteps(t, env, []step{
		{"the head sends back", UpdateSendBackDocument, revAct(chair, "Không đủ căn cứ"), ""},
		{"abandon without a reason", UpdateAbandonDocument, revAct(sec, ""), award.CodeInvalid},
		{"the secretary abandons", UpdateAbandonDocument, revAct(sec, "Không đủ căn cứ"), ""},
	})
	env.ExecuteWorkflow(RevocationWorkflow, revocationInput())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(f.numbers) != 0 || len(f.issued) != 0 || f.statuses[len(f.statuses)-1] != award.DocAbandoned {
		t.Fatalf("numbers %v issued %v statuses %v", f.numbers, f.issued, f.statuses)
	}
}
