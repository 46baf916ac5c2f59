package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/oidctest"
)

// ssoEnv is awardflow (a real HTTP server on 127.0.0.1) with single sign-on against a
// real OpenID Provider (internal/oidctest, zitadel's op) started by the test.
type ssoEnv struct {
	t    *testing.T
	s    *Server
	ts   *httptest.Server
	prov *oidctest.Provider
	clk  *testClock
	logs *bytes.Buffer
}

const ssoDeepLink = "/proposals/proposal-0123456789abcdef"

func newSSOEnv(t *testing.T) *ssoEnv {
	t.Helper()
	org := demoOrg(t)
	for i := range org.People {
		if org.People[i].ID == "phoban" {
			org.People[i].Inactive = true // deactivated in the directory
		}
	}
	prov := oidctest.Start(t,
		oidctest.User{Username: "tptt", Password: "pw-tptt", Email: "tam@example.gov.vn", EmailVerified: true},
		oidctest.User{Username: "phoban", Password: "pw-phoban"},
		oidctest.User{Username: "nguoingoai", Password: "pw-ngoai"}, // no such person in the directory
		oidctest.User{Username: "TPLLCT", Password: "pw-tpllct"},    // case differs from the directory id
	)
	clk := &testClock{t: time.Now()}
	logs := &bytes.Buffer{}
	tokens, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	s := &Server{Org: org, Tokens: tokens, Now: clk.now,
		Log:         slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, nil)),
		Revocations: &auth.Revocations{Store: &memRevocations{}}}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	prov.AddClient("awardflow", "client-secret-1", base+"/auth/oidc/callback")
	if err := s.EnableSignIn(&auth.OIDCConfig{Issuer: prov.Issuer, ClientID: "awardflow", ClientSecret: "client-secret-1",
		RedirectURL: base + "/auth/oidc/callback", Scopes: []string{"openid", "profile", "email"}}, true); err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	return &ssoEnv{t: t, s: s, ts: ts, prov: prov, clk: clk, logs: logs}
}

// browser is an HTTP client with a cookie jar; stopAt stops following redirects at a
// URL with that path (the request to it is not made).
func browser(t *testing.T, stopAt string) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 20 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if stopAt != "" && req.URL.Path == stopAt {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

var authRequestIDPattern = regexp.MustCompile(`name="id" value="([^"]+)"`)

// toCallback starts the sign-in at awardflow, signs in at the provider's page and stops
// at the provider's redirect to awardflow's callback, which it returns.
func (e *ssoEnv) toCallback(t *testing.T, c *http.Client, user, password string) *url.URL {
	t.Helper()
	resp, err := c.Get(e.ts.URL + "/auth/oidc/start?next=" + url.QueryEscape(ssoDeepLink))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := authRequestIDPattern.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil || !strings.HasPrefix(resp.Request.URL.String(), e.prov.Issuer+"/login/username") {
		t.Fatalf("start: want the provider's sign-in page, got %d at %s: %.300s", resp.StatusCode, resp.Request.URL, body)
	}
	resp, err = c.PostForm(e.prov.Issuer+"/login/username", url.Values{"id": {string(m[1])}, "username": {user}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("provider sign-in: want a redirect to the callback, got %d", resp.StatusCode)
	}
	u, err := resp.Location()
	if err != nil || u.Path != "/auth/oidc/callback" {
		t.Fatalf("provider sign-in: redirect to %v (%v)", u, err)
	}
	return u
}

// callback calls awardflow's callback like the browser and checks it sends the browser
// to the sign-in page.
func (e *ssoEnv) callback(t *testing.T, c *http.Client, u *url.URL) {
	t.Helper()
	once := *c // the same cookies; the redirect to the pages is not followed
	once.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := once.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/#/login?sso=1" {
		t.Fatalf("callback: want 302 to /#/login?sso=1, got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// exchange is the sign-in page's POST /api/v1/login/oidc.
func (e *ssoEnv) exchange(t *testing.T, c *http.Client) (int, ssoToken, award.Error) {
	t.Helper()
	resp, err := c.Post(e.ts.URL+"/api/v1/login/oidc", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var tok ssoToken
	var eb struct{ Error award.Error }
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &tok); err != nil {
			t.Fatal(err)
		}
	} else if err := json.Unmarshal(body, &eb); err != nil {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	return resp.StatusCode, tok, eb.Error
}

// signIn runs the whole flow as a browser does and returns the exchange's answer.
func (e *ssoEnv) signIn(t *testing.T, user, password string) (int, ssoToken, award.Error) {
	t.Helper()
	c := browser(t, "/auth/oidc/callback")
	e.callback(t, c, e.toCallback(t, c, user, password))
	return e.exchange(t, c)
}

func TestOIDCSignInHappyPath(t *testing.T) {
	e := newSSOEnv(t)
	// The whole way, following every redirect as a browser does: awardflow → provider's
	// page → provider → awardflow's callback → the pages (#/login?sso=1).
	c := browser(t, "")
	first := *c
	first.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := first.Get(e.ts.URL + "/auth/oidc/start?next=" + url.QueryEscape(ssoDeepLink))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	authz, err := resp.Location()
	if err != nil || resp.StatusCode != http.StatusFound || !strings.HasPrefix(authz.String(), e.prov.Issuer+"/") {
		t.Fatalf("start: %d to %v, want 302 to the provider", resp.StatusCode, authz)
	}
	if cc := resp.Header.Get("Set-Cookie"); !strings.Contains(cc, "HttpOnly") || !strings.Contains(cc, "SameSite=Lax") || !strings.Contains(cc, "Path=/auth/oidc/") {
		t.Errorf("flow cookie %q: want HttpOnly, SameSite=Lax, Path=/auth/oidc/", cc)
	}
	resp, err = c.Get(authz.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := authRequestIDPattern.FindSubmatch(body)
	if id == nil {
		t.Fatalf("no sign-in form at the provider: %.300s", body)
	}
	// The flow cookie: HttpOnly, SameSite=Lax, scoped to /auth/oidc/, and opaque.
	start, _ := url.Parse(e.ts.URL + "/auth/oidc/")
	var flow *http.Cookie
	for _, ck := range c.Jar.Cookies(start) {
		if ck.Name == oidcFlowCookie {
			flow = ck
		}
	}
	if flow == nil {
		t.Fatal("no flow cookie after /auth/oidc/start")
	}
	if q := authz.Query(); q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
		t.Errorf("the provider was not asked with PKCE S256, a nonce and a state: %s", resp.Request.URL)
	}
	if strings.Contains(flow.Value, authz.Query().Get("state")) {
		t.Error("the flow cookie shows the state in clear")
	}
	resp, err = c.PostForm(e.prov.Issuer+"/login/username", url.Values{"id": {string(id[1])}, "username": {"tptt"}, "password": {"pw-tptt"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" || resp.Request.URL.Fragment != "/login?sso=1" {
		t.Fatalf("want the pages at /#/login?sso=1, got %d at %s", resp.StatusCode, resp.Request.URL)
	}
	status, tok, apiErr := e.exchange(t, c)
	if status != http.StatusOK {
		t.Fatalf("exchange: %d %+v", status, apiErr)
	}
	if tok.User.ID != "tptt" || tok.Next != ssoDeepLink || tok.TokenType != "Bearer" {
		t.Errorf("signed in as %q, next %q", tok.User.ID, tok.Next)
	}
	// awardflow's own token, awardflow's roles.
	rec := call(e.s.Handler(), "GET", "/api/v1/me", tok.Token, "")
	var me userView
	_ = json.Unmarshal(rec.Body.Bytes(), &me)
	if rec.Code != http.StatusOK || me.ID != "tptt" || len(me.Roles) != 2 || me.Roles[0] != award.RoleHead {
		t.Errorf("/me with the SSO token: %d %+v", rec.Code, me)
	}
	// The outcome serves once.
	if status, _, apiErr := e.exchange(t, c); status != http.StatusBadRequest {
		t.Errorf("second exchange: %d %+v, want 400", status, apiErr)
	}
	// A claim in another case names the same directory entry.
	if status, tok, apiErr := e.signIn(t, "TPLLCT", "pw-tpllct"); status != http.StatusOK || tok.User.ID != "tpllct" {
		t.Errorf("TPLLCT: %d %+v %+v", status, tok.User, apiErr)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "method=oidc") || !strings.Contains(logs, "outcome=ok") || !strings.Contains(logs, "user=tptt") {
		t.Errorf("the sign-in is not logged: %s", logs)
	}
	for _, secret := range []string{tok.Token, "tam@example.gov.vn", "client-secret-1", flow.Value} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log shows %q", secret)
		}
	}
}

func TestOIDCRefusals(t *testing.T) {
	e := newSSOEnv(t)
	want := func(t *testing.T, status int, got award.Error, gotStatus int, words string) {
		t.Helper()
		if gotStatus != status || !strings.Contains(got.VI, words) {
			t.Errorf("got %d %q, want %d with %q", gotStatus, got.VI, status, words)
		}
	}
	t.Run("unknown person", func(t *testing.T) {
		status, _, err := e.signIn(t, "nguoingoai", "pw-ngoai")
		want(t, 401, err, status, "chưa gắn với ai trong danh bạ")
	})
	t.Run("inactive person", func(t *testing.T) {
		status, _, err := e.signIn(t, "phoban", "pw-phoban")
		want(t, 401, err, status, "không còn hoạt động")
	})
	t.Run("tampered state", func(t *testing.T) {
		c := browser(t, "/auth/oidc/callback")
		u := e.toCallback(t, c, "tptt", "pw-tptt")
		q := u.Query()
		q.Set("state", q.Get("state")+"x")
		u.RawQuery = q.Encode()
		e.callback(t, c, u)
		status, _, err := e.exchange(t, c)
		want(t, 401, err, status, "mã kiểm tra không khớp")
	})
	t.Run("forged flow cookie", func(t *testing.T) {
		c := browser(t, "/auth/oidc/callback")
		u := e.toCallback(t, c, "tptt", "pw-tptt")
		c.Jar.SetCookies(u, []*http.Cookie{{Name: oidcFlowCookie, Value: "eyJzIjoiYSJ9", Path: oidcFlowPath}})
		e.callback(t, c, u)
		status, _, err := e.exchange(t, c)
		want(t, 401, err, status, "mã kiểm tra không khớp")
	})
	t.Run("replayed callback", func(t *testing.T) {
		c := browser(t, "/auth/oidc/callback")
		u := e.toCallback(t, c, "tptt", "pw-tptt")
		flow := c.Jar.Cookies(u)
		e.callback(t, c, u)
		if status, _, err := e.exchange(t, c); status != 200 {
			t.Fatalf("first use: %d %+v", status, err)
		}
		// The same callback again, with the flow cookie copied beforehand.
		c.Jar.SetCookies(u, append(flow, &http.Cookie{Name: oidcFlowCookie, Path: oidcFlowPath, Value: cookieValue(flow, oidcFlowCookie)}))
		e.callback(t, c, u)
		status, _, err := e.exchange(t, c)
		want(t, 401, err, status, "đã được dùng rồi")
		// And from a browser that never started it (no flow cookie).
		c2 := browser(t, "/auth/oidc/callback")
		e.callback(t, c2, u)
		status, _, err = e.exchange(t, c2)
		want(t, 401, err, status, "quá hạn hoặc được mở từ trình duyệt khác")
	})
	t.Run("replayed outcome cookie", func(t *testing.T) {
		c := browser(t, "/auth/oidc/callback")
		u := e.toCallback(t, c, "tptt", "pw-tptt")
		e.callback(t, c, u)
		api, _ := url.Parse(e.ts.URL + oidcResultPath)
		saved := c.Jar.Cookies(api)
		if status, _, err := e.exchange(t, c); status != 200 {
			t.Fatalf("first use: %d %+v", status, err)
		}
		c.Jar.SetCookies(api, []*http.Cookie{{Name: oidcResultCookie, Path: oidcResultPath, Value: cookieValue(saved, oidcResultCookie)}})
		status, _, err := e.exchange(t, c)
		want(t, 401, err, status, "đã được dùng rồi")
	})
	t.Run("expired flow", func(t *testing.T) {
		c := browser(t, "/auth/oidc/callback")
		u := e.toCallback(t, c, "tptt", "pw-tptt")
		e.clk.advance(oidcFlowTTL + time.Second)
		e.callback(t, c, u)
		status, _, err := e.exchange(t, c)
		want(t, 401, err, status, "quá hạn")
	})
	t.Run("nonce mismatch", func(t *testing.T) {
		e.prov.WrongNonce.Store(true)
		defer e.prov.WrongNonce.Store(false)
		status, _, err := e.signIn(t, "tptt", "pw-tptt")
		want(t, 401, err, status, "(nonce)")
	})
	t.Run("denied at the provider", func(t *testing.T) {
		c := browser(t, "/auth/oidc/callback")
		u := e.toCallback(t, c, "tptt", "pw-tptt")
		q := u.Query()
		q.Del("code")
		q.Set("error", "access_denied")
		u.RawQuery = q.Encode()
		e.callback(t, c, u)
		status, _, err := e.exchange(t, c)
		want(t, 401, err, status, "chưa xác nhận danh tính")
	})
	t.Run("no outcome waiting", func(t *testing.T) {
		status, _, err := e.exchange(t, browser(t, ""))
		want(t, 400, err, status, "Không có kết quả đăng nhập một cửa")
	})
	logs := e.logs.String()
	for _, outcome := range []string{ssoUnknown, ssoInactive, ssoBadState, ssoReplayed, ssoExpired, ssoBadNonce, ssoDenied} {
		if !strings.Contains(logs, "outcome="+outcome) {
			t.Errorf("no login line with outcome=%s", outcome)
		}
	}
}

func cookieValue(cs []*http.Cookie, name string) string {
	for _, c := range cs {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// TestOIDCProviderDown: the provider unreachable at the start answers 503 on the sign-in
// page, and passwords keep working.
func TestOIDCProviderDown(t *testing.T) {
	e := newSSOEnv(t)
	e.prov.Stop()
	c := browser(t, "")
	resp, err := c.Get(e.ts.URL + "/auth/oidc/start?next=" + url.QueryEscape(ssoDeepLink))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Fragment != "/login?sso=1" {
		t.Fatalf("want the sign-in page, at %s", resp.Request.URL)
	}
	status, _, apiErr := e.exchange(t, c)
	if status != http.StatusServiceUnavailable || !strings.Contains(apiErr.VI, "không truy cập được") {
		t.Errorf("got %d %+v, want 503", status, apiErr)
	}
	if rec := loginFrom(e.s.Handler(), "192.0.2.1:1", "tptt", "x"); rec.Code != http.StatusUnauthorized {
		t.Errorf("password sign-in beside SSO: %d", rec.Code)
	}
}

// TestOIDCFailuresAreThrottled: forged callbacks from one address count like failed
// passwords; the next attempt is refused with 429.
func TestOIDCFailuresAreThrottled(t *testing.T) {
	e := newSSOEnv(t)
	c := browser(t, "/auth/oidc/callback")
	u := e.toCallback(t, c, "tptt", "pw-tptt")
	forged := *u
	q := forged.Query()
	q.Set("state", "forged")
	forged.RawQuery = q.Encode()
	var status int
	var apiErr award.Error
	for range auth.DefaultThrottleConfig.Pair.Free + 2 {
		e.callback(t, c, &forged)
		status, _, apiErr = e.exchange(t, c)
	}
	if status != http.StatusTooManyRequests || !strings.Contains(apiErr.VI, "quá nhiều lần") {
		t.Errorf("after %d forged callbacks: %d %+v, want 429", auth.DefaultThrottleConfig.Pair.Free+2, status, apiErr)
	}
}

// TestOIDCConfigAndLocalLogin: the sign-in page learns which ways are on; with passwords
// off, /api/v1/login refuses; without SSO, its routes answer 404.
func TestOIDCConfigAndLocalLogin(t *testing.T) {
	e := newSSOEnv(t)
	rec := call(e.s.Handler(), "GET", "/api/v1/login/methods", "", "")
	if strings.TrimSpace(rec.Body.String()) != `{"password":true,"sso":true}` {
		t.Errorf("methods: %s", rec.Body)
	}
	if err := e.s.EnableSignIn(nil, false); err == nil {
		t.Error("passwords off without SSO was accepted")
	}
	s, h := newTestServer(t)
	for _, p := range []string{"/auth/oidc/start", "/auth/oidc/callback"} {
		if rec := call(h, "GET", p, "", ""); rec.Code != http.StatusNotFound {
			t.Errorf("%s without SSO: %d", p, rec.Code)
		}
	}
	if rec := call(h, "GET", "/api/v1/login/methods", "", ""); strings.TrimSpace(rec.Body.String()) != `{"password":true,"sso":false}` {
		t.Errorf("methods without SSO: %s", rec.Body)
	}
	_ = s
	off := newSSOEnv(t)
	off.s.LocalLoginOff = true
	if rec := loginFrom(off.s.Handler(), "192.0.2.1:1", "tptt", "demo"); rec.Code != http.StatusForbidden {
		t.Errorf("password with local login off: %d", rec.Code)
	}
	if status, tok, err := off.signIn(t, "tptt", "pw-tptt"); status != 200 || tok.User.ID != "tptt" {
		t.Errorf("SSO with local login off: %d %+v", status, err)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/proposals/proposal-0123456789abcdef": "/proposals/proposal-0123456789abcdef",
		"/?stage=submitted&overdue=true":       "/?stage=submitted&overdue=true",
		"":                                     "/",
		"//evil.example/x":                     "/",
		"https://evil.example/":                "/",
		"/login":                               "/",
		"/a b":                                 "/",
		"/\\evil":                              "/",
		"javascript:alert(1)":                  "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
