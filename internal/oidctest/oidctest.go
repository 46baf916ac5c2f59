// Package oidctest runs a real OpenID Provider on 127.0.0.1 for tests: zitadel's op
// package with its example storage and sign-in page (github.com/zitadel/oidc/v3), with
// the users and clients a test gives, and a switch that makes it put a wrong nonce in
// its ID tokens.
package oidctest

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// User is a person known to the provider. Their sign-in name is Username, which the ID
// token (or userinfo) carries as preferred_username.
type User struct {
	Username, Password string
	Email              string
	EmailVerified      bool
}

// Provider is a running OpenID Provider.
type Provider struct {
	// Issuer is its issuer URL (http://127.0.0.1:port).
	Issuer string
	// WrongNonce, when set, makes the provider issue ID tokens whose nonce is not the
	// one the client asked for (a replayed or substituted token).
	WrongNonce atomic.Bool

	srv     *httptest.Server
	mu      sync.Mutex
	clients map[string]*client
}

type client struct {
	secret string
	c      *storage.Client
}

// Start runs a provider until the test ends.
func Start(t testing.TB, users ...User) *Provider {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	p := &Provider{Issuer: "http://" + srv.Listener.Addr().String(), srv: srv, clients: map[string]*client{}}
	us := userStore{byID: map[string]*storage.User{}, byName: map[string]*storage.User{}}
	for i, u := range users {
		su := &storage.User{ID: fmt.Sprintf("sub-%d", i+1), Username: u.Username, Password: u.Password,
			FirstName: u.Username, LastName: "Test", Email: u.Email, EmailVerified: u.EmailVerified,
			PreferredLanguage: language.Vietnamese}
		us.byID[su.ID] = su
		us.byName[su.Username] = su
	}
	st := &opStorage{Storage: storage.NewStorageWithClients(us, map[string]*storage.Client{}), p: p}
	srv.Config.Handler = exampleop.SetupServer(p.Issuer, st, nil, false)
	srv.Start()
	t.Cleanup(srv.Close)
	return p
}

// AddClient registers a confidential web client (client_secret_basic, PKCE allowed)
// with its exact redirect URIs.
func (p *Provider) AddClient(id, secret string, redirectURIs ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clients[id] = &client{secret: secret, c: storage.WebClient(id, secret, redirectURIs...)}
}

// Stop shuts the provider down (the provider is "down" from then on).
func (p *Provider) Stop() {
	p.srv.CloseClientConnections()
	p.srv.Close()
}

// opStorage is the example storage with the test's clients and the nonce switch.
type opStorage struct {
	*storage.Storage
	p *Provider
}

func (s *opStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	s.p.mu.Lock()
	c := s.p.clients[id]
	s.p.mu.Unlock()
	if c == nil {
		return nil, errors.New("client not found")
	}
	return storage.RedirectGlobsClient(c.c), nil
}

func (s *opStorage) AuthorizeClientIDSecret(ctx context.Context, id, secret string) error {
	s.p.mu.Lock()
	c := s.p.clients[id]
	s.p.mu.Unlock()
	if c == nil || c.secret != secret {
		return errors.New("invalid client")
	}
	return nil
}

func (s *opStorage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	ar, err := s.Storage.AuthRequestByCode(ctx, code)
	if err != nil || !s.p.WrongNonce.Load() {
		return ar, err
	}
	return wrongNonce{ar}, nil
}

type wrongNonce struct{ op.AuthRequest }

func (wrongNonce) GetNonce() string { return "a-nonce-of-another-sign-in" }

type userStore struct {
	byID, byName map[string]*storage.User
}

func (u userStore) GetUserByID(id string) *storage.User         { return u.byID[id] }
func (u userStore) GetUserByUsername(name string) *storage.User { return u.byName[name] }
func (u userStore) ExampleClientID() string                     { return "service" }
