package store_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// Names with diacritics, đ, LIKE's wildcards and a quote, so search and sorting see the
// awkward cases.
var testNames = []string{
	"Nguyễn Thị Hồng Đào", "Lê Văn Ẩn", "Trần Minh Đức", "Phạm Thu Hà", "Võ Thị Ánh Tuyết", "Đặng Quốc Bảo",
	"Bùi Ngọc Ánh", "Phòng Tuyên truyền", "Hoàng Văn Ơn", "Đỗ Thị Ước 100%", "Ngô_Thị Lan", "O'Neil Trần",
	"nguyễn thị hồng đào", "NGUYỄN VĂN A", "Ư",
}

var (
	testStages  = []string{"draft", "submitted", "endorsed", "in_session", "awarded", "rejected"}
	testDepts   = []string{"vp", "tt", "lltt", "khxh"}
	testAwards  = []string{"LDTT", "CSTDCS", "GK", "BK"}
	testMoves   = []string{"", "thi-dua-2025", "chuyen-de-so"}
	testPeople  = []string{"hongdao", "truongban", "phoban", "tp-vp", "tp-tt", "thuky"}
	testYears   = []int{2024, 2025, 2026}
	testBaseDay = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// randomProjection makes a proposal row; times come from a small set so sort keys tie.
func randomProjection(r *rand.Rand, id string, seq int64) store.Projection {
	p := store.Projection{
		WorkflowID: id, Kind: store.KindProposal, Seq: seq, Stage: pick(r, testStages), Department: pick(r, testDepts),
		NomineeName: pick(r, testNames), NomineeID: pick(r, testPeople), NomineeKind: "individual",
		AwardType: pick(r, testAwards), Movement: pick(r, testMoves), Year: pick(r, testYears), Proposer: pick(r, testPeople),
		Overdue:   r.IntN(4) == 0,
		UpdatedAt: testBaseDay.Add(time.Duration(r.IntN(40))*time.Hour + time.Duration(r.IntN(3))*time.Nanosecond),
	}
	if r.IntN(3) > 0 {
		p.CreatedAt = testBaseDay.Add(-time.Duration(r.IntN(40)) * time.Hour)
	}
	if r.IntN(4) > 0 {
		p.DueAt = testBaseDay.Add(time.Duration(r.IntN(20)) * 24 * time.Hour)
	}
	if r.IntN(3) == 0 {
		p.SessionID = fmt.Sprintf("session-%d", r.IntN(3))
	}
	for range r.IntN(4) {
		p.Assignees = append(p.Assignees, pick(r, testPeople)) // duplicates included
	}
	return p
}

// normalized is what reading a written row gives back.
func normalized(p store.Projection) store.Projection {
	p.Assignees = slices.Clone(p.Assignees)
	slices.Sort(p.Assignees)
	p.Assignees = slices.Compact(p.Assignees)
	if len(p.Assignees) == 0 {
		p.Assignees = nil
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = p.UpdatedAt
	}
	tr := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.Truncate(time.Microsecond).UTC()
	}
	p.CreatedAt, p.UpdatedAt, p.DueAt = tr(p.CreatedAt), tr(p.UpdatedAt), tr(p.DueAt)
	return p
}

func readProjection(t *testing.T, s *store.Store, id string) store.Projection {
	t.Helper()
	p, err := s.Projection(ctx(t), id)
	must(t, err)
	return p
}

func testProjectionOlderNeverOverwrites(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	r := rand.New(rand.NewPCG(1, 2))
	newer := randomProjection(r, "prop-1", 5)
	newer.Assignees = []string{"tp-vp"}
	older := randomProjection(r, "prop-1", 3)
	older.Assignees = []string{"hongdao", "thuky"}
	w, err := s.UpsertProjection(c, newer)
	must(t, err)
	if !w {
		t.Fatal("first write reported unwritten")
	}
	for _, p := range []store.Projection{older, newer} { // older event, then the same event again
		w, err = s.UpsertProjection(c, p)
		must(t, err)
		if w {
			t.Errorf("write of seq %d over seq 5 reported written", p.Seq)
		}
	}
	if got := readProjection(t, s, "prop-1"); !reflect.DeepEqual(got, normalized(newer)) {
		t.Errorf("row after an older event:\n got %+v\nwant %+v", got, normalized(newer))
	}
	_, err = s.Projection(c, "prop-none")
	wantIs(t, err, store.ErrNotFound)
}

func testProjectionConflicts(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	r := rand.New(rand.NewPCG(3, 4))
	p := randomProjection(r, "prop-1", 4)
	_, err := s.UpsertProjection(c, p)
	must(t, err)
	// The same event number with other content: a bug (a clock read in the activity) or
	// a forged write; refused, the row stays.
	q := p
	q.Stage = "rejected-by-someone-else"
	_, err = s.UpsertProjection(c, q)
	wantIs(t, err, store.ErrConflict)
	// Assignees in another order are the same content.
	q = p
	q.Assignees = append(slices.Clone(p.Assignees), p.Assignees...)
	slices.Reverse(q.Assignees)
	_, err = s.UpsertProjection(c, q)
	must(t, err)
	// A workflow id does not change kind.
	sess := p
	sess.Kind, sess.Seq = store.KindSession, 9
	_, err = s.UpsertProjection(c, sess)
	wantIs(t, err, store.ErrConflict)
	if got := readProjection(t, s, "prop-1"); !reflect.DeepEqual(got, normalized(p)) {
		t.Errorf("row after refused writes:\n got %+v\nwant %+v", got, normalized(p))
	}
	for name, bad := range map[string]func(*store.Projection){
		"no id":        func(p *store.Projection) { p.WorkflowID = " " },
		"seq 0":        func(p *store.Projection) { p.Seq = 0 },
		"kind":         func(p *store.Projection) { p.Kind = "register" },
		"no stage":     func(p *store.Projection) { p.Stage = "" },
		"no time":      func(p *store.Projection) { p.UpdatedAt = time.Time{} },
		"empty person": func(p *store.Projection) { p.Assignees = []string{""} },
	} {
		x := randomProjection(r, "prop-bad", 1)
		bad(&x)
		if _, err := s.UpsertProjection(c, x); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// projectionEvents is a history of events for several workflows (sequence numbers
// increasing with gaps), in order.
func projectionEvents(r *rand.Rand, prefix string, workflows int) []store.Projection {
	var out []store.Projection
	for w := range workflows {
		id := fmt.Sprintf("%sprop-%02d", prefix, w)
		seq := int64(0)
		for range 1 + r.IntN(6) {
			seq += 1 + int64(r.IntN(3))
			out = append(out, randomProjection(r, id, seq))
		}
		if r.IntN(4) == 0 { // a session row too
			sess := randomProjection(r, fmt.Sprintf("%ssession-%02d", prefix, w), 1)
			sess.Kind, sess.Title, sess.NomineeName = store.KindSession, "Phiên họp xét khen thưởng năm 2025", ""
			out = append(out, sess)
		}
	}
	return out
}

// shuffledWithDuplicates is events in random order, each one to three times.
func shuffledWithDuplicates(r *rand.Rand, events []store.Projection) []store.Projection {
	var out []store.Projection
	for _, e := range events {
		for range 1 + r.IntN(3) {
			out = append(out, e)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// lastEvents is the final row of each workflow when events are applied in order.
func lastEvents(events []store.Projection) map[string]store.Projection {
	m := map[string]store.Projection{}
	for _, e := range events {
		if cur, ok := m[e.WorkflowID]; !ok || e.Seq > cur.Seq {
			m[e.WorkflowID] = normalized(e)
		}
	}
	return m
}

func compareRows(t *testing.T, label string, got, want *store.Store, ids map[string]store.Projection) {
	t.Helper()
	for id, model := range ids {
		g, w := readProjection(t, got, id), readProjection(t, want, id)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s differs from the in-order application:\n got %+v\nwant %+v", label, id, g, w)
		}
		if !reflect.DeepEqual(g, model) {
			t.Errorf("%s: %s differs from its last event:\n got %+v\nwant %+v", label, id, g, model)
		}
	}
}

// Property: applying the events of many workflows in a random order with duplicates
// gives the same rows as applying them once in order (and those are the last events).
func testProjectionEventsAnyOrder(t *testing.T, env *dbEnv) {
	shuffled, ordered := env.open(t), env.open(t)
	c := ctx(t)
	trials := 12
	if env.dialect == store.Postgres {
		trials = 6
	}
	for trial := range trials {
		r := rand.New(rand.NewPCG(uint64(trial), 77))
		prefix := fmt.Sprintf("t%d/", trial)
		events := projectionEvents(r, prefix, 6)
		for _, e := range events {
			_, err := ordered.UpsertProjection(c, e)
			must(t, err)
		}
		for _, e := range shuffledWithDuplicates(r, events) {
			_, err := shuffled.UpsertProjection(c, e)
			must(t, err)
		}
		compareRows(t, fmt.Sprintf("trial %d", trial), shuffled, ordered, lastEvents(events))
	}
}

// Several workers apply the shuffled events at once (activities retried on several
// worker processes): the rows still converge to the last events.
func testProjectionConcurrentWriters(t *testing.T, env *dbEnv) {
	dsn := env.newDSN(t)
	stores := []*store.Store{env.openDSN(t, dsn), env.openDSN(t, dsn), env.openDSN(t, dsn)}
	ordered := env.open(t)
	c := ctx(t)
	r := rand.New(rand.NewPCG(9, 9))
	events := projectionEvents(r, "", 10)
	for _, e := range events {
		_, err := ordered.UpsertProjection(c, e)
		must(t, err)
	}
	work := make(chan store.Projection)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 6 {
		s := stores[i%len(stores)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range work {
				if _, err := s.UpsertProjection(c, e); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, e := range shuffledWithDuplicates(r, events) {
		work <- e
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	compareRows(t, "concurrent", stores[0], ordered, lastEvents(events))
}

// allScope lists everything.
var allScope = award.ListScope{All: true}
