package workflows

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"
)

// Own rows: who writes the list row of a change a person asks for through the API.
//
// The API server answers an update with the proposal's view, whose Projection is the row
// of the change; it writes that row before it answers, so the person's next list shows
// the change (httpapi.writeOwn). Until ProposalWorkflowV3 the workflow wrote the same row
// again a second later through the Project activity, as the durable copy: one timer, one
// activity and two more workflow tasks per change, which made the API's filings ~0.55×
// as fast as a bare workflow's (BENCHMARKS.md, issue 12). A ProposalWorkflowV3 instead
// leaves the row of a change to the caller when the caller says it writes it, with a
// deadline, in the update's header (WithOwnRow, OwnRowPropagator):
//
//   - before the update the caller records an intent in the records store (durable: it
//     survives a crash of the caller), and after the update it writes the row and
//     clears the intent in one transaction (store.WriteOwnRow);
//   - an intent still there when its deadline has passed (the caller died between the
//     update and the row, or its write failed) is settled by the sweeper of any API
//     server: it asks the workflow for its row (QueryProjection) and writes it
//     (httpapi.SweepOwnRows);
//   - a workflow that handles the update too late (workflow.Now past the deadline less
//     ownRowMargin: the caller may have stopped waiting, and the sweeper may already
//     have looked) writes the row itself, as before.
//
// A change with no mark (a timer's, another workflow's update, an old caller) is written
// by the workflow, as before. The decision is made from the header recorded in the
// history and from workflow.Now, so it replays.

// headerOwnRow is the update header that carries the caller's deadline (Unix ms).
const headerOwnRow = "awardflow-own-row"

// ownRowMargin is how long before the caller's deadline a workflow stops leaving a row
// to the caller: it covers the time the answer takes back and the clocks' skew between
// the Temporal server and the API server.
const ownRowMargin = 5 * time.Second

type ownRowKey struct{}

// WithOwnRow marks the updates sent with ctx: their caller writes the row of the change
// each makes, if the workflow handles it before deadline - ownRowMargin.
func WithOwnRow(ctx context.Context, deadline time.Time) context.Context {
	return context.WithValue(ctx, ownRowKey{}, deadline.UnixMilli())
}

// OwnRowPropagator carries WithOwnRow's mark from the API's context into the update's
// header, and from the header into the update handler's workflow context. Register it on
// the Temporal client of both the API server and the worker (client.Options
// ContextPropagators); a worker without it ignores the mark and writes every row.
type OwnRowPropagator struct{}

var _ workflow.ContextPropagator = OwnRowPropagator{}

// Inject writes the mark of ctx, if any, into the header.
func (OwnRowPropagator) Inject(ctx context.Context, w workflow.HeaderWriter) error {
	ms, ok := ctx.Value(ownRowKey{}).(int64)
	if !ok {
		return nil
	}
	p, err := converter.GetDefaultDataConverter().ToPayload(ms)
	if err != nil {
		return fmt.Errorf("encode the own-row mark: %w", err)
	}
	w.Set(headerOwnRow, p)
	return nil
}

// Extract is a no-op: activities do not use the mark.
func (OwnRowPropagator) Extract(ctx context.Context, _ workflow.HeaderReader) (context.Context, error) {
	return ctx, nil
}

// InjectFromWorkflow is a no-op: a workflow's own activities and updates are not the
// caller's.
func (OwnRowPropagator) InjectFromWorkflow(workflow.Context, workflow.HeaderWriter) error {
	return nil
}

// ExtractToWorkflow sets the handler's mark from the header, and clears it when the
// header has none: an update handler's context derives from the workflow's root
// context, which carries the mark of the Update-with-Start that began the workflow.
func (OwnRowPropagator) ExtractToWorkflow(ctx workflow.Context, r workflow.HeaderReader) (workflow.Context, error) {
	p, ok := r.Get(headerOwnRow)
	if !ok {
		return workflow.WithValue(ctx, ownRowKey{}, nil), nil
	}
	var ms int64
	if err := converter.GetDefaultDataConverter().FromPayload(p, &ms); err != nil {
		// A malformed mark is no mark: the workflow writes the row.
		return workflow.WithValue(ctx, ownRowKey{}, nil), nil
	}
	return workflow.WithValue(ctx, ownRowKey{}, ms), nil
}

// withoutOwnRow is ctx without a mark: for the changes a workflow makes on its own
// (timers, the end), whose context derives from the root's.
func withoutOwnRow(ctx workflow.Context) workflow.Context {
	return workflow.WithValue(ctx, ownRowKey{}, nil)
}

// callerWritesRow reports whether the change being made in ctx is written by its caller:
// the context carries a mark whose deadline is more than ownRowMargin away.
func callerWritesRow(ctx workflow.Context) bool {
	ms, ok := ctx.Value(ownRowKey{}).(int64)
	if !ok {
		return false
	}
	return workflow.Now(ctx).Before(time.UnixMilli(ms).Add(-ownRowMargin))
}
