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
	"bytes"
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

// padBlock rounds the padded plaintext up to a multiple of this many bytes.
const padBlock = 32

// Seal encrypts the marks for one session. The plaintext is padded before sealing so
// that the sealed ballot's length depends only on the agenda (the proposal ids marked),
// never on the choices: every mark is counted as wide as the widest choice, and the
// JSON is followed by spaces up to that width (JSON allows trailing whitespace, so
// ballots sealed before padding existed open the same way).
func (b *Box) Seal(sessionID string, marks map[string]award.Choice) (string, error) {
	for id, ch := range marks {
		if !ch.Valid() {
			return "", fmt.Errorf("seal ballot: choice %q for %s is not yes, no or abstain", ch, id)
		}
	}
	plain, err := json.Marshal(marks)
	if err != nil {
		return "", fmt.Errorf("seal ballot: %w", err)
	}
	widest := make(map[string]award.Choice, len(marks))
	for id := range marks {
		widest[id] = award.Abstain
	}
	full, err := json.Marshal(widest)
	if err != nil {
		return "", fmt.Errorf("seal ballot: %w", err)
	}
	size := (len(full) + padBlock - 1) / padBlock * padBlock
	if len(plain) > size { // cannot happen: no valid choice is wider than abstain
		return "", fmt.Errorf("seal ballot: marks wider than their padding")
	}
	plain = append(plain, bytes.Repeat([]byte{' '}, size-len(plain))...)
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
