package store_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/notify"
	"github.com/awardflow/awardflow/internal/store"
)

func notifyRow(id string, seq int64, stage string, overdue bool, assignees ...string) store.Projection {
	return store.Projection{WorkflowID: id, Kind: store.KindProposal, Seq: seq, Stage: stage, NomineeName: "Nguyễn Thị Hồng Đào",
		Proposer: "hongdao", Department: "tt", Year: 2026, Assignees: assignees, Overdue: overdue,
		UpdatedAt: testBaseDay.Add(time.Duration(seq) * time.Minute)}
}

func bell(t *testing.T, s *store.Store, person string) ([]string, int) {
	t.Helper()
	list, unread, err := s.Notifications(ctx(t), person, 200)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range list {
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	return ids, unread
}

// testNotificationsFromProjection: the rows a workflow writes, in any order and repeated,
// give each person the events of the rows actually written, once; marking read is
// per person.
func testNotificationsFromProjection(t *testing.T, env *dbEnv) {
	rows := []store.Projection{
		notifyRow("p-1", 1, "draft", false, "hongdao"),
		notifyRow("p-1", 2, "submitted", false, "tptt"),
		notifyRow("p-1", 3, "returned", false, "hongdao"),
		notifyRow("p-1", 4, "submitted", false, "tptt"),
		notifyRow("p-1", 5, "submitted", true, "tptt", "truongban"),
		notifyRow("p-1", 6, "awarded", false),
	}
	// In order: every change is seen.
	s := env.open(t)
	for _, r := range rows {
		for range 2 {
			if _, err := s.UpsertProjection(ctx(t), r); err != nil {
				t.Fatal(err)
			}
		}
	}
	ids, unread := bell(t, s, "tptt")
	if w := []string{"p-1/2/task/tptt", "p-1/4/task/tptt", "p-1/5/overdue/tptt"}; !slices.Equal(ids, w) || unread != 3 {
		t.Fatalf("tptt: %v (%d unread), want %v", ids, unread, w)
	}
	ids, _ = bell(t, s, "hongdao")
	if w := []string{"p-1/3/returned/hongdao", "p-1/6/decision/hongdao"}; !slices.Equal(ids, w) {
		t.Fatalf("hongdao: %v, want %v", ids, w)
	}
	ids, _ = bell(t, s, "truongban")
	if w := []string{"p-1/5/overdue/truongban", "p-1/5/task/truongban"}; !slices.Equal(ids, w) {
		t.Fatalf("truongban: %v, want %v", ids, w)
	}
	// Every line quotes the case number people use on the phone, the first one included
	// (the number is allocated before the notifications of the row that gives it).
	numbers, err := s.CaseNumbers(ctx(t), []string{"p-1"})
	if err != nil || numbers["p-1"] == "" {
		t.Fatalf("case number of p-1: %v %v", numbers, err)
	}
	for _, person := range []string{"tptt", "hongdao", "truongban"} {
		list, _, err := s.Notifications(ctx(t), person, 200)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range list {
			if !strings.Contains(n.Text, numbers["p-1"]) || !strings.Contains(n.TextEN, numbers["p-1"]) {
				t.Errorf("%s: %q / %q do not quote %s", n.ID, n.Text, n.TextEN, numbers["p-1"])
			}
		}
	}
	// Mark read: another's ids change nothing; one id; then all.
	if n, err := s.MarkNotificationsRead(ctx(t), "hongdao", []string{"p-1/2/task/tptt"}, testBaseDay); err != nil || n != 0 {
		t.Fatalf("marked another's notification: %d %v", n, err)
	}
	if n, err := s.MarkNotificationsRead(ctx(t), "tptt", []string{"p-1/2/task/tptt"}, testBaseDay); err != nil || n != 1 {
		t.Fatalf("mark one: %d %v", n, err)
	}
	if _, unread := bell(t, s, "tptt"); unread != 2 {
		t.Fatalf("unread %d, want 2", unread)
	}
	if n, err := s.MarkNotificationsRead(ctx(t), "tptt", nil, testBaseDay); err != nil || n != 2 {
		t.Fatalf("mark all: %d %v", n, err)
	}
	if _, unread := bell(t, s, "tptt"); unread != 0 {
		t.Fatalf("unread %d after marking all", unread)
	}

	// A rebuild (awardflow reindex) repairs rows quietly; the changes after it notify.
	q := env.open(t)
	if ok, err := q.RepairProjection(ctx(t), rows[4]); err != nil || !ok {
		t.Fatalf("repair: %v %v", ok, err)
	}
	if ids, _ := bell(t, q, "tptt"); len(ids) != 0 {
		t.Fatalf("a repaired row notified: %v", ids)
	}
	if _, err := q.UpsertProjection(ctx(t), rows[5]); err != nil {
		t.Fatal(err)
	}
	if ids, _ := bell(t, q, "hongdao"); !slices.Equal(ids, []string{"p-1/6/decision/hongdao"}) {
		t.Fatalf("after the repair: %v", ids)
	}

	// Any order: only rows that are written (newer than the stored one) notify, so the
	// events are those of the chain of rows that won, never twice.
	r := rand.New(rand.NewPCG(7, 8))
	for round := range 5 {
		s := env.open(t)
		order := slices.Clone(rows)
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var written []store.Projection
		for _, row := range order {
			ok, err := s.UpsertProjection(ctx(t), row)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				written = append(written, row)
			}
		}
		want := map[string]bool{}
		var prev *notify.Row
		for _, w := range written {
			next := notify.Row{WorkflowID: w.WorkflowID, Seq: w.Seq, Kind: w.Kind, Stage: w.Stage, NomineeName: w.NomineeName,
				Proposer: w.Proposer, Assignees: w.Assignees, Overdue: w.Overdue, UpdatedAt: w.UpdatedAt}
			for _, e := range notify.Changes(prev, next) {
				want[e.ID] = true
			}
			prev = &next
		}
		got := map[string]bool{}
		for _, p := range []string{"hongdao", "tptt", "truongban"} {
			ids, _ := bell(t, s, p)
			for _, id := range ids {
				got[id] = true
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("round %d (order %v): got %v, want %v", round, seqs(order), got, want)
		}
	}
}

func seqs(rows []store.Projection) []int64 {
	var out []int64
	for _, r := range rows {
		out = append(out, r.Seq)
	}
	return out
}

// testMailOutboxClaims: concurrent claimers never get the same mail; a claim that expired
// before the final dot is claimed again; one that expired after it turns uncertain and
// is never claimed again; a stale claim cannot record anything.
func testMailOutboxClaims(t *testing.T, env *dbEnv) {
	s := env.open(t)
	for i := range 20 {
		id := fmt.Sprintf("p-%02d", i)
		for _, r := range []store.Projection{notifyRow(id, 1, "draft", false, "hongdao"), notifyRow(id, 2, "submitted", false, "tptt")} {
			if _, err := s.UpsertProjection(ctx(t), r); err != nil {
				t.Fatal(err)
			}
		}
	}
	now := testBaseDay.Add(time.Hour)
	var mu sync.Mutex
	claimed := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				m, err := s.ClaimMail(ctx(t), now, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if m == nil {
					return
				}
				mu.Lock()
				claimed[m.ID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(claimed) != 20 {
		t.Fatalf("claimed %d mails, want 20", len(claimed))
	}
	for id, n := range claimed {
		if n != 1 {
			t.Fatalf("%s claimed %d times", id, n)
		}
	}
	// All are sending. After the lease, each is claimed again once.
	later := now.Add(2 * time.Minute)
	a, err := s.ClaimMail(ctx(t), later, time.Minute)
	if err != nil || a == nil {
		t.Fatalf("reclaim: %v %v", a, err)
	}
	stale := *a
	b, err := s.ClaimMail(ctx(t), later, time.Minute)
	if err != nil || b == nil || b.ID == a.ID {
		t.Fatalf("second reclaim: %v %v", b, err)
	}
	if err := s.MailCommitting(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	if err := s.MailSent(ctx(t), a, later); err != nil {
		t.Fatal(err)
	}
	if err := s.MailCommitting(ctx(t), &stale); err == nil {
		t.Fatal("a finished claim recorded again")
	}
	// b reaches committing and its sender dies: after the lease it is uncertain, never
	// claimed again.
	if err := s.MailCommitting(ctx(t), b); err != nil {
		t.Fatal(err)
	}
	for {
		m, err := s.ClaimMail(ctx(t), later.Add(2*time.Minute), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if m == nil {
			break
		}
		if m.ID == b.ID || m.ID == a.ID {
			t.Fatalf("claimed %s again", m.ID)
		}
		if err := s.MailFailed(ctx(t), m, "no answer", true); err != nil {
			t.Fatal(err)
		}
	}
	if st, _, err := s.MailState(ctx(t), b.ID); err != nil || st != store.MailUncertain {
		t.Fatalf("%s: %s %v, want uncertain", b.ID, st, err)
	}
	if st, _, _ := s.MailState(ctx(t), a.ID); st != store.MailSent {
		t.Fatalf("%s: %s, want sent", a.ID, st)
	}
}

// testNotificationDigests: a digest person's events wait for the morning's digest, one
// per person and day, each event in exactly one digest; the preference round-trips.
func testNotificationDigests(t *testing.T, env *dbEnv) {
	s := env.open(t)
	if err := s.SetNotificationPrefs(ctx(t), store.NotificationPrefs{PersonID: "tptt", Email: "tp@x.vn", Digest: true}, testBaseDay); err != nil {
		t.Fatal(err)
	}
	if p, err := s.NotificationPrefsOf(ctx(t), "tptt"); err != nil || !p.Digest || p.Email != "tp@x.vn" {
		t.Fatalf("prefs %+v %v", p, err)
	}
	if p, err := s.NotificationPrefsOf(ctx(t), "nobody"); err != nil || p.Digest || p.Email != "" {
		t.Fatalf("default prefs %+v %v", p, err)
	}
	for i := range 3 {
		id := fmt.Sprintf("p-%d", i)
		for _, r := range []store.Projection{notifyRow(id, 1, "draft", false, "hongdao"), notifyRow(id, 2, "submitted", false, "tptt")} {
			if _, err := s.UpsertProjection(ctx(t), r); err != nil {
				t.Fatal(err)
			}
		}
	}
	loc := time.FixedZone("ICT", 7*3600)
	// testBaseDay is 08:00 UTC = 15:00 ICT; before the next 07:00 nothing is built.
	if n, err := s.BuildDigests(ctx(t), testBaseDay.Add(time.Hour), loc, 23); err != nil || n != 0 {
		t.Fatalf("digest before its hour: %d %v", n, err)
	}
	morning := time.Date(2026, 3, 2, 7, 30, 0, 0, loc)
	for range 2 {
		if _, err := s.BuildDigests(ctx(t), morning, loc, 7); err != nil {
			t.Fatal(err)
		}
	}
	m, err := s.ClaimMail(ctx(t), morning, time.Minute)
	if err != nil || m == nil || m.ID != "digest:tptt:2026-03-02" || m.PersonID != "tptt" {
		t.Fatalf("claimed %+v %v, want the digest", m, err)
	}
	if other, _ := s.ClaimMail(ctx(t), morning, time.Minute); other != nil {
		t.Fatalf("another mail %s: the events went one by one too", other.ID)
	}
}
