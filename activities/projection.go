package activities

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Project writes one workflow's row of the records store's projection (the lists). It is
// idempotent: the same row again changes nothing, an older row never replaces a newer
// one. A row that reuses a Seq with other content is a bug: it fails without retry
// (workflows.ErrProjectionConflict), and the workflow goes on. Without a records store
// nothing is written.
func (a *Activities) Project(ctx context.Context, row workflows.Projection) error {
	if a.Records == nil {
		return nil
	}
	_, err := a.Records.UpsertProjection(ctx, row)
	switch {
	case errors.Is(err, store.ErrConflict):
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("project %s: %v", row.WorkflowID, err), workflows.ErrProjectionConflict, err)
	case err != nil:
		return fmt.Errorf("project %s: %w", row.WorkflowID, err)
	}
	return nil
}
