package activities

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Project writes the row once: the same row again (a retried or replayed activity) is a
// no-op, an older row is ignored, and the same Seq with other content fails without
// retry. Without a store nothing is written and nothing fails.
func TestProjectIsIdempotent(t *testing.T) {
	ctx := context.Background()
	if err := (&Activities{}).Project(ctx, workflows.Projection{WorkflowID: "p"}); err != nil {
		t.Fatalf("no store: %v", err)
	}
	st, err := store.Open(ctx, store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &Activities{Records: st}
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	row := workflows.Projection{WorkflowID: "proposal-1", Kind: workflows.KindProposal, Seq: 2, Stage: "submitted",
		Department: "tt", NomineeName: "Nguyễn Thị Hồng Đào", Assignees: []string{"tptt"}, CreatedAt: at, UpdatedAt: at.Add(time.Minute)}
	for range 2 {
		if err := a.Project(ctx, row); err != nil {
			t.Fatal(err)
		}
	}
	older := row
	older.Seq, older.Stage, older.Assignees = 1, "draft", []string{"hongdao"}
	if err := a.Project(ctx, older); err != nil {
		t.Fatalf("older row: %v", err)
	}
	got, err := st.Projection(ctx, "proposal-1")
	if err != nil || got.Seq != 2 || got.Stage != "submitted" {
		t.Fatalf("stored %+v, %v", got, err)
	}
	other := row
	other.Stage = "endorsed"
	err = a.Project(ctx, other)
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) || ae.Type() != workflows.ErrProjectionConflict || !ae.NonRetryable() {
		t.Fatalf("same Seq, other content: %v, want a non-retryable %s", err, workflows.ErrProjectionConflict)
	}
	// A store that is down is retried (a plain error).
	st.Close()
	row.Seq = 3
	err = a.Project(ctx, row)
	if err == nil || errors.As(err, &ae) {
		t.Fatalf("store down: %v, want a retryable error", err)
	}
}
