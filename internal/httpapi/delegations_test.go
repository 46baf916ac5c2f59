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
	may := []string{"truongban", "phoban", "chanhvp", "tptt", "tpllct", "tpkgvx"}
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
