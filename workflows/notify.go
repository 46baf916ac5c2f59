package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// NotificationsWorkflowName is the workflow that delivers notifications: one per
// namespace, started by each worker with NotificationsWorkflowID (an existing run is
// kept), forever.
const NotificationsWorkflowName = "NotificationsWorkflow"

// NotificationsWorkflowID is the id of the one NotificationsWorkflow.
const NotificationsWorkflowID = "awardflow-notifications"

// ActivityDeliverNotifications records the "due in two days" events, builds the daily
// digests and sends the mails of the outbox (activities.DeliverNotifications).
const ActivityDeliverNotifications = "DeliverNotifications"

// NotificationsInput configures the loop.
type NotificationsInput struct {
	// Interval between two deliveries; default one minute.
	Interval time.Duration `json:"interval"`
}

// DeliverResult is what one delivery did.
type DeliverResult struct {
	DueSoon int `json:"due_soon"` // new "due in two days" notifications
	Digests int `json:"digests"`  // digest mails built
	Sent    int `json:"sent"`
	Failed  int `json:"failed"`
}

// notificationsRuns is how many deliveries one run makes before it continues as new (a
// short history).
const notificationsRuns = 200

// NotificationsWorkflow calls DeliverNotifications every Interval. The activity is
// idempotent by itself (the store's notification ids and mail outbox states), so a retry
// after a crash neither loses nor repeats a mail; the workflow only paces it. A delivery
// that fails after its retries is logged and the next one tries again.
func NotificationsWorkflow(ctx workflow.Context, in NotificationsInput) error {
	if in.Interval <= 0 {
		in.Interval = time.Minute
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute, MaximumAttempts: 5,
		},
	})
	for range notificationsRuns {
		var res DeliverResult
		if err := workflow.ExecuteActivity(actx, ActivityDeliverNotifications).Get(ctx, &res); err != nil {
			workflow.GetLogger(ctx).Warn("notifications not delivered", "error", err)
		}
		if err := workflow.Sleep(ctx, in.Interval); err != nil {
			return err
		}
	}
	return workflow.NewContinueAsNewError(ctx, NotificationsWorkflowName, in)
}
