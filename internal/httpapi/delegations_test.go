package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/directory"
	"github.com/awardflow/awardflow/internal/notify"
	"github.com/awardflow/awardflow/internal/store"
)

// delegationServer is a server over a fresh SQLite records store and the demo directory,
// its clock fixed at 1 December 2026 10:00 in Vietnam.
func delegationServer(t *testing.T) (*Server, http.Handler, *store.Store, func(id string) string) {
	t.Helper()
	org := demoOrg(t)
	st, err := store.Open(context.Background(), store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.SeedDirectory(context.Background(), org); err != nil {
		t.Fatal(err)
	}
	tokens, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	s := &Server{Org: directory.New(st, org), Tokens: tokens, Records: st, Revocations: &auth.Revocations{Store: newMemRevocations()},
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }}
	tok := func(id string) string { v, _ := tokens.Issue(id, time.Now()); return v }
	return s, s.Handler(), st, tok
}

type delegationJSON struct {
	ID          string `json:"id"`
	FromID      string `json:"from_id"`
	ToID        string `json:"to_id"`
	Status      string `json:"status"`
	StatusLabel string `json:"status_label"`
	Direction   string `json:"direction"`
	CanWithdraw bool   `json:"can_withdraw"`
	ToLabel     string `json:"to_label"`
}

func delegationBody(from, to string, start, end string) string {
	f := ""
	if from != "" {
		f = fmt.Sprintf(`"from_id":%q,`, from)
	}
	return fmt.Sprintf(`{%s"to_id":%q,"start":%q,"end":%q,"reason":"Nghỉ phép năm"}`, f, to, start, end)
}

// Every person of the demo directory tries to delegate their review to a colleague of
// their unit: the department heads and the reviewers of heads' proposals may; everyone
// else gets 403 (they hold no review: nothing to delegate).
func TestDelegationCreateEveryRole(t *testing.T) {
	s, h, _, tok := delegationServer(t)
	org, _ := s.Org.Current(context.Background())
	// Heads and reviewers of heads' proposals (review), the secretary (secretary), the
	// văn thư (clerk): each delegates the scope they hold by default.
	may := []string{"truongban", "phoban", "chanhvp", "tptt", "tpllct", "tpkgvx", "thuky", "vanthu"}
	tried := 0
	for i, p := range org.People {
		colleague := ""
		for _, q := range org.People {
			if q.Department == p.Department && q.ID != p.ID {
				colleague = q.ID
				break
			}
		}
		want := http.StatusForbidden
		if slices.Contains(may, p.ID) {
			want = http.StatusCreated
		}
		if colleague == "" { // alone in their unit: nobody to delegate to
			colleague = "hongdao"
			if want == http.StatusCreated {
				want = http.StatusUnprocessableEntity
			}
		}
		start := fmt.Sprintf("2026-12-%02d", 1+i*2)
		rec := call(h, "POST", "/api/v1/delegations", tok(p.ID), delegationBody("", colleague, start, start))
		if rec.Code != want {
			t.Errorf("%s (%v) → %s: %d %s, want %d", p.ID, p.Roles, colleague, rec.Code, rec.Body, want)
		}
		tried++
	}
	if tried < 10 {
		t.Fatalf("only %d people tried", tried)
	}
	// An admin records one for a head; a head cannot record one for another head.
	if rec := call(h, "POST", "/api/v1/delegations", tok("quantri"), delegationBody("tptt", "hongdao", "2026-12-20", "2026-12-21")); rec.Code != http.StatusCreated {
		t.Fatalf("admin for a head: %d %s", rec.Code, rec.Body)
	}
	if rec := call(h, "POST", "/api/v1/delegations", tok("chanhvp"), delegationBody("tptt", "hongdao", "2027-01-20", "2027-01-21")); rec.Code != http.StatusForbidden {
		t.Fatalf("a head for another head: %d %s", rec.Code, rec.Body)
	}
}

// The refusals reach the client with their status: the other unit, oneself, the past,
// too long, a bad date, an unknown field.
func TestDelegationCreateRefusals(t *testing.T) {
	_, h, _, tok := delegationServer(t)
	for _, c := range []struct {
		name, body string
		code       int
	}{
		{"another unit", delegationBody("", "vanson", "2026-12-02", "2026-12-05"), 422},
		{"oneself", delegationBody("", "tptt", "2026-12-02", "2026-12-05"), 422},
		{"an unknown person", delegationBody("", "nobody", "2026-12-02", "2026-12-05"), 422},
		{"starts yesterday", delegationBody("", "quoccuong", "2026-11-30", "2026-12-05"), 422},
		{"ends before it starts", delegationBody("", "quoccuong", "2026-12-05", "2026-12-02"), 422},
		{"91 days", delegationBody("", "quoccuong", "2026-12-01", "2027-03-01"), 422},
		{"not a date", `{"to_id":"quoccuong","start":"2026-13-01","end":"2026-12-05","reason":"x"}`, 400},
		{"a vote", `{"to_id":"quoccuong","scope":"vote","start":"2026-12-02","end":"2026-12-05","reason":"x"}`, 422},
		{"an unknown field", `{"to_id":"quoccuong","start":"2026-12-02","end":"2026-12-05","reason":"x","chain":true}`, 400},
	} {
		rec := call(h, "POST", "/api/v1/delegations", tok("tptt"), c.body)
		if rec.Code != c.code {
			t.Errorf("%s: %d %s, want %d", c.name, rec.Code, rec.Body, c.code)
		}
	}
}

// Idempotency-Key: the same request again is the same delegation (200); the key with
// another request is refused; two racing delegations of the same days: one wins, the
// other 409.
func TestDelegationIdempotencyAndRace(t *testing.T) {
	_, h, _, tok := delegationServer(t)
	body := delegationBody("", "quoccuong", "2026-12-02", "2026-12-05")
	first := call(h, "POST", "/api/v1/delegations", tok("tptt"), body, "Idempotency-Key", "k-1")
	again := call(h, "POST", "/api/v1/delegations", tok("tptt"), body, "Idempotency-Key", "k-1")
	if first.Code != 201 || again.Code != 200 {
		t.Fatalf("first %d, again %d %s", first.Code, again.Code, again.Body)
	}
	var a, b delegationJSON
	_ = json.Unmarshal(first.Body.Bytes(), &a)
	_ = json.Unmarshal(again.Body.Bytes(), &b)
	if a.ID == "" || a.ID != b.ID {
		t.Fatalf("a repeat made another delegation: %s %s", a.ID, b.ID)
	}
	other := call(h, "POST", "/api/v1/delegations", tok("tptt"), delegationBody("", "quoccuong", "2026-12-02", "2026-12-09"), "Idempotency-Key", "k-1")
	if other.Code != 422 {
		t.Fatalf("the key reused for another request: %d %s", other.Code, other.Body)
	}
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, to := range []string{"hongdao", "quoccuong"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = call(h, "POST", "/api/v1/delegations", tok("chanhvp"), delegationBody("", map[string]string{"hongdao": "kimngan", "quoccuong": "thuky"}[to], "2026-12-03", "2026-12-04")).Code
		}()
	}
	wg.Wait()
	slices.Sort(codes)
	if !slices.Equal(codes, []int{201, 409}) {
		t.Fatalf("racing delegations: %v, want one 201 and one 409", codes)
	}
}

// Who sees and who may withdraw, per role: the delegator, the delegate and admins see it
// and may withdraw it; everyone else gets 404 (they cannot know it exists). A second
// withdrawal is 409. The delegate is told in their bell.
func TestDelegationListAndWithdrawEveryRole(t *testing.T) {
	s, h, st, tok := delegationServer(t)
	org, _ := s.Org.Current(context.Background())
	rec := call(h, "POST", "/api/v1/delegations", tok("tptt"), delegationBody("", "quoccuong", "2026-12-01", "2026-12-14"))
	if rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var d delegationJSON
	_ = json.Unmarshal(rec.Body.Bytes(), &d)
	if d.Status != "live" || d.StatusLabel != "Đang có hiệu lực" || !strings.Contains(d.ToLabel, "Lê Quốc Cường") {
		t.Fatalf("created %+v", d)
	}
	bell, _, err := st.Notifications(context.Background(), "quoccuong", 10)
	if err != nil || len(bell) != 1 || bell[0].Kind != notify.KindDelegated || !strings.Contains(bell[0].Text, "Phạm Minh Tâm") || bell[0].Link != "#/delegations" {
		t.Fatalf("the delegate's bell: %+v %v", bell, err)
	}
	for _, p := range org.People {
		rec := call(h, "GET", "/api/v1/delegations", tok(p.ID), "")
		if rec.Code != 200 {
			t.Fatalf("%s list: %d %s", p.ID, rec.Code, rec.Body)
		}
		var l struct {
			Items       []delegationJSON
			CanDelegate bool `json:"can_delegate"`
			Candidates  []delegationCandidate
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &l)
		sees := p.ID == "tptt" || p.ID == "quoccuong" || p.ID == "quantri"
		if (len(l.Items) == 1) != sees {
			t.Errorf("%s sees %d delegations", p.ID, len(l.Items))
		}
		if p.ID == "tptt" && (!l.CanDelegate || len(l.Candidates) != 2 || l.Items[0].Direction != "given" || !l.Items[0].CanWithdraw) {
			t.Errorf("the head's page: %+v", l)
		}
		if p.ID == "quoccuong" && (l.CanDelegate || l.Items[0].Direction != "received") {
			t.Errorf("the delegate's page: %+v", l)
		}
	}
	for _, p := range org.People {
		if p.ID == "tptt" || p.ID == "quoccuong" || p.ID == "quantri" {
			continue
		}
		if rec := call(h, "POST", "/api/v1/delegations/"+d.ID+"/withdraw", tok(p.ID), ""); rec.Code != 404 {
			t.Errorf("%s withdrew: %d %s", p.ID, rec.Code, rec.Body)
		}
	}
	for i, who := range []string{"quoccuong", "quantri", "tptt"} {
		rec := call(h, "POST", "/api/v1/delegations", tok("tptt"), delegationBody("", "hongdao", "2026-12-01", "2026-12-02"))
		var x delegationJSON
		_ = json.Unmarshal(rec.Body.Bytes(), &x)
		id := x.ID
		if i == 0 {
			id = d.ID
			if rec.Code != 409 {
				t.Fatalf("an overlapping delegation: %d %s", rec.Code, rec.Body)
			}
		}
		if rec := call(h, "POST", "/api/v1/delegations/"+id+"/withdraw", tok(who), ""); rec.Code != 200 {
			t.Fatalf("%s withdraws: %d %s", who, rec.Code, rec.Body)
		}
		if rec := call(h, "POST", "/api/v1/delegations/"+id+"/withdraw", tok(who), ""); rec.Code != 409 {
			t.Fatalf("%s withdraws twice: %d %s", who, rec.Code, rec.Body)
		}
	}
	if rec := call(h, "POST", "/api/v1/delegations/deleg-nope/withdraw", tok("tptt"), ""); rec.Code != 404 {
		t.Fatalf("an unknown id: %d", rec.Code)
	}
}

// The inbox of a delegate lists the delegator's proposals waiting for review, each saying
// for whom; never the delegator's own draft or council session, nor a proposal that
// nominates the delegate; nothing once withdrawn.
func TestInboxOfDelegate(t *testing.T) {
	_, h, st, tok := delegationServer(t)
	now := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	for i, row := range []store.Projection{
		{WorkflowID: "proposal-review", Kind: store.KindProposal, Stage: "submitted", Assignees: []string{"tptt"}, Proposer: "hongdao"},
		{WorkflowID: "proposal-own", Kind: store.KindProposal, Stage: "draft", Assignees: []string{"tptt"}, Proposer: "tptt"},
		{WorkflowID: "session-vote", Kind: store.KindSession, Stage: "voting", Assignees: []string{"tptt"}},
		{WorkflowID: "proposal-mine", Kind: store.KindProposal, Stage: "draft", Assignees: []string{"quoccuong"}, Proposer: "quoccuong"},
		{WorkflowID: "proposal-nominates-delegate", Kind: store.KindProposal, Stage: "submitted", Assignees: []string{"tptt"}, Proposer: "hongdao", NomineeID: "quoccuong"},
	} {
		row.Seq, row.NomineeName, row.UpdatedAt = 1, "Nguyễn Thị Hồng Đào", now.Add(time.Duration(i)*time.Minute)
		if _, err := st.UpsertProjection(context.Background(), row); err != nil {
			t.Fatal(err)
		}
	}
	inbox := func() map[string]string {
		rec := call(h, "GET", "/api/v1/inbox", tok("quoccuong"), "")
		if rec.Code != 200 {
			t.Fatalf("inbox: %d %s", rec.Code, rec.Body)
		}
		var p struct {
			Items []Item
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &p)
		out := map[string]string{}
		for _, it := range p.Items {
			out[it.ID] = it.OnBehalfOfLabel
		}
		return out
	}
	if got := inbox(); len(got) != 1 || got["proposal-mine"] != "" {
		t.Fatalf("before the delegation: %v", got)
	}
	rec := call(h, "POST", "/api/v1/delegations", tok("tptt"), delegationBody("", "quoccuong", "2026-12-01", "2026-12-03"))
	if rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var d delegationJSON
	_ = json.Unmarshal(rec.Body.Bytes(), &d)
	got := inbox()
	if len(got) != 2 || !strings.HasPrefix(got["proposal-review"], "Thay mặt Phạm Minh Tâm") || got["proposal-mine"] != "" {
		t.Fatalf("during the delegation: %v", got)
	}
	if rec := call(h, "POST", "/api/v1/delegations/"+d.ID+"/withdraw", tok("tptt"), ""); rec.Code != 200 {
		t.Fatalf("withdraw: %d", rec.Code)
	}
	if got := inbox(); len(got) != 1 {
		t.Fatalf("after the withdrawal: %v", got)
	}
}

func scopedBody(scope, to, start, end, reason string) string {
	return fmt.Sprintf(`{"scope":%q,"to_id":%q,"start":%q,"end":%q,"reason":%q}`, scope, to, start, end, reason)
}

// Every person × every scope: the review by heads and reviewers of heads' proposals, the
// secretary's tasks by the council secretary (to anyone but the chair), the văn thư's by
// the văn thư (to the office); anyone else 403. The page offers each person what they
// hold.
func TestDelegationScopesEveryRole(t *testing.T) {
	s, h, _, tok := delegationServer(t)
	org, _ := s.Org.Current(context.Background())
	holders := map[string][]string{
		"review":    {"truongban", "phoban", "chanhvp", "tptt", "tpllct", "tpkgvx"},
		"secretary": {"thuky"},
		"clerk":     {"vanthu"},
	}
	day := 0
	for _, scope := range []string{"review", "secretary", "clerk"} {
		for _, p := range org.People {
			to := ""
			for _, q := range org.People { // a colleague of the unit (the office for the văn thư)
				if q.Department == p.Department && q.ID != p.ID && q.ID != "truongban" {
					to = q.ID
					break
				}
			}
			if to == "" {
				continue
			}
			want := http.StatusForbidden
			if slices.Contains(holders[scope], p.ID) {
				want = http.StatusCreated
			}
			day++
			start := award.NewDate(2026, 12, 1).AddDays(day).String()
			rec := call(h, "POST", "/api/v1/delegations", tok(p.ID), scopedBody(scope, to, start, start, "Đi công tác tỉnh Bà Rịa – Vũng Tàu"))
			if rec.Code != want {
				t.Errorf("%s %s → %s: %d %s, want %d", scope, p.ID, to, rec.Code, rec.Body, want)
			}
		}
	}
	for _, c := range []struct {
		name, from, body string
		code             int
		text             string
	}{
		{"the secretary's tasks to the chair", "thuky", scopedBody("secretary", "truongban", "2027-02-01", "2027-02-02", "Nghỉ phép"), 422, "Chủ tịch"},
		{"the secretary's tasks to another unit", "thuky", scopedBody("secretary", "hongdao", "2027-02-03", "2027-02-04", "Nghỉ phép"), 201, ""},
		{"the văn thư's tasks outside the office", "vanthu", scopedBody("clerk", "hongdao", "2027-02-01", "2027-02-02", "Nghỉ phép"), 422, "văn phòng"},
		{"a head delegates the văn thư's tasks", "chanhvp", scopedBody("clerk", "kimngan", "2027-02-01", "2027-02-02", "Nghỉ phép"), 403, ""},
		{"the chair's close", "truongban", scopedBody("close", "phoban", "2027-02-01", "2027-02-02", "Nghỉ phép"), 422, "kết thúc phiên họp"},
		{"a reason of bidi controls", "vanthu", scopedBody("clerk", "kimngan", "2027-03-01", "2027-03-02", "Nghỉ \u202ephép"), 422, ""},
		{"a reason of spaces only", "vanthu", scopedBody("clerk", "kimngan", "2027-03-01", "2027-03-02", "\u00a0 \u3000"), 422, ""},
	} {
		rec := call(h, "POST", "/api/v1/delegations", tok(c.from), c.body)
		if rec.Code != c.code || !strings.Contains(rec.Body.String(), c.text) {
			t.Errorf("%s: %d %s, want %d saying %q", c.name, rec.Code, rec.Body, c.code, c.text)
		}
	}
	offered := map[string][]string{"tptt": {"review"}, "chanhvp": {"review"}, "thuky": {"secretary"}, "vanthu": {"clerk"}, "hongdao": nil, "quantri": nil}
	for id, want := range offered {
		rec := call(h, "GET", "/api/v1/delegations", tok(id), "")
		var l struct {
			CanDelegate bool `json:"can_delegate"`
			Scopes      []struct {
				Scope      string                `json:"scope"`
				Label      string                `json:"label"`
				Hint       string                `json:"hint"`
				Candidates []delegationCandidate `json:"candidates"`
			} `json:"scopes"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &l); err != nil || rec.Code != 200 {
			t.Fatalf("%s: %d %s", id, rec.Code, rec.Body)
		}
		var got []string
		for _, sc := range l.Scopes {
			got = append(got, sc.Scope)
			if sc.Label == "" || sc.Hint == "" || len(sc.Candidates) == 0 {
				t.Errorf("%s: scope %+v without a label, a hint or candidates", id, sc)
			}
			for _, c := range sc.Candidates {
				if c.ID == id || (sc.Scope == "secretary" && c.ID == "truongban") || (sc.Scope == "clerk" && !strings.Contains(c.Label, "Văn phòng")) {
					t.Errorf("%s: %s offers %+v", id, sc.Scope, c)
				}
			}
		}
		if !slices.Equal(got, want) || l.CanDelegate != (len(want) > 0) {
			t.Errorf("%s is offered %v (can_delegate %v), want %v", id, got, l.CanDelegate, want)
		}
	}
}

// The văn thư's delegate does the văn thư's work while the delegation is in force: reads
// the sessions and statistics, sees the văn thư's session waiting for a number in the
// inbox "Thay mặt …" (never the văn thư's ballots); cannot pass it on; it stops at once
// when withdrawn, and when the văn thư loses the role (a clear 403 either way).
func TestOfficeDelegateActs(t *testing.T) {
	_, h, st, tok := delegationServer(t)
	now := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	for i, row := range []store.Projection{
		{WorkflowID: "session-issue", Kind: store.KindSession, Stage: "deciding", Assignees: []string{"vanthu"}, Title: "Phiên họp tháng 12"},
		{WorkflowID: "session-vote", Kind: store.KindSession, Stage: "open", Assignees: []string{"vanthu"}, Title: "Phiên họp bỏ phiếu"},
		{WorkflowID: "proposal-own", Kind: store.KindProposal, Stage: "draft", Assignees: []string{"vanthu"}, Proposer: "vanthu"},
		{WorkflowID: "proposal-endorsed", Kind: store.KindProposal, Stage: "endorsed", Assignees: []string{"thuky"}, Proposer: "hongdao"},
	} {
		row.Seq, row.UpdatedAt = 1, now.Add(time.Duration(i)*time.Minute)
		if row.Kind == store.KindProposal {
			row.NomineeName = "Nguyễn Thị Hồng Đào"
		}
		if _, err := st.UpsertProjection(context.Background(), row); err != nil {
			t.Fatal(err)
		}
	}
	inbox := func(who string) map[string]string {
		rec := call(h, "GET", "/api/v1/inbox", tok(who), "")
		if rec.Code != 200 {
			t.Fatalf("inbox: %d %s", rec.Code, rec.Body)
		}
		var p struct{ Items []Item }
		_ = json.Unmarshal(rec.Body.Bytes(), &p)
		out := map[string]string{}
		for _, it := range p.Items {
			out[it.ID] = it.OnBehalfOfLabel
		}
		return out
	}
	if rec := call(h, "GET", "/api/v1/sessions", tok("kimngan"), ""); rec.Code != 403 {
		t.Fatalf("before the delegation the office staff lists sessions: %d", rec.Code)
	}
	rec := call(h, "POST", "/api/v1/delegations", tok("vanthu"), scopedBody("clerk", "kimngan", "2026-12-01", "2026-12-05", "Nghỉ ốm"))
	if rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var d delegationJSON
	_ = json.Unmarshal(rec.Body.Bytes(), &d)
	bell, _, err := st.Notifications(context.Background(), "kimngan", 10)
	if err != nil || len(bell) != 1 || !strings.Contains(bell[0].Text, "Công việc văn thư") || strings.Contains(bell[0].Text, "xác nhận hồ sơ") {
		t.Fatalf("the delegate's bell names the wrong tasks: %+v %v", bell, err)
	}
	for _, path := range []string{"/api/v1/sessions", "/api/v1/statistics/awards?year=2026"} {
		if rec := call(h, "GET", path, tok("kimngan"), ""); rec.Code == 403 {
			t.Errorf("the văn thư's delegate: GET %s %d %s", path, rec.Code, rec.Body)
		}
	}
	got := inbox("kimngan")
	if len(got) != 1 || !strings.HasPrefix(got["session-issue"], "Thay mặt Phan Thị Thanh Thuý") {
		t.Fatalf("the delegate's inbox: %v (want only the session waiting for a number, on behalf)", got)
	}
	// No chains: the delegate holds no văn thư role.
	if rec := call(h, "POST", "/api/v1/delegations", tok("kimngan"), scopedBody("clerk", "chanhvp", "2026-12-02", "2026-12-03", "x")); rec.Code != 403 {
		t.Fatalf("the delegate passed it on: %d %s", rec.Code, rec.Body)
	}
	// The văn thư loses the role (a second văn thư takes it): the mandate lapses at once.
	second := `{"name":"Ngô Thị Bích Thủy","position":"Văn thư","unit":"vp","roles":["clerk"],"password":"mat-khau-1"}`
	if rec := call(h, "PUT", "/api/v1/directory/people/vanthu2", tok("quantri"), second); rec.Code != 200 && rec.Code != 201 {
		t.Fatalf("a second văn thư: %d %s", rec.Code, rec.Body)
	}
	put := `{"name":"Phan Thị Thanh Thuý","position":"Chuyên viên","unit":"vp","roles":["staff"]}`
	if rec := call(h, "PUT", "/api/v1/directory/people/vanthu", tok("quantri"), put); rec.Code != 200 {
		t.Fatalf("change the văn thư's roles: %d %s", rec.Code, rec.Body)
	}
	if rec := call(h, "GET", "/api/v1/sessions", tok("kimngan"), ""); rec.Code != 403 {
		t.Fatalf("acting for a role the delegator lost: %d", rec.Code)
	}
	if got := inbox("kimngan"); len(got) != 0 {
		t.Fatalf("the inbox after the role was lost: %v", got)
	}
	put = `{"name":"Phan Thị Thanh Thuý","position":"Văn thư","unit":"vp","roles":["clerk"]}`
	if rec := call(h, "PUT", "/api/v1/directory/people/vanthu", tok("quantri"), put); rec.Code != 200 {
		t.Fatalf("restore the văn thư's roles: %d %s", rec.Code, rec.Body)
	}
	if rec := call(h, "GET", "/api/v1/sessions", tok("kimngan"), ""); rec.Code != 200 {
		t.Fatalf("the role restored: %d", rec.Code)
	}
	if rec := call(h, "POST", "/api/v1/delegations/"+d.ID+"/withdraw", tok("vanthu"), ""); rec.Code != 200 {
		t.Fatalf("withdraw: %d", rec.Code)
	}
	if rec := call(h, "GET", "/api/v1/sessions", tok("kimngan"), ""); rec.Code != 403 {
		t.Fatalf("after the withdrawal: %d", rec.Code)
	}
	if got := inbox("kimngan"); len(got) != 0 {
		t.Fatalf("the inbox after the withdrawal: %v", got)
	}
	// The secretary's delegate sees the proposals waiting for a session.
	if rec := call(h, "POST", "/api/v1/delegations", tok("thuky"), scopedBody("secretary", "kimngan", "2026-12-01", "2026-12-05", "Nghỉ phép")); rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	if got := inbox("kimngan"); len(got) != 1 || !strings.HasPrefix(got["proposal-endorsed"], "Thay mặt Huỳnh Thị Mỹ Linh") {
		t.Fatalf("the secretary's delegate's inbox: %v", got)
	}
}

// A withdrawn or ended delegation explains itself when the former delegate tries the
// văn thư's or the secretary's task (not a bare "only the văn thư").
func TestExplainEndedOfficeDelegation(t *testing.T) {
	s, h, st, tok := delegationServer(t)
	rec := call(h, "POST", "/api/v1/delegations", tok("vanthu"), scopedBody("clerk", "kimngan", "2026-12-01", "2026-12-05", "Nghỉ ốm"))
	var d delegationJSON
	_ = json.Unmarshal(rec.Body.Bytes(), &d)
	if rec := call(h, "POST", "/api/v1/delegations/"+d.ID+"/withdraw", tok("vanthu"), ""); rec.Code != 200 {
		t.Fatalf("withdraw: %d", rec.Code)
	}
	a := award.Actor{ID: "kimngan", Roles: []award.Role{award.RoleStaff}}
	refused := award.CanIssue(a)
	got := s.explainEndedMandate(context.Background(), a, award.RoleClerk, refused)
	if !strings.Contains(got.Error(), "đã được thu hồi") || !isCode(got, award.CodeForbidden) {
		t.Fatalf("withdrawn: %v", got)
	}
	if got := s.explainEndedMandate(context.Background(), a, award.RoleSecretary, award.CanPost(a)); strings.Contains(got.Error(), "thu hồi") {
		t.Fatalf("another scope explained: %v", got)
	}
	_ = st
}
