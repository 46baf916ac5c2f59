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

// fakeDocs stands in for the document activities: it records the calls, and the
// decision check fails (non-retryably, blaming a proposal) while a poisoned proposal is
// among the awardees.
type fakeDocs struct {
	mu        sync.Mutex
	poisoned  string
	allocated []string
	periods   []string // of each allocation, in order
	checked   int
	issued    []DecisionRequest
	minutes   []MinutesRequest
	tallies   []TallyRequest
	delivered []DeliverRequest
	outage    int // IssueMinutes fails this many times (retryable)
}

func (f *fakeDocs) register(env *testsuite.TestWorkflowEnvironment, agenda []award.AgendaItem, counts map[string]award.Count) {
	reg := func(name string, fn any) { env.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name}) }
	reg(ActivityAssignAgenda, func(context.Context, AssignRequest) (AssignResult, error) {
		return AssignResult{Items: agenda}, nil
	})
	reg(ActivityTallyBallots, func(_ context.Context, r TallyRequest) (TallyResult, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.tallies = append(f.tallies, r)
		out := map[string]award.Count{}
		for _, id := range r.Count {
			out[id] = counts[id]
		}
		return TallyResult{Counts: out}, nil
	})
	reg(ActivityCheckDocument, func(_ context.Context, r CheckDocumentRequest) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.checked++
		if r.Decision != nil && slices.ContainsFunc(r.Decision.Awardees, func(it award.AgendaItem) bool { return it.ProposalID == f.poisoned }) {
			return temporal.NewApplicationErrorWithOptions("glyph", ErrDocument, temporal.ApplicationErrorOptions{NonRetryable: true,
				Details: []any{DocumentFailure{DocumentID: r.Decision.ID, ProposalIDs: []string{f.poisoned},
					VI: "Không lập được quyết định: ký tự (U+1F600) không có trong phông chữ", EN: "the character (U+1F600) is not in the document font"}}})
		}
		return nil
	})
	reg(ActivityAllocateNumber, func(_ context.Context, r AllocateRequest) (int, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if !slices.Contains(f.allocated, r.RequestID) {
			f.allocated = append(f.allocated, r.RequestID)
			f.periods = append(f.periods, r.Period)
		}
		return slices.Index(f.allocated, r.RequestID) + 1, nil
	})
	reg(ActivityIssueDecision, func(_ context.Context, r DecisionRequest) (award.DocumentRef, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.issued = append(f.issued, r)
		return award.DocumentRef{ID: r.ID, Key: "decisions/" + r.ID + ".pdf", NumberText: "Số 01-QĐ/BTGTU", SHA256: "d"}, nil
	})
	reg(ActivityIssueSubmission, func(_ context.Context, r SubmissionRequest) (award.DocumentRef, error) {
		return award.DocumentRef{ID: r.ID}, nil
	})
	reg(ActivityIssueMinutes, func(_ context.Context, r MinutesRequest) (award.DocumentRef, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.minutes = append(f.minutes, r)
		if f.outage > 0 {
			f.outage--
			return award.DocumentRef{}, temporal.NewApplicationError("storage unavailable", "Outage")
		}
		return award.DocumentRef{ID: r.Session.ID + ".minutes", Key: "minutes/x.pdf", SHA256: "m"}, nil
	})
	reg(ActivityDeliverOutcome, func(_ context.Context, r DeliverRequest) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.delivered = append(f.delivered, r)
		return nil
	})
}

func querySession(t *testing.T, env *testsuite.TestWorkflowEnvironment) SessionView {
	t.Helper()
	v, err := env.QueryWorkflow(QueryState)
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	var sv SessionView
	if err := v.Get(&sv); err != nil {
		t.Fatal(err)
	}
	return sv
}

// TestSessionDocumentFailureIsVisibleAndRecoverable: a decision that cannot be rendered
// (non-retryable) stops the session with status issue_failed and the reason, takes no
// number; the secretary excludes the proposal at fault, it goes back to the council's
// queue, and issuing resumes to a signed decision for the others.
func TestSessionDocumentFailureIsVisibleAndRecoverable(t *testing.T) {
	env := newEnv()
	agenda := []award.AgendaItem{{ProposalID: "p-1", NomineeName: "Nguyễn Thị Hồng Đào", AwardType: "LDTT"},
		{ProposalID: "p-2", NomineeName: "Lê Quốc Cường 😀", AwardType: "LDTT"}}
	f := &fakeDocs{poisoned: "p-2"}
	f.register(env, agenda, map[string]award.Count{"p-1": {Yes: 2}, "p-2": {Yes: 2}})

	env.RegisterDelayedCallback(func() { env.UpdateWorkflowNoRejection(UpdateOpen, "open", t, ActorInput{sec}) }, time.Second)
	runSteps(t, env, []step{
		{"chair votes", UpdateVote, BallotInput{chair, "s1"}, ""},
		{"member votes", UpdateVote, BallotInput{mem1, "s2"}, ""},
		{"exclude before any failure", UpdateExclude, ExcludeInput{sec, "p-2", "tên có ký tự lạ"}, award.CodeWrongStage},
		{"chair closes", UpdateClose, ActorInput{chair}, ""},
	})
	var failed SessionView
	env.RegisterDelayedCallback(func() {
		failed = querySession(t, env)
		f.mu.Lock()
		defer f.mu.Unlock()
		if slices.Contains(f.allocated, "s-1/LDTT") {
			t.Errorf("a decision number was taken for a decision that cannot be rendered: %v", f.allocated)
		}
	}, 5*time.Minute+30*time.Second)
	steps := []step{
		{"chair excludes", UpdateExclude, ExcludeInput{chair, "p-2", "tên có ký tự lạ"}, award.CodeForbidden},
		{"exclude without reason", UpdateExclude, ExcludeInput{sec, "p-2", " "}, award.CodeInvalid},
		{"exclude a stranger", UpdateExclude, ExcludeInput{sec, "p-9", "x"}, award.CodeNotFound},
		{"secretary excludes", UpdateExclude, ExcludeInput{sec, "p-2", "Tên người được đề nghị có ký tự không in được"}, ""},
		{"exclude again", UpdateExclude, ExcludeInput{sec, "p-2", "x"}, award.CodeWrongStage},
	}
	for i, s := range steps {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(s.update, "", updateCheck(t, s), s.arg)
		}, 6*time.Minute+time.Duration(i)*time.Minute)
	}
	env.SetStartTime(time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(CouncilSessionWorkflow, sessionInput())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out SessionView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}

	if failed.Status != award.SessionIssueFailed || failed.Failure == nil {
		t.Fatalf("while failed: %+v", failed.Session)
	}
	if fl := failed.Failure; fl.Step != "decision" || !slices.Equal(fl.ProposalIDs, []string{"p-2"}) || fl.VI == "" || fl.EN == "" || fl.Retryable {
		t.Fatalf("failure %+v", fl)
	}
	if out.Status != award.SessionDone || out.Failure != nil || len(out.Decisions) != 1 || out.Minutes == nil {
		t.Fatalf("after recovery: %+v", out.Session)
	}
	if !slices.Equal(out.Decisions[0].Awardees, []string{"p-1"}) || out.Decisions[0].Number != 1 {
		t.Fatalf("decision %+v", out.Decisions[0])
	}
	if len(out.Excluded) != 1 || out.Excluded[0].ProposalID != "p-2" || out.Excluded[0].ByID != sec.ID || out.Excluded[0].Reason == "" {
		t.Fatalf("excluded %+v", out.Excluded)
	}
	if slices.ContainsFunc(out.Agenda, func(it award.AgendaItem) bool { return it.ProposalID == "p-2" }) {
		t.Fatal("the excluded proposal is still on the agenda")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.issued) != 1 || !slices.Equal(ids(f.issued[0].Awardees), []string{"p-1"}) {
		t.Fatalf("issued %+v", f.issued)
	}
	if !slices.Equal(f.allocated, []string{"s-1/LDTT", "s-1/minutes"}) {
		t.Fatalf("numbers taken %v", f.allocated)
	}
	var back, p1 *DeliverRequest
	for i := range f.delivered {
		switch f.delivered[i].ProposalID {
		case "p-2":
			back = &f.delivered[i]
		case "p-1":
			p1 = &f.delivered[i]
		}
	}
	if back == nil || !back.Outcome.Excluded || back.Outcome.Reason == "" || len(f.delivered) != 2 {
		t.Fatalf("deliveries %+v", f.delivered)
	}
	if p1 == nil || !p1.Outcome.Passed || p1.Outcome.DecisionID != out.Decisions[0].ID {
		t.Fatalf("p-1 outcome %+v", p1)
	}
}

func updateCheck(t *testing.T, s step) *testsuite.TestUpdateCallback {
	return &testsuite.TestUpdateCallback{
		OnReject: func(err error) {
			de, ok := DomainError(err)
			if s.wantCode == "" || !ok || de.Code != s.wantCode {
				t.Errorf("%s: rejected with %v, want %q", s.name, err, s.wantCode)
			}
		},
		OnAccept: func() {
			if s.wantCode != "" {
				t.Errorf("%s: accepted, want %s", s.name, s.wantCode)
			}
		},
		OnComplete: func(_ any, err error) {
			if err != nil && s.wantCode == "" {
				t.Errorf("%s: failed: %v", s.name, err)
			}
		},
	}
}

// TestSessionOutageEndsInRetry: an outage that outlasts the bounded retries shows on
// the session as retryable; the secretary's retry resumes issuing with the same number.
func TestSessionOutageEndsInRetry(t *testing.T) {
	env := newEnv()
	agenda := []award.AgendaItem{{ProposalID: "p-1", NomineeName: "Nguyễn Thị Hồng Đào", AwardType: "LDTT"}}
	f := &fakeDocs{outage: 10} // every attempt of the first round
	f.register(env, agenda, map[string]award.Count{"p-1": {Yes: 3}})
	env.RegisterDelayedCallback(func() { env.UpdateWorkflowNoRejection(UpdateOpen, "open", t, ActorInput{sec}) }, time.Second)
	runSteps(t, env, []step{
		{"chair votes", UpdateVote, BallotInput{chair, "s1"}, ""},
		{"member votes", UpdateVote, BallotInput{mem1, "s2"}, ""},
		{"chair closes", UpdateClose, ActorInput{chair}, ""},
	})
	var failed SessionView
	env.RegisterDelayedCallback(func() { failed = querySession(t, env) }, 2*time.Hour)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateRetryIssue, "", updateCheck(t, step{name: "member retries", wantCode: award.CodeForbidden}), ActorInput{mem1})
	}, 2*time.Hour+time.Minute)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateRetryIssue, "", updateCheck(t, step{name: "secretary retries"}), ActorInput{sec})
	}, 2*time.Hour+2*time.Minute)
	env.SetStartTime(time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(CouncilSessionWorkflow, sessionInput())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out SessionView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	if failed.Status != award.SessionIssueFailed || failed.Failure == nil || !failed.Failure.Retryable || failed.Failure.Step != "minutes" {
		t.Fatalf("while failing: %+v / %+v", failed.Session, failed.Failure)
	}
	if out.Status != award.SessionDone || out.Minutes == nil {
		t.Fatalf("after retry: %+v", out.Session)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.minutes) != 11 || !slices.Equal(f.allocated, []string{"s-1/LDTT", "s-1/minutes"}) {
		t.Fatalf("minutes attempts %d (want 10 bounded + 1 after the retry), numbers %v", len(f.minutes), f.allocated)
	}
}

// TestSessionBelowQuorumOpensNoBallot: with one voter of three (quorum 2/3) the ballots
// are never opened, no decision is issued, the minutes carry no counts, the proposals go
// back to the council's queue, and the session ends "not quorate".
func TestSessionBelowQuorumOpensNoBallot(t *testing.T) {
	env := newEnv()
	agenda := []award.AgendaItem{{ProposalID: "p-1", NomineeName: "Nguyễn Thị Hồng Đào", AwardType: "LDTT"}}
	f := &fakeDocs{}
	f.register(env, agenda, map[string]award.Count{"p-1": {Yes: 1}})
	env.RegisterDelayedCallback(func() { env.UpdateWorkflowNoRejection(UpdateOpen, "open", t, ActorInput{sec}) }, time.Second)
	runSteps(t, env, []step{
		{"chair votes", UpdateVote, BallotInput{chair, "the only ballot"}, ""},
		{"chair closes", UpdateClose, ActorInput{chair}, ""},
	})
	env.SetStartTime(time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(CouncilSessionWorkflow, sessionInput())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out SessionView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.tallies) != 0 {
		t.Fatalf("ballots opened below quorum: %+v", f.tallies)
	}
	if out.Status != award.SessionNotQuorate || len(out.Counts) != 0 || len(out.Decisions) != 0 || out.Minutes == nil {
		t.Fatalf("session %+v", out.Session)
	}
	if r := out.Results["p-1"]; r.Passed || r.QuorumMet || r.Reason == "" {
		t.Fatalf("result %+v", r)
	}
	if len(f.minutes) != 1 || len(f.minutes[0].Session.Counts) != 0 || len(f.minutes[0].Session.Sealed) != 0 {
		t.Fatalf("minutes request %+v", f.minutes)
	}
	if len(f.delivered) != 1 || f.delivered[0].QuorumMet || f.delivered[0].Outcome.Yes != 0 || f.delivered[0].Outcome.Passed {
		t.Fatalf("deliveries %+v", f.delivered)
	}
	if len(f.issued) != 0 {
		t.Fatalf("a decision below quorum: %+v", f.issued)
	}
}
