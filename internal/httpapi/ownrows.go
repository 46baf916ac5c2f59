package httpapi

import (
	"context"
	"errors"
	"sync"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Own rows (workflows/ownrow.go): the API writes the list row of each change it asks a
// proposal for. Around the update: beginOwnRow records a durable intent and marks the
// update's context; after it, finishOwnRow writes the row and deletes the intent in one
// transaction, or drops the intent when the workflow refused the change. An intent left
// behind (a crash between the change and the row, a failed write, an update whose fate
// is unknown) is settled by the sweeper once due.

const (
	// ownRowWindow is the deadline the mark gives the workflow: a change it makes later
	// than that (less workflows' margin) it writes itself.
	ownRowWindow = 15 * time.Second
	// ownRowGrace is how long after the deadline an intent waits for the sweeper: by
	// then the workflow has either made the change in time (its row is readable by a
	// query) or will write it itself.
	ownRowGrace = 5 * time.Second
	// ownRowGiveUp: an intent whose workflow cannot be asked for this long (a filing
	// terminated before any worker took it, a workflow that fails every task) is dropped
	// with an error in the log; `awardflow reindex` rebuilds rows from the workflows.
	ownRowGiveUp = time.Hour
	// sweepBatch bounds the workflows one sweep asks.
	sweepBatch = 200
)

// beginOwnRow records the intent to write workflowID's row and returns ctx marked for
// the update, with the intent's id. Without a records store, or when the intent cannot
// be recorded, ctx is returned unmarked ("" id): the workflow then writes the row itself.
func (s *Server) beginOwnRow(ctx context.Context, workflowID string) (context.Context, string) {
	if s.Records == nil {
		return ctx, ""
	}
	// Wall time, not s.Now: the workflow compares the deadline with Temporal's clock.
	deadline := time.Now().Add(ownRowWindow)
	id, err := s.Records.BeginOwnRow(ctx, workflowID, deadline.Add(ownRowGrace))
	if err != nil {
		s.Log.WarnContext(ctx, "own-row intent not recorded (the workflow writes the row)", "workflow", workflowID, "err", err)
		return ctx, ""
	}
	return workflows.WithOwnRow(ctx, deadline), id
}

// finishOwnRow ends what beginOwnRow began, after the update answered out or err.
func (s *Server) finishOwnRow(ctx context.Context, intent string, out any, err error) {
	if intent == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ownWriteTimeout)
	defer cancel()
	var refused *temporal.ApplicationError
	var gone *serviceerror.NotFound
	switch {
	case err == nil:
		s.writeOwn(ctx, out, intent)
		return
	case errors.As(err, &refused), errors.As(err, &gone):
		// The validator or the handler refused, or the workflow is finished (or was
		// never started): no change, no row.
		if derr := s.Records.DropOwnRow(ctx, intent); derr != nil {
			s.Log.WarnContext(ctx, "own-row intent not dropped (the sweeper will)", "err", derr)
		}
	default:
		// Unknown whether the change was made (a timeout, the connection): the intent
		// stays, and the sweeper writes whatever the workflow says once it is due.
	}
}

// SweepOwnRows settles the own-row intents due at now, once: for each workflow it asks
// for the row of the last change (QueryProjection) and writes it, then deletes the
// workflow's due intents. It returns how many workflows it settled.
func (s *Server) SweepOwnRows(ctx context.Context) (int, error) {
	if s.Records == nil {
		return 0, nil
	}
	now := time.Now()
	ids, err := s.Records.DueOwnRows(ctx, now, sweepBatch)
	if err != nil {
		return 0, err
	}
	settled := 0
	var errs []error
	for _, id := range ids {
		if err := s.settleOwnRow(ctx, id, now); err != nil {
			errs = append(errs, err)
			continue
		}
		settled++
	}
	return settled, errors.Join(errs...)
}

func (s *Server) settleOwnRow(ctx context.Context, workflowID string, now time.Time) error {
	outcome, err := s.settleOwnRowOnce(ctx, workflowID, now)
	obs.OwnRowSwept(outcome)
	return err
}

// settleOwnRowOnce settles workflowID's due intents; it answers the outcome for the
// metric: written, dropped or retried.
func (s *Server) settleOwnRowOnce(ctx context.Context, workflowID string, now time.Time) (string, error) {
	var st workflows.ProjectionState
	v, err := s.Temporal.QueryWorkflow(ctx, workflowID, "", workflows.QueryProjection)
	if err == nil {
		err = v.Get(&st)
	}
	var nf *serviceerror.NotFound
	switch {
	case errors.As(err, &nf):
		// No such workflow (a filing that never started): nothing to write.
		return "dropped", s.Records.SettleOwnRows(ctx, workflowID, now)
	case err != nil:
		// A closed workflow that cannot answer never ran a workflow task (a filing
		// terminated because no worker took it: dropUntaken): it has no row to write.
		if d, derr := s.Temporal.DescribeWorkflowExecution(ctx, workflowID, ""); derr == nil &&
			d.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			s.Log.WarnContext(ctx, "own-row intent dropped: the closed workflow cannot be asked for its row", "workflow", workflowID, "err", err)
			return "dropped", s.Records.SettleOwnRows(ctx, workflowID, now)
		}
		if old, oerr := s.Records.OldestOwnRow(ctx, workflowID); oerr == nil && now.Sub(old) > ownRowGiveUp {
			s.Log.ErrorContext(ctx, "own-row intent dropped: the workflow cannot be asked for its row (run `awardflow reindex`)",
				"workflow", workflowID, "since", old, "err", err)
			return "dropped", s.Records.SettleOwnRows(ctx, workflowID, now)
		}
		return "retried", err
	case st.Row == nil || !st.Projecting:
		// A workflow that does not project (started before the projection): no row.
		return "dropped", s.Records.SettleOwnRows(ctx, workflowID, now)
	}
	if _, err := s.Records.UpsertProjection(ctx, *st.Row); err != nil {
		if !errors.Is(err, store.ErrConflict) {
			return "retried", err
		}
		s.Log.ErrorContext(ctx, "own-row sweep: the workflow's row conflicts with the stored one", "workflow", workflowID, "err", err)
	}
	if err := s.Records.SettleOwnRows(ctx, workflowID, now); err != nil {
		return "retried", err
	}
	return "written", nil
}

// StartOwnRowSweeper sweeps every interval until the returned stop is called (which
// waits for a sweep in progress).
func (s *Server) StartOwnRowSweeper(every time.Duration) (stop func()) {
	if s.Records == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			qctx, qcancel := context.WithTimeout(ctx, every+10*time.Second)
			n, err := s.SweepOwnRows(qctx)
			qcancel()
			if n > 0 {
				s.Log.Info("own-row sweep: rows written for changes whose caller did not", "workflows", n)
			}
			if err != nil && ctx.Err() == nil {
				s.Log.Warn("own-row sweep: some workflows not settled (retried at the next sweep)", "err", err)
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}
