// Package ballotbox seals council ballots so that the record of a session keeps who voted
// and the counts, never who voted what.
//
// The HTTP server checks a ballot and seals its marks (AES-256-GCM, bound to the session
// id) before it reaches Temporal, so the workflow history holds "member X cast sealed
// ballot B" and nothing readable about the choices. When the chair closes the session,
// one activity opens every sealed ballot and returns only the totals. The key is a
// deployment secret held by the server and the worker (AWARDFLOW_BALLOT_KEY), like the
// signing key; whoever holds it together with the history could still link ballots to
// members, which is why it belongs with the other secrets and not in Temporal.
package ballotbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/awardflow/awardflow/internal/award"
)

// KeySize is the length of a ballot key in bytes.
const KeySize = 32

// Box seals and opens ballots with one key.
type Box struct {
	aead cipher.AEAD
	mac  []byte // key of ballot fingerprints (see Fingerprint)
}

// New checks the key and prepares the cipher.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("ballot key must be %d bytes, has %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("ballot key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("ballot key: %w", err)
	}
	return &Box{aead: aead, mac: macKey(key)}, nil
}

// Seal encrypts the marks for one session.
func (b *Box) Seal(sessionID string, marks map[string]award.Choice) (string, error) {
	plain, err := json.Marshal(marks)
	if err != nil {
		return "", fmt.Errorf("seal ballot: %w", err)
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal ballot: %w", err)
	}
	out := b.aead.Seal(nonce, nonce, plain, []byte(sessionID))
	return base64.RawStdEncoding.EncodeToString(out), nil
}

// ErrTampered is returned for a ballot that was not sealed with this key for this session.
var ErrTampered = errors.New("sealed ballot cannot be opened: wrong key, wrong session or altered")

// Open decrypts one sealed ballot of a session.
func (b *Box) Open(sessionID, sealed string) (map[string]award.Choice, error) {
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < b.aead.NonceSize() {
		return nil, ErrTampered
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(sessionID))
	if err != nil {
		return nil, ErrTampered
	}
	var marks map[string]award.Choice
	if err := json.Unmarshal(plain, &marks); err != nil {
		return nil, ErrTampered
	}
	return marks, nil
}
