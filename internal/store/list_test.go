package store_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// seedProposals writes n random proposals (and a few sessions) and returns the model: the
// rows as they are stored.
func seedProposals(t *testing.T, s *store.Store, r *rand.Rand, prefix string, n int) []store.Projection {
	t.Helper()
	c := ctx(t)
	var model []store.Projection
	for i := range n {
		p := randomProjection(r, fmt.Sprintf("%sprop-%04d", prefix, i), 1)
		_, err := s.UpsertProjection(c, p)
		must(t, err)
		model = append(model, normalized(p))
		if i%25 == 0 { // sessions never show in proposal lists
			sess := p
			sess.WorkflowID, sess.Kind, sess.Title = fmt.Sprintf("%ssession-%04d", prefix, i), store.KindSession, "Phiên họp"
			_, err := s.UpsertProjection(c, sess)
			must(t, err)
		}
	}
	return model
}

// The model's semantics of a filter and a sort.
func modelMatches(p store.Projection, f store.Filter) bool {
	if p.Kind != store.KindProposal {
		return false
	}
	sc := f.Scope
	if !sc.All && ((sc.Department == "" && sc.Proposer == "") || (sc.Department != "" && p.Department != sc.Department) ||
		(sc.Proposer != "" && p.Proposer != sc.Proposer)) {
		return false
	}
	if len(f.Stage) > 0 && !slices.Contains(f.Stage, p.Stage) {
		return false
	}
	eq := func(want, got string) bool { return want == "" || want == got }
	if !eq(f.Department, p.Department) || !eq(f.AwardType, p.AwardType) || !eq(f.Movement, p.Movement) ||
		!eq(f.Proposer, p.Proposer) || !eq(f.NomineeID, p.NomineeID) || !eq(f.SessionID, p.SessionID) {
		return false
	}
	if f.Year != 0 && p.Year != f.Year {
		return false
	}
	if f.Overdue != nil && p.Overdue != *f.Overdue {
		return false
	}
	if len(f.Assignees) > 0 && !slices.ContainsFunc(f.Assignees, func(id string) bool { return slices.Contains(p.Assignees, id) }) {
		return false
	}
	return strings.Contains(store.Fold(p.NomineeName+" "+p.Title), store.Fold(f.Text))
}

func modelKey(p store.Projection, f store.SortField) (int64, string) {
	switch f {
	case store.SortCreated:
		return p.CreatedAt.UnixMicro(), ""
	case store.SortDue:
		if p.DueAt.IsZero() {
			return math.MaxInt64, ""
		}
		return p.DueAt.UnixMicro(), ""
	case store.SortNominee:
		return 0, store.Fold(p.NomineeName + " " + p.Title)
	case store.SortYear:
		return int64(p.Year), ""
	}
	return p.UpdatedAt.UnixMicro(), ""
}

func modelList(model []store.Projection, f store.Filter, o store.Sort) []string {
	var rows []store.Projection
	for _, p := range model {
		if modelMatches(p, f) {
			rows = append(rows, p)
		}
	}
	slices.SortFunc(rows, func(a, b store.Projection) int {
		an, as := modelKey(a, o.Field)
		bn, bs := modelKey(b, o.Field)
		c := cmp.Or(cmp.Compare(an, bn), strings.Compare(as, bs), strings.Compare(a.WorkflowID, b.WorkflowID))
		if o.Desc {
			return -c
		}
		return c
	})
	ids := make([]string, len(rows))
	for i, p := range rows {
		ids[i] = p.WorkflowID
	}
	return ids
}

// pageAll pages through a list with random page sizes.
func pageAll(t *testing.T, s *store.Store, r *rand.Rand, f store.Filter, o store.Sort, between func()) []store.Projection {
	t.Helper()
	var out []store.Projection
	after := ""
	for pages := 0; ; pages++ {
		if pages > 10_000 {
			t.Fatal("paging does not end")
		}
		res, err := s.ListProposals(ctx(t), f, o, store.Page{After: after, Limit: 1 + r.IntN(17)})
		must(t, err)
		out = append(out, res.Items...)
		if res.Next == "" {
			return out
		}
		after = res.Next
		if between != nil {
			between()
		}
	}
}

func ids(ps []store.Projection) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.WorkflowID
	}
	return out
}

// Every sort, both directions, random page sizes: the pages put together are the
// model's list, each row exactly as written.
func testListPagingMatchesModel(t *testing.T, env *dbEnv) {
	s := env.open(t)
	r := rand.New(rand.NewPCG(5, 6))
	model := seedProposals(t, s, r, "", 240)
	byID := map[string]store.Projection{}
	for _, p := range model {
		byID[p.WorkflowID] = p
	}
	for _, field := range store.SortFields {
		for _, desc := range []bool{false, true} {
			o := store.Sort{Field: field, Desc: desc}
			f := store.Filter{Scope: allScope}
			got := pageAll(t, s, r, f, o, nil)
			if want := modelList(model, f, o); !slices.Equal(ids(got), want) {
				t.Errorf("sort %+v:\n got %v\nwant %v", o, ids(got), want)
			}
			for _, p := range got {
				if w := byID[p.WorkflowID]; !equalProjection(p, w) {
					t.Errorf("row %s:\n got %+v\nwant %+v", p.WorkflowID, p, w)
				}
			}
		}
	}
	// The default sort is updated_at.
	res, err := s.ListProposals(ctx(t), store.Filter{Scope: allScope}, store.Sort{}, store.Page{})
	must(t, err)
	want := modelList(model, store.Filter{Scope: allScope}, store.Sort{Field: store.SortUpdated})
	if !slices.Equal(ids(res.Items), want[:store.DefaultLimit]) {
		t.Errorf("default sort and page size: got %v", ids(res.Items))
	}
}

func equalProjection(a, b store.Projection) bool {
	return fmt.Sprintf("%+v", a) == fmt.Sprintf("%+v", b)
}

// Each filter alone and random combinations agree with the model, and so does the count.
func testListFiltersMatchModel(t *testing.T, env *dbEnv) {
	s := env.open(t)
	r := rand.New(rand.NewPCG(7, 8))
	model := seedProposals(t, s, r, "", 200)
	yes, no := true, false
	filters := []store.Filter{
		{Stage: []string{"submitted"}}, {Stage: []string{"submitted", "endorsed", "nope"}}, {Department: "vp"},
		{AwardType: "GK"}, {Movement: "thi-dua-2025"}, {Year: 2025}, {Overdue: &yes}, {Overdue: &no},
		{Assignees: []string{"tp-vp"}}, {Assignees: []string{"tp-vp", "nobody", "tp-vp"}}, {Proposer: "hongdao"}, {NomineeID: "thuky"}, {SessionID: "session-1"}, {Text: "dao"},
		{Text: "100%"}, {Text: "_"}, {Text: "o'neil"}, {Year: 1999}, {Assignees: []string{"nobody"}},
	}
	for range 40 {
		f := store.Filter{}
		if r.IntN(2) == 0 {
			f.Department = pick(r, testDepts)
		}
		if r.IntN(2) == 0 {
			f.Year = pick(r, testYears)
		}
		if r.IntN(2) == 0 {
			f.Stage = []string{pick(r, testStages), pick(r, testStages)}
		}
		if r.IntN(3) == 0 {
			f.Assignees = []string{pick(r, testPeople), pick(r, testPeople)}
		}
		if r.IntN(3) == 0 {
			f.Overdue = &yes
		}
		if r.IntN(3) == 0 {
			f.Text = strings.Fields(store.Fold(pick(r, testNames)))[0]
		}
		filters = append(filters, f)
	}
	for _, f := range filters {
		f.Scope = allScope
		o := store.Sort{Field: pick(r, store.SortFields), Desc: r.IntN(2) == 0}
		want := modelList(model, f, o)
		if got := ids(pageAll(t, s, r, f, o, nil)); !slices.Equal(got, want) {
			t.Errorf("filter %+v sort %+v:\n got %v\nwant %v", f, o, got, want)
		}
		n, err := s.CountProposals(ctx(t), f)
		must(t, err)
		if n != len(want) {
			t.Errorf("CountProposals(%+v) = %d, want %d", f, n, len(want))
		}
	}
}

// Keyset paging is stable under inserts: rows written between two pages, before and
// after the cursor, never make an existing row repeat or go missing.
func testListStableUnderInserts(t *testing.T, env *dbEnv) {
	s := env.open(t)
	r := rand.New(rand.NewPCG(10, 11))
	model := seedProposals(t, s, r, "", 150)
	for _, o := range []store.Sort{{Field: store.SortUpdated, Desc: true}, {Field: store.SortNominee}, {Field: store.SortDue}} {
		added := 0
		between := func() {
			for range 4 {
				p := randomProjection(r, fmt.Sprintf("new-%s-%04d", o.Field, added), 1)
				added++
				_, err := s.UpsertProjection(ctx(t), p)
				must(t, err)
			}
		}
		got := pageAll(t, s, r, store.Filter{Scope: allScope}, o, between)
		seen := map[string]int{}
		for _, p := range got {
			seen[p.WorkflowID]++
		}
		for id, n := range seen {
			if n > 1 {
				t.Errorf("sort %+v: %s listed %d times", o, id, n)
			}
		}
		for _, p := range model {
			if seen[p.WorkflowID] != 1 {
				t.Errorf("sort %+v: %s listed %d times, want once", o, p.WorkflowID, seen[p.WorkflowID])
			}
		}
		if added == 0 {
			t.Fatal("nothing was inserted between pages")
		}
	}
}

func testListTextSearchFolds(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	r := rand.New(rand.NewPCG(12, 13))
	for i, name := range []string{"Nguyễn Thị Hồng Đào", "Nguyễn Thị Hồng", "Đào Duy Anh", "Phạm 100% Đạt", "Lê_Văn"} {
		p := randomProjection(r, fmt.Sprintf("p%d", i), 1)
		p.NomineeName = name
		_, err := s.UpsertProjection(c, p)
		must(t, err)
	}
	for q, want := range map[string][]string{
		"nguyen thi hong dao":    {"p0"},
		"NGUYỄN THỊ HỒNG ĐÀO":    {"p0"},
		"  nguyen   thi  hong  ": {"p0", "p1"},
		"dao":                    {"p0", "p2"},
		"đạt":                    {"p3"},
		"%":                      {"p3"},
		"_":                      {"p4"},
		"e_v":                    {"p4"},
		"l_":                     {},
		"xyz":                    {},
	} {
		res, err := s.ListProposals(c, store.Filter{Scope: allScope, Text: q}, store.Sort{Field: store.SortNominee}, store.Page{})
		must(t, err)
		got := ids(res.Items)
		slices.Sort(got)
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("search %q: got %v, want %v", q, got, want)
		}
	}
}

// The scope fails closed: a filter without one lists nothing; a head sees their
// department, a proposer their own, whatever else the filter asks.
func testListScopeFailsClosed(t *testing.T, env *dbEnv) {
	s := env.open(t)
	r := rand.New(rand.NewPCG(14, 15))
	model := seedProposals(t, s, r, "", 80)
	c := ctx(t)
	res, err := s.ListProposals(c, store.Filter{}, store.Sort{}, store.Page{Limit: store.MaxLimit})
	must(t, err)
	if len(res.Items) != 0 {
		t.Errorf("no scope listed %d rows", len(res.Items))
	}
	n, err := s.CountProposals(c, store.Filter{Department: "vp"})
	must(t, err)
	if n != 0 {
		t.Errorf("no scope counted %d rows", n)
	}
	for _, sc := range []award.ListScope{{Department: "vp"}, {Proposer: "hongdao"}, {Department: "tt", Proposer: "tp-tt"}} {
		for _, f := range []store.Filter{{Scope: sc}, {Scope: sc, Department: "tt"}, {Scope: sc, Proposer: "phoban"}} {
			o := store.Sort{Field: store.SortCreated}
			got := ids(pageAll(t, s, r, f, o, nil))
			if want := modelList(model, f, o); !slices.Equal(got, want) {
				t.Errorf("filter %+v:\n got %v\nwant %v", f, got, want)
			}
		}
	}
}

func testListRefusesBadInput(t *testing.T, env *dbEnv) {
	s := env.open(t)
	r := rand.New(rand.NewPCG(16, 17))
	seedProposals(t, s, r, "", 30)
	c := ctx(t)
	f := store.Filter{Scope: allScope}
	res, err := s.ListProposals(c, f, store.Sort{Field: store.SortDue}, store.Page{Limit: 5})
	must(t, err)
	if res.Next == "" {
		t.Fatal("no next page")
	}
	for name, call := range map[string]func() error{
		"page too large": func() error {
			_, err := s.ListProposals(c, f, store.Sort{}, store.Page{Limit: store.MaxLimit + 1})
			return err
		},
		"negative page": func() error { _, err := s.ListProposals(c, f, store.Sort{}, store.Page{Limit: -1}); return err },
		"unknown sort": func() error {
			_, err := s.ListProposals(c, f, store.Sort{Field: "password_hash"}, store.Page{})
			return err
		},
		"garbage cursor": func() error { _, err := s.ListProposals(c, f, store.Sort{}, store.Page{After: "%%%"}); return err },
		"cursor of another sort": func() error {
			_, err := s.ListProposals(c, f, store.Sort{Field: store.SortUpdated}, store.Page{After: res.Next})
			return err
		},
		"cursor of the other direction": func() error {
			_, err := s.ListProposals(c, f, store.Sort{Field: store.SortDue, Desc: true}, store.Page{After: res.Next})
			return err
		},
		"huge cursor": func() error {
			_, err := s.ListProposals(c, f, store.Sort{}, store.Page{After: strings.Repeat("A", 10_000)})
			return err
		},
	} {
		err := call()
		var ae *award.Error
		if !asAward(err, &ae) || ae.Code != award.CodeInvalid {
			t.Errorf("%s: %v, want an invalid error", name, err)
		}
	}
	// The right cursor works.
	_, err = s.ListProposals(c, f, store.Sort{Field: store.SortDue}, store.Page{After: res.Next, Limit: 5})
	must(t, err)
}

// The inbox lists proposals and sessions together: every row of either kind assigned to
// the person, in the sort asked for, paged without repeats or gaps; the count agrees; no
// person (an empty id) lists nothing.
func testListAssignedBothKinds(t *testing.T, env *dbEnv) {
	s := env.open(t)
	r := rand.New(rand.NewPCG(18, 19))
	c := ctx(t)
	var model []store.Projection
	for i := range 120 {
		p := randomProjection(r, fmt.Sprintf("prop-%04d", i), 1)
		if i%3 == 0 {
			p.WorkflowID, p.Kind, p.Title, p.NomineeName = fmt.Sprintf("session-%04d", i), store.KindSession, "Phiên họp "+p.NomineeName, ""
		}
		_, err := s.UpsertProjection(c, p)
		must(t, err)
		model = append(model, normalized(p))
	}
	// One person's inbox, and two people's together (a delegate sees the delegator's
	// tasks too), with and without a filter on top.
	var who [][]string
	for _, person := range append(slices.Clone(testPeople), "nobody") {
		who = append(who, []string{person}, []string{person, pick(r, testPeople)})
	}
	for _, people := range who {
		person := strings.Join(people, "+")
		f := store.Filter{Assignees: people}
		if r.IntN(2) == 0 {
			f.Department = pick(r, testDepts)
		}
		for _, o := range []store.Sort{{Field: store.SortDue}, {Field: store.SortUpdated, Desc: true}, {Field: store.SortNominee}} {
			var want []store.Projection
			for _, p := range model {
				if slices.ContainsFunc(people, func(id string) bool { return slices.Contains(p.Assignees, id) }) &&
					(f.Department == "" || p.Department == f.Department) {
					want = append(want, p)
				}
			}
			// modelList keeps proposals only: sort the inbox's rows the same way here.
			slices.SortFunc(want, func(a, b store.Projection) int {
				an, as := modelKey(a, o.Field)
				bn, bs := modelKey(b, o.Field)
				c := cmp.Or(cmp.Compare(an, bn), strings.Compare(as, bs), strings.Compare(a.WorkflowID, b.WorkflowID))
				if o.Desc {
					return -c
				}
				return c
			})
			var got []store.Projection
			after := ""
			for {
				res, err := s.ListAssigned(c, f, o, store.Page{After: after, Limit: 1 + r.IntN(9)})
				must(t, err)
				got = append(got, res.Items...)
				if after = res.Next; after == "" {
					break
				}
			}
			if !slices.Equal(ids(got), ids(want)) {
				t.Errorf("%s, sort %+v:\n got %v\nwant %v", person, o, ids(got), ids(want))
			}
			n, err := s.CountAssigned(c, f)
			must(t, err)
			if n != len(want) {
				t.Errorf("CountAssigned(%s) = %d, want %d", person, n, len(want))
			}
		}
	}
	none := store.Filter{Assignees: []string{""}, Department: testDepts[0]}
	res, err := s.ListAssigned(c, none, store.Sort{}, store.Page{Limit: store.MaxLimit})
	must(t, err)
	n, err := s.CountAssigned(c, none)
	must(t, err)
	if len(res.Items) != 0 || n != 0 {
		t.Errorf("no person: %d rows, count %d", len(res.Items), n)
	}
}
