package auth

import (
	"strings"
	"testing"
	"time"
)

func TestTokens(t *testing.T) {
	if _, err := NewTokens([]byte("short"), time.Hour); err == nil {
		t.Fatal("short secret accepted")
	}
	tk, err := NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	tok, exp := tk.Issue("hongdao", now)
	if !exp.Equal(now.Add(time.Hour)) {
		t.Fatalf("expiry %v", exp)
	}
	if id, err := tk.Verify(tok, now.Add(59*time.Minute)); err != nil || id != "hongdao" {
		t.Fatalf("verify: %q %v", id, err)
	}
	if _, err := tk.Verify(tok, now.Add(time.Hour)); err != ErrInvalidToken {
		t.Fatalf("expired token accepted: %v", err)
	}
	other, _ := NewTokens([]byte(strings.Repeat("x", 32)), time.Hour)
	if _, err := other.Verify(tok, now); err != ErrInvalidToken {
		t.Fatal("token from another secret accepted")
	}
	payload, sig, _ := strings.Cut(tok, ".")
	forged := strings.Replace(payload, "h", "H", 1) + "." + sig
	for _, bad := range []string{"", ".", "abc", forged, payload + ".", tok + "x"} {
		if _, err := tk.Verify(bad, now); err != ErrInvalidToken {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestPasswords(t *testing.T) {
	h, err := HashPassword("matkhau-dai-du")
	if err != nil {
		t.Fatal(err)
	}
	if CheckPassword(h, "matkhau-dai-du") != nil {
		t.Fatal("right password refused")
	}
	if CheckPassword(h, "sai") != ErrBadCredentials || CheckPassword("", "x") != ErrBadCredentials {
		t.Fatal("wrong password accepted")
	}
	if _, err := HashPassword("short"); err == nil {
		t.Fatal("short password hashed")
	}
}
