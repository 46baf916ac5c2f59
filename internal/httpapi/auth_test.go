package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/testenv"
	"golang.org/x/crypto/bcrypt"
)

// testClock is a settable clock shared by a server, its throttle and its revocation list.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// memRevocations is an in-memory object store for the revocation list.
type memRevocations struct {
	mu   sync.Mutex
	objs map[string]bool
}

func (m *memRevocations) PutBytes(_ context.Context, key string, _ []byte, _ string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.objs == nil {
		m.objs = map[string]bool{}
	}
	m.objs[key] = true
	return "", nil
}

func (m *memRevocations) Exists(_ context.Context, key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.objs[key], nil
}

func (m *memRevocations) List(_ context.Context, prefix string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k := range m.objs {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out, nil
}

func (m *memRevocations) Remove(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.objs, key)
	return nil
}

// authServer is a server with a fixed clock, a logger writing to logs and a revocation
// list in store. secret and org may be shared with other "replicas".
func authServer(t *testing.T, clk *testClock, store auth.RevocationStore, org *orgconfig.Org, logs *bytes.Buffer) (*Server, http.Handler) {
	t.Helper()
	tokens, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	if logs == nil {
		logs = &bytes.Buffer{}
	}
	s := &Server{Org: org, Tokens: tokens, Now: clk.now,
		Log:         slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, nil)),
		Revocations: &auth.Revocations{Store: store}}
	return s, s.Handler()
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

var cheapHash = sync.OnceValue(func() string {
	h, _ := bcrypt.GenerateFromPassword([]byte(orgconfig.DemoPassword), bcrypt.MinCost)
	return string(h)
})

// demoOrg is the demo organisation with cheap bcrypt hashes of the same password: these
// tests sign in many times, and the real cost is for real passwords.
func demoOrg(t *testing.T) *orgconfig.Org {
	t.Helper()
	org, err := orgconfig.Demo()
	if err != nil {
		t.Fatal(err)
	}
	for i := range org.People {
		org.People[i].PasswordHash = cheapHash()
	}
	return org
}

func loginFrom(h http.Handler, addr, user, password string, headers ...string) *httptest.ResponseRecorder {
	b, _ := json.Marshal(loginRequest{Username: user, Password: password})
	req := httptest.NewRequest("POST", "/api/v1/login", bytes.NewReader(b))
	req.RemoteAddr = addr
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func tokenOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var out struct{ Token string }
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil || out.Token == "" {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	return out.Token
}

// retryAfter checks a 429: code, Vietnamese message, Retry-After header equal to the
// body's retry_after, and returns it.
func retryAfter(t *testing.T, rec *httptest.ResponseRecorder) int {
	t.Helper()
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429: %s", rec.Code, rec.Body)
	}
	e := errorOf(t, rec)
	if e.Code != award.CodeTooManyRequests || !strings.Contains(e.VI, "thử lại") {
		t.Fatalf("429 body: %+v", e)
	}
	h, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	if err != nil || h <= 0 || h != e.RetryAfter {
		t.Fatalf("Retry-After %q, body retry_after %d", rec.Header().Get("Retry-After"), e.RetryAfter)
	}
	return h
}

// TestLoginThrottle: wrong passwords from one address are answered 429 with a growing
// Retry-After; a refused attempt is not even checked (the right password is refused too
// while blocked); the owner from another address gets in at once; after the wait, the
// right password gets in and starts the count afresh. Every attempt is logged without
// the password.
func TestLoginThrottle(t *testing.T) {
	clk := &testClock{t: time.Unix(1_800_000_000, 0)}
	var logs bytes.Buffer
	_, h := authServer(t, clk, &memRevocations{}, demoOrg(t), &logs)
	const attacker, owner = "203.0.113.66:5555", "198.51.100.20:443"
	const wrong = "sai-mat-khau-bi-mat-123"

	free := auth.DefaultThrottleConfig.Pair.Free
	for i := 0; i <= free; i++ {
		if rec := loginFrom(h, attacker, "hongdao", wrong); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	prev := 0
	for i := 0; i < 8; i++ {
		ra := retryAfter(t, loginFrom(h, attacker, "hongdao", wrong))
		if ra <= prev {
			t.Fatalf("step %d: Retry-After %d did not grow from %d", i, ra, prev)
		}
		// While blocked, even the right password is refused from this address.
		retryAfter(t, loginFrom(h, attacker, "hongdao", orgconfig.DemoPassword))
		// The owner, elsewhere, is not locked out.
		if i == 4 {
			tokenOf(t, loginFrom(h, owner, "hongdao", orgconfig.DemoPassword))
		}
		clk.advance(time.Duration(ra) * time.Second)
		if rec := loginFrom(h, attacker, "hongdao", wrong); rec.Code != http.StatusUnauthorized {
			t.Fatalf("after waiting %ds: %d %s", ra, rec.Code, rec.Body)
		}
		prev = ra
	}
	// Unknown accounts are throttled alike (no hint which accounts exist).
	for i := 0; i <= free; i++ {
		loginFrom(h, attacker, "khongtontai", wrong)
	}
	retryAfter(t, loginFrom(h, attacker, "khongtontai", wrong))

	// Wait out the block, sign in: the count starts afresh.
	clk.advance(auth.DefaultThrottleConfig.Pair.Max)
	tokenOf(t, loginFrom(h, attacker, "hongdao", orgconfig.DemoPassword))
	for i := 0; i < free; i++ {
		if rec := loginFrom(h, attacker, "hongdao", wrong); rec.Code != http.StatusUnauthorized {
			t.Fatalf("after a success, failure %d: %d", i+1, rec.Code)
		}
	}

	out := logs.String()
	if strings.Contains(out, wrong) || strings.Contains(out, orgconfig.DemoPassword) {
		t.Fatal("a password reached the log")
	}
	for _, want := range []string{"user=hongdao", "addr=203.0.113.66", "outcome=bad_credentials", "outcome=throttled", "outcome=ok", "addr=198.51.100.20"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

// TestLoginForwardedFor: X-Forwarded-For is believed only from a configured proxy, so a
// client cannot dodge its address's count by inventing addresses.
func TestLoginForwardedFor(t *testing.T) {
	clk := &testClock{t: time.Unix(1_800_000_000, 0)}
	free := auth.DefaultThrottleConfig.Pair.Free

	s, h := authServer(t, clk, &memRevocations{}, demoOrg(t), nil)
	_ = s
	for i := 0; i <= free; i++ {
		loginFrom(h, "203.0.113.1:1", "hongdao", "x", "X-Forwarded-For", "10.0.0."+strconv.Itoa(i))
	}
	retryAfter(t, loginFrom(h, "203.0.113.1:1", "hongdao", "x", "X-Forwarded-For", "10.9.9.9"))

	proxies, _ := auth.ParseProxies("10.0.0.1")
	tokens, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	s2 := &Server{Org: demoOrg(t), Tokens: tokens, Now: clk.now, Proxies: proxies, Log: slog.New(slog.DiscardHandler)}
	h2 := s2.Handler()
	for i := 0; i <= free; i++ {
		loginFrom(h2, "10.0.0.1:1", "hongdao", "x", "X-Forwarded-For", "198.51.100.7")
	}
	retryAfter(t, loginFrom(h2, "10.0.0.1:1", "hongdao", "x", "X-Forwarded-For", "198.51.100.7"))
	// Another client behind the same proxy is a different address.
	tokenOf(t, loginFrom(h2, "10.0.0.1:1", "hongdao", orgconfig.DemoPassword, "X-Forwarded-For", "198.51.100.8"))
}

// pathParams fills the {placeholders} of a route with well-formed ids.
var pathParams = regexp.MustCompile(`\{[a-z]+\}`)

func concretePath(p string) string {
	return pathParams.ReplaceAllStringFunc(p, func(m string) string {
		switch m {
		case "{id}":
			switch {
			case strings.HasPrefix(p, "/api/v1/sessions"):
				return "session-0123456789abcdef"
			case strings.HasPrefix(p, "/api/v1/decisions"):
				return "decision-0123456789abcdef"
			}
			return "proposal-0123456789abcdef"
		case "{sha}":
			return strings.Repeat("ab", 32)
		}
		return "x"
	})
}

// TestLogoutRevokesEverywhere: after logout the token is refused on every route that
// needs a sign-in, by this server, by a replica sharing the store, and by a restarted
// server; the user's other tokens and other users are unaffected.
func TestLogoutRevokesEverywhere(t *testing.T) {
	clk := &testClock{t: time.Unix(1_800_000_000, 0)}
	store := &memRevocations{}
	org := demoOrg(t)
	s, h := authServer(t, clk, store, org, nil)
	_, replica := authServer(t, clk, store, org, nil)

	tok := tokenOf(t, loginFrom(h, "192.0.2.1:1", "hongdao", orgconfig.DemoPassword))
	second := tokenOf(t, loginFrom(h, "192.0.2.2:1", "hongdao", orgconfig.DemoPassword))
	other := tokenOf(t, loginFrom(h, "192.0.2.1:1", "tptt", orgconfig.DemoPassword))
	// The replica has seen the token (its "not revoked" answer is cached).
	if rec := call(replica, "GET", "/api/v1/me", tok, ""); rec.Code != 200 {
		t.Fatalf("replica before logout: %d", rec.Code)
	}
	if rec := call(h, "POST", "/api/v1/logout", tok, ""); rec.Code != http.StatusNoContent {
		t.Fatalf("logout: %d %s", rec.Code, rec.Body)
	}
	authed := 0
	for _, rt := range s.routes() {
		path := concretePath(rt.path)
		if rec := call(h, rt.method, path, "", "{}"); rec.Code != http.StatusUnauthorized || errorOf(t, rec).Code != award.CodeUnauthenticated {
			continue // a public route
		}
		authed++
		rec := call(h, rt.method, path, tok, "{}")
		if rec.Code != http.StatusUnauthorized || errorOf(t, rec).Code != award.CodeUnauthenticated {
			t.Errorf("%s %s with a revoked token: %d %s", rt.method, path, rec.Code, rec.Body)
		}
	}
	if authed < 20 {
		t.Fatalf("only %d routes need a sign-in?", authed)
	}
	// The replica learns within the negative-cache time, never later.
	clk.advance(auth.DefaultNegativeTTL)
	if rec := call(replica, "GET", "/api/v1/me", tok, ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("replica after logout: %d", rec.Code)
	}
	// A restarted server (fresh cache, same store) refuses it.
	_, restarted := authServer(t, clk, store, org, nil)
	if rec := call(restarted, "GET", "/api/v1/me", tok, ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("restarted server: %d", rec.Code)
	}
	// Logging out again with the revoked token: 401, nothing else.
	if rec := call(h, "POST", "/api/v1/logout", tok, ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("second logout: %d", rec.Code)
	}
	for name, tk := range map[string]string{"the user's other token": second, "another user": other} {
		if rec := call(replica, "GET", "/api/v1/me", tk, ""); rec.Code != 200 {
			t.Errorf("%s: %d", name, rec.Code)
		}
	}
	// Without a token, logout is 401 too.
	if rec := call(h, "POST", "/api/v1/logout", "", ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("anonymous logout: %d", rec.Code)
	}
}

// TestLogoutOnMinIO: the same across two servers on a real S3 (MinIO), with the real
// clock: the replica refuses the token within NegativeTTL.
func TestLogoutOnMinIO(t *testing.T) {
	m := testenv.MinIO(t)
	ctx := context.Background()
	newStore := func() *blobstore.Store {
		st, err := blobstore.New(ctx, blobstore.Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, Bucket: "awardflow-logout", Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	org := demoOrg(t)
	mk := func() http.Handler {
		tokens, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
		s := &Server{Org: org, Tokens: tokens, Log: slog.New(slog.DiscardHandler),
			Revocations: &auth.Revocations{Store: newStore(), NegativeTTL: 200 * time.Millisecond}}
		return s.Handler()
	}
	a, b := mk(), mk()
	tok := tokenOf(t, loginFrom(a, "192.0.2.1:1", "hongdao", orgconfig.DemoPassword))
	if rec := call(b, "GET", "/api/v1/me", tok, ""); rec.Code != 200 {
		t.Fatalf("replica before logout: %d %s", rec.Code, rec.Body)
	}
	if rec := call(a, "POST", "/api/v1/logout", tok, ""); rec.Code != http.StatusNoContent {
		t.Fatalf("logout: %d %s", rec.Code, rec.Body)
	}
	if rec := call(a, "GET", "/api/v1/me", tok, ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("same server after logout: %d", rec.Code)
	}
	deadline := time.Now().Add(200*time.Millisecond + 5*time.Second)
	for {
		rec := call(b, "GET", "/api/v1/me", tok, "")
		if rec.Code == http.StatusUnauthorized {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica still accepts the token: %d", rec.Code)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if rec := call(mk(), "GET", "/api/v1/me", tok, ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("restarted server accepts the revoked token: %d", rec.Code)
	}
}

// TestPasswordChangeEndsTokens: a new hash in the organisation config (the way passwords
// change: `awardflow hash-password`, edit the YAML, restart) ends the tokens issued
// under the old one, for that person only.
func TestPasswordChangeEndsTokens(t *testing.T) {
	clk := &testClock{t: time.Unix(1_800_000_000, 0)}
	org := demoOrg(t)
	_, h := authServer(t, clk, &memRevocations{}, org, nil)
	tok := tokenOf(t, loginFrom(h, "192.0.2.1:1", "hongdao", orgconfig.DemoPassword))
	other := tokenOf(t, loginFrom(h, "192.0.2.1:1", "tptt", orgconfig.DemoPassword))

	hash, err := bcrypt.GenerateFromPassword([]byte("mat-khau-moi-2026"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	changed := demoOrg(t)
	for i := range changed.People {
		if changed.People[i].ID == "hongdao" {
			changed.People[i].PasswordHash = string(hash)
		}
	}
	_, h2 := authServer(t, clk, &memRevocations{}, changed, nil) // restarted with the new config
	if rec := call(h2, "GET", "/api/v1/me", tok, ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("token from before the password change: %d", rec.Code)
	}
	if rec := call(h2, "GET", "/api/v1/me", other, ""); rec.Code != 200 {
		t.Fatalf("someone else's token: %d", rec.Code)
	}
	if rec := loginFrom(h2, "192.0.2.1:1", "hongdao", orgconfig.DemoPassword); rec.Code != http.StatusUnauthorized {
		t.Fatalf("old password: %d", rec.Code)
	}
	fresh := tokenOf(t, loginFrom(h2, "192.0.2.1:1", "hongdao", "mat-khau-moi-2026"))
	if rec := call(h2, "GET", "/api/v1/me", fresh, ""); rec.Code != 200 {
		t.Fatalf("new token: %d", rec.Code)
	}
}
