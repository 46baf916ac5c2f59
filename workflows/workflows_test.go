package workflows

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/awardflow/awardflow/internal/award"
)

var (
	staff = award.Actor{ID: "hongdao", Name: "Nguyễn Thị Hồng Đào", Department: "tt", Roles: []award.Role{award.RoleStaff}}
	head  = award.Actor{ID: "tptt", Name: "Phạm Minh Tâm", Department: "tt", Roles: []award.Role{award.RoleHead}}
	chair = award.Actor{ID: "truongban", Name: "Nguyễn Văn Hùng", Department: "ld", Roles: []award.Role{award.RoleChair}}
	sec   = award.Actor{ID: "thuky", Name: "Huỳnh Thị Mỹ Linh", Department: "vp", Roles: []award.Role{award.RoleSecretary, award.RoleMember}}
	mem1  = award.Actor{ID: "phoban", Name: "Lê Thị Thu Hà", Department: "ld", Roles: []award.Role{award.RoleMember}}
)

var criteria = []award.Criterion{{ID: "c1", Text: "Gương mẫu"}, {ID: "c2", Text: "Sáng kiến"}}

// newEnv returns a test environment whose SDK debug logging goes to the test log only
// when -v is given.
func newEnv() *testsuite.TestWorkflowEnvironment {
	var ts testsuite.WorkflowTestSuite
	ts.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	env := ts.NewTestWorkflowEnvironment()
	// The projection's writes go nowhere unless a test watches them (projection_test.go).
	env.RegisterActivityWithOptions(func(context.Context, Projection) error { return nil }, activity.RegisterOptions{Name: ActivityProject})
	return env
}

func proposalInput() ProposalInput {
	return ProposalInput{
		ID: "p-1",
		Draft: award.Draft{AwardType: "LDTT", MovementID: "m", Kind: award.KindIndividual,
			NomineeName: "Nguyễn Thị Hồng Đào", Achievements: "Hoàn thành xuất sắc nhiệm vụ"},
		Proposer: staff, RuleSet: "rs", Criteria: criteria, Heads: []string{"tptt"}, Secretaries: []string{"thuky"}, ReviewDays: 7,
	}
}

// step sends one update and records whether it was rejected, accepted, and its result.
type step struct {
	name     string
	update   string
	arg      any
	wantCode award.Code // "" = must be accepted and complete without error
}

func runSteps(t *testing.T, env *testsuite.TestWorkflowEnvironment, steps []step) {
	t.Helper()
	for i, s := range steps {
		s := s
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(s.update, "", &testsuite.TestUpdateCallback{
				OnReject: func(err error) {
					de, ok := DomainError(err)
					switch {
					case s.wantCode == "":
						t.Errorf("%s: rejected: %v", s.name, err)
					case !ok || de.Code != s.wantCode:
						t.Errorf("%s: rejected with %v, want code %s", s.name, err, s.wantCode)
					case de.VI == "" || de.EN == "":
						t.Errorf("%s: message missing: %+v", s.name, de)
					}
				},
				OnAccept: func() {
					if s.wantCode != "" {
						t.Errorf("%s: accepted, want rejection %s", s.name, s.wantCode)
					}
				},
				OnComplete: func(_ any, err error) {
					if err != nil && s.wantCode == "" {
						t.Errorf("%s: failed: %v", s.name, err)
					}
				},
			}, s.arg)
		}, time.Duration(i+1)*time.Minute)
	}
}

func TestProposalWorkflowFullPath(t *testing.T) {
	env := newEnv()
	sha := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	answers := []award.CriterionAnswer{{CriterionID: "c1", Met: true}, {CriterionID: "c2", Met: true, Evidence: []string{sha}}}
	revised := proposalInput().Draft
	revised.Achievements = "Bổ sung sáng kiến được công nhận"
	steps := []step{
		{"create by proposer", UpdateCreate, ActorInput{staff}, ""},
		{"create by another person", UpdateCreate, ActorInput{head}, award.CodeForbidden},
		{"submit before self-assessment", UpdateSubmit, ActorInput{staff}, award.CodeInvalid},
		{"attach", UpdateAttach, AttachInput{staff, award.Evidence{SHA256: sha, Key: "evidence/p-1/" + sha, Name: "sang-kien.pdf", Size: 10}}, ""},
		{"self-assess by head", UpdateSelfAssess, SelfAssessInput{head, answers}, award.CodeForbidden},
		{"self-assess", UpdateSelfAssess, SelfAssessInput{staff, answers}, ""},
		{"endorse a draft", UpdateReview, ReviewInput{head, award.HeadEndorse, ""}, award.CodeWrongStage},
		{"submit", UpdateSubmit, ActorInput{staff}, ""},
		{"staff endorses", UpdateReview, ReviewInput{staff, award.HeadEndorse, ""}, award.CodeForbidden},
		{"head returns", UpdateReview, ReviewInput{head, award.HeadReturn, "Bổ sung minh chứng"}, ""},
		{"revise", UpdateRevise, ReviseInput{staff, revised, criteria, 0}, ""},
		{"resubmit", UpdateSubmit, ActorInput{staff}, ""},
		{"head endorses", UpdateReview, ReviewInput{head, award.HeadEndorse, "Đồng ý"}, ""},
		{"endorse twice", UpdateReview, ReviewInput{head, award.HeadEndorse, ""}, award.CodeWrongStage},
		{"join session", UpdateJoinSession, JoinInput{"s-1"}, ""},
		{"join session again (retry)", UpdateJoinSession, JoinInput{"s-1"}, ""},
		{"join another session", UpdateJoinSession, JoinInput{"s-2"}, award.CodeWrongStage},
		{"outcome", UpdateOutcome, OutcomeInput{award.Outcome{SessionID: "s-1", Passed: true, Yes: 5, DecisionID: "s-1.LDTT", NumberText: "Số 01-QĐ/BTGTU"}, true}, ""},
	}
	runSteps(t, env, steps)
	var midStage award.Stage
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryState)
		if err != nil {
			t.Errorf("query: %v", err)
			return
		}
		var pv ProposalView
		_ = v.Get(&pv)
		midStage = pv.Stage
		if len(pv.Assignees) != 1 || pv.Assignees[0] != "tptt" {
			t.Errorf("assignees while submitted: %v", pv.Assignees)
		}
	}, 8*time.Minute+30*time.Second)

	env.ExecuteWorkflow(ProposalWorkflowV2, proposalInput())
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out ProposalView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	if midStage != award.StageSubmitted {
		t.Errorf("stage after submit = %s", midStage)
	}
	if out.Stage != award.StageAwarded || out.Outcome == nil || out.Outcome.NumberText != "Số 01-QĐ/BTGTU" {
		t.Fatalf("final %+v", out.Proposal)
	}
	if out.Achievements != revised.Achievements || len(out.Evidence) != 1 {
		t.Fatalf("revision or evidence lost: %+v", out.Proposal)
	}
	// rejected updates never enter the history: count recorded actions
	if n := len(out.History); n != 10 {
		for _, e := range out.History {
			t.Log(e.Action)
		}
		t.Fatalf("history has %d events, want 10", n)
	}
}

func TestProposalRejectedByHead(t *testing.T) {
	env := newEnv()
	in := proposalInput()
	in.Criteria = nil // a movement without criteria needs no self-assessment
	runSteps(t, env, []step{
		{"submit", UpdateSubmit, ActorInput{staff}, ""},
		{"reject without reason", UpdateReview, ReviewInput{head, award.HeadReject, ""}, award.CodeInvalid},
		{"reject", UpdateReview, ReviewInput{head, award.HeadReject, "Chưa đủ thời gian công tác 10 tháng"}, ""},
	})
	env.ExecuteWorkflow(ProposalWorkflowV2, in)
	var out ProposalView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	if out.Stage != award.StageRejected || len(out.Assignees) != 0 {
		t.Fatalf("stage %s assignees %v", out.Stage, out.Assignees)
	}
}

func TestProposalInvalidInputFails(t *testing.T) {
	env := newEnv()
	in := proposalInput()
	in.Draft.NomineeName = ""
	env.ExecuteWorkflow(ProposalWorkflowV2, in)
	_, ok := DomainError(env.GetWorkflowError())
	if !ok {
		t.Fatalf("want a domain error, got %v", env.GetWorkflowError())
	}
}

func TestRegisterIsGaplessAndIdempotent(t *testing.T) {
	env := newEnv()
	got := map[string]int{}
	reqs := []string{"a", "b", "a", "c", "b"}
	for i, r := range reqs {
		r := r
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(UpdateAllocate, "", &testsuite.TestUpdateCallback{
				OnReject: func(err error) { t.Errorf("rejected %s: %v", r, err) },
				OnAccept: func() {},
				OnComplete: func(v any, err error) {
					if err != nil {
						t.Errorf("allocate %s: %v", r, err)
						return
					}
					n := v.(int)
					if prev, ok := got[r]; ok && prev != n {
						t.Errorf("request %s got %d then %d", r, prev, n)
					}
					got[r] = n
				},
			}, AllocateInput{RequestID: r})
		}, time.Duration(i+1)*time.Second)
	}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateAllocate, "", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) {},
			OnAccept:   func() { t.Error("empty request id accepted") },
			OnComplete: func(any, error) {},
		}, AllocateInput{})
	}, 10*time.Second)
	env.RegisterDelayedCallback(env.CancelWorkflow, time.Minute)
	env.ExecuteWorkflow(DecisionRegisterWorkflow, RegisterState{Series: "x"})
	if got["a"] != 1 || got["b"] != 2 || got["c"] != 3 {
		t.Fatalf("numbers %v, want a=1 b=2 c=3", got)
	}
}

func sessionInput() SessionInput {
	rule := award.VoteRule{Quorum: award.Ratio{Num: 2, Den: 3}, Pass: award.Ratio{Num: 1, Den: 2}, Base: award.BaseMembers, Strict: true}
	return SessionInput{
		ID: "s-1", Title: "Phiên họp xét khen thưởng năm 2025", Opener: sec,
		Members: []award.Member{
			{ID: chair.ID, Name: chair.Name, Role: award.RoleChair, Votes: true},
			{ID: mem1.ID, Name: mem1.Name, Role: award.RoleMember, Votes: true},
			{ID: sec.ID, Name: sec.Name, Role: award.RoleMember, Votes: true},
		},
		ProposalIDs: []string{"p-1", "p-2", "p-gone"},
		AwardTypes:  map[string]AwardTypeInfo{"LDTT": {Name: "Lao động tiên tiến", Authority: award.AuthorityAgency, Rule: rule}},
		AgencyCode:  "BTGTU", UTCOffset: 7 * 3600,
	}
}

func TestCouncilSession(t *testing.T) {
	env := newEnv()
	register := func(name string, fn any) {
		env.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
	}
	register(ActivityAssignAgenda, func(context.Context, AssignRequest) (AssignResult, error) { return AssignResult{}, nil })
	register(ActivityTallyBallots, func(context.Context, TallyRequest) (TallyResult, error) { return TallyResult{}, nil })
	register(ActivityAllocateNumber, func(context.Context, AllocateRequest) (int, error) { return 0, nil })
	register(ActivityIssueDecision, func(context.Context, DecisionRequest) (award.DocumentRef, error) { return award.DocumentRef{}, nil })
	register(ActivityIssueMinutes, func(context.Context, MinutesRequest) (award.DocumentRef, error) { return award.DocumentRef{}, nil })
	register(ActivityDeliverOutcome, func(context.Context, DeliverRequest) error { return nil })
	register(ActivityCheckDocument, func(context.Context, CheckDocumentRequest) error { return nil })

	env.OnActivity(ActivityAssignAgenda, mock.Anything, mock.Anything).Return(AssignResult{
		Items:   []award.AgendaItem{{ProposalID: "p-1", NomineeName: "Nguyễn Thị Hồng Đào", AwardType: "LDTT"}, {ProposalID: "p-2", NomineeName: "Lê Quốc Cường", AwardType: "LDTT"}},
		Skipped: []Skipped{{ProposalID: "p-gone", Reason: "not endorsed"}},
	}, nil).Once()
	env.OnActivity(ActivityTallyBallots, mock.Anything, mock.Anything).Return(func(_ context.Context, r TallyRequest) (TallyResult, error) {
		// the two ballots cast, sealed; the activity (package activities) opens them
		if len(r.Sealed) != 2 || r.Sealed[0] != "sealed-by-chair" || len(r.Agenda) != 2 {
			return TallyResult{}, fmt.Errorf("tally request %+v", r)
		}
		return TallyResult{Counts: map[string]award.Count{"p-1": {Yes: 2}, "p-2": {Yes: 1, No: 1}}}, nil
	}).Once()
	env.OnActivity(ActivityAllocateNumber, mock.Anything, AllocateRequest{AgencyCode: "BTGTU", DocType: DocDecision, Year: 2026, RequestID: "s-1/LDTT"}).Return(7, nil).Once()
	env.OnActivity(ActivityAllocateNumber, mock.Anything, AllocateRequest{AgencyCode: "BTGTU", DocType: DocMinutes, Year: 2026, RequestID: "s-1/minutes"}).Return(3, nil).Once()
	// Activities run on their own goroutines, several at once (outcomes are delivered in
	// parallel): guard what they record.
	var mu sync.Mutex
	var issued DecisionRequest
	env.OnActivity(ActivityIssueDecision, mock.Anything, mock.Anything).Return(func(_ context.Context, r DecisionRequest) (award.DocumentRef, error) {
		mu.Lock()
		defer mu.Unlock()
		issued = r
		return award.DocumentRef{ID: r.ID, Key: "decisions/2026/" + r.ID + ".pdf", NumberText: "Số 07-QĐ/BTGTU"}, nil
	}).Once()
	env.OnActivity(ActivityIssueMinutes, mock.Anything, mock.Anything).Return(award.DocumentRef{ID: "s-1.minutes", Key: "minutes/s-1.pdf"}, nil).Once()
	delivered := map[string]DeliverRequest{}
	env.OnActivity(ActivityDeliverOutcome, mock.Anything, mock.Anything).Return(func(_ context.Context, r DeliverRequest) error {
		mu.Lock()
		defer mu.Unlock()
		delivered[r.ProposalID] = r
		return nil
	})

	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateOpen, "", &testsuite.TestUpdateCallback{
			OnReject: func(err error) {}, OnAccept: func() { t.Error("open by a member accepted") }, OnComplete: func(any, error) {},
		}, ActorInput{mem1})
	}, 0)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflowNoRejection(UpdateOpen, "open-1", t, ActorInput{sec})
	}, time.Second)
	steps := []step{
		{"chair votes", UpdateVote, BallotInput{chair, "sealed-by-chair"}, ""},
		{"chair votes twice", UpdateVote, BallotInput{chair, "again"}, award.CodeDuplicate},
		{"outsider votes", UpdateVote, BallotInput{staff, "x"}, award.CodeForbidden},
		{"empty ballot", UpdateVote, BallotInput{mem1, ""}, award.CodeInvalid},
		{"member votes", UpdateVote, BallotInput{mem1, "sealed-by-member"}, ""},
		{"member closes", UpdateClose, ActorInput{mem1}, award.CodeForbidden},
		{"chair closes", UpdateClose, ActorInput{chair}, ""},
		{"vote after close", UpdateVote, BallotInput{sec, "late"}, award.CodeWrongStage},
	}
	runSteps(t, env, steps)
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryState)
		if err != nil {
			t.Errorf("query: %v", err)
			return
		}
		var sv SessionView
		_ = v.Get(&sv)
		if sv.Counts != nil {
			t.Errorf("counts visible while voting is open: %v", sv.Counts)
		}
		if len(sv.Voted) != 1 || sv.Voted[0] != chair.ID {
			t.Errorf("voted %v", sv.Voted)
		}
	}, 1*time.Minute+30*time.Second)

	env.SetStartTime(time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(CouncilSessionWorkflow, sessionInput())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var out SessionView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	env.AssertExpectations(t)
	mu.Lock()
	defer mu.Unlock()
	if out.Status != award.SessionDone || len(out.Decisions) != 1 || out.Minutes == nil {
		t.Fatalf("session %+v", out.Session)
	}
	// 2 of 3 voted (quorum 2/3 met); strict half of 3 members needs 2 yes: p-1 yes 2 passes, p-2 yes 1 fails
	if !out.Results["p-1"].Passed || out.Results["p-2"].Passed {
		t.Fatalf("results %+v", out.Results)
	}
	if len(issued.Awardees) != 1 || issued.Awardees[0].ProposalID != "p-1" || issued.Number != 7 {
		t.Fatalf("decision request %+v", issued)
	}
	if d := delivered["p-1"]; !d.Outcome.Passed || d.Outcome.NumberText != "Số 07-QĐ/BTGTU" || !d.QuorumMet {
		t.Fatalf("p-1 outcome %+v", d)
	}
	if d := delivered["p-2"]; d.Outcome.Passed || d.Outcome.No != 1 || d.Outcome.Yes != 1 {
		t.Fatalf("p-2 outcome %+v", d)
	}
	if len(out.Skipped) != 1 {
		t.Fatalf("skipped %+v", out.Skipped)
	}
}

func TestDomainErrorRoundTrip(t *testing.T) {
	err := asApplicationError(award.Forbidden("Không được", "not allowed"))
	de, ok := DomainError(err)
	if !ok || de.Code != award.CodeForbidden || de.VI != "Không được" {
		t.Fatalf("%v %+v", ok, de)
	}
	if _, ok := DomainError(errors.New("plain")); ok {
		t.Fatal("plain error taken for a domain error")
	}
}

func TestRegisterWorkflowIDIsASCII(t *testing.T) {
	id := RegisterWorkflowID("BTGTU", DocDecision, "2026")
	if id != "register/BTGTU/QD/2026" {
		t.Fatalf("id %q", id)
	}
	for _, r := range id {
		if r > 0x7e {
			t.Fatalf("non-ASCII id %q", id)
		}
	}
}

// The head lets the review deadline pass: the proposal is marked overdue, the agency
// head joins its assignees, and the head can still act afterwards.
func TestReviewDeadlineEscalates(t *testing.T) {
	env := newEnv()
	in := proposalInput()
	in.Criteria = nil
	in.Escalate = []string{"truongban"}
	day := 24 * time.Hour
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflowNoRejection(UpdateSubmit, "s1", t, ActorInput{staff})
	}, time.Hour)
	query := func() ProposalView {
		v, err := env.QueryWorkflow(QueryState)
		if err != nil {
			t.Fatalf("query: %v", err)
		}
		var pv ProposalView
		_ = v.Get(&pv)
		return pv
	}
	env.RegisterDelayedCallback(func() {
		if pv := query(); pv.Overdue || slices.Contains(pv.Assignees, "truongban") {
			t.Errorf("overdue after 6 days of 7: %+v", pv.Assignees)
		}
	}, 6*day)
	env.RegisterDelayedCallback(func() {
		pv := query()
		if !pv.Overdue || !slices.Contains(pv.Assignees, "truongban") || !slices.Contains(pv.Assignees, "tptt") {
			t.Errorf("not escalated after 8 days: overdue=%v assignees=%v", pv.Overdue, pv.Assignees)
		}
		if last := pv.History[len(pv.History)-1]; last.Action != "review_overdue" || last.ActorID != "system" {
			t.Errorf("last event %+v", last)
		}
	}, 8*day)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflowNoRejection(UpdateReview, "r1", t, ReviewInput{head, award.HeadReject, "Không đủ điều kiện"})
	}, 9*day)
	env.ExecuteWorkflow(ProposalWorkflowV2, in)
	var out ProposalView
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	if out.Stage != award.StageRejected || out.Overdue {
		t.Fatalf("final %s overdue=%v", out.Stage, out.Overdue)
	}
	var actions []string
	for _, e := range out.History {
		actions = append(actions, string(e.Action))
	}
	if strings.Join(actions, ",") != "create,submit,review_overdue,reject" {
		t.Fatalf("history %v", actions)
	}
}
