// Package auth signs in people against bcrypt hashes and issues stateless bearer tokens
// (HMAC-SHA256), so any number of server replicas sharing the secret can verify them.
package auth

import (
	"crypto/hmac"
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
type Tokens struct {
	secret []byte
	TTL    time.Duration
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
}

// Issue returns a token for the person and its expiry.
func (t *Tokens) Issue(personID string, now time.Time) (string, time.Time) {
	exp := now.Add(t.TTL).Truncate(time.Second)
	body, _ := json.Marshal(claims{Sub: personID, Exp: exp.Unix()})
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + t.sign(payload), exp
}

func (t *Tokens) sign(payload string) string {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Verify returns the person id of a valid, unexpired token.
func (t *Tokens) Verify(token string, now time.Time) (string, error) {
	payload, sig, ok := strings.Cut(token, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(t.sign(payload))) {
		return "", ErrInvalidToken
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return "", ErrInvalidToken
	}
	var c claims
	if err := json.Unmarshal(body, &c); err != nil || c.Sub == "" {
		return "", ErrInvalidToken
	}
	if now.Unix() >= c.Exp {
		return "", ErrInvalidToken
	}
	return c.Sub, nil
}
