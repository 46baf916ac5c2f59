package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/internal/testenv"
)

// BenchmarkListsThroughTheAPI measures the lists as a browser gets them: GET requests over
// loopback HTTP to the whole handler (sign-in check, query parsing, the store's page and
// count, labels, JSON), with 1,000 and 20,000 proposals (and a session for every 25)
// written straight into the records store — SQLite as `awardflow dev` runs it, and
// PostgreSQL when the machine has it. Each shape reports its 50th and 95th percentile.
// Figures and the command are in BENCHMARKS.md:
//
//	go test -run '^$' -bench BenchmarkListsThroughTheAPI -benchtime 200x ./internal/httpapi/
func BenchmarkListsThroughTheAPI(b *testing.B) {
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
					st, err := store.Open(context.Background(), dsn)
					if err != nil {
						b.Fatal(err)
					}
					defer st.Close()
					t0 := time.Now()
					seedAPIBench(b, st, n)
					b.Logf("%s: %d proposals written in %s", dialect, n, time.Since(t0).Round(time.Millisecond))
					if dialect == store.Postgres {
						if _, err := st.DB().ExecContext(context.Background(), `ANALYZE`); err != nil {
							b.Fatal(err)
						}
					}
					org, err := orgconfig.Demo()
					if err != nil {
						b.Fatal(err)
					}
					tokens, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
					s := &Server{Org: org, Tokens: tokens, Records: st}
					srv := httptest.NewServer(s.Handler())
					defer srv.Close()
					deep := deepCursor(b, srv.URL, tokens, min(10, n/400))
					for _, sh := range []struct{ name, who, path string }{
						{"council_all_first_page", "truongban", "/api/v1/proposals"},
						{"council_all_deep_page", "truongban", "/api/v1/proposals?after=" + deep},
						{"head_department_kgvx", "tpkgvx", "/api/v1/proposals"},
						{"staff_own", "hongdao", "/api/v1/proposals"},
						{"stage_department_year", "truongban", "/api/v1/proposals?stage=submitted&stage=endorsed&department=tt&year=2025"},
						{"overdue_by_due", "truongban", "/api/v1/proposals?overdue=true&sort=due"},
						{"search_nominee", "truongban", "/api/v1/proposals?q=nguyen+thi+hong+dao&sort=nominee"},
						{"inbox_head_by_due", "tptt", "/api/v1/inbox?sort=due"},
						{"sessions", "thuky", "/api/v1/sessions"},
						{"limit_200", "truongban", "/api/v1/proposals?limit=200&sort=-created"},
					} {
						b.Run(sh.name, func(b *testing.B) { runAPIShape(b, srv.URL, tokens, sh.who, sh.path) })
					}
				})
			}
		})
	}
}

func runAPIShape(b *testing.B, base string, tokens *auth.Tokens, who, path string) {
	tok, _ := tokens.Issue(who, time.Now())
	c := &http.Client{}
	get := func() int {
		req, _ := http.NewRequest(http.MethodGet, base+path, http.NoBody)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return int(n)
	}
	get() // warm the connection
	durations := make([]time.Duration, 0, b.N)
	size := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		size = get()
		durations = append(durations, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(durations)
	pct := func(p float64) float64 {
		return float64(durations[int(p*float64(len(durations)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(float64(size)/1024, "KiB")
}

// deepCursor is the cursor after some pages of 200 of the council's default list (2,000
// rows down with 20,000 proposals, 400 with 1,000).
func deepCursor(b *testing.B, base string, tokens *auth.Tokens, pages int) string {
	tok, _ := tokens.Issue("truongban", time.Now())
	after := ""
	for range pages {
		path := "/api/v1/proposals?limit=200"
		if after != "" {
			path += "&after=" + after
		}
		req, _ := http.NewRequest(http.MethodGet, base+path, http.NoBody)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var pg struct{ Next string }
		err = json.NewDecoder(resp.Body).Decode(&pg)
		resp.Body.Close()
		if err != nil || pg.Next == "" {
			b.Fatalf("page: %v", err)
		}
		after = pg.Next
	}
	return after
}

var (
	apiFamily = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	apiMiddle = []string{"Thị", "Văn", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức", "Hồng"}
	apiGiven  = []string{"An", "Bình", "Châu", "Dũng", "Đào", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khánh", "Lan", "Linh", "Long",
		"Mai", "Nam", "Ngân", "Phúc", "Quân", "Tâm", "Thảo", "Trang", "Tuấn", "Uyên", "Việt", "Yến"}
)

// seedAPIBench writes n proposals of the demo organisation, shaped like an agency's over
// three years: most finished, the open ones assigned to their department's head or the
// secretary, a few overdue; and a council session for every 25 proposals.
func seedAPIBench(b *testing.B, st *store.Store, n int) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(2026, uint64(n)))
	heads := map[string]string{"tt": "tptt", "llct": "tpllct", "vp": "chanhvp", "kgvx": "tpkgvx"}
	base := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		dept := pickOf(r, listDepts)
		p := store.Projection{
			WorkflowID: fmt.Sprintf("proposal-%032x", i), Kind: store.KindProposal, Seq: 1, Department: dept,
			NomineeName: fmt.Sprintf("%s %s %s %s", pickOf(r, apiFamily), pickOf(r, apiMiddle), pickOf(r, apiMiddle), pickOf(r, apiGiven)),
			NomineeKind: "individual", AwardType: pickOf(r, listAwards), Movement: pickOf(r, listMoves), Year: pickOf(r, listYears),
			Proposer: pickOf(r, listProposers[dept]),
		}
		if i%97 == 0 {
			p.NomineeName = "Nguyễn Thị Hồng Đào"
		}
		p.CreatedAt = base.Add(-time.Duration(r.IntN(3*365*24*60)) * time.Minute)
		p.UpdatedAt = p.CreatedAt.Add(time.Duration(r.IntN(60*24*60)) * time.Minute)
		switch x := r.IntN(100); {
		case x < 8:
			p.Stage, p.Assignees = string(award.StageDraft), []string{p.Proposer}
		case x < 16:
			p.Stage, p.Assignees = string(award.StageSubmitted), []string{heads[dept]}
			p.DueAt = p.UpdatedAt.Add(7 * 24 * time.Hour)
			p.Overdue = r.IntN(4) == 0
		case x < 22:
			p.Stage, p.Assignees = string(award.StageEndorsed), []string{"thuky"}
		default:
			p.Stage = string(pickOf(r, []award.Stage{award.StageAwarded, award.StageNotAwarded, award.StageRejected, award.StageProposedUpward}))
		}
		if _, err := st.UpsertProjection(ctx, p); err != nil {
			b.Fatal(err)
		}
		if i%25 == 0 {
			s := store.Projection{WorkflowID: fmt.Sprintf("session-%032x", i), Kind: store.KindSession, Seq: 1,
				Stage: string(award.SessionDone), Title: "Phiên họp xét khen thưởng " + p.CreatedAt.Format("01/2006"),
				Year: p.CreatedAt.Year(), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
			if _, err := st.UpsertProjection(ctx, s); err != nil {
				b.Fatal(err)
			}
		}
	}
}
