package preflight

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/sdk/client"
)

// ErrNoWorker says no worker has polled the task queue lately: a workflow started now
// would wait, and an update would hang until its deadline.
var ErrNoWorker = errors.New("no worker polls the task queue")

// Pollers tells whether a worker polls a task queue, asking Temporal (DescribeTaskQueue)
// at most once per TTL so that /readyz and every request that needs a worker stay cheap.
type Pollers struct {
	Client    client.Client
	TaskQueue string
	// TTL is how long an answer is reused; default 3 s.
	TTL time.Duration
	// MaxAge is how recent a poll must be to count: Temporal lists a poller for minutes
	// after its worker stopped, while a live worker polls again at least every ~70 s
	// (long polls). Default 90 s.
	MaxAge time.Duration
	// Now is the clock; nil: time.Now.
	Now func() time.Time

	mu      sync.Mutex
	checked time.Time
	last    error
}

func (p *Pollers) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Check returns nil when a worker polled the task queue's workflow tasks within MaxAge,
// an error wrapping ErrNoWorker when none did, and Temporal's error when it cannot be
// asked. The answer is cached for TTL (errors too, so an outage is not hammered).
func (p *Pollers) Check(ctx context.Context) error {
	ttl, maxAge := p.TTL, p.MaxAge
	if ttl <= 0 {
		ttl = 3 * time.Second
	}
	if maxAge <= 0 {
		maxAge = 90 * time.Second
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if !p.checked.IsZero() && now.Sub(p.checked) < ttl {
		return p.last
	}
	resp, err := p.Client.DescribeTaskQueue(ctx, p.TaskQueue, enumspb.TASK_QUEUE_TYPE_WORKFLOW)
	switch {
	case err != nil:
		p.last = fmt.Errorf("describe task queue %s: %w", p.TaskQueue, err)
	case !recent(resp.GetPollers(), now, maxAge):
		p.last = fmt.Errorf("%w %s", ErrNoWorker, p.TaskQueue)
	default:
		p.last = nil
	}
	p.checked = now
	return p.last
}

// Forget drops the cached answer (a request that timed out waiting for a worker).
func (p *Pollers) Forget() {
	p.mu.Lock()
	p.checked = time.Time{}
	p.mu.Unlock()
}

func recent(pollers []*taskqueuepb.PollerInfo, now time.Time, maxAge time.Duration) bool {
	for _, pi := range pollers {
		if t := pi.GetLastAccessTime(); t != nil && now.Sub(t.AsTime()) <= maxAge {
			return true
		}
	}
	return false
}
