package workflows

import (
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/awardflow/awardflow/internal/award"
)

// idStep is one update with an explicit update id; got records what happened.
type idStep struct {
	name, update, id string
	arg              any
	wantCode         award.Code // "" = accepted
}

// runIDSteps sends the updates one minute apart and reports, per step, whether the
// update was rejected (never entered history), accepted, and the result.
func runIDSteps(t *testing.T, env *testsuite.TestWorkflowEnvironment, steps []idStep, results map[string]*ProposalView) {
	t.Helper()
	for i, s := range steps {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(s.update, s.id, &testsuite.TestUpdateCallback{
				OnReject: func(err error) {
					de, ok := DomainError(err)
					if s.wantCode == "" || !ok || de.Code != s.wantCode {
						t.Errorf("%s: rejected with %v, want %q", s.name, err, s.wantCode)
					}
				},
				OnAccept: func() {
					if s.wantCode != "" {
						t.Errorf("%s: accepted (it enters the history), want rejection %s", s.name, s.wantCode)
					}
				},
				OnComplete: func(v any, err error) {
					if err != nil && s.wantCode == "" {
						t.Errorf("%s: failed: %v", s.name, err)
					}
					if pv, ok := v.(ProposalView); ok && results != nil {
						results[s.name] = &pv
					}
				},
			}, s.arg)
		}, time.Duration(i+1)*time.Minute)
	}
}

func finish(t *testing.T, env *testsuite.TestWorkflowEnvironment) ProposalView {
	t.Helper()
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	var out ProposalView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// A refused Revise (another department, unprintable text) is refused by the validator:
// it never enters the history, and the proposal keeps no trace of it.
func TestRefusedReviseLeavesNoEvent(t *testing.T) {
	env := newEnv()
	in := proposalInput()
	in.Criteria = nil
	moved := in.Draft
	moved.Department = "vp"
	emoji := in.Draft
	emoji.NomineeName = "Đào 😀"
	bidi := in.Draft
	bidi.Achievements = "Hoàn thành \u202Etốt"
	runIDSteps(t, env, []idStep{
		{"revise to another department", UpdateRevise, "", ReviseInput{staff, moved, nil, 0}, award.CodeInvalid},
		{"revise with an emoji", UpdateRevise, "", ReviseInput{staff, emoji, nil, 0}, award.CodeInvalid},
		{"revise with a bidi override", UpdateRevise, "", ReviseInput{staff, bidi, nil, 0}, award.CodeInvalid},
		{"attach a file named with NUL", UpdateAttach, "", AttachInput{staff, award.Evidence{SHA256: sha64, Key: "k", Name: "a\x00b.pdf"}}, award.CodeInvalid},
		{"submit", UpdateSubmit, "", ActorInput{staff}, ""},
		{"return with a NUL comment", UpdateReview, "", ReviewInput{head, award.HeadReturn, "lý do\x00"}, award.CodeInvalid},
		{"reject", UpdateReview, "", ReviewInput{head, award.HeadReject, "Chưa đủ điều kiện"}, ""},
	}, nil)
	env.ExecuteWorkflow(ProposalWorkflowV2, in)
	out := finish(t, env)
	var actions []string
	for _, e := range out.History {
		actions = append(actions, string(e.Action))
	}
	if !slices.Equal(actions, []string{"create", "submit", "reject"}) || out.Department != "tt" {
		t.Fatalf("history %v, department %s: refused steps left a trace", actions, out.Department)
	}
}

const sha64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// Proposals filed with decomposed Vietnamese are kept in NFC.
func TestFiledTextIsNormalised(t *testing.T) {
	env := newEnv()
	in := proposalInput()
	in.Criteria = nil
	in.Draft.NomineeName = "\ufeffNguye\u0302\u0303n  Thi\u0323 Ho\u0302\u0300ng Đào"
	runIDSteps(t, env, []idStep{{"reject", UpdateReview, "", ReviewInput{head, award.HeadReject, "x"}, award.CodeWrongStage}}, nil)
	env.RegisterDelayedCallback(func() { env.CancelWorkflow() }, time.Hour)
	env.ExecuteWorkflow(ProposalWorkflowV2, in)
	v, err := env.QueryWorkflow(QueryState)
	if err != nil {
		t.Fatal(err)
	}
	var pv ProposalView
	_ = v.Get(&pv)
	if pv.NomineeName != "Nguyễn Thị Hồng Đào" {
		t.Fatalf("nominee kept as %q", pv.NomineeName)
	}
}

// An idempotency scope used with one request refuses another (422, no history); the same
// request again gets the first answer; other scopes are unaffected.
func TestIdempotencyScopeRefusesAnotherBody(t *testing.T) {
	env := newEnv()
	in := proposalInput()
	in.Criteria = nil
	scope := award.IdempotencyScope("hongdao", "revise", in.ID, "k1")
	d1, d2 := in.Draft, in.Draft
	d1.Achievements, d2.Achievements = "Lần một", "Lần hai"
	fp1, fp2 := award.Fingerprint("revise", d1.Achievements), award.Fingerprint("revise", d2.Achievements)
	other := award.IdempotencyScope("hongdao", "revise", in.ID, "k2")
	results := map[string]*ProposalView{}
	runIDSteps(t, env, []idStep{
		{"first", UpdateRevise, IdempotentUpdateID(scope, fp1), ReviseInput{staff, d1, nil, 0}, ""},
		{"same key, other body", UpdateRevise, IdempotentUpdateID(scope, fp2), ReviseInput{staff, d2, nil, 0}, award.CodeInvalid},
		{"same key, same body", UpdateRevise, IdempotentUpdateID(scope, fp1), ReviseInput{staff, d1, nil, 0}, ""},
		{"another key", UpdateRevise, IdempotentUpdateID(other, fp2), ReviseInput{staff, d2, nil, 0}, ""},
		{"submit", UpdateSubmit, "", ActorInput{staff}, ""},
		{"reject", UpdateReview, "", ReviewInput{head, award.HeadReject, "x"}, ""},
	}, results)
	env.ExecuteWorkflow(ProposalWorkflowV2, in)
	out := finish(t, env)
	revises := 0
	for _, e := range out.History {
		if e.Action == "revise" {
			revises++
		}
	}
	if revises != 2 || out.Achievements != "Lần hai" {
		t.Fatalf("%d revisions, achievements %q; want 2 (first and another key)", revises, out.Achievements)
	}
	if r := results["same key, same body"]; r == nil || r.Achievements != "Lần một" {
		t.Fatalf("a repeated request must get the first answer, got %+v", r)
	}
}

// A head's own proposal: reviewed by the configured reviewers (the chair, a deputy), who
// are its assignees; the head and everyone else is refused; escalation never assigns it to
// the head.
func TestHeadsOwnProposalIsReviewable(t *testing.T) {
	env := newEnv()
	in := proposalInput()
	in.Criteria = nil
	in.Proposer = head
	in.Draft.NomineeName, in.Draft.NomineeID = head.Name, head.ID
	in.HeadReviewers = []string{chair.ID, mem1.ID}
	in.Escalate = []string{chair.ID, head.ID}
	var assigned, overdue []string
	runIDSteps(t, env, []idStep{
		{"submit", UpdateSubmit, "", ActorInput{head}, ""},
		{"head endorses own", UpdateReview, "", ReviewInput{head, award.HeadEndorse, ""}, award.CodeForbidden},
		{"staff endorses", UpdateReview, "", ReviewInput{staff, award.HeadEndorse, ""}, award.CodeForbidden},
	}, nil)
	env.RegisterDelayedCallback(func() {
		v, _ := env.QueryWorkflow(QueryState)
		var pv ProposalView
		_ = v.Get(&pv)
		assigned = pv.Assignees
	}, 4*time.Minute)
	env.RegisterDelayedCallback(func() {
		v, _ := env.QueryWorkflow(QueryState)
		var pv ProposalView
		_ = v.Get(&pv)
		overdue = pv.Assignees
		env.UpdateWorkflow(UpdateReview, "", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { t.Errorf("deputy refused: %v", err) },
			OnAccept: func() {}, OnComplete: func(any, error) {},
		}, ReviewInput{mem1, award.HeadEndorse, "Đồng ý"})
	}, 8*24*time.Hour)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateOutcome, "", &testsuite.TestUpdateCallback{OnReject: func(error) {}, OnAccept: func() {}, OnComplete: func(any, error) {}},
			OutcomeInput{award.Outcome{SessionID: "s"}, true})
		env.UpdateWorkflow(UpdateJoinSession, "", &testsuite.TestUpdateCallback{OnReject: func(error) {}, OnAccept: func() {}, OnComplete: func(any, error) {}}, JoinInput{"s"})
		env.UpdateWorkflow(UpdateOutcome, "", &testsuite.TestUpdateCallback{OnReject: func(error) {}, OnAccept: func() {}, OnComplete: func(any, error) {}},
			OutcomeInput{award.Outcome{SessionID: "s", Passed: true}, true})
	}, 9*24*time.Hour)
	env.ExecuteWorkflow(ProposalWorkflowV2, in)
	out := finish(t, env)
	if !slices.Equal(assigned, []string{chair.ID, mem1.ID}) {
		t.Fatalf("assignees of a submitted head's proposal: %v", assigned)
	}
	if !slices.Equal(overdue, []string{chair.ID, mem1.ID}) {
		t.Fatalf("assignees once overdue: %v (the head must never be assigned their own)", overdue)
	}
	if out.Stage != award.StageAwarded {
		t.Fatalf("stage %s", out.Stage)
	}
}
