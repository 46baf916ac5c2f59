package workflows

import (
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// The projection: at each change a workflow already publishes to visibility (its stage,
// its assignees), it also writes its row of the records store's projection (the lists,
// search, paging and sorting of GET /api/v1/proposals, /inbox and /sessions) through the
// Project activity. The row is built from the workflow's state alone, its times from
// workflow.Now, and its Seq counts the workflow's changes: a retried or replayed
// activity writes the same row, and an older write never overwrites a newer one
// (store.UpsertProjection).
//
// In a ProposalWorkflowV3 the changes the API asks for are written by the API instead
// (ownrow.go): the writer below writes only the others (timers, the council's outcome).
//
// The write never holds up the update that caused it. One writer per workflow (a
// coroutine) writes the latest row projectDelay after a change: the changes of a burst
// (a person's consecutive steps, the members' ballots) make one write, and an update that
// follows a change at once does not queue behind the write's workflow tasks (measured by
// BenchmarkStageChangeLatency in internal/e2e: back to back, the second update waited
// ~30 ms for them when the write was scheduled at once). Before the workflow completes
// the last row is written without delay.
//
// Workflows started before the change (versionProjection) do not write until `awardflow
// reindex` sends them SignalProject; from then on they write each change like the
// others. Every workflow, old or new, answers QueryProjection with the row of its last
// change (rebuilt on replay), which is what the reindex writes for closed workflows:
// the same Seq and content the workflow itself wrote, so a reindex is idempotent.

// ActivityProject writes one projection row (activities.Project).
const ActivityProject = "Project"

// QueryProjection answers a ProjectionState.
const QueryProjection = "projection"

// SignalProject makes a workflow started before versionProjection write its row now and
// at each later change (sent by `awardflow reindex`).
const SignalProject = "project"

// ErrProjectionConflict is the type of the non-retryable error of a projection write
// that reuses a Seq with other content: a bug, never a reason to retry.
const ErrProjectionConflict = "ProjectionConflict"

// versionProjection marks the change that writes each change to the projection.
const versionProjection = "records-projection"

// Projection is one workflow's row of the projection as of its change Seq: the records
// store's own type, so that what a workflow computes is what the store keeps, field for
// field (the activity, the API and the reindex write it as it is).
type Projection = store.Projection

// ProjectionState is what QueryProjection answers.
type ProjectionState struct {
	// Row is the row of the last change; nil before the first (a session not opened).
	Row *Projection `json:"row,omitempty"`
	// Projecting: the workflow writes its changes itself (started under
	// versionProjection, or told to by SignalProject).
	Projecting bool `json:"projecting"`
}

// projectDelay is how long after a change its row is written (see above).
const projectDelay = time.Second

// projectOptions retry a write while the store is down, with backoff, for up to three
// days; a conflict is not retried. A write that finally fails is logged and dropped: the
// workflow goes on, the next change writes a newer row, and `awardflow reindex` repairs.
var projectOptions = workflow.ActivityOptions{
	StartToCloseTimeout:    10 * time.Second,
	ScheduleToCloseTimeout: 72 * time.Hour,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
		NonRetryableErrorTypes: []string{ErrProjectionConflict},
	},
}

// projector keeps a workflow's projection state.
type projector struct {
	ctx     workflow.Context // the workflow's root context
	on      bool             // the workflow writes its rows
	row     *Projection      // the row of the last change
	sent    int64            // the Seq of the last row handed to the activity
	writing bool             // a write is in flight
	flush   bool             // write without delay from now on (the workflow ends)
	// ownRows: a change whose update carries the caller's mark is written by the
	// caller (ownrow.go); ProposalWorkflowV3 only.
	ownRows bool
}

// newProjector decides whether the workflow writes its changes (the version marker) and
// registers QueryProjection and SignalProject. Call it once, before the first change.
func newProjector(ctx workflow.Context, pv patches) (*projector, error) {
	p := &projector{ctx: ctx, ownRows: pv.ownRows}
	p.on = pv.version(ctx, versionProjection, 1) >= 1
	if err := workflow.SetQueryHandler(ctx, QueryProjection, func() (ProjectionState, error) {
		st := ProjectionState{Projecting: p.on}
		if p.row != nil {
			r := p.copyRow()
			st.Row = &r
		}
		return st, nil
	}); err != nil {
		return nil, err
	}
	ch := workflow.GetSignalChannel(ctx, SignalProject)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			ch.Receive(ctx, nil)
			p.on = true // the writer wakes and writes the current row
		}
	})
	workflow.Go(ctx, p.writer)
	return p, nil
}

// writer writes the latest row projectDelay after a change, one write at a time.
func (p *projector) writer(ctx workflow.Context) {
	actx := workflow.WithActivityOptions(ctx, projectOptions)
	for {
		if err := workflow.Await(ctx, func() bool { return p.on && p.row != nil && p.row.Seq > p.sent }); err != nil {
			return // the workflow is cancelled
		}
		if !p.flush {
			if _, err := workflow.AwaitWithTimeout(ctx, projectDelay, func() bool { return p.flush }); err != nil {
				return
			}
			// A change made meanwhile whose caller writes its row has superseded the
			// one this write was for (each row is the whole state). Only own rows move
			// p.sent outside this loop, so older workflow types never skip here.
			if p.row.Seq <= p.sent {
				continue
			}
		}
		row := p.copyRow()
		p.sent, p.writing = row.Seq, true
		err := workflow.ExecuteActivity(actx, ActivityProject, row).Get(ctx, nil)
		p.writing = false
		if err != nil {
			workflow.GetLogger(ctx).Warn("projection not written", "workflow", row.WorkflowID, "seq", row.Seq, "error", err)
		}
	}
}

// changed records a change: row as of now, with the next Seq; the writer writes it.
// Call it wherever the workflow publishes to visibility, also in workflows that do not
// write (their row answers QueryProjection).
func (p *projector) changed(row Projection) {
	row.Seq = 1
	if p.row != nil {
		row.Seq = p.row.Seq + 1
	}
	row.WorkflowID = workflow.GetInfo(p.ctx).WorkflowExecution.ID
	row.UpdatedAt = workflow.Now(p.ctx)
	if row.Assignees == nil {
		row.Assignees = []string{}
	}
	p.row = &row
}

// changedIn is changed for a change made in ctx (an update handler's context, or the
// root's): when the caller writes its row (callerWritesRow), the writer does not.
func (p *projector) changedIn(ctx workflow.Context, row Projection) {
	p.changed(row)
	if p.ownRows && p.on && callerWritesRow(ctx) {
		p.sent = p.row.Seq
	}
}

// current is the row of the last change when the workflow writes its rows, else nil.
func (p *projector) current() *Projection {
	if !p.on || p.row == nil {
		return nil
	}
	r := p.copyRow()
	return &r
}

func (p *projector) copyRow() Projection {
	r := *p.row
	r.Assignees = slices.Clone(r.Assignees)
	return r
}

// drain writes the last row now and waits for it; call it before the workflow
// completes (an activity of a closed workflow never runs).
func (p *projector) drain() error {
	p.flush = true
	return workflow.Await(p.ctx, func() bool { return !p.writing && (!p.on || p.row == nil || p.sent >= p.row.Seq) })
}

// proposalRow is a proposal's row (UpdatedAt and Seq are the projector's).
func proposalRow(p *award.Proposal, in ProposalInput, year int) Projection {
	r := Projection{
		Kind: KindProposal, Stage: string(p.Stage), Department: p.Department,
		NomineeName: p.NomineeName, NomineeID: p.NomineeID, NomineeKind: string(p.Kind),
		AwardType: p.AwardType, Movement: p.MovementID, Year: year, Proposer: p.ProposerID, SessionID: p.SessionID,
		Assignees: assignees(p, in), Overdue: p.Overdue, CreatedAt: p.CreatedAt,
	}
	if p.Stage == award.StageSubmitted && in.ReviewDays > 0 {
		r.DueAt = reviewDue(p, in)
	}
	return r
}

// reviewDue is when the head's review of a submitted proposal is due.
func reviewDue(p *award.Proposal, in ProposalInput) time.Time {
	if in.ReviewWithin > 0 {
		return submittedAt(p).Add(in.ReviewWithin)
	}
	return submittedAt(p).Add(time.Duration(in.ReviewDays) * 24 * time.Hour)
}

// sessionRow is a session's row: its status, who it waits on, and while documents wait
// for their signer the earliest deadline (overdue when one has passed).
func sessionRow(s *award.Session, in SessionInput, waiting []string) Projection {
	r := Projection{
		Kind: KindSession, Stage: string(s.Status), Title: s.Title, Assignees: slices.Clone(waiting),
		CreatedAt: s.OpenedAt, Year: s.OpenedAt.In(time.FixedZone("local", in.UTCOffset)).Year(),
	}
	for _, d := range s.Documents {
		if d.Status != award.DocAwaitingSignature || d.DueAt.IsZero() {
			continue
		}
		if r.DueAt.IsZero() || d.DueAt.Before(r.DueAt) {
			r.DueAt = d.DueAt
		}
		r.Overdue = r.Overdue || d.Overdue
	}
	return r
}
