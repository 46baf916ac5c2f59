package store_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/store"
)

var caseNumberShape = regexp.MustCompile(`^(HS-\d{4}-\d{4,}|PH-\d{4}-\d{2,})$`)

// caseRow is a minimal projected row of a workflow created at the given time.
func caseRow(id, kind string, seq int64, created time.Time) store.Projection {
	p := store.Projection{WorkflowID: id, Kind: kind, Seq: seq, Stage: "draft", NomineeName: "Nguyễn Thị Hồng Đào",
		CreatedAt: created, UpdatedAt: created.Add(time.Duration(seq) * time.Minute)}
	if kind == store.KindSession {
		p.Stage, p.Title, p.NomineeName = "open", "Xét khen thưởng", ""
		p.Year = created.In(time.FixedZone("ICT", 7*3600)).Year()
	}
	return p
}

func caseNumber(t *testing.T, s *store.Store, id string) string {
	t.Helper()
	n, err := s.CaseNumber(ctx(t), id)
	must(t, err)
	return n
}

// CaseNumbers: the first row of a workflow gives it the next number of its prefix and
// year (the year in Vietnam time), later rows keep it, a reopened store (a restart)
// reads the same, and a search by the number (as people type it) finds the workflow.
func testCaseNumbers(t *testing.T, env *dbEnv) {
	dsn := env.newDSN(t)
	s := env.openDSN(t, dsn)
	c := ctx(t)
	jan := time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC)
	// 31/12/2025 18:30 UTC is already 01/01/2026 in Vietnam.
	newYearsEve := time.Date(2025, 12, 31, 18, 30, 0, 0, time.UTC)
	dec := time.Date(2025, 12, 31, 10, 0, 0, 0, time.UTC)
	writes := []struct {
		id, kind string
		created  time.Time
		want     string
	}{
		{"proposal-a", store.KindProposal, jan, "HS-2026-0001"},
		{"proposal-b", store.KindProposal, jan, "HS-2026-0002"},
		{"session-a", store.KindSession, jan, "PH-2026-01"},
		{"proposal-c", store.KindProposal, newYearsEve, "HS-2026-0003"},
		{"proposal-d", store.KindProposal, dec, "HS-2025-0001"},
		{"session-b", store.KindSession, jan, "PH-2026-02"},
	}
	if _, err := s.CaseNumber(c, "proposal-a"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a workflow never projected has a case number: %v", err)
	}
	for _, w := range writes {
		_, err := s.UpsertProjection(c, caseRow(w.id, w.kind, 1, w.created))
		must(t, err)
		if got := caseNumber(t, s, w.id); got != w.want {
			t.Errorf("%s: case number %s, want %s", w.id, got, w.want)
		}
	}
	// Later events, repeats and older ones keep the number.
	for _, seq := range []int64{5, 5, 2, 9} {
		_, err := s.UpsertProjection(c, caseRow("proposal-a", store.KindProposal, seq, jan))
		must(t, err)
	}
	if got := caseNumber(t, s, "proposal-a"); got != "HS-2026-0001" {
		t.Errorf("after later events proposal-a is %s", got)
	}
	// A restart: a new store on the same database.
	again := env.openDSN(t, dsn)
	ids := []string{}
	for _, w := range writes {
		ids = append(ids, w.id)
	}
	got, err := again.CaseNumbers(c, append(ids, "proposal-unknown"))
	must(t, err)
	for _, w := range writes {
		if got[w.id] != w.want {
			t.Errorf("after a restart %s is %q, want %s", w.id, got[w.id], w.want)
		}
	}
	if _, ok := got["proposal-unknown"]; ok || len(got) != len(writes) {
		t.Errorf("CaseNumbers: %v", got)
	}
	// Rows projected before the case numbers existed are numbered when a store opens,
	// oldest first, after the numbers already given.
	for _, id := range []string{"proposal-old-b", "proposal-old-a"} {
		created := jan.Add(-time.Hour)
		if id == "proposal-old-b" {
			created = jan.Add(-30 * time.Minute)
		}
		_, err := s.UpsertProjection(c, caseRow(id, store.KindProposal, 1, created))
		must(t, err)
		if _, err := s.DB().ExecContext(c, store.Rebind(env.dialect, `DELETE FROM case_numbers WHERE workflow_id = ?`), id); err != nil {
			t.Fatal(err)
		}
	}
	reopened := env.openDSN(t, dsn)
	if a, b := caseNumber(t, reopened, "proposal-old-a"), caseNumber(t, reopened, "proposal-old-b"); a != "HS-2026-0004" || b != "HS-2026-0005" {
		t.Errorf("backfilled: old-a %s, old-b %s; want HS-2026-0004, HS-2026-0005", a, b)
	}
	// Search: the number as typed finds the one workflow, in lists and directly.
	for _, typed := range []string{"HS-2026-0002", "hs-2026-2", " HS 2026 0002 ", "hs.2026.02", "HS/2026/2"} {
		res, err := again.ListProposals(c, store.Filter{Scope: allScope, Text: typed}, store.Sort{}, store.Page{})
		must(t, err)
		if len(res.Items) != 1 || res.Items[0].WorkflowID != "proposal-b" {
			t.Errorf("search %q: %+v, want proposal-b", typed, res.Items)
		}
		id, err := again.WorkflowByCaseNumber(c, typed)
		if err != nil || id != "proposal-b" {
			t.Errorf("WorkflowByCaseNumber(%q) = %q, %v", typed, id, err)
		}
	}
	res, err := again.ListSessions(c, store.Filter{Scope: allScope, Text: "ph-2026-02"}, store.Sort{}, store.Page{})
	must(t, err)
	if len(res.Items) != 1 || res.Items[0].WorkflowID != "session-b" {
		t.Errorf("search ph-2026-02 among sessions: %+v", res.Items)
	}
	for _, miss := range []string{"HS-2026-0009", "PH-2026-0002x", "HS-2026-0"} {
		if id, err := again.WorkflowByCaseNumber(c, miss); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("WorkflowByCaseNumber(%q) = %q, %v: want not found", miss, id, err)
		}
	}
	// A name search is not taken for a number.
	res, err = again.ListProposals(c, store.Filter{Scope: allScope, Text: "hồng đào"}, store.Sort{}, store.Page{})
	must(t, err)
	if len(res.Items) != 6 {
		t.Errorf("search by name: %d rows, want the 6 proposals", len(res.Items))
	}
}

// CaseNumbersConcurrent: several stores (servers and workers) projecting many workflows
// at once, each event repeated and in any order: every workflow gets exactly one number,
// no number is given twice, and each reads the same from every store.
func testCaseNumbersConcurrent(t *testing.T, env *dbEnv) {
	dsn := env.newDSN(t)
	stores := []*store.Store{env.openDSN(t, dsn), env.openDSN(t, dsn), env.openDSN(t, dsn)}
	c := ctx(t)
	r := rand.New(rand.NewPCG(10, 10))
	created := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var events []store.Projection
	var ids []string
	for w := range 40 {
		kind := store.KindProposal
		if w%5 == 0 {
			kind = store.KindSession
		}
		id := fmt.Sprintf("%s-%02d", kind, w)
		ids = append(ids, id)
		for seq := int64(1); seq <= int64(1+r.IntN(3)); seq++ {
			for range 1 + r.IntN(2) {
				events = append(events, caseRow(id, kind, seq, created))
			}
		}
	}
	r.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
	work := make(chan store.Projection)
	errs := make(chan error, len(events))
	var wg sync.WaitGroup
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
	for _, e := range events {
		work <- e
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	first, err := stores[0].CaseNumbers(c, ids)
	must(t, err)
	seen := map[string]string{}
	for _, id := range ids {
		n := first[id]
		if !caseNumberShape.MatchString(n) {
			t.Errorf("%s: case number %q", id, n)
		}
		if other, dup := seen[n]; dup {
			t.Errorf("%s and %s share the case number %s", other, id, n)
		}
		seen[n] = id
	}
	for _, s := range stores[1:] {
		got, err := s.CaseNumbers(c, ids)
		must(t, err)
		for _, id := range ids {
			if got[id] != first[id] {
				t.Errorf("%s reads %q from one store and %q from another", id, got[id], first[id])
			}
		}
	}
}

func TestParseCaseNumber(t *testing.T) {
	for in, want := range map[string]string{
		"HS-2026-0042": "HS-2026-0042", "hs-2026-42": "HS-2026-0042", "PH-2026-3": "PH-2026-03",
		"ph 2026 03": "PH-2026-03", "HS2026-7": "HS-2026-0007", "HS-2026-12345": "HS-2026-12345",
	} {
		prefix, year, seq, ok := store.ParseCaseNumber(in)
		if !ok {
			t.Errorf("ParseCaseNumber(%q) refused", in)
			continue
		}
		if got := store.FormatCaseNumber(prefix, year, seq); got != want {
			t.Errorf("ParseCaseNumber(%q) → %s, want %s", in, got, want)
		}
	}
	for _, in := range []string{"", "HS", "HS-26-1", "HS-2026-0", "XX-2026-1", "HS-2026-1-2", "Nguyễn", "proposal-abc", "HS-2026-"} {
		if _, _, _, ok := store.ParseCaseNumber(in); ok {
			t.Errorf("ParseCaseNumber(%q) accepted", in)
		}
	}
}
