package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// TestNotificationsWorkflowPaces: the workflow delivers every Interval, goes on after a
// delivery that failed all its retries, and continues as new after notificationsRuns
// deliveries (a short history).
func TestNotificationsWorkflowPaces(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	calls := 0
	var times []time.Time
	env.RegisterActivityWithOptions(func(ctx context.Context) (DeliverResult, error) {
		calls++
		times = append(times, env.Now())
		if calls >= 3 && calls <= 7 {
			return DeliverResult{}, errors.New("SMTP down") // the 3rd delivery: all 5 attempts fail
		}
		return DeliverResult{Sent: 1}, nil
	}, activity.RegisterOptions{Name: ActivityDeliverNotifications})
	env.RegisterWorkflowWithOptions(NotificationsWorkflow, workflow.RegisterOptions{Name: NotificationsWorkflowName})
	env.ExecuteWorkflow(NotificationsWorkflowName, NotificationsInput{Interval: 30 * time.Second})
	if !env.IsWorkflowCompleted() {
		t.Fatal("not completed")
	}
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) || can.WorkflowType.Name != NotificationsWorkflowName {
		t.Fatalf("ended with %v, want continue-as-new", err)
	}
	if calls != notificationsRuns+4 {
		t.Fatalf("%d activity calls, want %d (one per delivery, 4 retries of the failed one)", calls, notificationsRuns+4)
	}
	if gap := times[len(times)-1].Sub(times[len(times)-2]); gap != 30*time.Second {
		t.Fatalf("interval %s, want 30s", gap)
	}
}
