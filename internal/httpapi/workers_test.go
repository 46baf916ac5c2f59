package httpapi

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// A filing whose wait for a worker runs out answers 503 however the timeout reaches us:
// the context's own error, or Temporal's answer to the deadline (which can come a moment
// before the context ends), wrapped or not. Other errors are not timeouts.
func TestIsTimeout(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{context.DeadlineExceeded, true},
		{fmt.Errorf("update-with-start: %w", context.DeadlineExceeded), true},
		{client.NewWorkflowUpdateServiceTimeoutOrCanceledError(errors.New("rpc error: code = DeadlineExceeded")), true},
		{fmt.Errorf("start: %w", serviceerror.NewDeadlineExceeded("context deadline exceeded")), true},
		{context.Canceled, false},
		{serviceerror.NewUnavailable("frontend down"), false},
		{errors.New("boom"), false},
		{nil, false},
	} {
		if got := isTimeout(c.err); got != c.want {
			t.Errorf("isTimeout(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
