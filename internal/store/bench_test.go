package store_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/internal/testenv"
)

// BenchmarkListProposals measures the list queries the HTTP layer will serve, with 1,000
// and 20,000 proposals in the store, on SQLite and (when available) PostgreSQL, and
// reports the 50th and 95th percentile of each query shape in milliseconds. Results and
// the command are in BENCHMARKS.md:
//
//	go test -run '^$' -bench BenchmarkListProposals -benchtime 200x ./internal/store/
func BenchmarkListProposals(b *testing.B) {
	for _, dialect := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			var pg testenv.PostgresServer
			if dialect == store.Postgres {
				pg = testenv.PostgreSQL(b)
			}
			for _, n := range testenv.BenchSizes(b, 1_000, 20_000) {
				b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
					dsn := store.SQLiteDSN(filepath.Join(b.TempDir(), "awardflow.db"))
					if dialect == store.Postgres {
						dsn = pg.NewDatabase(b)
					}
					s, err := store.Open(ctx(b), dsn)
					if err != nil {
						b.Fatal(err)
					}
					defer s.Close()
					t0 := time.Now()
					seedBench(b, s, n)
					b.Logf("%s: %d proposals written in %s", dialect, n, time.Since(t0).Round(time.Millisecond))
					if dialect == store.Postgres {
						if _, err := s.DB().ExecContext(ctx(b), `ANALYZE`); err != nil {
							b.Fatal(err)
						}
					}
					for _, shape := range benchShapes(b, s) {
						b.Run(shape.name, func(b *testing.B) { runShape(b, s, shape) })
					}
				})
			}
		})
	}
}

type benchShape struct {
	name   string
	filter store.Filter
	sort   store.Sort
	after  string // start deep in the list
	count  bool   // CountProposals instead of a page
}

func benchShapes(b *testing.B, s *store.Store) []benchShape {
	yes := true
	all := store.Filter{Scope: allScope}
	byUpdated := store.Sort{Field: store.SortUpdated, Desc: true}
	// A cursor half-way down the default list: paging deep costs what the first page does.
	after := ""
	for range 10 {
		res, err := s.ListProposals(ctx(b), all, byUpdated, store.Page{After: after, Limit: store.MaxLimit})
		if err != nil {
			b.Fatal(err)
		}
		after = res.Next
	}
	return []benchShape{
		{name: "all_updated_desc", filter: all, sort: byUpdated},
		{name: "all_updated_desc_page11", filter: all, sort: byUpdated, after: after},
		{name: "stage_department", filter: store.Filter{Scope: allScope, Stage: []string{"submitted"}, Department: "vp"}, sort: byUpdated},
		{name: "inbox_assignee_due", filter: store.Filter{Scope: allScope, Assignees: []string{"tp-vp"}, Stage: []string{"submitted", "endorsed"}},
			sort: store.Sort{Field: store.SortDue}},
		{name: "head_scope_year_award", filter: store.Filter{Scope: award.ListScope{Department: "tt"}, Year: 2025, AwardType: "GK"},
			sort: store.Sort{Field: store.SortNominee}},
		{name: "proposer_scope", filter: store.Filter{Scope: award.ListScope{Proposer: "hongdao"}}, sort: byUpdated},
		{name: "overdue_due", filter: store.Filter{Scope: allScope, Overdue: &yes}, sort: store.Sort{Field: store.SortDue}},
		{name: "text_search_nominee", filter: store.Filter{Scope: allScope, Text: "nguyen thi hong dao"}, sort: store.Sort{Field: store.SortNominee}},
		{name: "count_stage_year", filter: store.Filter{Scope: allScope, Stage: []string{"awarded"}, Year: 2025}, count: true},
	}
}

func runShape(b *testing.B, s *store.Store, sh benchShape) {
	c := ctx(b)
	durations := make([]time.Duration, 0, b.N)
	rows := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if sh.count {
			n, err := s.CountProposals(c, sh.filter)
			if err != nil {
				b.Fatal(err)
			}
			rows = n
		} else {
			res, err := s.ListProposals(c, sh.filter, sh.sort, store.Page{After: sh.after, Limit: store.DefaultLimit})
			if err != nil {
				b.Fatal(err)
			}
			rows = len(res.Items)
		}
		durations = append(durations, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(durations)
	pct := func(p float64) float64 {
		return float64(durations[int(p*float64(len(durations)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(float64(rows), "rows")
}

var (
	benchFamily = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	benchMiddle = []string{"Thị", "Văn", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức", "Hồng"}
	benchGiven  = []string{"An", "Bình", "Châu", "Dũng", "Đào", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khánh", "Lan", "Linh", "Long",
		"Mai", "Nam", "Ngân", "Phúc", "Quân", "Tâm", "Thảo", "Trang", "Tuấn", "Uyên", "Việt", "Yến"}
)

// seedBench writes n proposals shaped like an agency's: four departments, a few years,
// most of them finished, a person assigned to the open ones of their department.
func seedBench(b *testing.B, s *store.Store, n int) {
	c := ctx(b)
	r := rand.New(rand.NewPCG(2026, uint64(n)))
	heads := map[string]string{"vp": "tp-vp", "tt": "tp-tt", "lltt": "tp-lltt", "khxh": "tp-khxh"}
	for i := range n {
		p := randomProjection(r, fmt.Sprintf("proposal/%06d", i), 1)
		p.NomineeName = fmt.Sprintf("%s %s %s %s", pick(r, benchFamily), pick(r, benchMiddle), pick(r, benchMiddle), pick(r, benchGiven))
		if i%97 == 0 {
			p.NomineeName = "Nguyễn Thị Hồng Đào"
		}
		p.UpdatedAt = testBaseDay.Add(-time.Duration(r.IntN(3*365*24*60)) * time.Minute)
		p.Assignees = nil
		switch p.Stage {
		case "submitted":
			p.Assignees = []string{heads[p.Department]}
		case "endorsed", "in_session":
			p.Assignees = []string{"thuky"}
		default:
			p.DueAt, p.Overdue = time.Time{}, false
		}
		if _, err := s.UpsertProjection(c, p); err != nil {
			b.Fatal(err)
		}
	}
}
