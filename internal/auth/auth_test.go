package auth

import (
	"encoding/base64"
	"strings"
	"testing"
	"testing/quick"
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

// Tokens are bound to the password hash they were issued under, carry a unique id, and
// the old format (no id, no fingerprint) no longer verifies.
func TestTokensBoundToPassword(t *testing.T) {
	hashes := map[string]string{"hongdao": "$2a$10$first", "tptt": "$2a$10$other"}
	tk, _ := NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	tk.PasswordHash = func(id string) string { return hashes[id] }
	now := time.Unix(1_800_000_000, 0)
	tok, _ := tk.Issue("hongdao", now)
	other, _ := tk.Issue("tptt", now)
	c, err := tk.Parse(tok, now)
	if err != nil || c.Subject != "hongdao" || len(c.ID) != jtiLen || !c.Expiry.Equal(now.Add(time.Hour)) {
		t.Fatalf("parse: %+v %v", c, err)
	}
	if strings.Contains(tok, "first") {
		t.Fatal("the token reveals the hash")
	}
	hashes["hongdao"] = "$2a$10$second" // the password changed
	if _, err := tk.Parse(tok, now); err != ErrInvalidToken {
		t.Fatalf("token issued under the old password accepted: %v", err)
	}
	if _, err := tk.Parse(other, now); err != nil {
		t.Fatalf("someone else's token refused: %v", err)
	}
	fresh, _ := tk.Issue("hongdao", now)
	if _, err := tk.Parse(fresh, now); err != nil {
		t.Fatalf("token issued under the new password refused: %v", err)
	}
	// Every token has its own id.
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		s, _ := tk.Issue("hongdao", now)
		c, err := tk.Parse(s, now)
		if err != nil || seen[c.ID] {
			t.Fatalf("token %d: id %q repeated or error %v", i, c.ID, err)
		}
		seen[c.ID] = true
	}
	// A correctly signed token of the old format (no jti, no fingerprint) is refused.
	legacy := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"hongdao","exp":1900000000}`))
	legacy += "." + tk.sign(legacy)
	if _, err := tk.Parse(legacy, now); err != ErrInvalidToken {
		t.Fatalf("legacy token accepted: %v", err)
	}
}

// Any person id round-trips (ids come from the organisation config).
func TestTokensRoundTripProperty(t *testing.T) {
	tk, _ := NewTokens([]byte(strings.Repeat("k", 32)), time.Hour)
	now := time.Unix(1_800_000_000, 0)
	f := func(id string) bool {
		if id == "" {
			return true
		}
		tok, _ := tk.Issue(id, now)
		c, err := tk.Parse(tok, now)
		return err == nil && c.Subject == id
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 2000}); err != nil {
		t.Fatal(err)
	}
}
