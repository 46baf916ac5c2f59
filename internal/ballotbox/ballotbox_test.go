package ballotbox

import (
	"bytes"
	"fmt"
	"math/rand/v2"
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

// TestSealedLengthHidesChoices: a sealed ballot's length may depend on the agenda (the
// proposal ids it marks), never on the choices, or anyone reading the history learns
// the votes from the lengths. Random agendas of random sizes and id lengths, every
// ballot of one agenda with random choices: all the same length.
func TestSealedLengthHidesChoices(t *testing.T) {
	b, err := New(bytes.Repeat([]byte{9}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	choices := []award.Choice{award.Yes, award.No, award.Abstain}
	for round := range 200 {
		n := 1 + rng.IntN(12)
		agenda := make([]string, n)
		for i := range agenda {
			agenda[i] = fmt.Sprintf("proposal-%0*x", 1+rng.IntN(40), rng.Uint64())
		}
		want := -1
		// every choice once on every item, then random mixes
		for trial := range 3 + 40 {
			marks := map[string]award.Choice{}
			for _, id := range agenda {
				if trial < 3 {
					marks[id] = choices[trial]
				} else {
					marks[id] = choices[rng.IntN(3)]
				}
			}
			sealed, err := b.Seal("session-x", marks)
			if err != nil {
				t.Fatal(err)
			}
			if want < 0 {
				want = len(sealed)
			}
			if len(sealed) != want {
				t.Fatalf("round %d: sealed ballot of %d chars, another of the same agenda %d chars (marks %v)", round, len(sealed), want, marks)
			}
			got, err := b.Open("session-x", sealed)
			if err != nil || len(got) != len(marks) {
				t.Fatalf("open: %v %v", got, err)
			}
			for id, ch := range marks {
				if got[id] != ch {
					t.Fatalf("round-trip changed %s: %s -> %s", id, ch, got[id])
				}
			}
		}
	}
	if _, err := b.Seal("session-x", map[string]award.Choice{"p": "yes-and-more"}); err == nil {
		t.Fatal("an invalid choice was sealed")
	}
}
