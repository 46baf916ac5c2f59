package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// The admin pages' view of the rules in force: admins only (every other role gets the
// Vietnamese refusal); the signers with their deputies' award types, the reviewers of
// heads' own proposals, and the award types of the rule set in force on the agency's
// date, each rule in words — another set once the clock passes its effective date.
func TestAdminRules(t *testing.T) {
	e := newDirEnv(t)
	org, _ := orgconfig.Demo()
	for _, p := range org.People {
		if award.CanAdminister(p.Actor()) == nil {
			continue
		}
		tok, _ := e.sa.Tokens.Issue(p.ID, time.Now())
		wantStatus(t, e.do(e.a, "GET", "/api/v1/admin/rules", tok, ""), http.StatusForbidden, "quản trị")
	}
	admin, _ := e.sa.Tokens.Issue("quantri", time.Now())
	get := func(at time.Time) adminRulesOut {
		t.Helper()
		e.sa.Now = func() time.Time { return at }
		rec := e.do(e.a, "GET", "/api/v1/admin/rules", admin, "")
		wantStatus(t, rec, http.StatusOK, "")
		var out adminRulesOut
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	defer func() { e.sa.Now = time.Now }()

	vn := org.Location()
	// 2025-06-30 23:30 in Vietnam is the day before NĐ 152/2025 takes effect.
	before := get(time.Date(2025, 6, 30, 23, 30, 0, 0, vn))
	after := get(time.Date(2025, 7, 1, 0, 0, 0, 0, vn))
	if before.RuleSet == nil || !strings.Contains(before.RuleSet.Label, "98/2023") || before.AsOf != "2025-06-30" {
		t.Errorf("on 30/6/2025 the set in force is %+v (as of %s), want NĐ 98/2023's", before.RuleSet, before.AsOf)
	}
	if after.RuleSet == nil || !strings.Contains(after.RuleSet.Label, "152/2025") || after.RuleSet.Effective != "2025-07-01" {
		t.Errorf("on 1/7/2025 the set in force is %+v, want NĐ 152/2025's from 2025-07-01", after.RuleSet)
	}
	inForce := 0
	for _, rs := range after.RuleSets {
		if rs.InForce {
			inForce++
		}
	}
	if len(after.RuleSets) != len(org.RuleSets) || inForce != 1 {
		t.Errorf("rule sets %+v: want all %d, one in force", after.RuleSets, len(org.RuleSets))
	}
	if none := get(time.Date(2000, 1, 1, 0, 0, 0, 0, vn)); none.RuleSet != nil || len(none.AwardTypes) != 0 {
		t.Errorf("in 2000 no set is in force, got %+v with %d types", none.RuleSet, len(none.AwardTypes))
	}

	// The signers: the head for every type not delegated, the deputy for Giấy khen.
	if len(after.Signers) != 1+len(org.Agency.Decision.Delegations) {
		t.Fatalf("signers %+v", after.Signers)
	}
	head, deputy := after.Signers[0], after.Signers[1]
	if head.Kind != "decision" || head.Person != "truongban" || !strings.HasPrefix(head.PersonLabel, "Nguyễn Văn Hùng (") ||
		!head.Active || head.Signature != "TRƯỞNG BAN" || len(head.AwardTypes) != 0 {
		t.Errorf("the head signer: %+v", head)
	}
	if deputy.Kind != "delegation" || deputy.Person != "phoban" || deputy.Signature != "K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN" ||
		len(deputy.AwardTypes) != 1 || deputy.AwardTypes[0].Code != "GK" || deputy.AwardTypes[0].Label == "GK" {
		t.Errorf("the deputy: %+v", deputy)
	}
	if len(after.Reviewers) != 2 || !strings.HasPrefix(after.Reviewers[0].Label, "Nguyễn Văn Hùng") {
		t.Errorf("reviewers of heads' own proposals: %+v", after.Reviewers)
	}

	// The award types of the set in force, in words, each signed by the right person.
	rs, _ := award.RuleSetAt(org.RuleSets, time.Date(2025, 7, 1, 0, 0, 0, 0, vn))
	if len(after.AwardTypes) != len(rs.Types) || len(after.AwardTypes) == 0 {
		t.Fatalf("%d award types, want the set's %d", len(after.AwardTypes), len(rs.Types))
	}
	for i, got := range after.AwardTypes {
		want := rs.Types[i]
		if got.Code != want.Code || got.Name != want.Name || got.VoteText != award.VoteRuleText(want.Vote) ||
			got.KindsLabel != award.KindsText(want) || got.BonusText != award.BonusText(want) ||
			got.AuthorityLabel != want.Authority.LabelVI() || got.Citation != want.Citation {
			t.Errorf("award type %d: %+v, want %+v in words", i, got, want)
		}
		if (want.Vote.Quota != nil) != (got.QuotaText != "") || strings.Contains(got.QuotaText, "% số được "+want.Code) {
			t.Errorf("%s: quota %q for %+v (the type it is a share of by name)", want.Code, got.QuotaText, want.Vote.Quota)
		}
		wantSigner := "Nguyễn Văn Hùng"
		if want.Code == "GK" {
			wantSigner = "Lê Thị Thu Hà"
		}
		if !strings.HasPrefix(got.SignerLabel, wantSigner) {
			t.Errorf("%s is signed by %q, want %s", want.Code, got.SignerLabel, wantSigner)
		}
	}
}

// The history names who recorded each change in words: the admin as a person, the
// first seeding as the system (without the store's English note).
func TestPersonHistoryNamesWhoRecorded(t *testing.T) {
	e := newDirEnv(t)
	admin, _ := e.login(e.a, "quantri", orgconfig.DemoPassword)
	wantStatus(t, e.do(e.a, "POST", "/api/v1/directory/people/hongdao/move", admin,
		`{"unit":"vp","position":"Chuyên viên","note":"Quyết định số 5"}`), http.StatusOK, "")
	rec := e.do(e.a, "GET", "/api/v1/directory/people/hongdao", admin, "")
	wantStatus(t, rec, http.StatusOK, "")
	var p personOut
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.History) != 2 {
		t.Fatalf("history %+v, want the seeding and the move", p.History)
	}
	if h := p.History[0]; h.RecordedByLabel != "Hệ thống (khởi tạo từ tệp cấu hình)" || h.Note != "" {
		t.Errorf("the seeding: by %q, note %q", h.RecordedByLabel, h.Note)
	}
	if h := p.History[1]; h.RecordedBy != "quantri" || h.RecordedByLabel != "Quản trị hệ thống (Quản trị viên, Văn phòng)" || h.Note != "Quyết định số 5" {
		t.Errorf("the move: by %q (%q), note %q", h.RecordedBy, h.RecordedByLabel, h.Note)
	}
}

// The add forms send If-None-Match: *: an existing user name or unit id is refused
// (409, in Vietnamese) and nothing changes; of two admins adding the same user name at
// once exactly one succeeds (the check runs in the edit's transaction), so nobody's
// account — their name, roles, password — is overwritten by an "add".
func TestAddingNeverOverwrites(t *testing.T) {
	e := newDirEnv(t)
	admin, _ := e.login(e.a, "quantri", orgconfig.DemoPassword)
	add := func(h http.Handler, id, name string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("PUT", "/api/v1/directory/people/"+id,
			strings.NewReader(`{"name":"`+name+`","position":"Chuyên viên","unit":"vp","roles":["staff","admin"],"password":"chiem-quyen-1"}`))
		req.Header.Set("Authorization", "Bearer "+admin)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("If-None-Match", "*")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	v0, _ := e.st.DirectoryVersion(context.Background())
	wantStatus(t, add(e.a, "hongdao", "Kẻ Mạo Danh"), http.StatusConflict, "đã có người dùng")
	p, err := e.st.Person(context.Background(), "hongdao")
	if err != nil || p.Name != "Nguyễn Thị Hồng Đào" || len(p.Roles) != 1 {
		t.Errorf("after a refused add, hongdao is %+v (%v)", p, err)
	}
	if ok, _ := e.login(e.b, "hongdao", "chiem-quyen-1"); ok != "" {
		t.Errorf("a refused add set hongdao's password")
	}
	if v, _ := e.st.DirectoryVersion(context.Background()); v != v0 {
		t.Errorf("a refused add changed the directory (version %d → %d)", v0, v)
	}

	// Two admins, two servers, one new user name at once: one 201, one 409.
	for i := range 5 {
		id := "moi" + strconv.Itoa(i)
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for j, h := range []http.Handler{e.a, e.b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[j] = add(h, id, "Người Mới "+strconv.Itoa(j)).Code
			}()
		}
		wg.Wait()
		slices.Sort(codes)
		if codes[0] != http.StatusCreated || codes[1] != http.StatusConflict {
			t.Errorf("%s added twice at once: %v, want one 201 and one 409", id, codes)
		}
		if h, _ := e.st.PersonHistory(context.Background(), id); len(h) != 1 {
			t.Errorf("%s has %d history rows, want the one creation", id, len(h))
		}
	}

	// Units: an existing id is refused with the header, edited without it.
	unit := func(header string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("PUT", "/api/v1/directory/units/vp", strings.NewReader(`{"name":"Văn phòng Ban"}`))
		req.Header.Set("Authorization", "Bearer "+admin)
		req.Header.Set("Content-Type", "application/json")
		if header != "" {
			req.Header.Set("If-None-Match", header)
		}
		rec := httptest.NewRecorder()
		e.a.ServeHTTP(rec, req)
		return rec
	}
	wantStatus(t, unit("*"), http.StatusConflict, "đã có")
	wantStatus(t, unit(`"abc"`), http.StatusBadRequest, "If-None-Match")
	wantStatus(t, unit(""), http.StatusOK, "")
	// The documented exchange.
	wantStatus(t, e.do(e.a, "PUT", "/api/v1/directory/units/moi", admin, `{"name":"Phòng Mới"}`), http.StatusCreated, "")
}
