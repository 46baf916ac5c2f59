package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/workflows"
)

// historyOf reads a workflow's whole history.
func historyOf(t *testing.T, c client.Client, id string) []*historypb.HistoryEvent {
	t.Helper()
	it := c.GetWorkflowHistory(context.Background(), id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var out []*historypb.HistoryEvent
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

// projectionWrites counts, in events, the workflow's own list-row writes: Project
// activities scheduled, and the one-second timers that precede them.
func projectionWrites(events []*historypb.HistoryEvent) (activities, timers int) {
	for _, ev := range events {
		if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil && a.GetActivityType().GetName() == workflows.ActivityProject {
			activities++
		}
		if tm := ev.GetTimerStartedEventAttributes(); tm != nil && tm.GetStartToFireTimeout().AsDuration() == time.Second {
			timers++
		}
	}
	return activities, timers
}

func dialOwnRows(t *testing.T, d *devapp.Dev) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: d.Temporal, Namespace: "default",
		ContextPropagators: []workflow.ContextPropagator{workflows.OwnRowPropagator{}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func dueIntents(t *testing.T, d *devapp.Dev) []string {
	t.Helper()
	ids, err := d.Store.DueOwnRows(context.Background(), time.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestOwnRowsWrittenByTheAPI (issue 12, P1/P2): the list row of every change asked for
// through the API is written by the API, with the answer: a proposal filed, assessed,
// submitted, returned, revised, submitted again and endorsed runs as ProposalWorkflowV3
// and schedules no Project activity and no projection timer, yet the records store holds
// the row of its last change, as the workflow answers it, and no intent is left; a refused
// step leaves none either.
func TestOwnRowsWrittenByTheAPI(t *testing.T) {
	d := startDev(t, t.TempDir())
	staff, head := login(t, d.URL, "hongdao"), login(t, d.URL, "tptt")
	p := fileProposal(t, staff, "Nguyễn Thị Hồng Đào") // create, self-assessment, submit
	id := "/api/v1/proposals/" + p.ID
	must(t, head.post(id+"/return", map[string]string{"comment": "Bổ sung số liệu"}), http.StatusOK, nil)
	must(t, staff.post(id+"/submit", nil), http.StatusOK, nil)
	must(t, head.post(id+"/endorse", nil), http.StatusOK, nil)
	// Refused: the proposal is endorsed already.
	must(t, head.post(id+"/endorse", nil), http.StatusConflict, nil)

	c := dialOwnRows(t, d)
	events := historyOf(t, c, p.ID)
	if got := events[0].GetWorkflowExecutionStartedEventAttributes().GetWorkflowType().GetName(); got != "ProposalWorkflowV3" {
		t.Fatalf("a new proposal runs as %q", got)
	}
	if acts, timers := projectionWrites(events); acts != 0 || timers != 0 {
		t.Errorf("the workflow wrote rows itself: %d Project activities, %d projection timers", acts, timers)
	}
	v, err := c.QueryWorkflow(context.Background(), p.ID, "", workflows.QueryProjection)
	if err != nil {
		t.Fatal(err)
	}
	var st workflows.ProjectionState
	if err := v.Get(&st); err != nil {
		t.Fatal(err)
	}
	row, err := d.Store.Projection(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Row == nil || row.Seq != st.Row.Seq || row.Stage != string(award.StageEndorsed) || st.Row.Stage != row.Stage {
		t.Fatalf("stored row seq %d stage %s; the workflow's: %+v", row.Seq, row.Stage, st.Row)
	}
	if row.Seq != 5 { // filed, submitted, returned, submitted, endorsed
		t.Errorf("stored row at seq %d, want 5", row.Seq)
	}
	if ids := dueIntents(t, d); len(ids) != 0 {
		t.Errorf("own-row intents left: %v", ids)
	}

	// A finished proposal (rejected: its workflow completed) refuses the next step with
	// 409 and leaves no intent behind for the sweeper either.
	q := fileProposal(t, login(t, d.URL, "quoccuong"), "Lê Quốc Cường")
	must(t, head.post("/api/v1/proposals/"+q.ID+"/reject", map[string]string{"comment": "Chưa đủ điều kiện"}), http.StatusOK, nil)
	eventually(t, "the rejected proposal's workflow to complete", 30*time.Second, func() bool {
		desc, err := c.DescribeWorkflowExecution(context.Background(), q.ID, "")
		return err == nil && desc.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED
	})
	must(t, head.post("/api/v1/proposals/"+q.ID+"/endorse", nil), http.StatusConflict, nil)
	if ids := dueIntents(t, d); len(ids) != 0 {
		t.Errorf("own-row intents left after a step on a finished proposal: %v", ids)
	}
}

// TestOwnRowWhenTheCallerDoesNotWrite: the two ways a row is still written when the
// caller that promised it does not. (1) The caller marks its update and dies before the
// row (simulated: a marked update sent straight to Temporal, and the intent the API
// records before an update): the workflow does not write, and the API's sweeper writes
// the workflow's row once the intent is due. (2) The update reaches the workflow too late
// (inside the margin before the caller's deadline): the workflow writes the row itself.
func TestOwnRowWhenTheCallerDoesNotWrite(t *testing.T) {
	d := startDev(t, t.TempDir())
	staff := login(t, d.URL, "hongdao")
	c := dialOwnRows(t, d)
	ctx := context.Background()
	withdraw := func(id, proposer string, deadline time.Time) {
		t.Helper()
		h, err := c.UpdateWorkflow(workflows.WithOwnRow(ctx, deadline), client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateName: workflows.UpdateWithdraw, WaitForStage: client.WorkflowUpdateStageCompleted,
			Args: []any{workflows.ActorInput{Actor: award.Actor{ID: proposer}}},
		})
		if err == nil {
			err = h.Get(ctx, nil)
		}
		if err != nil {
			t.Fatalf("withdraw %s: %v", id, err)
		}
	}
	stage := func(id string) (string, int64) {
		row, err := d.Store.Projection(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return row.Stage, row.Seq
	}

	// (1) A crash between the change and the row.
	writtenBefore := sweptWritten(t)
	p1 := fileProposal(t, staff, "Nguyễn Thị Hồng Đào")
	if s, _ := stage(p1.ID); s != string(award.StageSubmitted) {
		t.Fatalf("after submitting, the row says %s", s)
	}
	withdraw(p1.ID, "hongdao", time.Now().Add(time.Minute))
	if acts, timers := projectionWrites(historyOf(t, c, p1.ID)); acts != 0 || timers != 0 {
		t.Fatalf("a marked change was written by the workflow: %d activities, %d timers", acts, timers)
	}
	if s, _ := stage(p1.ID); s != string(award.StageSubmitted) {
		t.Fatalf("nobody wrote the withdrawal, yet the row says %s", s)
	}
	if _, err := d.Store.BeginOwnRow(ctx, p1.ID, time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the sweeper to write the withdrawn proposal's row", time.Minute, func() bool {
		s, seq := stage(p1.ID)
		return s == string(award.StageDraft) && seq == 3
	})
	eventually(t, "the sweeper to settle the intent", time.Minute, func() bool { return len(dueIntents(t, d)) == 0 })
	if got := sweptWritten(t); got < writtenBefore+1 {
		t.Errorf("awardflow_own_rows_swept_total{outcome=\"written\"} went from %v to %v", writtenBefore, got)
	}

	// (2) Too late for the caller: the workflow writes.
	p2 := fileProposal(t, login(t, d.URL, "quoccuong"), "Lê Quốc Cường")
	withdraw(p2.ID, "quoccuong", time.Now().Add(2*time.Second)) // inside the 5 s margin
	eventually(t, "the workflow to write the late change's row", time.Minute, func() bool {
		s, seq := stage(p2.ID)
		return s == string(award.StageDraft) && seq == 3
	})
	if acts, _ := projectionWrites(historyOf(t, c, p2.ID)); acts != 1 {
		t.Errorf("the late change: %d Project activities, want 1", acts)
	}
}

// sweptWritten reads awardflow_own_rows_swept_total{outcome="written"} from this
// process's registry (the dev stack runs in the test's process).
func sweptWritten(t *testing.T) float64 {
	t.Helper()
	mfs, err := obs.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "awardflow_own_rows_swept_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() == "written" {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatal("awardflow_own_rows_swept_total{outcome=\"written\"} is not exported")
	return 0
}
