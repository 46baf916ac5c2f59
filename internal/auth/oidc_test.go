package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// rogueProvider is an OpenID Provider whose ID tokens a test shapes at will: another
// audience, another issuer, a wrong nonce, another signing key. It checks PKCE (S256)
// like a real one.
type rogueProvider struct {
	t   *testing.T
	srv *httptest.Server
	key *rsa.PrivateKey

	mu        sync.Mutex
	challenge string                 // the code_challenge of the last authorization
	nonce     string                 // the nonce of the last authorization
	claims    func(c map[string]any) // edits the ID token's claims
	signWith  *rsa.PrivateKey        // nil: the published key
	status    int                    // the token endpoint's status (0: 200)
	userinfo  map[string]any
}

func newRogue(t *testing.T) *rogueProvider {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	p := &rogueProvider{t: t, key: key}
	mux := http.NewServeMux()
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	iss := p.srv.URL
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": iss, "authorization_endpoint": iss + "/authorize",
			"token_endpoint": iss + "/token", "jwks_uri": iss + "/keys", "userinfo_endpoint": iss + "/userinfo",
			"id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /userinfo", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		_ = json.NewEncoder(w).Encode(p.userinfo)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		_ = r.ParseForm()
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		w.Header().Set("Content-Type", "application/json")
		if p.status != 0 {
			w.WriteHeader(p.status)
			_, _ = w.Write([]byte(`{"error":"server_error"}`))
			return
		}
		if r.PostForm.Get("code") != "good-code" || base64.RawURLEncoding.EncodeToString(sum[:]) != p.challenge {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
			return
		}
		now := time.Now()
		c := map[string]any{"iss": iss, "aud": "awardflow", "sub": "s-1", "exp": now.Add(5 * time.Minute).Unix(),
			"iat": now.Unix(), "nonce": p.nonce, "preferred_username": "tptt", "email": "tam@example.gov.vn", "email_verified": true}
		if p.claims != nil {
			p.claims(c)
		}
		k := p.key
		if p.signWith != nil {
			k = p.signWith
		}
		signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: k}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
		body, _ := json.Marshal(c)
		obj, _ := signer.Sign(body)
		idt, _ := obj.CompactSerialize()
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": idt})
	})
	return p
}

// start runs Start and records what the provider would have been asked.
func (p *rogueProvider) start(t *testing.T, o *OIDC) Flow {
	t.Helper()
	u, f, err := o.Start(context.Background(), "/next")
	if err != nil {
		t.Fatal(err)
	}
	q := mustParse(u).Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("state") != f.State || q.Get("nonce") != f.Nonce || q.Get("client_id") != "awardflow" {
		t.Fatalf("authorization URL %s", u)
	}
	p.mu.Lock()
	p.challenge, p.nonce = q.Get("code_challenge"), q.Get("nonce")
	p.mu.Unlock()
	return f
}

func (p *rogueProvider) set(fn func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.claims, p.signWith, p.status, p.userinfo = nil, nil, 0, nil
	fn()
}

func TestOIDCFinishRefusesBadTokens(t *testing.T) {
	p := newRogue(t)
	o, err := NewOIDC(OIDCConfig{Issuer: p.srv.URL, ClientID: "awardflow", ClientSecret: "s", RedirectURL: "http://127.0.0.1:1/auth/oidc/callback"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	cases := []struct {
		name  string
		setup func()
		code  string
		edit  func(*Flow)
		want  error
		claim string
	}{
		{name: "ok", setup: func() {}, claim: "tptt"},
		{name: "another audience", setup: func() { p.claims = func(c map[string]any) { c["aud"] = "another-app" } }, want: ErrBadIDToken},
		{name: "another issuer", setup: func() { p.claims = func(c map[string]any) { c["iss"] = "https://evil.example" } }, want: ErrBadIDToken},
		{name: "expired", setup: func() { p.claims = func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() } }, want: ErrBadIDToken},
		{name: "signed by another key", setup: func() { p.signWith = other }, want: ErrBadIDToken},
		{name: "wrong nonce", setup: func() { p.claims = func(c map[string]any) { c["nonce"] = "other" } }, want: ErrBadNonce},
		{name: "no nonce", setup: func() { p.claims = func(c map[string]any) { delete(c, "nonce") } }, want: ErrBadNonce},
		{name: "wrong PKCE verifier", setup: func() {}, edit: func(f *Flow) { f.Verifier += "x" }, want: ErrCodeRefused},
		{name: "used code", setup: func() {}, code: "used-code", want: ErrCodeRefused},
		{name: "provider error", setup: func() { p.status = http.StatusBadGateway }, want: ErrProviderDown},
		{name: "claim from userinfo", setup: func() {
			p.claims = func(c map[string]any) { delete(c, "preferred_username") }
			p.userinfo = map[string]any{"sub": "s-1", "preferred_username": "chanhvp"}
		}, claim: "chanhvp"},
		{name: "userinfo of another subject", setup: func() {
			p.claims = func(c map[string]any) { delete(c, "preferred_username") }
			p.userinfo = map[string]any{"sub": "s-2", "preferred_username": "truongban"}
		}, want: ErrBadIDToken},
		{name: "no claim anywhere", setup: func() {
			p.claims = func(c map[string]any) { delete(c, "preferred_username") }
			p.userinfo = map[string]any{"sub": "s-1"}
		}, want: ErrNoClaim},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p.set(c.setup)
			f := p.start(t, o)
			if c.edit != nil {
				c.edit(&f)
			}
			code := c.code
			if code == "" {
				code = "good-code"
			}
			got, err := o.Finish(context.Background(), f, code)
			if c.want == nil {
				if err != nil || got != c.claim {
					t.Errorf("got %q, %v; want %q", got, err, c.claim)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Errorf("got %q, %v; want %v", got, err, c.want)
			}
		})
	}
	// Matching by email: an address the provider has not verified names nobody.
	byEmail, _ := NewOIDC(OIDCConfig{Issuer: p.srv.URL, ClientID: "awardflow", RedirectURL: "http://127.0.0.1:1/auth/oidc/callback", Claim: "email"})
	p.set(func() { p.claims = func(c map[string]any) { c["email_verified"] = false } })
	if _, err := byEmail.Finish(context.Background(), p.start(t, byEmail), "good-code"); !errors.Is(err, ErrNoClaim) {
		t.Errorf("unverified email: %v", err)
	}
	p.set(func() {})
	if got, err := byEmail.Finish(context.Background(), p.start(t, byEmail), "good-code"); err != nil || got != "tam@example.gov.vn" {
		t.Errorf("verified email: %q %v", got, err)
	}
}

func TestOIDCProviderDownAtStart(t *testing.T) {
	p := newRogue(t)
	o, _ := NewOIDC(OIDCConfig{Issuer: p.srv.URL, ClientID: "awardflow", RedirectURL: "http://127.0.0.1:1/auth/oidc/callback"})
	p.srv.Close()
	if _, _, err := o.Start(context.Background(), "/"); !errors.Is(err, ErrProviderDown) {
		t.Errorf("Start with the provider down: %v", err)
	}
}

func TestNewOIDCChecksConfig(t *testing.T) {
	good := OIDCConfig{Issuer: "https://sso.example.gov.vn/realms/a", ClientID: "awardflow", RedirectURL: "https://thidua.example.gov.vn/auth/oidc/callback"}
	o, err := NewOIDC(good)
	if err != nil || o.Claim() != DefaultOIDCClaim || !o.Secure() || o.cfg.Scopes[0] != "openid" {
		t.Fatalf("%v %+v", err, o)
	}
	for name, edit := range map[string]func(*OIDCConfig){
		"no client id":        func(c *OIDCConfig) { c.ClientID = "" },
		"plain http issuer":   func(c *OIDCConfig) { c.Issuer = "http://sso.example.gov.vn" },
		"relative redirect":   func(c *OIDCConfig) { c.RedirectURL = "/auth/oidc/callback" },
		"redirect elsewhere":  func(c *OIDCConfig) { c.RedirectURL = "https://thidua.example.gov.vn/callback" },
		"plain http redirect": func(c *OIDCConfig) { c.RedirectURL = "http://thidua.example.gov.vn/auth/oidc/callback" },
		"issuer not a URL":    func(c *OIDCConfig) { c.Issuer = "sso" },
	} {
		c := good
		edit(&c)
		if _, err := NewOIDC(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	loop := good
	loop.Issuer, loop.RedirectURL = "http://127.0.0.1:5556", "http://localhost:8080/auth/oidc/callback"
	if o, err := NewOIDC(loop); err != nil || o.Secure() {
		t.Errorf("loopback http: %v", err)
	}
}
