package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// A session is posted once (concurrent posts agree on the first), open postings are
// those running now, and a repeated objection is one row.
func testPostings(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	now := time.Date(2026, 5, 6, 3, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	got := make([]award.Posting, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := s.Post(c, award.Posting{SessionID: "session-1", StartsAt: now.Add(time.Duration(i) * time.Minute),
				EndsAt: now.Add(72 * time.Hour), PostedBy: "thuky"})
			if err != nil {
				t.Error(err)
			}
			got[i] = p
		}()
	}
	wg.Wait()
	for _, p := range got[1:] {
		if !p.StartsAt.Equal(got[0].StartsAt) {
			t.Fatalf("two postings of one session: %+v", got)
		}
	}
	if p, err := s.PostingOf(c, "session-2"); err != nil || p != nil {
		t.Fatalf("an unposted session: %+v %v", p, err)
	}
	open, err := s.OpenPostings(c, now.Add(time.Hour))
	must(t, err)
	if len(open) != 1 {
		t.Fatalf("open %+v", open)
	}
	if open, _ := s.OpenPostings(c, now.Add(73*time.Hour)); len(open) != 0 {
		t.Fatalf("ended postings listed as open: %+v", open)
	}
	o := store.Objection{SessionID: "session-1", ProposalID: "proposal-a", AuthorID: "vanson", Text: "Kê khai chưa đúng", FiledAt: now}
	a1, err := s.AddObjection(c, o)
	must(t, err)
	o.FiledAt = now.Add(time.Minute)
	a2, err := s.AddObjection(c, o)
	must(t, err)
	if a1.ID != a2.ID || !a2.FiledAt.Equal(now) {
		t.Fatalf("a repeated objection: %+v then %+v", a1, a2)
	}
	all, err := s.Objections(c, "session-1")
	must(t, err)
	if len(all) != 1 || all[0].Text != "Kê khai chưa đúng" {
		t.Fatalf("objections %+v", all)
	}
}
