package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/apispec"
	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/directory"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

// dirEnv is two API servers ("replicas") over one records store, each with its own
// live directory, as in production.
type dirEnv struct {
	t    *testing.T
	st   *store.Store
	a, b http.Handler
	sa   *Server
	spec *apispec.Spec
}

func newDirEnv(t *testing.T) *dirEnv {
	t.Helper()
	org := demoOrg(t) // cheap hashes of the demo password
	st, err := store.Open(context.Background(), store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.SeedDirectory(context.Background(), org); err != nil {
		t.Fatal(err)
	}
	tokens, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	revs := &auth.Revocations{Store: newMemRevocations()}
	mk := func() *Server {
		return &Server{Org: directory.New(st, org), Tokens: tokens, Records: st, Revocations: revs,
			Log: slog.New(slog.DiscardHandler)}
	}
	sa, sb := mk(), mk()
	return &dirEnv{t: t, st: st, a: sa.Handler(), b: sb.Handler(), sa: sa, spec: loadSpec(t)}
}

// do calls h and checks the exchange against openapi.yaml.
func (e *dirEnv) do(h http.Handler, method, path, token, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	rec := call(h, method, path, token, body)
	req, _ := http.NewRequest(method, "http://awardflow.test"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	var reqBody []byte
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		reqBody = []byte(body)
	}
	if err := e.spec.Check(context.Background(), apispec.Exchange{Method: method, URL: req.URL.String(), Header: req.Header,
		Body: reqBody, Status: rec.Code, ResponseHeader: rec.Header(), ResponseBody: rec.Body.Bytes()}); err != nil {
		e.t.Errorf("%s %s: %v", method, path, err)
	}
	return rec
}

func (e *dirEnv) login(h http.Handler, user, password string) (string, int) {
	e.t.Helper()
	rec := call(h, "POST", "/api/v1/login", "", `{"username":"`+user+`","password":"`+password+`"}`)
	var out struct{ Token string }
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return out.Token, rec.Code
}

func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, status int, viPart string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if viPart != "" {
		if e := errorOf(t, rec); !strings.Contains(e.VI, viPart) || e.EN == "" {
			t.Fatalf("error %q / %q: want %q in Vietnamese and an English text", e.VI, e.EN, viPart)
		}
	}
}

// Only the admin edits the directory: every other role is refused every edit, and
// nothing changes.
func TestDirectoryEditsAdminOnly(t *testing.T) {
	e := newDirEnv(t)
	org, _ := orgconfig.Demo()
	v0, _ := e.st.DirectoryVersion(context.Background())
	edits := []struct{ method, path, body string }{
		{"PUT", "/api/v1/directory/units/kt", `{"name":"Phòng Kế toán"}`},
		{"PUT", "/api/v1/directory/people/moi", `{"name":"Người Mới","unit":"vp","roles":["staff"],"password":"matkhau123"}`},
		{"PUT", "/api/v1/directory/people/hongdao", `{"name":"Nguyễn Thị Hồng Đào","unit":"vp","roles":["staff","admin"]}`},
		{"POST", "/api/v1/directory/people/hongdao/move", `{"unit":"vp","position":"Chuyên viên"}`},
		{"POST", "/api/v1/directory/people/hongdao/deactivate", `{"reason":"thử"}`},
		{"POST", "/api/v1/directory/people/hongdao/reactivate", `{}`},
	}
	for _, p := range org.People {
		if award.CanEditDirectory(p.Actor()) == nil {
			continue
		}
		tok, _ := e.sa.Tokens.Issue(p.ID, time.Now())
		for _, ed := range edits {
			rec := e.do(e.a, ed.method, ed.path, tok, ed.body)
			wantStatus(t, rec, http.StatusForbidden, "quản trị")
		}
		// Reading is for everyone signed in; deactivated people for admins only.
		wantStatus(t, e.do(e.a, "GET", "/api/v1/directory/people", tok, ""), http.StatusOK, "")
		wantStatus(t, e.do(e.a, "GET", "/api/v1/directory/units", tok, ""), http.StatusOK, "")
		wantStatus(t, e.do(e.a, "GET", "/api/v1/directory/people?include_inactive=true", tok, ""), http.StatusForbidden, "quản trị")
	}
	if v, _ := e.st.DirectoryVersion(context.Background()); v != v0 {
		t.Fatalf("refused edits changed the directory (version %d → %d)", v0, v)
	}
}

// The admin adds a unit and a person on one server; the person signs in on the other at
// once, with their roles; a new password ends their sessions; deactivation ends them on
// every server and refuses the sign-in; reactivation lets them back in. The history
// records every step.
func TestDirectoryLifecycleAcrossServers(t *testing.T) {
	e := newDirEnv(t)
	admin, code := e.login(e.a, "quantri", orgconfig.DemoPassword)
	if code != http.StatusOK {
		t.Fatalf("admin login: %d", code)
	}
	rec := e.do(e.a, "PUT", "/api/v1/directory/units/kt", admin, `{"name":"Phòng Kế toán"}`)
	wantStatus(t, rec, http.StatusCreated, "")
	rec = e.do(e.a, "PUT", "/api/v1/directory/people/ketoan.an", admin,
		`{"name":"Lê Văn An","position":"Trưởng phòng","unit":"kt","roles":["department_head","staff"],"password":"mat-khau-1"}`)
	wantStatus(t, rec, http.StatusCreated, "")
	var p personOut
	_ = json.Unmarshal(rec.Body.Bytes(), &p)
	if p.UnitLabel != "Phòng Kế toán" || !p.CanSignIn || !p.Active || len(p.Roles) != 2 {
		t.Fatalf("created %+v", p)
	}
	// The same request again changes nothing (200, no new history row).
	rec = e.do(e.a, "PUT", "/api/v1/directory/people/ketoan.an", admin,
		`{"name":"Lê Văn An","position":"Trưởng phòng","unit":"kt","roles":["staff","department_head"],"password":"mat-khau-1"}`)
	wantStatus(t, rec, http.StatusOK, "")

	tokB, code := e.login(e.b, "ketoan.an", "mat-khau-1")
	if code != http.StatusOK {
		t.Fatalf("the new person signs in on the other server: %d", code)
	}
	rec = e.do(e.b, "GET", "/api/v1/me", tokB, "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"department_head"`) || !strings.Contains(rec.Body.String(), "Phòng Kế toán") {
		t.Fatalf("me on the other server: %d %s", rec.Code, rec.Body)
	}
	// A new password ends the older sessions.
	wantStatus(t, e.do(e.a, "PUT", "/api/v1/directory/people/ketoan.an", admin,
		`{"name":"Lê Văn An","position":"Trưởng phòng","unit":"kt","roles":["staff","department_head"],"password":"mat-khau-2"}`), http.StatusOK, "")
	wantStatus(t, e.do(e.b, "GET", "/api/v1/me", tokB, ""), http.StatusUnauthorized, "")
	if _, code := e.login(e.b, "ketoan.an", "mat-khau-1"); code != http.StatusUnauthorized {
		t.Fatalf("the old password still signs in: %d", code)
	}
	tokB, _ = e.login(e.b, "ketoan.an", "mat-khau-2")
	// Deactivated on server A: refused on server B at the next request.
	wantStatus(t, e.do(e.a, "POST", "/api/v1/directory/people/ketoan.an/deactivate", admin, `{"reason":""}`), http.StatusUnprocessableEntity, "lý do")
	wantStatus(t, e.do(e.a, "POST", "/api/v1/directory/people/ketoan.an/deactivate", admin, `{"reason":"Chuyển công tác"}`), http.StatusOK, "")
	wantStatus(t, e.do(e.b, "GET", "/api/v1/me", tokB, ""), http.StatusUnauthorized, "không còn hoạt động")
	if _, code := e.login(e.b, "ketoan.an", "mat-khau-2"); code != http.StatusUnauthorized {
		t.Fatalf("a deactivated person signs in: %d", code)
	}
	// Gone from everyone's lists but the admin's; a unit with nobody active can close.
	if body := e.do(e.b, "GET", "/api/v1/directory/people?unit=kt", admin, "").Body.String(); strings.Contains(body, "ketoan.an") {
		t.Fatalf("a deactivated person is listed: %s", body)
	}
	if body := e.do(e.b, "GET", "/api/v1/directory/people?unit=kt&include_inactive=true", admin, "").Body.String(); !strings.Contains(body, "ketoan.an") {
		t.Fatalf("the admin does not see the deactivated person: %s", body)
	}
	wantStatus(t, e.do(e.a, "PUT", "/api/v1/directory/units/kt", admin, `{"name":"Phòng Kế toán","active":false}`), http.StatusOK, "")
	// Reactivating into a closed unit is refused until the unit reopens.
	wantStatus(t, e.do(e.a, "POST", "/api/v1/directory/people/ketoan.an/reactivate", admin, `{}`), http.StatusUnprocessableEntity, "giải thể")
	wantStatus(t, e.do(e.a, "PUT", "/api/v1/directory/units/kt", admin, `{"name":"Phòng Kế toán"}`), http.StatusOK, "")
	wantStatus(t, e.do(e.a, "POST", "/api/v1/directory/people/ketoan.an/reactivate", admin, `{"reason":"Trở lại"}`), http.StatusOK, "")
	if _, code := e.login(e.b, "ketoan.an", "mat-khau-2"); code != http.StatusOK {
		t.Fatalf("a reactivated person cannot sign in: %d", code)
	}
	// Moved from a date in the past; the history has every step in order.
	wantStatus(t, e.do(e.a, "POST", "/api/v1/directory/people/ketoan.an/move", admin, `{"unit":"vp","position":"Chuyên viên","effective":"2999-01-01"}`),
		http.StatusUnprocessableEntity, "tương lai")
	wantStatus(t, e.do(e.a, "POST", "/api/v1/directory/people/ketoan.an/move", admin, `{"unit":"vp","position":"Chuyên viên","note":"Điều động"}`), http.StatusOK, "")
	rec = e.do(e.b, "GET", "/api/v1/directory/people/ketoan.an", admin, "")
	_ = json.Unmarshal(rec.Body.Bytes(), &p)
	var actions []string
	for _, c := range p.History {
		actions = append(actions, c.Action)
	}
	if got := strings.Join(actions, ","); got != "created,updated,deactivated,reactivated,moved" {
		t.Fatalf("history %s", got)
	}
	// Others see the person but not the history.
	staff, _ := e.login(e.b, "hongdao", orgconfig.DemoPassword)
	if body := e.do(e.b, "GET", "/api/v1/directory/people/ketoan.an", staff, "").Body.String(); strings.Contains(body, "history") {
		t.Fatalf("a staff member sees the history: %s", body)
	}
}

// What would leave the agency unable to work is refused with a reason, and changes
// nothing: the last văn thư, the signer of decisions, a second chair, the admin locking
// themselves out, a unit closed with people in it; and bad input of every kind.
func TestDirectoryRefusals(t *testing.T) {
	e := newDirEnv(t)
	admin, _ := e.login(e.a, "quantri", orgconfig.DemoPassword)
	org, _ := orgconfig.Demo()
	v0, _ := e.st.DirectoryVersion(context.Background())
	clerk := org.WithRole(award.RoleClerk)[0]
	chair := org.WithRole(award.RoleChair)[0]
	staff := org.WithRole(award.RoleStaff)[0]
	cases := []struct {
		name, method, path, body string
		status                   int
		vi                       string
	}{
		{"last clerk", "POST", "/api/v1/directory/people/" + clerk.ID + "/deactivate", `{"reason":"nghỉ hưu"}`, 422, "văn thư"},
		{"signer", "POST", "/api/v1/directory/people/" + org.Agency.Decision.Signer + "/deactivate", `{"reason":"nghỉ hưu"}`, 422, ""},
		{"second chair", "PUT", "/api/v1/directory/people/" + staff.ID, `{"name":"` + staff.Name + `","unit":"` + staff.Department + `","roles":["staff","council_chair"]}`, 422, "Chủ tịch"},
		{"chair role taken", "PUT", "/api/v1/directory/people/" + chair.ID, `{"name":"` + chair.Name + `","unit":"` + chair.Department + `","roles":["council_member"]}`, 422, "Chủ tịch"},
		{"self deactivation", "POST", "/api/v1/directory/people/quantri/deactivate", `{"reason":"thử"}`, 422, "của mình"},
		{"own admin role", "PUT", "/api/v1/directory/people/quantri", `{"name":"Quản trị hệ thống","unit":"vp","roles":["staff"]}`, 422, "quản trị"},
		{"unit with people", "PUT", "/api/v1/directory/units/" + staff.Department, `{"name":"X","active":false}`, 422, "giải thể"},
		{"unknown unit", "PUT", "/api/v1/directory/people/moi", `{"name":"Người Mới","unit":"khongco","roles":["staff"]}`, 422, "đơn vị"},
		{"unknown role", "PUT", "/api/v1/directory/people/moi", `{"name":"Người Mới","unit":"vp","roles":["boss"]}`, 422, "Vai trò"},
		{"no role", "PUT", "/api/v1/directory/people/moi", `{"name":"Người Mới","unit":"vp","roles":[]}`, 422, "vai trò"},
		{"bad id", "PUT", "/api/v1/directory/people/Ng%C6%B0%E1%BB%9Di", `{"name":"Người Mới","unit":"vp","roles":["staff"]}`, 422, "Mã người dùng"},
		{"short password", "PUT", "/api/v1/directory/people/moi", `{"name":"Người Mới","unit":"vp","roles":["staff"],"password":"1234567"}`, 422, "Mật khẩu"},
		{"unprintable name", "PUT", "/api/v1/directory/people/moi", `{"name":"Người \u0007 Mới","unit":"vp","roles":["staff"]}`, 422, ""},
		{"empty name", "PUT", "/api/v1/directory/people/moi", `{"name":"  ","unit":"vp","roles":["staff"]}`, 422, "họ và tên"},
		{"unknown field", "PUT", "/api/v1/directory/people/moi", `{"name":"Người Mới","unit":"vp","roles":["staff"],"is_admin":true}`, 400, ""},
		{"bad unit id", "PUT", "/api/v1/directory/units/K%20T", `{"name":"Phòng"}`, 422, "Mã đơn vị"},
		{"bad date", "POST", "/api/v1/directory/people/" + staff.ID + "/move", `{"unit":"vp","effective":"31/12/2025"}`, 422, "Ngày hiệu lực"},
		{"nobody", "POST", "/api/v1/directory/people/khongai/deactivate", `{"reason":"thử"}`, 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(e.a, tc.method, tc.path, admin, tc.body)
			wantStatus(t, rec, tc.status, tc.vi)
		})
	}
	if v, _ := e.st.DirectoryVersion(context.Background()); v != v0 {
		t.Fatalf("refused edits changed the directory (version %d → %d)", v0, v)
	}
}

// Two admins racing on one invariant (each deactivates one of the two văn thư at the
// same moment, on different servers): exactly one wins, the other is told why.
func TestDirectoryRaceKeepsAClerk(t *testing.T) {
	e := newDirEnv(t)
	admin, _ := e.login(e.a, "quantri", orgconfig.DemoPassword)
	wantStatus(t, e.do(e.a, "PUT", "/api/v1/directory/people/vanthu2", admin, `{"name":"Trần Thị Văn","unit":"vp","roles":["clerk"]}`), http.StatusCreated, "")
	org, _ := orgconfig.Demo()
	ids := []string{org.WithRole(award.RoleClerk)[0].ID, "vanthu2"}
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, h := range []http.Handler{e.a, e.b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = call(h, "POST", "/api/v1/directory/people/"+ids[i]+"/deactivate", admin, `{"reason":"thử"}`).Code
		}()
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		if c == http.StatusOK {
			ok++
		} else if c != http.StatusUnprocessableEntity && c != http.StatusConflict {
			t.Fatalf("codes %v", codes)
		}
	}
	if ok != 1 {
		t.Fatalf("codes %v: want exactly one deactivation to pass", codes)
	}
}

func newMemRevocations() *memRevocations { return &memRevocations{} }
