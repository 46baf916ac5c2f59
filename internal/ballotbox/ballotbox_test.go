package ballotbox

import (
	"bytes"
	"strings"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
)

func TestSealOpen(t *testing.T) {
	if _, err := New([]byte("short")); err == nil {
		t.Fatal("short key accepted")
	}
	key := bytes.Repeat([]byte{7}, KeySize)
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	marks := map[string]award.Choice{"proposal-1": award.Yes, "proposal-2": award.No}
	s1, err := b.Seal("session-a", marks)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := b.Seal("session-a", marks)
	if s1 == s2 {
		t.Fatal("two seals of the same ballot are equal: identical ballots would be recognisable")
	}
	if strings.Contains(s1, "yes") || strings.Contains(s1, "proposal") {
		t.Fatalf("sealed ballot shows its content: %s", s1)
	}
	got, err := b.Open("session-a", s1)
	if err != nil || got["proposal-1"] != award.Yes || got["proposal-2"] != award.No {
		t.Fatalf("open: %v %v", got, err)
	}
	if _, err := b.Open("session-b", s1); err != ErrTampered {
		t.Fatalf("ballot moved to another session opened: %v", err)
	}
	other, _ := New(bytes.Repeat([]byte{8}, KeySize))
	if _, err := other.Open("session-a", s1); err != ErrTampered {
		t.Fatalf("wrong key opened: %v", err)
	}
	flipped := []byte(s1)
	flipped[len(flipped)/2] ^= 1
	for _, bad := range []string{string(flipped), "", "!!!", s1[:10]} {
		if _, err := b.Open("session-a", bad); err == nil {
			t.Fatalf("altered ballot %q opened", bad)
		}
	}
}
