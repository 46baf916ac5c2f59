package workflows

import (
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
)

// The projection: at each change a workflow already publishes to visibility (its stage,
// its assignees), it also writes its row of the records store's projection (the lists,
// search, paging and sorting of GET /api/v1/proposals, /inbox and /sessions) through the
// Project activity. The row is built from the workflow's state alone, its times from
// workflow.Now, and its Seq counts the workflow's changes: a retried or replayed
// activity writes the same row, and an older write never overwrites a newer one
// (store.UpsertProjection). The write does not hold up the update that caused it: the
// activity is scheduled with the update's answer and awaited only before the workflow
// completes.
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

// Projection is one workflow's row of the projection as of its change Seq (the fields of
// store.Projection; see there).
type Projection struct {
	WorkflowID  string    `json:"workflow_id"`
	Kind        string    `json:"kind"` // KindProposal or KindSession
	Seq         int64     `json:"seq"`
	Stage       string    `json:"stage"`
	Department  string    `json:"department,omitempty"`
	Title       string    `json:"title,omitempty"` // a session's title
	NomineeName string    `json:"nominee_name,omitempty"`
	NomineeID   string    `json:"nominee_id,omitempty"`
	NomineeKind string    `json:"nominee_kind,omitempty"`
	AwardType   string    `json:"award_type,omitempty"`
	Movement    string    `json:"movement,omitempty"`
	Year        int       `json:"year,omitempty"`
	Proposer    string    `json:"proposer,omitempty"`
	SessionID   string    `json:"session_id,omitempty"`
	Assignees   []string  `json:"assignees"`
	DueAt       time.Time `json:"due_at,omitzero"`
	Overdue     bool      `json:"overdue,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// ProjectionState is what QueryProjection answers.
type ProjectionState struct {
	// Row is the row of the last change; nil before the first (a session not opened).
	Row *Projection `json:"row,omitempty"`
	// Projecting: the workflow writes its changes itself (started under
	// versionProjection, or told to by SignalProject).
	Projecting bool `json:"projecting"`
}

// projectRetry retries a write while the store is down, with backoff, for up to three
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
	on      bool
	row     *Projection
	pending int // writes in flight
}

// newProjector decides whether the workflow writes its changes (the version marker) and
// registers QueryProjection and SignalProject. Call it once, before the first change.
func newProjector(ctx workflow.Context) (*projector, error) {
	p := &projector{ctx: ctx}
	p.on = workflow.GetVersion(ctx, versionProjection, workflow.DefaultVersion, 1) >= 1
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
			if !p.on {
				p.on = true
				if p.row != nil {
					p.write()
				}
			}
		}
	})
	return p, nil
}

// changed records a change: row as of now, with the next Seq. Call it wherever the
// workflow publishes to visibility, also in workflows that do not write (their row
// answers QueryProjection).
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
	if p.on {
		p.write()
	}
}

func (p *projector) copyRow() Projection {
	r := *p.row
	r.Assignees = slices.Clone(r.Assignees)
	return r
}

// write schedules the activity for the current row without waiting for it.
func (p *projector) write() {
	row := p.copyRow()
	f := workflow.ExecuteActivity(workflow.WithActivityOptions(p.ctx, projectOptions), ActivityProject, row)
	p.pending++
	workflow.Go(p.ctx, func(ctx workflow.Context) {
		defer func() { p.pending-- }()
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Warn("projection not written", "workflow", row.WorkflowID, "seq", row.Seq, "error", err)
		}
	})
}

// drain waits for the writes in flight; call it before the workflow completes (an
// activity of a closed workflow is never run).
func (p *projector) drain() error {
	return workflow.Await(p.ctx, func() bool { return p.pending == 0 })
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
