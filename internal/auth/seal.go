package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrSealInvalid is returned for a sealed value that was forged, altered, sealed for
// another purpose or under another secret.
var ErrSealInvalid = errors.New("sealed value invalid")

// ErrSealExpired is returned for an authentic sealed value past its expiry.
var ErrSealExpired = errors.New("sealed value expired")

// Sealer encrypts and authenticates small values that travel through the browser (the
// single sign-on flow's cookie): AES-256-GCM under a key derived from the token secret
// and the purpose, so a value sealed for one purpose never opens for another, and the
// holder of the cookie can neither read nor change it.
type Sealer struct {
	aead    cipher.AEAD
	purpose []byte
}

// NewSealer derives the key of one purpose from the token secret.
func NewSealer(secret []byte, purpose string) (*Sealer, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("seal secret must have at least %d bytes, has %d", MinSecretLen, len(secret))
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("awardflow-seal\x00"))
	m.Write([]byte(purpose))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return &Sealer{aead: aead, purpose: []byte(purpose)}, nil
}

type sealed struct {
	Exp int64           `json:"exp"`
	V   json.RawMessage `json:"v"`
}

// Seal returns v (JSON-encoded), valid until exp, as unpadded base64url text (a cookie
// value).
func (s *Sealer) Seal(v any, exp time.Time) (string, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	plain, err := json.Marshal(sealed{Exp: exp.Unix(), V: body})
	if err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, s.purpose)), nil
}

// Open checks and decrypts a value of Seal into v: ErrSealInvalid for anything not
// sealed by this purpose's key, ErrSealExpired from its expiry on.
func (s *Sealer) Open(text string, now time.Time, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return ErrSealInvalid
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], s.purpose)
	if err != nil {
		return ErrSealInvalid
	}
	var env sealed
	if err := json.Unmarshal(plain, &env); err != nil {
		return ErrSealInvalid
	}
	if now.Unix() >= env.Exp {
		return ErrSealExpired
	}
	if err := json.Unmarshal(env.V, v); err != nil {
		return ErrSealInvalid
	}
	return nil
}
