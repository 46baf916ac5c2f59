package activities

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/mailcatcher"
	"github.com/awardflow/awardflow/internal/notify"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// mailEnv is a records store (SQLite), a real SMTP server on 127.0.0.1 and the
// activities that mail through it, with a clock the test moves.
type mailEnv struct {
	t     *testing.T
	ctx   context.Context
	rec   *store.Store
	smtp  *mailcatcher.Catcher
	acts  *Activities
	mu    sync.Mutex
	clock time.Time
}

func newMailEnv(t *testing.T) *mailEnv {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	rec, err := store.Open(ctx, store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rec.Close() })
	c, err := mailcatcher.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	host, port, _ := strings.Cut(c.Addr(), ":")
	p, _ := strconv.Atoi(port)
	e := &mailEnv{t: t, ctx: ctx, rec: rec, smtp: c, clock: time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)}
	e.acts = &Activities{Records: rec, Mail: &Mailer{
		SMTP: &notify.SMTPConfig{Host: host, Port: p, TLS: "none", From: "Thi đua – Khen thưởng <awardflow@btg.example.vn>",
			DefaultDomain: "btg.example.vn"},
		BaseURL: "http://127.0.0.1:8080/", Lease: 5 * time.Minute, Now: e.now,
	}}
	return e
}

func (e *mailEnv) now() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.clock }
func (e *mailEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.clock = e.clock.Add(d)
	e.mu.Unlock()
}

// project writes a proposal's row as the Project activity does.
func (e *mailEnv) project(id string, seq int64, stage string, due time.Time, assignees ...string) {
	e.t.Helper()
	_, err := e.rec.UpsertProjection(e.ctx, store.Projection{WorkflowID: id, Kind: store.KindProposal, Seq: seq, Stage: stage,
		NomineeName: "Nguyễn Thị Hồng Đào", Proposer: "hongdao", Department: "tt", Year: 2026, Assignees: assignees,
		DueAt: due, UpdatedAt: e.now()})
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *mailEnv) deliver() (int, error) {
	res, err := e.acts.DeliverNotifications(e.ctx)
	return res.Sent, err
}

// received counts the mails per (recipient, decoded subject).
func (e *mailEnv) received() map[string]int {
	out := map[string]int{}
	for _, m := range e.smtp.Messages() {
		out[strings.Join(m.To, ",")+" | "+m.Subject]++
	}
	return out
}

func (e *mailEnv) wantReceived(want map[string]int) {
	e.t.Helper()
	got := e.received()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		e.t.Fatalf("received %v\nwant %v", got, want)
	}
}

// The subjects quote the proposal's case number (the first of 2026 in the test's store).
const (
	taskTptt     = "tptt@btg.example.vn | Việc mới cần xử lý — hồ sơ đề nghị khen thưởng HS-2026-0001 · Nguyễn Thị Hồng Đào"
	returnedDao  = "hongdao@btg.example.vn | Hồ sơ bị trả lại để bổ sung — HS-2026-0001 · Nguyễn Thị Hồng Đào"
	decisionDao  = "hongdao@btg.example.vn | Đã ban hành quyết định khen thưởng — HS-2026-0001 · Nguyễn Thị Hồng Đào"
	dueSoonTptt  = "tptt@btg.example.vn | Sắp đến hạn (21/11/2026 10:00) — hồ sơ đề nghị khen thưởng HS-2026-0001 · Nguyễn Thị Hồng Đào"
	overdueTptt  = "tptt@btg.example.vn | Đã quá hạn xử lý — hồ sơ đề nghị khen thưởng HS-2026-0001 · Nguyễn Thị Hồng Đào"
	overdueTruon = "truongban@btg.example.vn | Đã quá hạn xử lý — hồ sơ đề nghị khen thưởng HS-2026-0001 · Nguyễn Thị Hồng Đào"
)

// TestNotificationMailsEveryKind: a proposal's path through the projection mails each
// event once to its recipient, with the Vietnamese subject intact (RFC 2047 decoded by
// the server side), repeated deliveries and repeated rows add nothing, and the page's
// list has the same events.
func TestNotificationMailsEveryKind(t *testing.T) {
	e := newMailEnv(t)
	due := e.now().Add(24 * time.Hour) // 21/11/2026 10:00 +07:00
	e.project("p-1", 1, "draft", time.Time{}, "hongdao")
	e.project("p-1", 2, "submitted", due, "tptt")
	e.project("p-1", 2, "submitted", due, "tptt") // the API and the worker write the same row
	if _, err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	e.wantReceived(map[string]int{taskTptt: 1, dueSoonTptt: 1})
	e.advance(time.Hour)
	if _, err := e.deliver(); err != nil { // the check runs again: the deadline was announced
		t.Fatal(err)
	}
	e.wantReceived(map[string]int{taskTptt: 1, dueSoonTptt: 1})
	e.project("p-1", 3, "returned", time.Time{}, "hongdao")
	e.project("p-1", 4, "submitted", due, "tptt")
	rowOverdue := store.Projection{WorkflowID: "p-1", Kind: store.KindProposal, Seq: 5, Stage: "submitted", NomineeName: "Nguyễn Thị Hồng Đào",
		Proposer: "hongdao", Department: "tt", Year: 2026, Assignees: []string{"tptt", "truongban"}, DueAt: due, Overdue: true, UpdatedAt: e.now()}
	if _, err := e.rec.UpsertProjection(e.ctx, rowOverdue); err != nil {
		t.Fatal(err)
	}
	e.project("p-1", 6, "awarded", time.Time{})
	for range 2 {
		if _, err := e.deliver(); err != nil {
			t.Fatal(err)
		}
	}
	taskTruong := "truongban@btg.example.vn | Việc mới cần xử lý — hồ sơ đề nghị khen thưởng HS-2026-0001 · Nguyễn Thị Hồng Đào"
	e.wantReceived(map[string]int{taskTptt: 2, dueSoonTptt: 1, returnedDao: 1, overdueTptt: 1, overdueTruon: 1, taskTruong: 1, decisionDao: 1})
	ids := map[string]bool{}
	for _, m := range e.smtp.Messages() {
		if ids[m.MessageID] {
			t.Fatalf("Message-ID %s twice", m.MessageID)
		}
		ids[m.MessageID] = true
		if !strings.Contains(m.Body(), "http://127.0.0.1:8080/#/proposals/p-1") {
			t.Errorf("no link in %q", m.Body())
		}
	}
	list, unread, err := e.rec.Notifications(e.ctx, "tptt", 50)
	if err != nil || unread != 4 || len(list) != 4 {
		t.Fatalf("tptt's bell: %d unread, %d items, %v", unread, len(list), err)
	}
}

// TestNotificationMailCrashBetweenSendAndMark: the activity dies after the server
// accepted a mail and before it is marked sent, and is retried (at once, and after the
// claim expired): the server has exactly one copy. Dying before the final dot leaves the
// server nothing, and the retry after the lease sends it: exactly one.
func TestNotificationMailCrashBetweenSendAndMark(t *testing.T) {
	for _, step := range []string{"before-sent", "before-commit"} {
		t.Run(step, func(t *testing.T) {
			e := newMailEnv(t)
			e.project("p-1", 1, "draft", time.Time{}, "hongdao")
			e.project("p-1", 2, "submitted", time.Time{}, "tptt")
			crash := errors.New("worker killed")
			e.acts.Mail.crash = func(s string) error {
				if s == step {
					return crash
				}
				return nil
			}
			if _, err := e.deliver(); !errors.Is(err, crash) {
				t.Fatalf("delivery: %v, want the crash", err)
			}
			e.acts.Mail.crash = nil
			first := 1
			if step == "before-commit" {
				first = 0
			}
			waitFor(t, func() bool { return len(e.smtp.Messages()) == first })
			if _, err := e.deliver(); err != nil { // Temporal retries at once
				t.Fatal(err)
			}
			if first == 0 {
				e.wantReceived(map[string]int{}) // the claim holds: not sent again yet
			} else {
				e.wantReceived(map[string]int{taskTptt: 1})
			}
			e.advance(6 * time.Minute) // the claim expired: a later retry
			for range 2 {
				if _, err := e.deliver(); err != nil {
					t.Fatal(err)
				}
			}
			e.wantReceived(map[string]int{taskTptt: 1})
			id := "p-1/2/task/tptt"
			state, attempts, err := e.rec.MailState(e.ctx, id)
			want := map[string]string{"before-sent": store.MailUncertain, "before-commit": store.MailSent}[step]
			if err != nil || state != want {
				t.Fatalf("state %s (%d attempts, %v), want %s", state, attempts, err, want)
			}
		})
	}
}

// TestNotificationMailConcurrentSenders: several workers deliver at once; every mail
// arrives exactly once.
func TestNotificationMailConcurrentSenders(t *testing.T) {
	e := newMailEnv(t)
	var want []string
	for i := range 30 {
		id := fmt.Sprintf("p-%02d", i)
		e.project(id, 1, "draft", time.Time{}, "hongdao")
		e.project(id, 2, "submitted", time.Time{}, "tptt", fmt.Sprintf("head%d", i%3))
		want = append(want, id+"/tptt", fmt.Sprintf("%s/head%d", id, i%3))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.deliver(); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var got []string
	for _, m := range e.smtp.Messages() {
		got = append(got, m.MessageID)
	}
	if len(got) != len(want) {
		t.Fatalf("%d mails, want %d", len(got), len(want))
	}
	slices.Sort(got)
	if len(slices.Compact(got)) != len(want) {
		t.Fatal("a mail arrived twice")
	}
}

// TestNotificationDigest: a person who chose the daily digest gets one mail the next
// morning listing the day's events, never the events one by one, and only once.
func TestNotificationDigest(t *testing.T) {
	e := newMailEnv(t)
	if err := e.rec.SetNotificationPrefs(e.ctx, store.NotificationPrefs{PersonID: "tptt", Email: "Trưởng phòng <tp.tuyentruyen@btg.example.vn>", Digest: true}, e.now()); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		id := fmt.Sprintf("p-%d", i)
		e.project(id, 1, "draft", time.Time{}, "hongdao")
		e.project(id, 2, "submitted", time.Time{}, "tptt")
	}
	if _, err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	e.wantReceived(map[string]int{})
	e.advance(21 * time.Hour) // 21/11 07:00 +07:00
	for range 2 {
		if _, err := e.deliver(); err != nil {
			t.Fatal(err)
		}
	}
	e.wantReceived(map[string]int{"tp.tuyentruyen@btg.example.vn | Tổng hợp thông báo ngày 21/11/2026 (3 việc)": 1})
	if b := e.smtp.Messages()[0].Body(); strings.Count(b, "Việc mới cần xử lý") != 3 {
		t.Fatalf("digest body:\n%s", b)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for range 100 {
		if ok() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("condition not reached")
}

// TestNotificationsWorkflowRetriesExactlyOnce: the NotificationsWorkflow with the real
// activity (records store, SMTP server): the activity crashes once — after the server
// accepted the mail and before it was marked sent, or before the final dot — and
// Temporal retries it. Across the retries and the deliveries that follow (two hundred
// minutes of them), the server receives each mail exactly once.
func TestNotificationsWorkflowRetriesExactlyOnce(t *testing.T) {
	for _, step := range []string{"before-sent", "before-commit"} {
		t.Run(step, func(t *testing.T) {
			e := newMailEnv(t)
			e.project("p-1", 1, "draft", time.Time{}, "hongdao")
			e.project("p-1", 2, "submitted", time.Time{}, "tptt")
			e.project("p-2", 1, "draft", time.Time{}, "hongdao")
			e.project("p-2", 2, "submitted", time.Time{}, "tptt")
			crashed := 0
			e.acts.Mail.crash = func(s string) error {
				if s == step && crashed == 0 {
					crashed++
					return errors.New("worker killed")
				}
				return nil
			}
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			calls := 0
			env.RegisterActivityWithOptions(func(ctx context.Context) (workflows.DeliverResult, error) {
				calls++
				e.advance(time.Minute) // each delivery a minute later: claims expire
				return e.acts.DeliverNotifications(ctx)
			}, activity.RegisterOptions{Name: workflows.ActivityDeliverNotifications})
			env.RegisterWorkflowWithOptions(workflows.NotificationsWorkflow, workflow.RegisterOptions{Name: workflows.NotificationsWorkflowName})
			env.ExecuteWorkflow(workflows.NotificationsWorkflowName, workflows.NotificationsInput{Interval: time.Minute})
			var can *workflow.ContinueAsNewError
			if err := env.GetWorkflowError(); !errors.As(err, &can) {
				t.Fatalf("workflow ended with %v", err)
			}
			if crashed != 1 || calls < 201 {
				t.Fatalf("crashed %d times, %d activity calls: the crash was not retried", crashed, calls)
			}
			got := map[string]int{}
			for _, m := range e.smtp.Messages() {
				got[m.MessageID]++
				if s := strings.Join(m.To, ",") + " | " + m.Subject; s != taskTptt && s != strings.Replace(taskTptt, "HS-2026-0001", "HS-2026-0002", 1) {
					t.Errorf("unexpected mail %v %q", m.To, m.Subject)
				}
			}
			if len(got) != 2 {
				t.Fatalf("%d distinct mails, want 2 (one per event)", len(got))
			}
			for id, n := range got {
				if n != 1 {
					t.Fatalf("mail %s received %d times", id, n)
				}
			}
		})
	}
}

// TestNotificationMailSkipsInactivePeople: a person no longer in the directory (or
// deactivated) gets no mail; the others still do.
func TestNotificationMailSkipsInactivePeople(t *testing.T) {
	e := newMailEnv(t)
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	e.acts.Org = org
	e.project("p-1", 1, "draft", time.Time{}, "hongdao")
	e.project("p-1", 2, "submitted", time.Time{}, "tptt", "ghost")
	if _, err := e.deliver(); err != nil {
		t.Fatal(err)
	}
	e.wantReceived(map[string]int{taskTptt: 1})
	if st, _, err := e.rec.MailState(e.ctx, "p-1/2/task/ghost"); err != nil || st != store.MailFailed {
		t.Fatalf("ghost's mail: %s %v, want failed", st, err)
	}
}
