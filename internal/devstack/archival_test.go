package devstack

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	sqliteschema "go.temporal.io/server/schema/sqlite"

	"github.com/awardflow/awardflow/internal/temporaltest"
)

// quickWorkflow completes at once.
func quickWorkflow(_ workflow.Context, name string) (string, error) {
	return "hồ sơ " + name + " đã xong", nil
}

// A closed workflow's history is archived under <data dir>/archival and can still be read,
// in full, after Temporal deleted the workflow (as the retention does): by workflow and
// run id through GetWorkflowExecutionHistory (what `temporal workflow show --run-id`
// calls), and found by workflow id in the archived visibility records. It holds for a new
// data directory and for one whose namespace was created before the dev stack archived.
func TestTemporalArchivesClosedWorkflows(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, dir string)
		// readAfterDelete deletes the workflow and reads it back (about 30 s: the deletion
		// waits for the visibility queue's ack level, updated every 30 s); once is enough.
		readAfterDelete bool
	}{
		{"new data directory", func(*testing.T, string) {}, true},
		{"namespace from before archival", func(t *testing.T, dir string) {
			tdir := filepath.Join(dir, "temporal")
			if err := os.MkdirAll(tdir, 0o755); err != nil {
				t.Fatal(err)
			}
			dbPath := filepath.Join(tdir, "temporal.db")
			cfg := sqliteConfig(dbPath)
			if err := ensureSchema(dbPath, cfg); err != nil {
				t.Fatal(err)
			}
			ns, err := sqliteschema.NewNamespaceConfig(clusterName, "awardflow", false, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := sqliteschema.CreateNamespaces(cfg, ns); err != nil {
				t.Fatal(err)
			}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			dir := t.TempDir()
			tc.prepare(t, dir)
			start := time.Now()
			srv, err := StartTemporal(ctx, Options{DataDir: dir, Namespace: "awardflow", Logger: testLogger(t)})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("MEASURE StartTemporal: %v", time.Since(start))
			defer func() {
				start := time.Now()
				_ = srv.Stop()
				t.Logf("MEASURE Stop: %v", time.Since(start))
			}()
			wantURI := "file://" + filepath.Join(dir, archivalDir, historyArchivalDir)
			if srv.HistoryArchive != wantURI {
				t.Fatalf("history archive %q, want %q", srv.HistoryArchive, wantURI)
			}
			c, err := srv.Dial(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			desc, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: "awardflow"})
			if err != nil {
				t.Fatal(err)
			}
			if cfg := desc.GetConfig(); cfg.GetHistoryArchivalState() != enumspb.ARCHIVAL_STATE_ENABLED || cfg.GetHistoryArchivalUri() != srv.HistoryArchive ||
				cfg.GetVisibilityArchivalState() != enumspb.ARCHIVAL_STATE_ENABLED || cfg.GetVisibilityArchivalUri() != srv.VisibilityArchive {
				t.Fatalf("namespace archival config: %+v", cfg)
			}

			const queue, wfID = "archival-test", "proposal-archived"
			w := worker.New(c, queue, worker.Options{})
			w.RegisterWorkflow(quickWorkflow)
			if err := w.Start(); err != nil {
				t.Fatal(err)
			}
			defer w.Stop()
			run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: wfID, TaskQueue: queue}, quickWorkflow, "HS-07")
			if err != nil {
				t.Fatal(err)
			}
			var result string
			if err := run.Get(ctx, &result); err != nil {
				t.Fatal(err)
			}
			t.Logf("MEASURE workflow done: %v after the start", time.Since(start))
			exec := &commonpb.WorkflowExecution{WorkflowId: wfID, RunId: run.GetRunID()}
			live := temporaltest.History(ctx, t, c, "awardflow", exec, false)

			// Archived within ArchiveDelay (plus the queue's processing).
			archivedAfter := time.Now()
			waitFor(ctx, t, "the archived visibility record", func() (bool, error) {
				resp, err := c.WorkflowService().ListArchivedWorkflowExecutions(ctx, &workflowservice.ListArchivedWorkflowExecutionsRequest{
					Namespace: "awardflow", PageSize: 10, Query: "WorkflowId = '" + wfID + "'"})
				if err != nil {
					return false, err
				}
				for _, e := range resp.GetExecutions() {
					if e.GetExecution().GetRunId() == run.GetRunID() && e.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED {
						return true, nil
					}
				}
				return false, nil
			})
			waitFor(ctx, t, "the archived history file", func() (bool, error) {
				files, err := os.ReadDir(filepath.Join(dir, archivalDir, historyArchivalDir))
				return err == nil && len(files) > 0, err
			})
			t.Logf("MEASURE archived %v after the workflow closed", time.Since(archivedAfter))

			if !tc.readAfterDelete {
				return
			}
			// Delete it, as the retention would.
			if _, err := c.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
				Namespace: "awardflow", WorkflowExecution: exec}); err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, "the workflow deleted", func() (bool, error) {
				_, err := c.DescribeWorkflowExecution(ctx, wfID, "")
				var nf *serviceerror.NotFound
				return errors.As(err, &nf), nil
			})

			t.Logf("MEASURE deleted: %v after the start", time.Since(start))
			// The whole history comes back from the archive, event for event.
			archived := temporaltest.History(ctx, t, c, "awardflow", exec, true)
			if len(archived) != len(live) {
				t.Fatalf("archived history has %d events, the live one had %d", len(archived), len(live))
			}
			for i := range live {
				if archived[i].GetEventId() != live[i].GetEventId() || archived[i].GetEventType() != live[i].GetEventType() {
					t.Fatalf("event %d: archived %v %v, live %v %v", i, archived[i].GetEventId(), archived[i].GetEventType(), live[i].GetEventId(), live[i].GetEventType())
				}
			}
			last := archived[len(archived)-1]
			if last.GetEventType() != enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED {
				t.Fatalf("last archived event %v", last.GetEventType())
			}
			var got string
			if err := converter.GetDefaultDataConverter().FromPayloads(last.GetWorkflowExecutionCompletedEventAttributes().GetResult(), &got); err != nil || got != result {
				t.Fatalf("archived result %q (%v), want %q", got, err, result)
			}
		})
	}
}

// waitFor polls cond until it holds or ctx ends; errors end the wait only with ctx.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	var last error
	for {
		ok, err := cond()
		if ok {
			return
		}
		last = err
		select {
		case <-ctx.Done():
			t.Fatalf("%s: not within the deadline (last error: %v)", what, last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
