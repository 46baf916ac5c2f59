package e2e

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/workflows"
)

// P2's anatomy: what each thing a proposal's submit does in its workflow costs an update,
// measured by adding it, one at a time, to the bare baseline's submit. A submit
// (ProposalWorkflowV3) upserts the search attributes of its new stage, starts the review
// deadline's timer, and answers the whole proposal view; the API around it adds the
// sign-in, the own-row intent, the list row and the JSON answer.

const anatomyTaskQueue = "bench-anatomy"

// anatomyInput says which of the submit's costs the anatomy workflow's submit takes on.
type anatomyInput struct {
	Upsert bool   `json:"upsert,omitempty"` // the stage's search attributes
	Timer  bool   `json:"timer,omitempty"`  // a review deadline, days away
	View   []byte `json:"view,omitempty"`   // answered as the update's result
}

// anatomyWorkflow is the bare workflow whose submit does what its input asks.
func anatomyWorkflow(ctx workflow.Context) error {
	var in *anatomyInput
	for _, name := range []string{"create", "assess"} {
		if err := workflow.SetUpdateHandler(ctx, name, func(ctx workflow.Context, v string) (string, error) {
			return v, nil
		}); err != nil {
			return err
		}
	}
	if err := workflow.SetUpdateHandler(ctx, "submit", func(ctx workflow.Context, v anatomyInput) ([]byte, error) {
		in = &v
		if v.Upsert {
			if err := workflow.UpsertTypedSearchAttributes(ctx, workflows.SAStage.ValueSet("submitted"),
				workflows.SAAssignees.ValueSet([]string{"head-1", "head-2"})); err != nil {
				return nil, err
			}
		}
		return v.View, nil
	}); err != nil {
		return err
	}
	if err := workflow.Await(ctx, func() bool { return in != nil }); err != nil {
		return err
	}
	if in.Timer {
		if _, err := workflow.AwaitWithTimeout(ctx, 10*24*time.Hour, func() bool { return false }); err != nil {
			return err
		}
	}
	return workflow.Await(ctx, func() bool { return false })
}

// BenchmarkP2Anatomy: the submit's p50 and p99 for the bare update, with each of the
// product's costs added alone, with all three, and through the API, in rounds that
// visit every variant in turn (context for P2, no goal of its own).
//
//	go test -run '^$' -bench P2Anatomy -benchtime 200x ./internal/e2e
func BenchmarkP2Anatomy(b *testing.B) {
	rs := startRatioStack(b)
	w := worker.New(rs.c, anatomyTaskQueue, worker.Options{})
	w.RegisterWorkflowWithOptions(anatomyWorkflow, workflow.RegisterOptions{Name: "AnatomyWorkflow"})
	if err := w.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(w.Stop)
	view, err := json.Marshal(rs.proto)
	if err != nil {
		b.Fatal(err)
	}
	// A sub-benchmark, so that its result line is not split by the servers' start-up output.
	b.Run("submit", func(b *testing.B) { rs.anatomy(b, view) })
}

// anatomy times b.N rounds of the submit, every variant in turn.
func (rs *ratioStack) anatomy(b *testing.B, view []byte) {
	variants := []struct {
		name string
		in   anatomyInput
	}{
		{"bare", anatomyInput{}},
		{"upsert", anatomyInput{Upsert: true}},
		{"timer", anatomyInput{Timer: true}},
		{"view", anatomyInput{View: view}},
		{"all3", anatomyInput{Upsert: true, Timer: true, View: view}},
	}
	rs.ensureNominees(b, b.N)
	b.ResetTimer()
	ds := make([][]time.Duration, len(variants)+1)
	for range b.N {
		for i, v := range variants {
			ds[i] = append(ds[i], rs.anatomyToSubmit(b, v.in)())
		}
		ds[len(variants)] = append(ds[len(variants)], rs.draftToSubmit(b)())
	}
	for i, v := range variants {
		reportPercentiles(b, v.name+"-", ds[i])
	}
	reportPercentiles(b, "api-", ds[len(variants)])
	b.ReportMetric(float64(len(view)), "view-bytes")
}

// anatomyToSubmit starts an anatomy workflow and records its assessment, and answers its
// submit with in, which returns how long the submit took.
func (rs *ratioStack) anatomyToSubmit(b *testing.B, in anatomyInput) func() time.Duration {
	id, err := rs.startWithCreate("anatomy", anatomyTaskQueue, "AnatomyWorkflow")
	if err == nil {
		err = rs.updateAndWait(id, "assess", "assessed", nil)
	}
	if err != nil {
		b.Fatalf("anatomy workflow: %v", err)
	}
	return func() time.Duration {
		t0 := time.Now()
		var out []byte
		if err := rs.updateAndWait(id, "submit", in, &out); err != nil {
			b.Fatalf("anatomy submit: %v", err)
		}
		d := time.Since(t0)
		if len(out) != len(in.View) {
			b.Fatalf("anatomy submit answered %d bytes, want %d", len(out), len(in.View))
		}
		return d
	}
}

// updateAndWait sends one update and waits for its result (into out, unless nil).
func (rs *ratioStack) updateAndWait(id, name string, arg, out any) error {
	ctx := context.Background()
	h, err := rs.c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, UpdateName: name, Args: []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted})
	if err != nil {
		return err
	}
	return h.Get(ctx, out)
}
