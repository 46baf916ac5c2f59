// Package reindex rebuilds the records store's projection (the rows the lists read) from
// Temporal: `awardflow reindex`. Every proposal and council session that Temporal still
// has — running, or closed and within the namespace's retention — is asked for the row
// of its last change (workflows.QueryProjection, answered by a worker, which replays a
// closed workflow's history to answer), and the row is upserted with the workflow's own
// Seq. The workflow wrote (or will write) that very row, so a reindex changes nothing
// that is up to date, repairs what is missing or stale, and can run at any time, as
// often as wanted, beside the running service.
//
// Workflows started before the projection existed do not write their rows themselves;
// the reindex writes their current row and tells the running ones to write from now on
// (workflows.SignalProject). Rows of workflows Temporal no longer has (deleted after
// retention) are kept: the store is their record.
package reindex

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Options say what to rebuild from where.
type Options struct {
	Temporal client.Client
	Store    *store.Store
	Log      *slog.Logger
	// Parallel is how many workflows are asked at once; 0 = 4.
	Parallel int
}

// Report counts what a run did.
type Report struct {
	Workflows int // proposals and sessions Temporal listed
	Written   int // rows written or brought up to date
	Unchanged int // rows already up to date
	NoRow     int // workflows without a change yet (a session never opened)
	Told      int // running workflows told to write their rows from now on
	Failed    int // workflows that could not be asked or written (logged)
}

func (r Report) String() string {
	return fmt.Sprintf("%d workflows: %d rows written, %d already up to date, %d without a row yet, %d told to project, %d failed",
		r.Workflows, r.Written, r.Unchanged, r.NoRow, r.Told, r.Failed)
}

// query lists every proposal and session, running or closed.
const query = "AwardKind = 'proposal' OR AwardKind = 'session'"

// Run rebuilds the projection. It returns an error when Temporal cannot be listed, or when
// some workflows failed (the report says how many; each is logged) — a second run retries
// them.
func Run(ctx context.Context, o Options) (Report, error) {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Parallel <= 0 {
		o.Parallel = 4
	}
	var (
		rep  Report
		mu   sync.Mutex
		wg   sync.WaitGroup
		jobs = make(chan execution)
	)
	for range o.Parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range jobs {
				res, told := one(ctx, o, e)
				mu.Lock()
				if told {
					rep.Told++
				}
				switch res {
				case written:
					rep.Written++
				case unchanged:
					rep.Unchanged++
				case noRow:
					rep.NoRow++
				case failed:
					rep.Failed++
				}
				mu.Unlock()
			}
		}()
	}
	seen := map[string]bool{}
	var listErr error
	var token []byte
	for {
		resp, err := o.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token, PageSize: 200})
		if err != nil {
			listErr = fmt.Errorf("list the workflows: %w", err)
			break
		}
		for _, e := range resp.GetExecutions() {
			id := e.GetExecution().GetWorkflowId()
			if seen[id] { // an older run of the same id: the latest one is asked
				continue
			}
			seen[id] = true
			mu.Lock()
			rep.Workflows++
			mu.Unlock()
			running := e.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING
			select {
			case jobs <- execution{id: id, running: running}:
			case <-ctx.Done():
				listErr = ctx.Err()
			}
			if listErr != nil {
				break
			}
		}
		if token = resp.GetNextPageToken(); len(token) == 0 || listErr != nil {
			break
		}
	}
	close(jobs)
	wg.Wait()
	if listErr != nil {
		return rep, listErr
	}
	if rep.Failed > 0 {
		return rep, fmt.Errorf("%d of %d workflows failed (see the log); run the reindex again", rep.Failed, rep.Workflows)
	}
	return rep, nil
}

type execution struct {
	id      string
	running bool
}

type outcome int

const (
	written outcome = iota
	unchanged
	noRow
	failed
)

// one rebuilds the row of one workflow; told: it was told to write from now on.
func one(ctx context.Context, o Options, e execution) (outcome, bool) {
	st, err := Ask(ctx, o.Temporal, e.id)
	if err != nil {
		o.Log.WarnContext(ctx, "reindex: cannot ask the workflow", "workflow", e.id, "err", err)
		return failed, false
	}
	res := noRow
	if st.Row != nil {
		changed, err := o.Store.RepairProjection(ctx, *st.Row) // no notifications: see store.RepairProjection
		switch {
		case err != nil:
			o.Log.WarnContext(ctx, "reindex: cannot write the row", "workflow", e.id, "seq", st.Row.Seq, "err", err)
			return failed, false
		case changed:
			res = written
		default:
			res = unchanged
		}
	}
	if e.running && !st.Projecting {
		// Started before the projection: from now on it writes its changes itself.
		if err := o.Temporal.SignalWorkflow(ctx, e.id, "", workflows.SignalProject, nil); err != nil {
			var nf *serviceerror.NotFound
			if errors.As(err, &nf) {
				return res, false // it finished meanwhile: its last row is written
			}
			o.Log.WarnContext(ctx, "reindex: cannot tell the workflow to project", "workflow", e.id, "err", err)
			return failed, false
		}
		return res, true
	}
	return res, false
}

// Ask queries a workflow for the row of its last change (workflows.QueryProjection).
func Ask(ctx context.Context, c client.Client, workflowID string) (workflows.ProjectionState, error) {
	var st workflows.ProjectionState
	v, err := c.QueryWorkflow(ctx, workflowID, "", workflows.QueryProjection)
	if err == nil {
		err = v.Get(&st)
	}
	if err != nil {
		return st, fmt.Errorf("query %s of %s: %w", workflows.QueryProjection, workflowID, err)
	}
	return st, nil
}
