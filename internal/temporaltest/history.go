// Package temporaltest holds helpers for tests that talk to a real Temporal server.
package temporaltest

import (
	"context"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// History reads a workflow's whole history from namespace, page by page, and fails the
// test unless the server says it came from the archive exactly when archived is set
// (an archived history is only looked up with the run id in exec).
func History(ctx context.Context, t testing.TB, c client.Client, namespace string, exec *commonpb.WorkflowExecution, archived bool) []*historypb.HistoryEvent {
	t.Helper()
	var out []*historypb.HistoryEvent
	var token []byte
	for {
		resp, err := c.WorkflowService().GetWorkflowExecutionHistory(ctx, &workflowservice.GetWorkflowExecutionHistoryRequest{
			Namespace: namespace, Execution: exec, NextPageToken: token})
		if err != nil {
			t.Fatalf("history of %s (archived %v): %v", exec.GetWorkflowId(), archived, err)
		}
		if resp.GetArchived() != archived {
			t.Fatalf("history of %s: archived %v, want %v", exec.GetWorkflowId(), resp.GetArchived(), archived)
		}
		out = append(out, resp.GetHistory().GetEvents()...)
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return out
		}
	}
}
