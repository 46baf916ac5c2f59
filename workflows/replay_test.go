package workflows

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// TestReplayRecordedHistories replays histories recorded from real runs (see
// internal/e2e/history_test.go: AWARDFLOW_RECORD_HISTORY) against the current code.
// Proposals live for months: a change to the workflows that is not replay-safe would
// break every running one, and fails here first. Record new histories when the
// workflows change on purpose, and keep the old ones as long as such workflows may run.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/histories/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 5 {
		t.Fatalf("expected recorded histories in testdata/histories, found %d", len(files))
	}
	logger := log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
				ContextPropagators: []workflow.ContextPropagator{OwnRowPropagator{}},
			})
			if err != nil {
				t.Fatal(err)
			}
			r.RegisterWorkflowWithOptions(ProposalWorkflow, workflow.RegisterOptions{Name: ProposalWorkflowLegacyName})
			r.RegisterWorkflowWithOptions(ProposalWorkflowV2, workflow.RegisterOptions{Name: ProposalWorkflowV2Name})
			r.RegisterWorkflowWithOptions(ProposalWorkflowV3, workflow.RegisterOptions{Name: ProposalWorkflowName})
			r.RegisterWorkflowWithOptions(CouncilSessionWorkflow, workflow.RegisterOptions{Name: SessionWorkflowName})
			r.RegisterWorkflowWithOptions(DecisionRegisterWorkflow, workflow.RegisterOptions{Name: RegisterWorkflowName})
			if err := r.ReplayWorkflowHistoryFromJSONFile(logger, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}
