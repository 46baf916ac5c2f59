package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/internal/apispec"
	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/directory"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

// mvEnv is an API server over a real SQLite records store and the demo organisation
// (optionally edited), with a clock the test moves, and a fake Temporal that only
// counts the proposals that got past every check of filing.
type mvEnv struct {
	t    *testing.T
	org  *orgconfig.Org
	st   *store.Store
	s    *Server
	h    http.Handler
	spec *apispec.Spec
	fake *fakeTemporal

	mu  sync.Mutex
	now time.Time
}

// fakeTemporal stands for Temporal in filing: reaching it means the request passed the
// server's checks. It answers with a conflict the tests recognise.
type fakeTemporal struct {
	client.Client
	reached atomic.Int32
}

var errReachedTemporal = award.WrongStage("Đã đến bước tạo hồ sơ (Temporal giả)", "reached Temporal (fake)")

func (f *fakeTemporal) NewWithStartWorkflowOperation(client.StartWorkflowOptions, any, ...any) client.WithStartWorkflowOperation {
	return nil
}

func (f *fakeTemporal) UpdateWithStartWorkflow(context.Context, client.UpdateWithStartWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	f.reached.Add(1)
	return nil, errReachedTemporal
}

var hcm = time.FixedZone("ICT", 7*3600)

// at is a moment of a day of the agency's calendar (10:00 in Vietnam).
func at(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, hcm) }

func newMvEnv(t *testing.T, now time.Time, edit func(o *orgconfig.Org)) *mvEnv {
	t.Helper()
	org := demoOrg(t)
	if edit != nil {
		edit(org)
	}
	st, err := store.Open(context.Background(), store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.SeedDirectory(context.Background(), org); err != nil {
		t.Fatal(err)
	}
	tokens, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	e := &mvEnv{t: t, org: org, st: st, spec: loadSpec(t), fake: &fakeTemporal{}, now: now}
	e.s = &Server{Org: directory.New(st, org), Tokens: tokens, Records: st, Revocations: &auth.Revocations{Store: newMemRevocations()},
		Log: slog.New(slog.DiscardHandler), Temporal: e.fake, TaskQueue: "test", Now: e.clock}
	e.h = e.s.Handler()
	return e
}

func (e *mvEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *mvEnv) setNow(t time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = t
}

// do calls the API as person id (a token issued now) and checks the exchange against
// openapi.yaml.
func (e *mvEnv) do(id, method, path, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	p, _ := e.org.Person(id)
	tok, _ := e.s.Tokens.IssueWith(id, p.PasswordHash, e.clock())
	rec := call(e.h, method, path, tok, body)
	req, _ := http.NewRequest(method, "http://awardflow.test"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
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

func decodeInto[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s: %v", rec.Body, err)
	}
	return v
}

type movementJSON struct {
	ID                      string        `json:"id"`
	Status                  string        `json:"status"`
	StatusLabel             string        `json:"status_label"`
	PeriodLabel             string        `json:"period_label"`
	RegistrationStatus      string        `json:"registration_status"`
	RegistrationStatusLabel string        `json:"registration_status_label"`
	RegistrationRequiredFor []award.Label `json:"registration_required_for"`
	Milestones              []struct {
		ID          string `json:"id"`
		Kind        string `json:"kind"`
		KindLabel   string `json:"kind_label"`
		DueLabel    string `json:"due_label"`
		Status      string `json:"status"`
		StatusLabel string `json:"status_label"`
		DaysLeft    int    `json:"days_left"`
	} `json:"milestones"`
	Forms map[string][]struct {
		ID          string `json:"id"`
		TargetLabel string `json:"target_label"`
	} `json:"forms"`
	CriterionTargets map[string]string               `json:"criterion_targets"`
	Mine             struct{ Individual, Unit bool } `json:"my_registration"`
}

type registrationJSON struct {
	Kind         string `json:"kind"`
	SubjectID    string `json:"subject_id"`
	UnitID       string `json:"unit_id"`
	Result       string `json:"result"`
	Withdrawn    bool   `json:"withdrawn"`
	StatusLabel  string `json:"status_label"`
	SubjectLabel string `json:"subject_label"`
	Items        []struct {
		ItemID     string   `json:"item_id"`
		Value      *float64 `json:"value"`
		Note       string   `json:"note"`
		Text       string   `json:"text"`
		ValueLabel string   `json:"value_label"`
	} `json:"items"`
	Commitments struct {
		Other string `json:"other"`
	} `json:"commitments"`
}

// The movements as the API lists them, with their statuses on the agency's calendar:
// running with its sơ kết due soon in December 2023; ended with both reviews overdue in
// 2026.
func TestMovementsList(t *testing.T) {
	e := newMvEnv(t, at(2023, 12, 20), nil)
	rec := e.do("hongdao", "GET", "/api/v1/movements", "")
	wantStatus(t, rec, http.StatusOK, "")
	out := decodeInto[struct {
		Today string         `json:"today"`
		Items []movementJSON `json:"items"`
	}](t, rec)
	if out.Today != "2023-12-20" || len(out.Items) != 2 || out.Items[0].ID != "vanhoa-2025" || out.Items[1].ID != "chuyendoiso-2025" {
		t.Fatalf("list %+v", out)
	}
	cds := out.Items[1]
	if cds.Status != "running" || cds.StatusLabel != "Đang diễn ra" || cds.PeriodLabel != "07/06/2022 – tháng 12/2025" ||
		cds.RegistrationStatus != "closed" || cds.RegistrationStatusLabel != "Đã hết hạn đăng ký" || len(cds.RegistrationRequiredFor) != 0 {
		t.Errorf("movement %+v", cds)
	}
	if len(cds.Milestones) != 2 {
		t.Fatalf("milestones %+v", cds.Milestones)
	}
	sk, tk := cds.Milestones[0], cds.Milestones[1]
	if sk.Kind != "interim" || sk.KindLabel != "Sơ kết" || sk.DueLabel != "tháng 12/2023" || sk.Status != "due_soon" || sk.StatusLabel != "Sắp đến hạn" || sk.DaysLeft != 11 {
		t.Errorf("sơ kết %+v", sk)
	}
	if tk.Kind != "final" || tk.KindLabel != "Tổng kết" || tk.DueLabel != "tháng 12/2025" || tk.Status != "upcoming" || tk.StatusLabel != "Chưa đến hạn" {
		t.Errorf("tổng kết %+v", tk)
	}
	// The individual form: the general criterion first, then the individual ones, each
	// number a target.
	form := cds.Forms["individual"]
	var ids, targets []string
	for _, it := range form {
		ids = append(ids, it.ID)
		if it.TargetLabel != "" {
			targets = append(targets, it.ID+" "+it.TargetLabel)
		}
	}
	if !slices.Equal(ids, []string{"cds-chung-tuyentruyen", "cds-sangkien", "cds-kynang", "cds-nangsuat"}) ||
		!slices.Equal(targets, []string{"cds-sangkien ≥ 10 %", "cds-nangsuat ≥ 7 %/năm"}) || len(cds.Forms["collective"]) != 5 {
		t.Errorf("forms %+v", cds.Forms)
	}
	// Every criterion with a number, general, collective or individual, says its target.
	if len(cds.CriterionTargets) != 6 || cds.CriterionTargets["cds-truc-tuyen"] != "≥ 80 %" || cds.CriterionTargets["cds-nangsuat"] != "≥ 7 %/năm" {
		t.Errorf("criterion targets %+v", cds.CriterionTargets)
	}
	// One movement; an unknown one.
	rec = e.do("hongdao", "GET", "/api/v1/movements/vanhoa-2025", "")
	wantStatus(t, rec, http.StatusOK, "")
	if m := decodeInto[movementJSON](t, rec); m.ID != "vanhoa-2025" || m.Milestones[0].Status != "due_soon" {
		t.Errorf("one movement %+v", m)
	}
	wantStatus(t, e.do("hongdao", "GET", "/api/v1/movements/khong-co", ""), http.StatusNotFound, "Không có phong trào thi đua")
	// Today (2026): ended, both reviews overdue (nobody recorded them held).
	e.setNow(at(2026, 12, 1))
	m := decodeInto[movementJSON](t, e.do("hongdao", "GET", "/api/v1/movements/vanhoa-2025", ""))
	if m.Status != "ended" || m.StatusLabel != "Đã kết thúc" || m.Milestones[0].Status != "overdue" || m.Milestones[0].StatusLabel != "Quá hạn" ||
		m.Milestones[1].Status != "overdue" {
		t.Errorf("in 2026 %+v", m)
	}
	// The agency's rule on: the list says which awards need a registration.
	e2 := newMvEnv(t, at(2022, 6, 10), func(o *orgconfig.Org) { o.Agency.MovementRules.RegistrationRequired = true })
	m = decodeInto[movementJSON](t, e2.do("hongdao", "GET", "/api/v1/movements/vanhoa-2025", ""))
	if len(m.RegistrationRequiredFor) != 1 || m.RegistrationRequiredFor[0] != (award.Label{Code: "GK", Label: "Giấy khen"}) ||
		m.RegistrationStatus != "open" || m.RegistrationStatusLabel != "Đang nhận đăng ký" || m.Status != "running" {
		t.Errorf("rule on %+v", m)
	}
}

// Who may register whom, for every person of the demo: themselves (everyone), another
// person (admins only), their own unit (its heads and admins), another unit (admins).
func TestRegistrationEveryRole(t *testing.T) {
	e := newMvEnv(t, at(2022, 6, 10), nil)
	path := "/api/v1/movements/chuyendoiso-2025/registrations"
	for _, p := range e.org.People {
		other := "hongdao"
		if p.ID == other {
			other = "quoccuong"
		}
		otherUnit := "kgvx"
		if p.Department == otherUnit {
			otherUnit = "tt"
		}
		admin := slices.Contains(p.Roles, award.RoleAdmin)
		head := slices.Contains(p.Roles, award.RoleHead)
		for _, tc := range []struct {
			kind, subject string
			ok            bool
		}{
			{"individual", "", true},
			{"individual", p.ID, true},
			{"individual", other, admin},
			{"collective", "", head || admin},
			{"collective", p.Department, head || admin},
			{"collective", otherUnit, admin},
		} {
			body := fmt.Sprintf(`{"kind":%q,"subject_id":%q}`, tc.kind, tc.subject)
			rec := e.do(p.ID, "POST", path, body)
			switch {
			case tc.ok && rec.Code != http.StatusCreated && rec.Code != http.StatusOK:
				t.Errorf("%s registers %s %q: %d %s", p.ID, tc.kind, tc.subject, rec.Code, rec.Body)
			case !tc.ok && rec.Code != http.StatusForbidden:
				t.Errorf("%s registers %s %q: %d, want 403", p.ID, tc.kind, tc.subject, rec.Code)
			}
			if !tc.ok {
				continue
			}
			r := decodeInto[registrationJSON](t, rec)
			want := tc.subject
			if want == "" {
				want = p.ID
				if tc.kind == "collective" {
					want = p.Department
				}
			}
			if r.SubjectID != want || r.Kind != tc.kind {
				t.Errorf("%s registered %+v, want %s %s", p.ID, r, tc.kind, want)
			}
		}
	}
	// The store holds exactly what was allowed: everyone; the units of heads; the admin's
	// extra person and units.
	regs, err := e.st.Registrations(context.Background(), store.RegistrationFilter{Movement: "chuyendoiso-2025"})
	if err != nil {
		t.Fatal(err)
	}
	people, units := 0, map[string]bool{}
	for _, r := range regs {
		if r.Kind == award.KindIndividual {
			people++
		} else {
			units[r.SubjectID] = true
		}
	}
	if people != len(e.org.People) {
		t.Errorf("%d people registered, want everyone (%d)", people, len(e.org.People))
	}
	for _, u := range []string{"vp", "tt", "llct", "kgvx"} {
		if !units[u] {
			t.Errorf("unit %s not registered (its head or the admin did)", u)
		}
	}
	if units["ld"] {
		t.Error("the leadership unit was registered though nobody may register it but the admin, who did not")
	}
	// Subjects that do not exist, or may not register.
	wantStatus(t, e.do("quantri", "POST", path, `{"kind":"individual","subject_id":"ghost"}`), http.StatusUnprocessableEntity, "Không có người “ghost”")
	wantStatus(t, e.do("quantri", "POST", path, `{"kind":"collective","subject_id":"nowhere"}`), http.StatusUnprocessableEntity, "Không có đơn vị “nowhere”")
	wantStatus(t, e.do("hongdao", "POST", path, `{"kind":"team"}`), http.StatusUnprocessableEntity, "cá nhân hoặc tập thể")
	wantStatus(t, e.do("hongdao", "POST", path, `{"kind":"individual","x":1}`), http.StatusBadRequest, "")
	wantStatus(t, e.do("hongdao", "POST", "/api/v1/movements/khong-co/registrations", `{"kind":"individual"}`), http.StatusNotFound, "")
}

// The window: closed before it opens and after it closes, for registering and for
// withdrawing (a registration stays in force once the window closed).
func TestRegistrationWindow(t *testing.T) {
	e := newMvEnv(t, at(2022, 6, 6), nil)
	path := "/api/v1/movements/vanhoa-2025/registrations"
	wantStatus(t, e.do("hongdao", "POST", path, `{"kind":"individual"}`), http.StatusUnprocessableEntity,
		"chưa mở đăng ký thi đua: thời gian đăng ký từ 07/06/2022 đến 31/07/2022")
	// The first day, in Vietnam: 00:30 on 7 June is still 6 June in UTC.
	e.setNow(time.Date(2022, 6, 7, 0, 30, 0, 0, hcm))
	wantStatus(t, e.do("hongdao", "POST", path, `{"kind":"individual"}`), http.StatusCreated, "")
	wantStatus(t, e.do("quoccuong", "POST", path, `{"kind":"individual"}`), http.StatusCreated, "")
	// The last day, late in the evening in Vietnam, is open; ten past midnight on the
	// day after (still 31 July in UTC) is closed.
	e.setNow(time.Date(2022, 7, 31, 23, 30, 0, 0, hcm))
	wantStatus(t, e.do("quoccuong", "DELETE", path+"/individual/quoccuong", ""), http.StatusOK, "")
	e.setNow(time.Date(2022, 8, 1, 0, 10, 0, 0, hcm))
	wantStatus(t, e.do("vanson", "POST", path, `{"kind":"individual"}`), http.StatusUnprocessableEntity, "đã hết hạn đăng ký thi đua")
	wantStatus(t, e.do("hongdao", "DELETE", path+"/individual/hongdao", ""), http.StatusUnprocessableEntity, "đã hết hạn đăng ký thi đua")
	if ok, _ := e.st.IsRegistered(context.Background(), "vanhoa-2025", award.KindIndividual, "hongdao"); !ok {
		t.Error("a refused withdrawal withdrew")
	}
	if ok, _ := e.st.IsRegistered(context.Background(), "vanhoa-2025", award.KindIndividual, "quoccuong"); ok {
		t.Error("the withdrawal on the last day did not withdraw")
	}
	// Withdrawing: someone else's (403), one that does not exist (404), a bad kind (404).
	e.setNow(at(2022, 7, 1))
	wantStatus(t, e.do("quoccuong", "DELETE", path+"/individual/hongdao", ""), http.StatusForbidden, "")
	wantStatus(t, e.do("vanson", "DELETE", path+"/individual/vanson", ""), http.StatusNotFound, "")
	wantStatus(t, e.do("vanson", "DELETE", path+"/team/vanson", ""), http.StatusNotFound, "")
	rec := e.do("quantri", "DELETE", path+"/individual/hongdao", "")
	wantStatus(t, rec, http.StatusOK, "")
	if r := decodeInto[registrationJSON](t, rec); !r.Withdrawn || r.StatusLabel != "Đã rút đăng ký" {
		t.Errorf("withdrawn %+v", r)
	}
	// A movement that takes no registrations, or none of collectives.
	e2 := newMvEnv(t, at(2022, 7, 1), func(o *orgconfig.Org) {
		o.Movements[0].Registration = nil
		o.Movements[1].Registration.Kinds = []award.NomineeKind{award.KindIndividual}
	})
	wantStatus(t, e2.do("hongdao", "POST", path, `{"kind":"individual"}`), http.StatusUnprocessableEntity, "không tổ chức đăng ký thi đua")
	m := decodeInto[movementJSON](t, e2.do("hongdao", "GET", "/api/v1/movements/vanhoa-2025", ""))
	if m.RegistrationStatus != "none" || m.RegistrationStatusLabel != "Không tổ chức đăng ký" || len(m.Forms) != 0 {
		t.Errorf("no registration %+v", m)
	}
	wantStatus(t, e2.do("tptt", "POST", "/api/v1/movements/chuyendoiso-2025/registrations", `{"kind":"collective"}`), http.StatusUnprocessableEntity,
		"không nhận đăng ký của tập thể")
	m = decodeInto[movementJSON](t, e2.do("tptt", "GET", "/api/v1/movements/chuyendoiso-2025", ""))
	if len(m.Forms) != 1 || len(m.Forms["individual"]) != 4 {
		t.Errorf("individuals only: forms %+v", m.Forms)
	}
}

// The commitment form: checked against the movement's template, normalised, stored;
// the same again changes nothing, new commitments replace the old, a withdrawn
// registration comes back.
func TestRegistrationForm(t *testing.T) {
	e := newMvEnv(t, at(2022, 6, 10), nil)
	path := "/api/v1/movements/chuyendoiso-2025/registrations"
	for _, tc := range []struct{ body, vi string }{
		{`{"kind":"individual","commitments":[{"item_id":"cds-nangsuat","value":5}]}`, "phải tối thiểu 7 %/năm"},
		{`{"kind":"individual","commitments":[{"item_id":"xx"}]}`, "không có mục “xx”"},
		{`{"kind":"individual","commitments":[{"item_id":"cds-kynang","value":3}]}`, "không có chỉ tiêu bằng số"},
		{`{"kind":"individual","commitments":[{"item_id":"cds-kynang"},{"item_id":"cds-kynang"}]}`, "hai lần"},
		{`{"kind":"individual","other":"a\u202eb"}`, "hướng văn bản"},
	} {
		wantStatus(t, e.do("hongdao", "POST", path, tc.body), http.StatusUnprocessableEntity, tc.vi)
	}
	if regs, _ := e.st.Registrations(context.Background(), store.RegistrationFilter{Movement: "chuyendoiso-2025", Withdrawn: true}); len(regs) != 0 {
		t.Fatalf("a refused form was stored: %+v", regs)
	}
	body := `{"kind":"individual","commitments":[{"item_id":"cds-nangsuat","value":10,"note":"Ke\u0302\u0301 hoa\u0323ch"}],"other":"  Thêm  "}`
	rec := e.do("hongdao", "POST", path, body)
	wantStatus(t, rec, http.StatusCreated, "")
	r := decodeInto[registrationJSON](t, rec)
	if r.Result != "created" || r.UnitID != "tt" || r.SubjectLabel == "" || r.Commitments.Other != "Thêm" || len(r.Items) != 4 {
		t.Fatalf("created %+v", r)
	}
	byID := map[string]int{}
	for i, it := range r.Items {
		byID[it.ItemID] = i
	}
	ns, sk := r.Items[byID["cds-nangsuat"]], r.Items[byID["cds-sangkien"]]
	if *ns.Value != 10 || ns.ValueLabel != "10 %/năm" || ns.Note != "Kế hoạch" || *sk.Value != 10 || !strings.HasPrefix(sk.Text, "10% cán bộ") {
		t.Fatalf("commitments %+v", r.Items)
	}
	rec = e.do("hongdao", "POST", path, body)
	wantStatus(t, rec, http.StatusOK, "")
	if r := decodeInto[registrationJSON](t, rec); r.Result != "unchanged" {
		t.Errorf("the same again: %s", r.Result)
	}
	rec = e.do("hongdao", "POST", path, `{"kind":"individual","commitments":[{"item_id":"cds-nangsuat","value":12}]}`)
	wantStatus(t, rec, http.StatusOK, "")
	if r := decodeInto[registrationJSON](t, rec); r.Result != "updated" || *r.Items[len(r.Items)-1].Value != 12 {
		t.Errorf("changed: %+v", r)
	}
	wantStatus(t, e.do("hongdao", "DELETE", path+"/individual/hongdao", ""), http.StatusOK, "")
	rec = e.do("hongdao", "POST", path, `{"kind":"individual"}`)
	wantStatus(t, rec, http.StatusCreated, "")
	if r := decodeInto[registrationJSON](t, rec); r.Result != "reinstated" || r.Withdrawn {
		t.Errorf("again after a withdrawal: %+v", r)
	}
	// The movement page tells the caller they registered, and a head about the unit.
	m := decodeInto[movementJSON](t, e.do("hongdao", "GET", "/api/v1/movements/chuyendoiso-2025", ""))
	if !m.Mine.Individual || m.Mine.Unit {
		t.Errorf("hongdao's registration %+v", m.Mine)
	}
	wantStatus(t, e.do("tptt", "POST", path, `{"kind":"collective"}`), http.StatusCreated, "")
	m = decodeInto[movementJSON](t, e.do("tptt", "GET", "/api/v1/movements/chuyendoiso-2025", ""))
	if m.Mine.Individual || !m.Mine.Unit {
		t.Errorf("the head's view %+v", m.Mine)
	}
}

// Who sees which registrations: the office (admins, the council, the văn thư) all; a
// head who is not on the council their unit's; anyone else their own.
func TestRegistrationListScopes(t *testing.T) {
	e := newMvEnv(t, at(2022, 6, 10), nil)
	path := "/api/v1/movements/vanhoa-2025/registrations"
	for _, id := range []string{"hongdao", "quoccuong", "vanson", "kimngan", "tpkgvx"} {
		wantStatus(t, e.do(id, "POST", path, `{"kind":"individual"}`), http.StatusCreated, "")
	}
	for _, id := range []string{"tptt", "tpkgvx"} {
		wantStatus(t, e.do(id, "POST", path, `{"kind":"collective"}`), http.StatusCreated, "")
	}
	wantStatus(t, e.do("kimngan", "DELETE", path+"/individual/kimngan", ""), http.StatusOK, "")
	all := []string{"collective:kgvx", "collective:tt", "individual:tpkgvx", "individual:vanson", "individual:hongdao", "individual:quoccuong"}
	list := func(id, query string) []string {
		t.Helper()
		rec := e.do(id, "GET", path+query, "")
		wantStatus(t, rec, http.StatusOK, "")
		out := decodeInto[struct {
			Items      []registrationJSON `json:"items"`
			Registered map[string]int     `json:"registered"`
		}](t, rec)
		keys := []string{}
		n := 0
		for _, r := range out.Items {
			keys = append(keys, r.Kind+":"+r.SubjectID)
			if !r.Withdrawn {
				n++
			}
		}
		if out.Registered["individual"]+out.Registered["collective"] != n {
			t.Errorf("%s%s: counts %v for %d in force", id, query, out.Registered, n)
		}
		return keys
	}
	for _, p := range e.org.People {
		a := p.Actor()
		var want []string
		switch {
		case a.Has(award.RoleAdmin) || a.OnCouncil() || a.Has(award.RoleClerk):
			want = all
		case a.Has(award.RoleHead):
			for _, k := range all {
				if k == "collective:"+a.Department || k == "individual:"+a.ID { // tpkgvx: kgvx has no other registrant
					want = append(want, k)
				}
			}
		default:
			for _, k := range all {
				if k == "individual:"+a.ID {
					want = append(want, k)
				}
			}
		}
		if got := list(p.ID, ""); !slices.Equal(got, want) {
			t.Errorf("%s sees %v, want %v", p.ID, got, want)
		}
	}
	// Filters, withdrawn ones on request.
	if got := list("thuky", "?unit=tt"); !slices.Equal(got, []string{"collective:tt", "individual:hongdao", "individual:quoccuong"}) {
		t.Errorf("unit tt %v", got)
	}
	if got := list("thuky", "?kind=collective"); !slices.Equal(got, []string{"collective:kgvx", "collective:tt"}) {
		t.Errorf("collectives %v", got)
	}
	if got := list("quantri", "?unit=vp&withdrawn=true"); !slices.Equal(got, []string{"individual:kimngan"}) {
		t.Errorf("withdrawn of vp %v", got)
	}
	if got := list("kimngan", "?withdrawn=true"); !slices.Equal(got, []string{"individual:kimngan"}) {
		t.Errorf("her own withdrawn one %v", got)
	}
	wantStatus(t, e.do("tpkgvx", "GET", path+"?unit=tt", ""), http.StatusForbidden, "đơn vị mình")
	wantStatus(t, e.do("hongdao", "GET", path+"?kind=collective", ""), http.StatusForbidden, "")
	wantStatus(t, e.do("hongdao", "GET", path+"?page=2", ""), http.StatusUnprocessableEntity, "không nhận tham số")
	wantStatus(t, e.do("thuky", "GET", path+"?withdrawn=maybe", ""), http.StatusUnprocessableEntity, "withdrawn")
	wantStatus(t, e.do("thuky", "GET", path+"?kind=team", ""), http.StatusUnprocessableEntity, "")
}

// The office is reminded of reviews due within the configured days and of overdue
// ones; nobody else is.
func TestMovementReminders(t *testing.T) {
	e := newMvEnv(t, at(2023, 12, 20), nil)
	type reminders struct {
		Today      string `json:"today"`
		RemindDays int    `json:"remind_days"`
		Items      []struct {
			MovementID string `json:"movement_id"`
			Text       string `json:"text"`
			Milestone  struct {
				ID       string `json:"id"`
				Status   string `json:"status"`
				DaysLeft int    `json:"days_left"`
			} `json:"milestone"`
		} `json:"items"`
	}
	get := func(id string) reminders {
		t.Helper()
		rec := e.do(id, "GET", "/api/v1/movements/reminders", "")
		wantStatus(t, rec, http.StatusOK, "")
		return decodeInto[reminders](t, rec)
	}
	for _, id := range []string{"thuky", "quantri"} {
		r := get(id)
		if r.RemindDays != 14 || len(r.Items) != 2 || r.Items[0].MovementID != "vanhoa-2025" || r.Items[1].MovementID != "chuyendoiso-2025" {
			t.Fatalf("%s: %+v", id, r)
		}
		if it := r.Items[0]; it.Milestone.ID != "so-ket-2023" || it.Milestone.Status != "due_soon" || it.Milestone.DaysLeft != 11 ||
			it.Text != "Sơ kết phong trào thi đua “Xây dựng văn hoá và con người Đồng Tháp nghĩa tình, năng động, sáng tạo”: hạn tháng 12/2023, còn 11 ngày" {
			t.Errorf("%s: %+v", id, it)
		}
	}
	for _, p := range e.org.People {
		if slices.Contains(p.Roles, award.RoleSecretary) || slices.Contains(p.Roles, award.RoleAdmin) {
			continue
		}
		wantStatus(t, e.do(p.ID, "GET", "/api/v1/movements/reminders", ""), http.StatusForbidden, "nhắc việc")
	}
	e.setNow(at(2023, 12, 31))
	if r := get("thuky"); len(r.Items) != 2 || !strings.HasSuffix(r.Items[0].Text, "đến hạn hôm nay") {
		t.Errorf("due today %+v", r)
	}
	e.setNow(at(2024, 1, 5))
	if r := get("thuky"); len(r.Items) != 2 || r.Items[0].Milestone.Status != "overdue" || !strings.HasSuffix(r.Items[0].Text, "quá hạn 5 ngày") {
		t.Errorf("overdue %+v", r)
	}
	e.setNow(at(2023, 11, 1))
	if r := get("thuky"); len(r.Items) != 0 {
		t.Errorf("nothing is due within 14 days of 1/11/2023: %+v", r)
	}
	// A review recorded as held is not reminded; a wider window reminds earlier.
	e2 := newMvEnv(t, at(2023, 11, 1), func(o *orgconfig.Org) {
		o.Agency.MovementRules.RemindDays = 60
		o.Movements[0].Milestones[0].Held = award.NewDate(2023, 10, 30)
	})
	rec := e2.do("thuky", "GET", "/api/v1/movements/reminders", "")
	if r := decodeInto[reminders](t, rec); len(r.Items) != 1 || r.Items[0].MovementID != "chuyendoiso-2025" || r.Items[0].Milestone.DaysLeft != 60 {
		t.Errorf("60 days ahead, one held %+v", r)
	}
}

// Filing a proposal: when the agency requires registrations, a Giấy khen under a
// movement needs the nominee's registration (the person's, or the unit's for a
// collective); an annual title never does; with the rule off nothing is asked.
func TestProposalNeedsRegistration(t *testing.T) {
	draft := func(awardType, kind, nominee string) string {
		return fmt.Sprintf(`{"award_type":%q,"movement_id":"chuyendoiso-2025","kind":%q,"nominee_name":%q,"nominee_position":"Chuyên viên"}`,
			awardType, kind, nominee)
	}
	reached := func(t *testing.T, rec *httptest.ResponseRecorder) {
		t.Helper()
		if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "Temporal giả") {
			t.Fatalf("the filing did not get past the checks: %d %s", rec.Code, rec.Body)
		}
	}
	on := func(o *orgconfig.Org) { o.Agency.MovementRules.RegistrationRequired = true }
	e := newMvEnv(t, at(2022, 6, 10), on)
	wantStatus(t, e.do("hongdao", "POST", "/api/v1/proposals", draft("GK", "individual", "Nguyễn Thị Hồng Đào")), http.StatusUnprocessableEntity,
		"“Nguyễn Thị Hồng Đào” chưa đăng ký thi đua trong phong trào “Đồng Tháp đẩy mạnh chương trình chuyển đổi số”")
	wantStatus(t, e.do("tptt", "POST", "/api/v1/proposals", draft("GK", "collective", "Phòng Tuyên truyền - Báo chí")), http.StatusUnprocessableEntity,
		"chưa đăng ký thi đua")
	if n := e.fake.reached.Load(); n != 0 {
		t.Fatalf("%d refused filings reached Temporal", n)
	}
	// Annual titles need none.
	reached(t, e.do("hongdao", "POST", "/api/v1/proposals", draft("LDTT", "individual", "Nguyễn Thị Hồng Đào")))
	reached(t, e.do("tptt", "POST", "/api/v1/proposals", draft("TTLDTT", "collective", "Phòng Tuyên truyền - Báo chí")))
	// Registered: the Giấy khen passes. The unit's registration is not a person's, nor
	// the other way round.
	wantStatus(t, e.do("tptt", "POST", "/api/v1/movements/chuyendoiso-2025/registrations", `{"kind":"collective"}`), http.StatusCreated, "")
	wantStatus(t, e.do("hongdao", "POST", "/api/v1/proposals", draft("GK", "individual", "Nguyễn Thị Hồng Đào")), http.StatusUnprocessableEntity, "chưa đăng ký")
	reached(t, e.do("tptt", "POST", "/api/v1/proposals", draft("GK", "collective", "Phòng Tuyên truyền - Báo chí")))
	wantStatus(t, e.do("hongdao", "POST", "/api/v1/movements/chuyendoiso-2025/registrations", `{"kind":"individual"}`), http.StatusCreated, "")
	reached(t, e.do("hongdao", "POST", "/api/v1/proposals", draft("GK", "individual", "Nguyễn Thị Hồng Đào")))
	// A registration for the other movement does not count; a withdrawn one neither.
	wantStatus(t, e.do("quoccuong", "POST", "/api/v1/movements/vanhoa-2025/registrations", `{"kind":"individual"}`), http.StatusCreated, "")
	wantStatus(t, e.do("quoccuong", "POST", "/api/v1/proposals", draft("GK", "individual", "Lê Quốc Cường")), http.StatusUnprocessableEntity, "chưa đăng ký")
	wantStatus(t, e.do("hongdao", "DELETE", "/api/v1/movements/chuyendoiso-2025/registrations/individual/hongdao", ""), http.StatusOK, "")
	wantStatus(t, e.do("hongdao", "POST", "/api/v1/proposals", draft("GK", "individual", "Nguyễn Thị Hồng Đào")), http.StatusUnprocessableEntity, "chưa đăng ký")

	// The demo's rule (off): nothing is asked.
	off := newMvEnv(t, at(2022, 6, 10), nil)
	reached(t, off.do("hongdao", "POST", "/api/v1/proposals", draft("GK", "individual", "Nguyễn Thị Hồng Đào")))

	// checkRegistration itself, for the coordinator's other call sites: every award type
	// of the demo × kind × registered or not.
	org, _ := e.s.Org.Current(context.Background())
	for _, typ := range org.AwardTypes {
		for _, k := range []award.NomineeKind{award.KindIndividual, award.KindCollective} {
			if !typ.Admits(k) {
				continue
			}
			d := award.Draft{AwardType: typ.Code, MovementID: "chuyendoiso-2025", Kind: k, NomineeName: "Người A", NomineeID: "vanson", Department: "llct"}
			if k == award.KindCollective {
				d.NomineeID = ""
			}
			err := e.s.checkRegistration(context.Background(), org, d)
			if needed := typ.Code == "GK"; needed != (err != nil) {
				t.Errorf("%s %s unregistered: %v", typ.Code, k, err)
			}
		}
	}
}
