package auth

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"testing/quick"
	"time"
)

func TestSealRoundTripAndTampering(t *testing.T) {
	secret := []byte(strings.Repeat("s", 32))
	a, _ := NewSealer(secret, "oidc-flow")
	other, _ := NewSealer(secret, "oidc-result")
	otherKey, _ := NewSealer([]byte(strings.Repeat("t", 32)), "oidc-flow")
	now := time.Unix(1_800_000_000, 0)
	// Any flow (arbitrary Unicode) comes back as it was, and only from its own key and
	// purpose, only before its expiry.
	prop := func(f Flow) bool {
		text, err := a.Seal(f, now.Add(time.Minute))
		if err != nil {
			return false
		}
		var got Flow
		if err := a.Open(text, now, &got); err != nil || got != f {
			return false
		}
		if f.State != "" && strings.Contains(text, f.State) {
			return false // not in clear
		}
		if !errors.Is(other.Open(text, now, &got), ErrSealInvalid) || !errors.Is(otherKey.Open(text, now, &got), ErrSealInvalid) {
			return false
		}
		if !errors.Is(a.Open(text, now.Add(time.Minute), &got), ErrSealExpired) {
			return false
		}
		// A flipped bit anywhere is refused.
		raw, _ := base64.RawURLEncoding.DecodeString(text)
		for i := range raw {
			c := append([]byte(nil), raw...)
			c[i] ^= 1 << (i % 8)
			if a.Open(base64.RawURLEncoding.EncodeToString(c), now, &got) == nil {
				return false
			}
		}
		return true
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 20}); err != nil {
		t.Error(err)
	}
	for _, junk := range []string{"", "x", "!!!", strings.Repeat("A", 200)} {
		var f Flow
		if !errors.Is(a.Open(junk, now, &f), ErrSealInvalid) {
			t.Errorf("Open(%q) accepted", junk)
		}
	}
	if _, err := NewSealer([]byte("short"), "x"); err == nil {
		t.Error("a short secret was accepted")
	}
}

func TestOnceSet(t *testing.T) {
	var s OnceSet
	now := time.Unix(1_800_000_000, 0)
	if !s.First("a", now.Add(time.Minute), now) || s.First("a", now.Add(time.Minute), now.Add(30*time.Second)) {
		t.Error("second use within the lifetime accepted")
	}
	if !s.First("b", now.Add(time.Minute), now) {
		t.Error("another value refused")
	}
	// Expired entries are forgotten (the set stays small).
	s.First("c", now.Add(3*time.Minute), now.Add(2*time.Minute))
	if len(s.seen) != 1 {
		t.Errorf("%d entries kept after expiry", len(s.seen))
	}
}
