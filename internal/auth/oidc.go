package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Single sign-on with OpenID Connect: the authorization code flow with PKCE (S256), a
// state and a nonce. go-oidc reads the provider's discovery document and verifies the ID
// token (signature against the provider's keys, issuer, audience, expiry); x/oauth2
// exchanges the code. The person is then matched to awardflow's directory by one claim
// of the ID token (internal/httpapi): the provider only says who someone is, never what
// they may do (roles stay awardflow's; the provider's groups are ignored).

// Errors of the flow, each refused with its own message by the API.
var (
	// ErrProviderDown: the provider could not be reached or answered a server error
	// (discovery, keys or the code exchange).
	ErrProviderDown = errors.New("oidc: provider unavailable")
	// ErrCodeRefused: the provider refused the code (used already, expired, or issued
	// to another client or with another PKCE verifier).
	ErrCodeRefused = errors.New("oidc: authorization code refused")
	// ErrBadIDToken: the ID token is missing, forged, expired, or for another issuer
	// or audience.
	ErrBadIDToken = errors.New("oidc: ID token invalid")
	// ErrBadNonce: the ID token does not carry this flow's nonce (a replayed token).
	ErrBadNonce = errors.New("oidc: nonce mismatch")
	// ErrNoClaim: the ID token lacks the matching claim (or an email claim is not verified).
	ErrNoClaim = errors.New("oidc: matching claim missing")
)

// DefaultOIDCClaim is the ID token claim matched against the person ids (user names) of
// the directory when none is configured.
const DefaultOIDCClaim = "preferred_username"

// OIDCConfig configures the relying party.
type OIDCConfig struct {
	Issuer       string // the provider's issuer URL (its discovery document is below it)
	ClientID     string
	ClientSecret string // empty: a public client (PKCE only)
	RedirectURL  string // awardflow's /auth/oidc/callback as the provider knows it
	Claim        string // the ID token claim matched to the person id; default DefaultOIDCClaim
	Scopes       []string
	// HTTPClient talks to the provider; nil: a client with a 10 s timeout.
	HTTPClient *http.Client
}

// OIDC is the relying party. Discovery happens at the first sign-in and is retried at
// every sign-in until it succeeds, so awardflow starts while the provider is down.
type OIDC struct {
	cfg OIDCConfig

	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
}

// NewOIDC checks the configuration.
func NewOIDC(cfg OIDCConfig) (*OIDC, error) {
	if cfg.Claim == "" {
		cfg.Claim = DefaultOIDCClaim
	}
	if cfg.ClientID == "" {
		return nil, errors.New("oidc: client id missing")
	}
	if err := checkURL(cfg.Issuer); err != nil {
		return nil, fmt.Errorf("oidc issuer: %w", err)
	}
	if err := checkURL(cfg.RedirectURL); err != nil {
		return nil, fmt.Errorf("oidc redirect url: %w", err)
	}
	if !strings.HasSuffix(strings.TrimRight(mustParse(cfg.RedirectURL).Path, "/"), "/auth/oidc/callback") {
		return nil, fmt.Errorf("oidc redirect url %q must end in /auth/oidc/callback", cfg.RedirectURL)
	}
	if !slices.Contains(cfg.Scopes, oidc.ScopeOpenID) {
		cfg.Scopes = append([]string{oidc.ScopeOpenID}, cfg.Scopes...)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return &OIDC{cfg: cfg}, nil
}

func mustParse(s string) *url.URL {
	u, _ := url.Parse(s)
	return u
}

// checkURL accepts https, and plain http only to the loopback (a test provider).
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", s)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
	}
	return fmt.Errorf("%q must use https (http only on the loopback)", s)
}

// Claim is the ID token claim matched to the directory.
func (o *OIDC) Claim() string { return o.cfg.Claim }

// Secure reports whether awardflow's callback is served over https (the flow cookie is
// then Secure).
func (o *OIDC) Secure() bool { return mustParse(o.cfg.RedirectURL).Scheme == "https" }

func (o *OIDC) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, o.cfg.HTTPClient)
}

func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, *oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, o.verifier, nil
	}
	p, err := oidc.NewProvider(o.ctx(ctx), o.cfg.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: discovery: %w", ErrProviderDown, err)
	}
	o.provider = p
	o.verifier = p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID})
	return o.provider, o.verifier, nil
}

func (o *OIDC) oauth2(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: o.cfg.Scopes}
}

// Flow is what one sign-in keeps between the start and the callback (sealed in a
// cookie): the state, the nonce, the PKCE verifier and the page to return to.
type Flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
}

func randomText() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Start begins a sign-in: the provider's authorization URL and the flow to keep.
func (o *OIDC) Start(ctx context.Context, next string) (string, Flow, error) {
	p, _, err := o.discover(ctx)
	if err != nil {
		return "", Flow{}, err
	}
	f := Flow{State: randomText(), Nonce: randomText(), Verifier: oauth2.GenerateVerifier(), Next: next}
	u := o.oauth2(p).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return u, f, nil
}

// Finish exchanges the code with the flow's verifier, verifies the ID token and its
// nonce, and returns the value of the matching claim. The caller has checked the state.
func (o *OIDC) Finish(ctx context.Context, f Flow, code string) (string, error) {
	p, verifier, err := o.discover(ctx)
	if err != nil {
		return "", err
	}
	tok, err := o.oauth2(p).Exchange(o.ctx(ctx), code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500 {
			return "", fmt.Errorf("%w: %s", ErrCodeRefused, re.ErrorCode)
		}
		return "", fmt.Errorf("%w: code exchange: %w", ErrProviderDown, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return "", fmt.Errorf("%w: no id_token in the token response", ErrBadIDToken)
	}
	idt, err := verifier.Verify(o.ctx(ctx), raw)
	if err != nil {
		// The keys could not be fetched: the provider is down, not the token bad.
		var ue *url.Error
		if errors.As(err, &ue) {
			return "", fmt.Errorf("%w: keys: %w", ErrProviderDown, err)
		}
		return "", fmt.Errorf("%w: %w", ErrBadIDToken, err)
	}
	if idt.Nonce == "" || idt.Nonce != f.Nonce {
		return "", ErrBadNonce
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return "", fmt.Errorf("%w: claims: %w", ErrBadIDToken, err)
	}
	if v, _ := claims[o.cfg.Claim].(string); strings.TrimSpace(v) == "" {
		// Many providers keep profile claims for the userinfo endpoint: ask it, and take
		// its answer only for the subject of the verified ID token.
		ui, err := p.UserInfo(o.ctx(ctx), oauth2.StaticTokenSource(tok))
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				return "", fmt.Errorf("%w: userinfo: %w", ErrProviderDown, err)
			}
			return "", fmt.Errorf("%w: userinfo: %w", ErrNoClaim, err)
		}
		if ui.Subject != idt.Subject {
			return "", fmt.Errorf("%w: userinfo is about another subject", ErrBadIDToken)
		}
		var more map[string]any
		if err := ui.Claims(&more); err != nil {
			return "", fmt.Errorf("%w: userinfo claims: %w", ErrNoClaim, err)
		}
		claims = more
	}
	v, _ := claims[o.cfg.Claim].(string)
	v = strings.TrimSpace(v)
	if v == "" {
		return "", ErrNoClaim
	}
	if o.cfg.Claim == "email" {
		// An address the provider has not verified names nobody.
		if ev, present := claims["email_verified"]; present && ev != true {
			return "", ErrNoClaim
		}
	}
	return v, nil
}

// OnceSet remembers values (a flow's state) until they expire, so that the second use
// of one is refused. In one process only: across replicas the provider's one-time code
// refuses the replay.
type OnceSet struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

// First records v until exp and reports whether it had not been recorded before.
func (s *OnceSet) First(v string, exp, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]time.Time{}
	}
	for k, e := range s.seen {
		if !now.Before(e) {
			delete(s.seen, k)
		}
	}
	if e, ok := s.seen[v]; ok && now.Before(e) {
		return false
	}
	s.seen[v] = exp
	return true
}
