// Package auth signs in people against bcrypt hashes, throttles failed sign-ins, and
// issues bearer tokens (HMAC-SHA256) that any number of server replicas sharing the
// secret can verify, and that logout revokes through a list in the shared object store.
package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// ErrBadCredentials is returned for an unknown user or a wrong password alike, so the
// answer does not reveal which accounts exist.
var ErrBadCredentials = errors.New("bad credentials")

// ErrInvalidToken is returned for a token that is malformed, forged or expired.
var ErrInvalidToken = errors.New("invalid or expired token")

// MinSecretLen is the shortest token secret accepted.
const MinSecretLen = 32

// dummyHash keeps the time of a login for an unknown user close to that of a known one.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such user"), bcrypt.DefaultCost)

// CheckPassword compares a password with a bcrypt hash; an empty hash means "no such user".
func CheckPassword(hash, password string) error {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return ErrBadCredentials
	}
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)); err != nil {
		return ErrBadCredentials
	}
	return nil
}

// HashPassword makes a bcrypt hash for the organisation config.
func HashPassword(password string) (string, error) {
	if len(password) < 8 {
		return "", errors.New("password must have at least 8 characters")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// Tokens issues and verifies bearer tokens.
//
// A token is base64url(JSON claims) "." base64url(HMAC-SHA256(secret, payload)). The
// claims carry the person, the expiry, a random token id (jti, which logout revokes) and
// a fingerprint of the password hash the token was issued under: a short HMAC of the
// bcrypt hash, keyed by the token secret, so it tells a reader of the token nothing about
// the password. Changing a person's password (a new hash in the organisation config)
// changes the fingerprint, and every token issued before stops verifying.
type Tokens struct {
	secret []byte
	TTL    time.Duration
	// PasswordHash returns a person's current password hash ("" for nobody). Tokens are
	// bound to it; nil binds every token to the empty hash (tests only).
	PasswordHash func(personID string) string
}

// NewTokens checks the secret's length.
func NewTokens(secret []byte, ttl time.Duration) (*Tokens, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("token secret must have at least %d bytes, has %d", MinSecretLen, len(secret))
	}
	return &Tokens{secret: secret, TTL: ttl}, nil
}

type claims struct {
	Sub string `json:"sub"`
	Exp int64  `json:"exp"`
	JTI string `json:"jti"`
	Pwd string `json:"pwd"`
}

// Claims are what a verified token says.
type Claims struct {
	Subject string    // the person id
	Expiry  time.Time // the token is refused from this instant on
	ID      string    // the token id (jti), unique per token
}

// jtiLen is the length of a token id: 16 random bytes in unpadded base64url.
const jtiLen = 22

// Issue returns a token for the person and its expiry, bound to t.PasswordHash.
func (t *Tokens) Issue(personID string, now time.Time) (string, time.Time) {
	return t.IssueWith(personID, t.hash(personID), now)
}

// IssueWith returns a token for the person and its expiry, bound to passwordHash (the
// hash the person signed in with, read from the directory of the request).
func (t *Tokens) IssueWith(personID, passwordHash string, now time.Time) (string, time.Time) {
	exp := now.Add(t.TTL).Truncate(time.Second)
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	body, _ := json.Marshal(claims{Sub: personID, Exp: exp.Unix(), JTI: base64.RawURLEncoding.EncodeToString(id), Pwd: t.fingerprint(passwordHash)})
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + t.sign(payload), exp
}

func (t *Tokens) sign(payload string) string {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (t *Tokens) hash(personID string) string {
	if t.PasswordHash == nil {
		return ""
	}
	return t.PasswordHash(personID)
}

// fingerprint is the first 96 bits of HMAC(secret, "password-hash\x00" + hash).
func (t *Tokens) fingerprint(hash string) string {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte("password-hash\x00"))
	m.Write([]byte(hash))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:12])
}

// Verify returns the person id of a valid, unexpired token.
func (t *Tokens) Verify(token string, now time.Time) (string, error) {
	c, err := t.Parse(token, now)
	return c.Subject, err
}

// Parse checks a token's signature, expiry and password fingerprint (against
// t.PasswordHash) and returns its claims. It does not know about revocation (see
// Revocations).
func (t *Tokens) Parse(token string, now time.Time) (Claims, error) {
	return t.ParseWith(token, now, t.hash)
}

// ParseWith is Parse with the person's current password hash from passwordHash (the
// directory of the request; "" for nobody).
func (t *Tokens) ParseWith(token string, now time.Time, passwordHash func(personID string) string) (Claims, error) {
	payload, sig, ok := strings.Cut(token, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(t.sign(payload))) {
		return Claims{}, ErrInvalidToken
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return Claims{}, ErrInvalidToken
	}
	var c claims
	if err := json.Unmarshal(body, &c); err != nil || c.Sub == "" || len(c.JTI) != jtiLen || c.Pwd == "" {
		return Claims{}, ErrInvalidToken
	}
	if now.Unix() >= c.Exp {
		return Claims{}, ErrInvalidToken
	}
	if !hmac.Equal([]byte(c.Pwd), []byte(t.fingerprint(passwordHash(c.Sub)))) {
		return Claims{}, ErrInvalidToken // the password changed since the token was issued
	}
	return Claims{Subject: c.Sub, Expiry: time.Unix(c.Exp, 0), ID: c.JTI}, nil
}

// Sealer returns a Sealer of the given purpose keyed by the token secret (every replica
// opens what another sealed).
func (t *Tokens) Sealer(purpose string) (*Sealer, error) {
	return NewSealer(t.secret, purpose)
}
