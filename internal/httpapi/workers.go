package httpapi

import (
	"context"
	"errors"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/preflight"
)

// WorkerGate tells whether a worker polls the task queue; preflight.Pollers is one.
type WorkerGate interface {
	Check(ctx context.Context) error // an error wrapping preflight.ErrNoWorker when none does
	Forget()                         // drop a cached answer
}

// DefaultWorkerWait bounds how long a filing waits for a worker to take the workflow it
// started: a worker takes a new workflow within milliseconds, and within seconds when
// one crashed and its tasks time out to another.
const DefaultWorkerWait = 20 * time.Second

// noWorker is the answer to a request no worker would take (503, retry after 30 s).
func noWorker() error {
	return award.Unavailable(30, "Chưa có tiến trình xử lý (worker) nào đang chạy, vui lòng thử lại sau ít phút",
		"no worker is running to process the request; please try again in a few minutes")
}

// needWorker answers noWorker when Workers says no worker polls the task queue. When
// Temporal cannot be asked, the request goes on (its own call then fails as it would).
func (s *Server) needWorker(ctx context.Context) error {
	if s.Workers == nil {
		return nil
	}
	err := s.Workers.Check(ctx)
	if errors.Is(err, preflight.ErrNoWorker) {
		return errors.Join(noWorker(), err)
	}
	if err != nil {
		s.Log.WarnContext(ctx, "cannot tell whether a worker polls", "err", err)
	}
	return nil
}

// startWithWorker runs start, an Update-with-Start of workflow id, only when a worker
// polls the task queue, and bounds its wait by WorkerWait. When the wait runs out, the
// workflow it started is terminated if no worker ever took a task of it (it would
// otherwise wait, invisible to the person who was told 503, and surface later), and the
// answer is noWorker. A workflow a worker did take is left to finish: its filing is
// then found again by its Idempotency-Key.
func (s *Server) startWithWorker(ctx context.Context, id string, start func(ctx context.Context) error) error {
	if err := s.needWorker(ctx); err != nil {
		return err
	}
	wait := s.WorkerWait
	if wait <= 0 {
		wait = DefaultWorkerWait
	}
	bounded, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	err := start(bounded)
	// The wait ran out: the bounded context ended, or Temporal answered a timeout a
	// moment before it did (its frontend ends a call at the deadline the client sent,
	// and that answer can beat the client's own timer: seen once in CI as a 500).
	ranOut := bounded.Err() != nil || isTimeout(err)
	if err == nil || ctx.Err() != nil || !ranOut {
		return err
	}
	if s.Workers != nil {
		s.Workers.Forget()
	}
	s.dropUntaken(context.WithoutCancel(ctx), id)
	return errors.Join(noWorker(), err)
}

// dropUntaken terminates the running workflow id when no worker ever started a
// workflow task of it.
func (s *Server) dropUntaken(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	d, err := s.Temporal.DescribeWorkflowExecution(ctx, id, "")
	if err != nil || d.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		return
	}
	runID := d.GetWorkflowExecutionInfo().GetExecution().GetRunId()
	iter := s.Temporal.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		e, err := iter.Next()
		if err != nil {
			s.Log.WarnContext(ctx, "read the history of a workflow no worker took", "id", id, "err", err)
			return
		}
		if e.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED {
			return // a worker took it: it goes on
		}
	}
	if err := s.Temporal.TerminateWorkflow(ctx, id, runID, "no worker took the filing within the wait (answered 503)"); err != nil {
		s.Log.WarnContext(ctx, "terminate a workflow no worker took", "id", id, "err", err)
		return
	}
	s.Log.WarnContext(ctx, "no worker took the workflow: terminated", "id", id, "run", runID)
}

// isTimeout reports whether err is a call that timed out: the context's deadline, or
// Temporal's answer to it.
func isTimeout(err error) bool {
	var updateTimeout *client.WorkflowUpdateServiceTimeoutOrCanceledError
	var deadline *serviceerror.DeadlineExceeded
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &updateTimeout) || errors.As(err, &deadline)
}
