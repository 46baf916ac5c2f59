package workflows

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
)

// rowLog records the projection's writes (every attempt, in the order they ran).
type rowLog struct {
	mu       sync.Mutex
	attempts []Projection
	written  []Projection
	// fail decides whether an attempt fails (nil: it succeeds).
	fail func(row Projection, attempt int) error
}

func (l *rowLog) watch(env *testsuite.TestWorkflowEnvironment) {
	env.OnActivity(ActivityProject, mock.Anything, mock.Anything).Return(func(_ context.Context, row Projection) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		n := 0
		for _, a := range l.attempts {
			if a.Seq == row.Seq {
				n++
			}
		}
		l.attempts = append(l.attempts, row)
		if l.fail != nil {
			if err := l.fail(row, n+1); err != nil {
				return err
			}
		}
		l.written = append(l.written, row)
		return nil
	})
}

func (l *rowLog) rows() []Projection {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := slices.Clone(l.written)
	slices.SortFunc(out, func(a, b Projection) int { return int(a.Seq - b.Seq) })
	return out
}

func queryProjection(t *testing.T, env *testsuite.TestWorkflowEnvironment) ProjectionState {
	t.Helper()
	v, err := env.QueryWorkflow(QueryProjection)
	if err != nil {
		t.Fatalf("query projection: %v", err)
	}
	var st ProjectionState
	if err := v.Get(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func stagesOf(rows []Projection) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Stage
	}
	return out
}

// checkSeqs: one write per change, Seq 1, 2, 3, … without gaps or repeats.
func checkSeqs(t *testing.T, rows []Projection) {
	t.Helper()
	for i, r := range rows {
		if r.Seq != int64(i+1) {
			t.Fatalf("write %d has Seq %d (seqs %v)", i, r.Seq, seqsOf(rows))
		}
	}
}

// checkIncreasing: Seq grows with every write (changes of one instant make one write).
func checkIncreasing(t *testing.T, rows []Projection) {
	t.Helper()
	for i, r := range rows {
		if r.Seq < 1 || (i > 0 && r.Seq <= rows[i-1].Seq) {
			t.Fatalf("seqs written %v: not increasing", seqsOf(rows))
		}
	}
}

func seqsOf(rows []Projection) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.Seq
	}
	return out
}

// A proposal writes its row at each stage change, with Seq 1, 2, 3, …, every field from
// its state and the time of the change from the workflow's clock; the query answers the
// row of the last change, which is the last row written.
func TestProposalProjectsEachChange(t *testing.T) {
	env := newEnv()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: "p-1"})
	start := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	env.SetStartTime(start)
	var log rowLog
	log.watch(env)
	answers := []award.CriterionAnswer{{CriterionID: "c1", Met: true}, {CriterionID: "c2", Met: true}}
	revised := proposalInput().Draft
	revised.NomineeName = "Nguyễn Thị Hồng Đào (sửa)"
	revised.MovementID = "m2"
	runSteps(t, env, []step{
		{"self-assess", UpdateSelfAssess, SelfAssessInput{staff, answers}, ""},                            // 1 min: no stage change
		{"submit", UpdateSubmit, ActorInput{staff}, ""},                                                   // 2
		{"head returns", UpdateReview, ReviewInput{head, award.HeadReturn, "Bổ sung"}, ""},                // 3
		{"revise", UpdateRevise, ReviseInput{staff, revised, criteria, 2026}, ""},                         // 4
		{"self-assess again", UpdateSelfAssess, SelfAssessInput{staff, answers}, ""},                      // 5: no change
		{"resubmit", UpdateSubmit, ActorInput{staff}, ""},                                                 // 6
		{"endorse", UpdateReview, ReviewInput{head, award.HeadEndorse, ""}, ""},                           // 7
		{"join", UpdateJoinSession, JoinInput{"s-1"}, ""},                                                 // 8
		{"outcome", UpdateOutcome, OutcomeInput{award.Outcome{SessionID: "s-1", Passed: true}, true}, ""}, // 9
	})
	var mid ProjectionState
	env.RegisterDelayedCallback(func() { mid = queryProjection(t, env) }, 6*time.Minute+30*time.Second)
	in := proposalInput()
	in.Year = 2025
	env.ExecuteWorkflow(ProposalWorkflowV2, in)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	rows := log.rows()
	checkSeqs(t, rows)
	want := []string{"draft", "submitted", "returned", "returned", "submitted", "endorsed", "in_session", "awarded"}
	if !slices.Equal(stagesOf(rows), want) {
		t.Fatalf("stages written %v, want %v", stagesOf(rows), want)
	}
	at := func(min int) time.Time { return start.Add(time.Duration(min) * time.Minute) }
	for i, min := range []int{0, 2, 3, 4, 6, 7, 8, 9} {
		r := rows[i]
		if !r.UpdatedAt.Equal(at(min)) || !r.CreatedAt.Equal(start) || r.WorkflowID != "p-1" || r.Kind != KindProposal {
			t.Errorf("row %d: updated %s created %s id %s kind %s, want updated %s", r.Seq, r.UpdatedAt, r.CreatedAt, r.WorkflowID, r.Kind, at(min))
		}
	}
	// Fields from the state: the revision changes the nominee, the movement and the year.
	if r := rows[1]; r.NomineeName != in.Draft.NomineeName || r.Movement != "m" || r.Year != 2025 || r.Department != "tt" ||
		r.Proposer != "hongdao" || r.AwardType != "LDTT" || r.NomineeKind != "individual" ||
		!slices.Equal(r.Assignees, []string{"tptt"}) || !r.DueAt.Equal(at(2).Add(7*24*time.Hour)) || r.Overdue {
		t.Errorf("submitted row %+v", r)
	}
	if r := rows[3]; r.NomineeName != revised.NomineeName || r.Movement != "m2" || r.Year != 2026 || !r.DueAt.IsZero() ||
		!slices.Equal(r.Assignees, []string{"hongdao"}) {
		t.Errorf("revised row %+v", r)
	}
	if r := rows[5]; !slices.Equal(r.Assignees, []string{"thuky"}) || r.Year != 2026 {
		t.Errorf("endorsed row %+v", r)
	}
	if r := rows[6]; r.SessionID != "s-1" {
		t.Errorf("in-session row %+v", r)
	}
	last := rows[len(rows)-1]
	if len(last.Assignees) != 0 || last.Assignees == nil {
		t.Errorf("final row assignees %#v, want []", last.Assignees)
	}
	// The query answers what the workflow wrote last (at 6½ min: the resubmission, Seq 5).
	if !mid.Projecting || mid.Row == nil || mid.Row.Seq != 5 || !equalRows(*mid.Row, rows[4]) {
		t.Errorf("query mid-way %+v, want the row of Seq 5 %+v", mid.Row, rows[4])
	}
}

func equalRows(a, b Projection) bool {
	return a.Seq == b.Seq && a.Stage == b.Stage && a.UpdatedAt.Equal(b.UpdatedAt) && a.CreatedAt.Equal(b.CreatedAt) &&
		a.DueAt.Equal(b.DueAt) && slices.Equal(a.Assignees, b.Assignees) && a.NomineeName == b.NomineeName &&
		a.Year == b.Year && a.Movement == b.Movement && a.SessionID == b.SessionID && a.Overdue == b.Overdue &&
		a.WorkflowID == b.WorkflowID && a.Department == b.Department && a.Proposer == b.Proposer
}

// The write does not hold the workflow up and a store outage does not fail it: retried
// errors are retried with backoff until the write goes through, a conflict (a bug) is
// not retried and is dropped, and the workflow completes with its final row written.
func TestProjectionOutageAndConflictDoNotFailTheWorkflow(t *testing.T) {
	env := newEnv()
	var log rowLog
	log.fail = func(row Projection, attempt int) error {
		switch {
		case row.Seq == 2:
			return temporal.NewNonRetryableApplicationError("event 2 written with other content", ErrProjectionConflict, nil)
		case attempt <= 4: // the store is down for the first four attempts of every other write
			return errors.New("connect to the store: connection refused")
		}
		return nil
	}
	log.watch(env)
	in := proposalInput()
	in.Criteria = nil
	runSteps(t, env, []step{
		{"submit", UpdateSubmit, ActorInput{staff}, ""},
		{"reject", UpdateReview, ReviewInput{head, award.HeadReject, "Chưa đủ điều kiện"}, ""},
	})
	env.ExecuteWorkflow(ProposalWorkflowV2, in)
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("the workflow failed with its projection: %v", err)
	}
	rows := log.rows()
	if got := seqsOf(rows); !slices.Equal(got, []int64{1, 3}) {
		t.Fatalf("written %v, want 1 and 3 (2 conflicted)", got)
	}
	if rows[1].Stage != string(award.StageRejected) {
		t.Fatalf("final row %+v", rows[1])
	}
	tries := map[int64]int{}
	for _, a := range log.attempts {
		tries[a.Seq]++
	}
	if tries[1] != 5 || tries[2] != 1 || tries[3] != 5 {
		t.Fatalf("attempts per seq %v, want 5 (4 outages) / 1 (conflict, not retried) / 5", tries)
	}
}

// A proposal started before the projection (no version marker) writes nothing, but its
// query knows the row of its last change. Told to project (SignalProject, as `awardflow
// reindex` does), it writes that row at once with the same Seq, then each later change.
func TestOldProposalProjectsOnceTold(t *testing.T) {
	env := newEnv()
	env.OnGetVersion(versionProjection, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	var log rowLog
	log.watch(env)
	in := proposalInput()
	in.Criteria = nil
	runSteps(t, env, []step{
		{"submit", UpdateSubmit, ActorInput{staff}, ""},                              // 1 min
		{"return", UpdateReview, ReviewInput{head, award.HeadReturn, "Bổ sung"}, ""}, // 2
		{"resubmit", UpdateSubmit, ActorInput{staff}, ""},                            // 3 (after the signal)
		{"endorse", UpdateReview, ReviewInput{head, award.HeadEndorse, ""}, ""},      // 4
		{"join", UpdateJoinSession, JoinInput{"s-1"}, ""},                            // 5
		{"outcome", UpdateOutcome, OutcomeInput{award.Outcome{SessionID: "s-1"}, true}, ""},
	})
	var before ProjectionState
	var writtenBefore int
	env.RegisterDelayedCallback(func() {
		before = queryProjection(t, env)
		writtenBefore = len(log.rows())
		env.SignalWorkflow(SignalProject, nil)
	}, 2*time.Minute+30*time.Second)
	env.ExecuteWorkflow(ProposalWorkflow, in) // the legacy type: its markers decide
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if writtenBefore != 0 || before.Projecting || before.Row == nil || before.Row.Seq != 3 || before.Row.Stage != "returned" {
		t.Fatalf("before the signal: %d writes, state %+v", writtenBefore, before)
	}
	rows := log.rows()
	if got := seqsOf(rows); !slices.Equal(got, []int64{3, 4, 5, 6, 7}) {
		t.Fatalf("written seqs %v, want 3 (at the signal) then 4..7", got)
	}
	if !equalRows(rows[0], *before.Row) {
		t.Fatalf("the signal wrote %+v, the query said %+v", rows[0], *before.Row)
	}
	if rows[4].Stage != string(award.StageNotAwarded) {
		t.Fatalf("final row %+v", rows[4])
	}
}

// A council session writes its row at each change: opened (the voters and the chair
// assigned), each ballot, closed, deciding (the signers assigned, the drafts' deadline
// as its due date), each document action, done; Seq grows with each change, and the
// changes of one instant (the count, the drafts) make one write of the latest.
func TestSessionProjectsEachChange(t *testing.T) {
	env := newEnv()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: "s-1"})
	f := &lifecycleDocs{fakeDocs: &fakeDocs{}}
	f.register(env, lifecycleAgenda, lifecycleCounts)
	var log rowLog
	log.watch(env)
	voteAndClose(t, env)
	var deciding ProjectionState
	env.RegisterDelayedCallback(func() { deciding = queryProjection(t, env) }, 10*time.Minute)
	ld, gk, up := DecisionID("s-1", "LDTT"), DecisionID("s-1", "GK"), SubmissionID("s-1", "TTLDXS")
	at(t, env, 20*time.Minute,
		step{"head approves LĐTT", UpdateApproveDocument, act(chair, ld), ""},
		step{"deputy approves Giấy khen", UpdateApproveDocument, act(mem1, gk), ""},
		step{"head approves the tờ trình", UpdateApproveDocument, act(chair, up), ""},
		step{"clerk issues LĐTT", UpdateIssueDocument, act(clerk, ld), ""},
		step{"clerk issues Giấy khen", UpdateIssueDocument, act(clerk, gk), ""},
		step{"clerk issues the tờ trình", UpdateIssueDocument, act(clerk, up), ""},
	)
	start := time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC)
	env.SetStartTime(start)
	env.ExecuteWorkflow(CouncilSessionWorkflow, lifecycleInput())
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	rows := log.rows()
	checkIncreasing(t, rows)
	stages := stagesOf(rows)
	if rows[0].Seq != 1 || stages[0] != "open" || stages[len(stages)-1] != "done" || !slices.Contains(stages, "deciding") {
		t.Fatalf("stages written %v", stages)
	}
	first := rows[0]
	if first.Kind != KindSession || first.WorkflowID != "s-1" || first.Title != lifecycleInput().Title || first.Year != 2026 ||
		!first.CreatedAt.Equal(start.Add(time.Second)) || !slices.Contains(first.Assignees, chair.ID) || !slices.Contains(first.Assignees, mem1.ID) {
		t.Fatalf("opened row %+v", first)
	}
	d := deciding.Row
	if d == nil || d.Stage != "deciding" || !slices.Contains(d.Assignees, chair.ID) || !slices.Contains(d.Assignees, mem1.ID) ||
		d.DueAt.IsZero() || !d.DueAt.Equal(d.UpdatedAt.Add(3*24*time.Hour)) || d.Overdue {
		t.Fatalf("deciding row %+v", d)
	}
	last := rows[len(rows)-1]
	if len(last.Assignees) != 0 || !last.DueAt.IsZero() {
		t.Fatalf("done row %+v", last)
	}
	if st := queryProjection(t, env); st.Row == nil || !equalRows(*st.Row, last) || !st.Projecting {
		t.Fatalf("query after the end %+v, want %+v", st.Row, last)
	}
}

// Changes in a burst make one write, of the latest row, projectDelay after the burst;
// the last change before the end is written without waiting.
func TestProjectionCoalescesABurst(t *testing.T) {
	env := newEnv()
	var log rowLog
	log.watch(env)
	in := proposalInput()
	in.Criteria = nil
	burst := []step{
		{"submit", UpdateSubmit, ActorInput{staff}, ""},
		{"return", UpdateReview, ReviewInput{head, award.HeadReturn, "Bổ sung"}, ""},
		{"resubmit", UpdateSubmit, ActorInput{staff}, ""},
	}
	for i, s := range burst {
		env.RegisterDelayedCallback(func() { env.UpdateWorkflow(s.update, "", updateCheck(t, s), s.arg) }, time.Minute+time.Duration(i)*200*time.Millisecond)
	}
	at(t, env, 10*time.Minute, step{"reject", UpdateReview, ReviewInput{head, award.HeadReject, "Không đủ điều kiện"}, ""})
	start := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	env.SetStartTime(start)
	env.ExecuteWorkflow(ProposalWorkflowV2, in)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	rows := log.rows()
	if got := seqsOf(rows); !slices.Equal(got, []int64{1, 4, 5}) {
		t.Fatalf("written %v, want 1 (filed), 4 (the burst's last), 5 (rejected)", got)
	}
	if rows[1].Stage != "submitted" || !rows[1].UpdatedAt.Equal(start.Add(time.Minute+400*time.Millisecond)) {
		t.Fatalf("the burst's row %+v", rows[1])
	}
	if rows[2].Stage != "rejected" {
		t.Fatalf("final row %+v", rows[2])
	}
}
