package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
)

// These tests cover what the server decides before it talks to Temporal or S3 (both nil
// here); the whole path runs in internal/e2e.
func newTestServer(t *testing.T) (*Server, http.Handler) {
	t.Helper()
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	tokens, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	s := &Server{Org: org, Tokens: tokens}
	return s, s.Handler()
}

func call(h http.Handler, method, path, token, body string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func errorOf(t *testing.T, rec *httptest.ResponseRecorder) award.Error {
	t.Helper()
	var e struct{ Error award.Error }
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("not an error body: %s", rec.Body)
	}
	if e.Error.VI == "" || e.Error.EN == "" {
		t.Fatalf("message missing: %s", rec.Body)
	}
	return e.Error
}

func TestAuthentication(t *testing.T) {
	s, h := newTestServer(t)
	if rec := call(h, "GET", "/api/v1/me", "", ""); rec.Code != 401 || errorOf(t, rec).Code != "unauthenticated" {
		t.Fatalf("no token: %d %s", rec.Code, rec.Body)
	}
	if rec := call(h, "GET", "/api/v1/me", "garbage", ""); rec.Code != 401 {
		t.Fatalf("bad token: %d", rec.Code)
	}
	rec := call(h, "POST", "/api/v1/login", "", `{"username":"hongdao","password":"`+orgconfig.DemoPassword+`"}`)
	if rec.Code != 200 {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	var out struct{ Token string }
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	if rec := call(h, "GET", "/api/v1/me", out.Token, ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Nguyễn Thị Hồng Đào") {
		t.Fatalf("me: %d %s", rec.Code, rec.Body)
	}
	// a token of someone no longer in the config
	ghost, _ := s.Tokens.Issue("ghost", time.Now())
	if rec := call(h, "GET", "/api/v1/me", ghost, ""); rec.Code != 401 {
		t.Fatalf("ghost: %d", rec.Code)
	}
	for _, body := range []string{`{"username":"hongdao","password":"wrong"}`, `{"username":"nobody","password":"x"}`} {
		if rec := call(h, "POST", "/api/v1/login", "", body); rec.Code != 401 || errorOf(t, rec).Code != "bad_credentials" {
			t.Fatalf("login %s: %d", body, rec.Code)
		}
	}
}

func TestBadRequestsStopBeforeTemporal(t *testing.T) {
	s, h := newTestServer(t)
	tok, _ := s.Tokens.Issue("hongdao", time.Now())
	cases := []struct {
		name, method, path, body string
		headers                  []string
		status                   int
	}{
		{"malformed JSON", "POST", "/api/v1/proposals", `{"award_type":`, nil, 400},
		{"unknown field", "POST", "/api/v1/proposals", `{"nope":1}`, nil, 400},
		{"trailing data", "POST", "/api/v1/login", `{"username":"a","password":"b"} {}`, nil, 400},
		{"empty body", "POST", "/api/v1/login", ``, nil, 400},
		{"missing name", "POST", "/api/v1/proposals", `{"award_type":"LDTT","movement_id":"vanhoa-2025","kind":"individual"}`, nil, 422},
		{"unknown movement", "POST", "/api/v1/proposals", `{"award_type":"LDTT","movement_id":"x","kind":"individual","nominee_name":"A"}`, nil, 422},
		{"other department", "POST", "/api/v1/proposals", `{"award_type":"LDTT","movement_id":"vanhoa-2025","kind":"individual","nominee_name":"A","department":"vp"}`, nil, 403},
		{"bad idempotency key", "POST", "/api/v1/proposals", `{}`, []string{"Idempotency-Key", "has spaces"}, 400},
		{"odd proposal id", "GET", "/api/v1/proposals/proposal-XYZ", ``, nil, 404},
		{"odd session id", "GET", "/api/v1/sessions/session-zz", ``, nil, 404},
		{"unknown route", "GET", "/api/v1/nothing", ``, nil, 404},
		{"staff opens session", "POST", "/api/v1/sessions", `{"title":"x"}`, nil, 403},
		{"session list for staff", "GET", "/api/v1/sessions/session-0123456789abcdef", ``, nil, 403},
		{"verify non-PDF", "POST", "/api/v1/verify", `hello`, nil, 415},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := call(h, c.method, c.path, tok, c.body, c.headers...)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, c.status, rec.Body)
			}
			errorOf(t, rec)
		})
	}
}

func TestHelpers(t *testing.T) {
	if got := quote(`a'b\c`); got != `'a\'b\\c'` {
		t.Errorf("quote: %s", got)
	}
	cd := contentDisposition("Quyết định số 1.pdf")
	if !strings.Contains(cd, `filename="Quy_t __nh s_ 1.pdf"`) && !strings.Contains(cd, "filename*=UTF-8''Quy%E1%BA%BFt") {
		t.Errorf("content disposition: %s", cd)
	}
	if !strings.Contains(cd, "filename*=UTF-8''") || strings.ContainsAny(strings.Split(cd, ";")[1], "ếị") {
		t.Errorf("content disposition must carry an ASCII fallback and the UTF-8 name: %s", cd)
	}
}

// Every domain code has its status, and the table is the only place one is chosen.
func TestEveryCodeHasAStatus(t *testing.T) {
	want := map[award.Code]int{
		award.CodeMalformed: 400, award.CodeUnauthenticated: 401, award.CodeBadCredentials: 401,
		award.CodeForbidden: 403, award.CodeNotFound: 404, award.CodeMethodNotAllowed: 405,
		award.CodeWrongStage: 409, award.CodeDuplicate: 409, award.CodeTooLarge: 413,
		award.CodeUnsupportedType: 415, award.CodeInvalid: 422, award.CodeTooManyRequests: 429,
		award.CodeUnavailable: 503, award.CodeInternal: 500,
	}
	for _, c := range award.Codes {
		st, ok := statusOf[c]
		if !ok {
			t.Errorf("code %s has no HTTP status", c)
			continue
		}
		if st != want[c] {
			t.Errorf("code %s → %d, want %d", c, st, want[c])
		}
	}
	if len(statusOf) != len(award.Codes) {
		t.Errorf("status table has %d codes, award.Codes %d", len(statusOf), len(award.Codes))
	}
}

// A route called with a method it does not serve answers 405 with Allow, not 404; API
// answers are never cached except the public spec; empty lists are [] (checked in e2e).
func TestMethodNotAllowedAndNoStore(t *testing.T) {
	s, h := newTestServer(t)
	tok, _ := s.Tokens.Issue("hongdao", time.Now())
	cases := []struct{ method, path, allow string }{
		{"GET", "/api/v1/login", "POST"},
		{"DELETE", "/api/v1/proposals", "GET, HEAD, POST"},
		{"POST", "/api/v1/proposals/proposal-0123456789abcdef", "GET, HEAD, PUT, DELETE"},
		{"GET", "/api/v1/sessions/session-0123456789abcdef/close", "POST"},
		{"PUT", "/api/v1/verify", "POST"},
	}
	for _, c := range cases {
		rec := call(h, c.method, c.path, tok, "")
		if rec.Code != 405 {
			t.Errorf("%s %s: %d, want 405: %s", c.method, c.path, rec.Code, rec.Body)
			continue
		}
		if got := rec.Header().Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
		}
		if e := errorOf(t, rec); e.Code != award.CodeMethodNotAllowed {
			t.Errorf("%s %s: code %s", c.method, c.path, e.Code)
		}
	}
	for _, p := range []string{"/api/v1/me", "/api/v1/nothing"} {
		if rec := call(h, "GET", p, tok, ""); rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: Cache-Control %q", p, rec.Header().Get("Cache-Control"))
		}
	}
	rec := call(h, "POST", "/api/v1/login", "", `{"username":"hongdao","password":"`+orgconfig.DemoPassword+`"}`)
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("login answer (a token) may be cached: %q", rec.Header().Get("Cache-Control"))
	}
	if rec := call(h, "GET", "/api/v1/openapi.yaml", "", ""); rec.Header().Get("Cache-Control") == "no-store" {
		t.Errorf("the public spec need not be no-store")
	}
}

// Every error answer of the pre-Temporal paths is free of fmt debris and keeps each
// language to itself.
func TestErrorMessagesAreClean(t *testing.T) {
	s, h := newTestServer(t)
	tok, _ := s.Tokens.Issue("hongdao", time.Now())
	big := `{"username":"` + strings.Repeat("a", 2<<20) + `"}`
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/api/v1/login", big},
		{"POST", "/api/v1/proposals", `{"award_type":`},
		{"GET", "/api/v1/proposals/proposal-XYZ", ""},
		{"GET", "/api/v1/sessions/bad", ""},
		{"GET", "/api/v1/decisions/x/pdf", ""},
		{"DELETE", "/api/v1/me", ""},
	} {
		rec := call(h, c.method, c.path, tok, c.body)
		e := errorOf(t, rec)
		for _, m := range []string{e.VI, e.EN} {
			if strings.Contains(m, "%!") {
				t.Errorf("%s %s: fmt debris in %q", c.method, c.path, m)
			}
		}
		for _, vi := range []string{"hồ sơ", "phiên họp", "quyết định"} {
			if strings.Contains(e.EN, vi) {
				t.Errorf("%s %s: Vietnamese noun in the English message %q", c.method, c.path, e.EN)
			}
		}
	}
}

// The meeting place given when opening a session reaches the minutes, so it is checked
// like every text that reaches a document — before Temporal is touched.
func TestOpenSessionLocationChecked(t *testing.T) {
	s, h := newTestServer(t)
	tok, _ := s.Tokens.Issue("thuky", time.Now())
	for name, loc := range map[string]string{
		"emoji":    "Phòng họp 😀",
		"control":  "Phòng họp\u0007",
		"too long": strings.Repeat("Phòng họp ", 31),
	} {
		body, _ := json.Marshal(map[string]any{"title": "Họp xét khen thưởng", "location": loc})
		rec := call(h, "POST", "/api/v1/sessions", tok, string(body))
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422: %s", name, rec.Code, rec.Body)
			continue
		}
		if e := errorOf(t, rec); !strings.Contains(e.VI, "Địa điểm họp") {
			t.Errorf("%s: the refusal does not name the field: %+v", name, e)
		}
	}
}
