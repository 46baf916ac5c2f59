package activities

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Every field of a workflow's row reaches the store's row: filled with distinct
// non-zero values, none comes out zero (a field added to one type and not mapped fails).
func TestStoreProjectionMapsEveryField(t *testing.T) {
	var in workflows.Projection
	v := reflect.ValueOf(&in).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x" + v.Type().Field(i).Name)
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(i + 1))
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{"a"}))
		case reflect.Struct: // time.Time
			f.Set(reflect.ValueOf(time.Date(2026, 1, i+1, 0, 0, 0, 0, time.UTC)))
		default:
			t.Fatalf("field %s of kind %s: extend the test", v.Type().Field(i).Name, f.Kind())
		}
	}
	out := reflect.ValueOf(StoreProjection(in))
	if out.NumField() != v.NumField() {
		t.Fatalf("store.Projection has %d fields, workflows.Projection %d", out.NumField(), v.NumField())
	}
	for i := range out.NumField() {
		if out.Field(i).IsZero() {
			t.Errorf("store.Projection.%s is not filled from the workflow's row", out.Type().Field(i).Name)
		}
	}
}

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
