package httpapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/awardflow/awardflow/internal/apispec"
	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

// listEnv is a server whose lists come from a records store seeded directly (no
// Temporal: the lists never ask it), with a model of what the store holds.
type listEnv struct {
	t     testing.TB
	s     *Server
	h     http.Handler
	spec  *apispec.Spec
	model []store.Projection
}

// The demo organisation's staff by department, and who is assigned what.
var (
	listDepts     = []string{"tt", "llct", "vp", "kgvx"}
	listProposers = map[string][]string{"tt": {"hongdao", "quoccuong"}, "llct": {"vanson"}, "vp": {"kimngan", "thuky"}, "kgvx": {"tpkgvx"}}
	listNames     = []string{"Nguyễn Thị Hồng Đào", "Lê Quốc Cường", "Đặng Văn Sơn", "Trương Thị Kim Ngân", "Phòng Tuyên truyền - Báo chí",
		"Huỳnh Thị Mỹ Linh", "Đỗ Thanh Phong", "Ngô Bảo Châu", "Nguyễn Hồng", "Trần Đào"}
	listAwards = []string{"LDTT", "GK", "CSTDCS"}
	listMoves  = []string{"vanhoa-2025", "chuyendoiso-2025"}
	listYears  = []int{2024, 2025, 2026}
	listPeople = []string{"tptt", "tpllct", "chanhvp", "thuky", "truongban", "hongdao"}
	listBase   = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
)

func pickOf[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func newListEnv(t testing.TB, n int) *listEnv {
	t.Helper()
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	tokens, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	s := &Server{Org: org, Tokens: tokens, Records: st}
	e := &listEnv{t: t, s: s, h: s.Handler()}
	if tt, ok := t.(*testing.T); ok {
		e.spec = loadSpec(tt)
	}
	r := rand.New(rand.NewPCG(uint64(n), 42))
	for i := range n {
		e.add(r, i)
	}
	return e
}

// add writes one random row (every fifth a session) and adds it to the model.
func (e *listEnv) add(r *rand.Rand, i int) {
	dept := pickOf(r, listDepts)
	p := store.Projection{
		WorkflowID: fmt.Sprintf("proposal-%032x", i), Kind: store.KindProposal, Seq: 1,
		Stage: string(pickOf(r, award.Stages)), Department: dept, NomineeName: pickOf(r, listNames), NomineeKind: "individual",
		AwardType: pickOf(r, listAwards), Movement: pickOf(r, listMoves), Year: pickOf(r, listYears), Proposer: pickOf(r, listProposers[dept]),
		Overdue:   r.IntN(5) == 0,
		CreatedAt: listBase.Add(-time.Duration(r.IntN(5000)) * time.Minute),
		UpdatedAt: listBase.Add(time.Duration(r.IntN(5000)) * time.Minute),
	}
	if r.IntN(3) > 0 {
		p.DueAt = listBase.Add(time.Duration(r.IntN(30)) * 24 * time.Hour)
	}
	for range r.IntN(3) {
		if a := pickOf(r, listPeople); !slices.Contains(p.Assignees, a) {
			p.Assignees = append(p.Assignees, a)
		}
	}
	if i%5 == 4 {
		p.WorkflowID = fmt.Sprintf("session-%032x", i)
		p.Kind, p.Title, p.NomineeName, p.Stage = store.KindSession, "Phiên họp xét khen thưởng "+p.NomineeName, "", string(pickOf(r, award.SessionStatuses))
		p.Department, p.Proposer, p.AwardType, p.Movement, p.NomineeKind = "", "", "", "", ""
	}
	if _, err := e.s.Records.UpsertProjection(context.Background(), p); err != nil {
		e.t.Fatal(err)
	}
	slices.Sort(p.Assignees)
	e.model = append(e.model, p)
}

func (e *listEnv) token(id string) string {
	tok, _ := e.s.Tokens.Issue(id, time.Now())
	return tok
}

// get calls the API as person and checks the exchange against openapi.yaml.
func (e *listEnv) get(person, path string) (int, []byte) {
	e.t.Helper()
	rec := call(e.h, "GET", path, e.token(person), "")
	body := bytes.Clone(rec.Body.Bytes())
	if e.spec != nil {
		req, _ := http.NewRequest("GET", "http://awardflow.test"+path, http.NoBody)
		req.Header.Set("Authorization", "Bearer "+e.token(person))
		if err := e.spec.Check(context.Background(), apispec.Exchange{Method: "GET", URL: req.URL.String(), Header: req.Header,
			Status: rec.Code, ResponseHeader: rec.Header(), ResponseBody: body}); err != nil {
			e.t.Error(err)
		}
	}
	return rec.Code, body
}

type pageOut struct {
	Items []Item `json:"items"`
	Next  string `json:"next"`
	Total *int   `json:"total"`
}

// all pages through a list with the given query and random page sizes.
func (e *listEnv) all(r *rand.Rand, person, path string, q url.Values) ([]Item, *int) {
	e.t.Helper()
	var out []Item
	var total *int
	after := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			e.t.Fatal("paging does not end")
		}
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("limit", strconv.Itoa(1+r.IntN(23)))
		if after != "" {
			qq.Set("after", after)
		}
		code, body := e.get(person, path+"?"+qq.Encode())
		if code != http.StatusOK {
			e.t.Fatalf("%s?%s as %s: %d %s", path, qq.Encode(), person, code, body)
		}
		var pg pageOut
		if err := json.Unmarshal(body, &pg); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, pg.Items...)
		if total == nil {
			total = pg.Total
		} else if pg.Total != nil && *pg.Total != *total {
			e.t.Fatalf("the total changed between pages: %d, %d", *total, *pg.Total)
		}
		if pg.Next == "" {
			return out, total
		}
		after = pg.Next
	}
}

// modelIDs is what a list must return: the model's rows that match, in the sort's order
// (ties by id).
func modelIDs(rows []store.Projection, match func(store.Projection) bool, sortParam string) []string {
	var keep []store.Projection
	for _, p := range rows {
		if match(p) {
			keep = append(keep, p)
		}
	}
	desc := strings.HasPrefix(sortParam, "-")
	key := func(p store.Projection) (int64, string) {
		switch strings.TrimPrefix(sortParam, "-") {
		case "created":
			return p.CreatedAt.UnixMicro(), ""
		case "due":
			if p.DueAt.IsZero() {
				return 1 << 62, ""
			}
			return p.DueAt.UnixMicro(), ""
		case "nominee":
			return 0, store.Fold(p.NomineeName + " " + p.Title)
		case "year":
			return int64(p.Year), ""
		}
		return p.UpdatedAt.UnixMicro(), ""
	}
	if sortParam == "" {
		desc = true // -updated
	}
	slices.SortFunc(keep, func(a, b store.Projection) int {
		an, as := key(a)
		bn, bs := key(b)
		c := cmp.Or(cmp.Compare(an, bn), strings.Compare(as, bs), strings.Compare(a.WorkflowID, b.WorkflowID))
		if desc {
			return -c
		}
		return c
	})
	out := make([]string, len(keep))
	for i, p := range keep {
		out[i] = p.WorkflowID
	}
	return out
}

func itemIDs(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// Each role sees its scope — staff what they filed, a head their department, the
// council and admins everything — in every sort and direction, paged with random page
// sizes, without repeats or gaps, with the right total; every answer is as documented.
func TestProposalListScopeSortAndPaging(t *testing.T) {
	e := newListEnv(t, 300)
	r := rand.New(rand.NewPCG(1, 2))
	org := mustOrg(t, e.s)
	for _, person := range []string{"hongdao", "vanson", "tptt", "tpllct", "truongban", "thuky", "quantri"} {
		p, _ := org.Person(person)
		sc := award.ProposalScope(p.Actor())
		inScope := func(row store.Projection) bool {
			if row.Kind != store.KindProposal {
				return false
			}
			switch {
			case sc.All:
				return true
			case sc.Department != "":
				return row.Department == sc.Department
			}
			return row.Proposer == sc.Proposer
		}
		for _, sort := range []string{"", "updated", "-updated", "created", "-created", "due", "-due", "nominee", "-nominee", "year", "-year"} {
			q := url.Values{}
			if sort != "" {
				q.Set("sort", sort)
			}
			items, total := e.all(r, person, "/api/v1/proposals", q)
			want := modelIDs(e.model, inScope, sort)
			if got := itemIDs(items); !slices.Equal(got, want) {
				t.Fatalf("%s, sort %q:\n got %v\nwant %v", person, sort, got, want)
			}
			if total == nil || *total != len(want) {
				t.Fatalf("%s: total %v, want %d", person, total, len(want))
			}
		}
	}
	// What a staff member sees is theirs only, whatever they filter on.
	items, _ := e.all(r, "hongdao", "/api/v1/proposals", url.Values{"department": {"llct"}})
	if len(items) != 0 {
		t.Fatalf("staff filtering on another department sees %v", itemIDs(items))
	}
}

// Each filter, and filters together, list what the model says; the search ignores case
// and diacritics.
func TestProposalListFilters(t *testing.T) {
	e := newListEnv(t, 250)
	r := rand.New(rand.NewPCG(3, 4))
	prop := func(f func(store.Projection) bool) func(store.Projection) bool {
		return func(p store.Projection) bool { return p.Kind == store.KindProposal && f(p) }
	}
	cases := []struct {
		q     url.Values
		match func(store.Projection) bool
	}{
		{url.Values{"stage": {"submitted"}}, prop(func(p store.Projection) bool { return p.Stage == "submitted" })},
		{url.Values{"stage": {"submitted", "endorsed"}}, prop(func(p store.Projection) bool { return p.Stage == "submitted" || p.Stage == "endorsed" })},
		{url.Values{"department": {"vp"}}, prop(func(p store.Projection) bool { return p.Department == "vp" })},
		{url.Values{"award_type": {"GK"}}, prop(func(p store.Projection) bool { return p.AwardType == "GK" })},
		{url.Values{"movement": {"chuyendoiso-2025"}}, prop(func(p store.Projection) bool { return p.Movement == "chuyendoiso-2025" })},
		{url.Values{"year": {"2025"}}, prop(func(p store.Projection) bool { return p.Year == 2025 })},
		{url.Values{"overdue": {"true"}}, prop(func(p store.Projection) bool { return p.Overdue })},
		{url.Values{"overdue": {"false"}}, prop(func(p store.Projection) bool { return !p.Overdue })},
		{url.Values{"q": {"hong dao"}}, prop(func(p store.Projection) bool { return p.NomineeName == "Nguyễn Thị Hồng Đào" })},
		{url.Values{"q": {"HỒNG"}}, prop(func(p store.Projection) bool { return strings.Contains(store.Fold(p.NomineeName), "hong") })}, // Phòng too
		{url.Values{"q": {"đào"}}, prop(func(p store.Projection) bool { return strings.Contains(p.NomineeName, "Đào") })},
		{url.Values{"q": {"100%"}}, prop(func(store.Projection) bool { return false })},
		{url.Values{"stage": {"endorsed"}, "department": {"tt"}, "year": {"2026"}, "sort": {"nominee"}},
			prop(func(p store.Projection) bool { return p.Stage == "endorsed" && p.Department == "tt" && p.Year == 2026 })},
		{url.Values{"award_type": {"LDTT"}, "overdue": {"true"}, "q": {"nguyen"}, "sort": {"-due"}},
			prop(func(p store.Projection) bool {
				return p.AwardType == "LDTT" && p.Overdue && strings.Contains(store.Fold(p.NomineeName), "nguyen")
			})},
	}
	for _, c := range cases {
		items, total := e.all(r, "truongban", "/api/v1/proposals", c.q)
		want := modelIDs(e.model, c.match, c.q.Get("sort"))
		if got := itemIDs(items); !slices.Equal(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", c.q.Encode(), got, want)
		}
		if total == nil || *total != len(want) {
			t.Errorf("%s: total %v, want %d", c.q.Encode(), total, len(want))
		}
	}
}

// Items carry what the pages show: the nominee (a session's title), the labels, the
// dates, whether it is still running.
func TestListItemsFromTheStore(t *testing.T) {
	e := newListEnv(t, 60)
	byID := map[string]store.Projection{}
	for _, p := range e.model {
		byID[p.WorkflowID] = p
	}
	items, _ := e.all(rand.New(rand.NewPCG(5, 6)), "quantri", "/api/v1/proposals", nil)
	sessions, _ := e.all(rand.New(rand.NewPCG(5, 6)), "thuky", "/api/v1/sessions", nil)
	if len(items) == 0 || len(sessions) == 0 {
		t.Fatal("nothing listed")
	}
	numbers := map[string]string{}
	for _, it := range append(items, sessions...) {
		p := byID[it.ID]
		title := p.NomineeName
		running := !award.Stage(p.Stage).Final()
		if p.Kind == store.KindSession {
			title = p.Title
			running = p.Stage != string(award.SessionDone) && p.Stage != string(award.SessionNotQuorate)
		}
		due := ""
		if !p.DueAt.IsZero() {
			due = p.DueAt.Format(time.RFC3339)
		}
		if it.Kind != p.Kind || it.Title != title || it.Stage != p.Stage || it.StageLabel == "" || it.Running != running ||
			it.StartedAt != p.CreatedAt.Format(time.RFC3339) || it.UpdatedAt != p.UpdatedAt.Format(time.RFC3339) || it.DueAt != due ||
			it.Overdue != p.Overdue || it.Year != p.Year || !slices.Equal(it.Assignees, p.Assignees) && len(p.Assignees) > 0 ||
			len(it.AssigneeLabels) != len(p.Assignees) {
			t.Errorf("item %+v\nrow %+v", it, p)
		}
		if p.Kind == store.KindProposal && (it.AwardTypeLabel == "" || it.DepartmentLabel == "") {
			t.Errorf("labels missing: %+v", it)
		}
		// The case number people read (issue 10 item 7): one per workflow, never shared.
		prefix := map[string]string{store.KindProposal: "HS-", store.KindSession: "PH-"}[p.Kind]
		if !strings.HasPrefix(it.CaseNumber, prefix) {
			t.Errorf("item %s: case number %q, want %s…", it.ID, it.CaseNumber, prefix)
		}
		if other, dup := numbers[it.CaseNumber]; dup && other != it.ID {
			t.Errorf("%s and %s share the case number %s", other, it.ID, it.CaseNumber)
		}
		numbers[it.CaseNumber] = it.ID
	}
}

// The inbox lists proposals and sessions together, those whose assignees include the
// caller, sorted and paged; sessions only for those who may see them.
func TestInboxFromTheStore(t *testing.T) {
	e := newListEnv(t, 200)
	r := rand.New(rand.NewPCG(7, 8))
	for _, person := range append(listPeople, "vanthu") {
		for _, sort := range []string{"", "due", "-created", "nominee"} {
			q := url.Values{}
			if sort != "" {
				q.Set("sort", sort)
			}
			items, total := e.all(r, person, "/api/v1/inbox", q)
			want := modelIDs(e.model, func(p store.Projection) bool { return slices.Contains(p.Assignees, person) }, sort)
			if got := itemIDs(items); !slices.Equal(got, want) {
				t.Fatalf("%s, sort %q:\n got %v\nwant %v", person, sort, got, want)
			}
			if total == nil || *total != len(want) {
				t.Fatalf("%s: total %v, want %d", person, total, len(want))
			}
		}
	}
	// Sessions: the council, the clerk and admins; filtered by status and year.
	if code, _ := e.get("hongdao", "/api/v1/sessions"); code != http.StatusForbidden {
		t.Fatalf("staff lists sessions: %d", code)
	}
	items, total := e.all(r, "vanthu", "/api/v1/sessions", url.Values{"stage": {"deciding", "open"}, "year": {"2025"}, "sort": {"-created"}})
	want := modelIDs(e.model, func(p store.Projection) bool {
		return p.Kind == store.KindSession && (p.Stage == "deciding" || p.Stage == "open") && p.Year == 2025
	}, "-created")
	if got := itemIDs(items); !slices.Equal(got, want) || total != nil {
		t.Fatalf("sessions:\n got %v\nwant %v (total %v: sessions have none)", got, want, total)
	}
}

// A page that begins after a cursor does not repeat or skip a row when rows are written
// between two pages.
func TestListPagingStableUnderWrites(t *testing.T) {
	e := newListEnv(t, 120)
	r := rand.New(rand.NewPCG(9, 10))
	before := modelIDs(e.model, func(p store.Projection) bool { return p.Kind == store.KindProposal }, "nominee")
	seen := map[string]int{}
	after, added := "", 0
	for {
		q := url.Values{"sort": {"nominee"}, "limit": {"7"}}
		if after != "" {
			q.Set("after", after)
		}
		code, body := e.get("truongban", "/api/v1/proposals?"+q.Encode())
		if code != http.StatusOK {
			t.Fatalf("%d %s", code, body)
		}
		var pg pageOut
		_ = json.Unmarshal(body, &pg)
		for _, it := range pg.Items {
			seen[it.ID]++
		}
		if pg.Next == "" {
			break
		}
		after = pg.Next
		for range 3 {
			e.add(r, 1000+added)
			added++
		}
	}
	for _, id := range before {
		if seen[id] != 1 {
			t.Errorf("%s listed %d times", id, seen[id])
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", id, n)
		}
	}
}

// Every bad parameter is refused with 422 and a message naming it, in Vietnamese first;
// nothing is listed.
func TestListRefusesBadParameters(t *testing.T) {
	e := newListEnv(t, 30)
	code, body := e.get("truongban", "/api/v1/proposals?sort=due&limit=5")
	var first pageOut
	if code != http.StatusOK || json.Unmarshal(body, &first) != nil || first.Next == "" {
		t.Fatalf("first page: %d %s", code, body)
	}
	for _, path := range []string{
		"/api/v1/proposals?bogus=1",
		"/api/v1/proposals?stage=nope",
		"/api/v1/proposals?stage=submitted&stage=refused",
		"/api/v1/proposals?year=abc",
		"/api/v1/proposals?year=99999",
		"/api/v1/proposals?year=2025&year=2026",
		"/api/v1/proposals?overdue=yes",
		"/api/v1/proposals?sort=password_hash",
		"/api/v1/proposals?sort=--due",
		"/api/v1/proposals?limit=0",
		"/api/v1/proposals?limit=201",
		"/api/v1/proposals?limit=ten",
		"/api/v1/proposals?after=%25%25%25",
		"/api/v1/proposals?sort=-due&after=" + first.Next, // a cursor of another sort
		"/api/v1/proposals?after=" + strings.Repeat("A", 9000),
		"/api/v1/proposals?q=" + strings.Repeat("a", maxSearch+1),
		"/api/v1/proposals?q=a%00b",
		"/api/v1/proposals?q=%ff",
		"/api/v1/proposals?department=" + url.QueryEscape("t t"),
		"/api/v1/proposals?department=vp&department=tt",
		"/api/v1/proposals?award_type=" + strings.Repeat("x", maxCode+1),
		"/api/v1/inbox?limit=-1",
		"/api/v1/inbox?limit=201",
		"/api/v1/inbox?bogus=1",
		"/api/v1/inbox?stage=nope",
		"/api/v1/inbox?stage=refused",
		"/api/v1/inbox?department=" + url.QueryEscape("t t"),
		"/api/v1/inbox?award_type=" + strings.Repeat("x", maxCode+1),
		"/api/v1/inbox?movement=a%00b",
		"/api/v1/inbox?year=abc",
		"/api/v1/inbox?year=1899",
		"/api/v1/inbox?overdue=1",
		"/api/v1/inbox?q=a%00b",
		"/api/v1/inbox?q=" + strings.Repeat("a", maxSearch+1),
		"/api/v1/inbox?sort=title",
		"/api/v1/inbox?after=%25%25%25",
		"/api/v1/inbox?sort=due&sort=created",
		"/api/v1/sessions?department=vp",
		"/api/v1/sessions?stage=submitted",
	} {
		code, body := e.get("truongban", path)
		var out struct{ Error award.Error }
		if code != http.StatusUnprocessableEntity || json.Unmarshal(body, &out) != nil || out.Error.Code != award.CodeInvalid ||
			out.Error.VI == "" || out.Error.EN == "" || bytes.Contains(body, []byte("%!")) ||
			!strings.ContainsFunc(out.Error.VI, func(r rune) bool { return r > unicode.MaxASCII }) { // Vietnamese, with its diacritics
			t.Errorf("%s: %d %s", path, code, body)
		}
	}
	// Without a records store, what visibility cannot do is refused before Temporal is asked.
	s, h := newTestServer(t)
	tok, _ := s.Tokens.Issue("truongban", time.Now())
	for _, path := range []string{"/api/v1/proposals?sort=due", "/api/v1/proposals?year=2025", "/api/v1/inbox?limit=5", "/api/v1/sessions?q=x"} {
		if rec := call(h, "GET", path, tok, ""); rec.Code != http.StatusUnprocessableEntity || errorOf(t, rec).Code != award.CodeInvalid {
			t.Errorf("no store, %s: %d %s", path, rec.Code, rec.Body)
		}
	}
}

// The inbox takes the proposals list's filters (issue 10 item 8): each one, and several
// together, list what waits on the person and matches, with the right total; stage takes
// the proposals' and the sessions' stages; q finds a task by its case number.
func TestInboxFilters(t *testing.T) {
	e := newListEnv(t, 250)
	r := rand.New(rand.NewPCG(11, 12))
	const person = "truongban"
	mine := func(f func(store.Projection) bool) func(store.Projection) bool {
		return func(p store.Projection) bool { return slices.Contains(p.Assignees, person) && f(p) }
	}
	cases := []struct {
		q     url.Values
		match func(store.Projection) bool
	}{
		{url.Values{"stage": {"submitted"}}, mine(func(p store.Projection) bool { return p.Stage == "submitted" })},
		{url.Values{"stage": {"open"}}, mine(func(p store.Projection) bool { return p.Stage == "open" })},
		{url.Values{"stage": {"submitted", "deciding"}}, mine(func(p store.Projection) bool { return p.Stage == "submitted" || p.Stage == "deciding" })},
		{url.Values{"department": {"vp"}}, mine(func(p store.Projection) bool { return p.Department == "vp" })},
		{url.Values{"award_type": {"GK"}}, mine(func(p store.Projection) bool { return p.AwardType == "GK" })},
		{url.Values{"movement": {"chuyendoiso-2025"}}, mine(func(p store.Projection) bool { return p.Movement == "chuyendoiso-2025" })},
		{url.Values{"year": {"2025"}}, mine(func(p store.Projection) bool { return p.Year == 2025 })},
		{url.Values{"overdue": {"true"}}, mine(func(p store.Projection) bool { return p.Overdue })},
		{url.Values{"overdue": {"false"}}, mine(func(p store.Projection) bool { return !p.Overdue })},
		{url.Values{"q": {"hong dao"}}, mine(func(p store.Projection) bool { return p.NomineeName == "Nguyễn Thị Hồng Đào" })},
		{url.Values{"q": {"phien hop"}}, mine(func(p store.Projection) bool { return p.Kind == store.KindSession })},
		{url.Values{"sort": {"due"}}, mine(func(store.Projection) bool { return true })},
		{url.Values{"sort": {"-created"}, "overdue": {"true"}, "year": {"2026"}},
			mine(func(p store.Projection) bool { return p.Overdue && p.Year == 2026 })},
		{url.Values{"stage": {"endorsed", "submitted", "draft"}, "department": {"tt"}, "sort": {"nominee"}},
			mine(func(p store.Projection) bool {
				return (p.Stage == "endorsed" || p.Stage == "submitted" || p.Stage == "draft") && p.Department == "tt"
			})},
		{url.Values{"award_type": {"LDTT"}, "movement": {"vanhoa-2025"}, "sort": {"-due"}},
			mine(func(p store.Projection) bool { return p.AwardType == "LDTT" && p.Movement == "vanhoa-2025" })},
	}
	for _, c := range cases {
		items, total := e.all(r, person, "/api/v1/inbox", c.q)
		want := modelIDs(e.model, c.match, c.q.Get("sort"))
		if len(want) == 0 && c.q.Get("q") == "" {
			t.Errorf("%s: the model has no such row: the case tests nothing", c.q.Encode())
		}
		if got := itemIDs(items); !slices.Equal(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", c.q.Encode(), got, want)
		}
		if total == nil || *total != len(want) {
			t.Errorf("%s: total %v, want %d", c.q.Encode(), total, len(want))
		}
	}
	// A case number finds its task, a proposal's or a session's; another person's is not found.
	all, _ := e.all(r, person, "/api/v1/inbox", nil)
	var found int
	for _, it := range all {
		if it.CaseNumber == "" || (found > 0 && it.Kind == all[0].Kind) {
			continue
		}
		items, total := e.all(r, person, "/api/v1/inbox", url.Values{"q": {strings.ToLower(it.CaseNumber)}})
		if got := itemIDs(items); !slices.Equal(got, []string{it.ID}) || total == nil || *total != 1 {
			t.Errorf("q=%s: %v (total %v), want %s", it.CaseNumber, got, total, it.ID)
		}
		found++
	}
	if found == 0 {
		t.Fatal("no task with a case number")
	}
	for _, p := range e.model {
		if slices.Contains(p.Assignees, person) || p.Kind != store.KindProposal {
			continue
		}
		numbers := e.s.caseNumbers(context.Background(), p.WorkflowID)
		if items, _ := e.all(r, person, "/api/v1/inbox", url.Values{"q": {numbers[p.WorkflowID]}}); len(items) != 0 {
			t.Errorf("q=%s (not %s's task) lists %v", numbers[p.WorkflowID], person, itemIDs(items))
		}
		break
	}
}
