package ballotbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/awardflow/awardflow/internal/award"
)

// macKey derives the key of ballot fingerprints from the ballot key, so that one secret
// serves both and a fingerprint is worthless without it.
func macKey(key []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("awardflow ballot fingerprint v1"))
	return m.Sum(nil)
}

// Fingerprint is a keyed digest of one member's ballot in one session. It identifies a
// repeated ballot request (same marks, same fingerprint) for idempotency, and travels in
// the update id — so it must not reveal the marks: with a plain hash, anyone reading the
// history could try the few possible ballots. Keyed, it reveals nothing without the key.
func (b *Box) Fingerprint(sessionID, voterID string, marks map[string]award.Choice) (string, error) {
	plain, err := json.Marshal(marks) // map keys are sorted: a canonical encoding
	if err != nil {
		return "", fmt.Errorf("fingerprint ballot: %w", err)
	}
	m := hmac.New(sha256.New, b.mac)
	for _, p := range [][]byte{[]byte(sessionID), []byte(voterID), plain} {
		fmt.Fprintf(m, "%d:", len(p))
		m.Write(p)
	}
	return hex.EncodeToString(m.Sum(nil)), nil
}
