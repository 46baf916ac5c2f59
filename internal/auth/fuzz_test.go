package auth

import (
	"strings"
	"testing"
	"time"
)

// FuzzVerify: tokens arrive from outside; no input may panic or verify unless the
// secret's holder issued it.
func FuzzVerify(f *testing.F) {
	tk, _ := NewTokens([]byte(strings.Repeat("s", 32)), time.Hour)
	now := time.Unix(1_800_000_000, 0)
	good, _ := tk.Issue("hongdao", now)
	f.Add(good)
	f.Add("")
	f.Add(".")
	f.Add("eyJzdWIiOiJ4IiwiZXhwIjo5OTk5OTk5OTk5fQ.AAAA")
	f.Fuzz(func(t *testing.T, tok string) {
		id, err := tk.Verify(tok, now)
		if err == nil && tok != good {
			t.Fatalf("forged token %q verified as %q", tok, id)
		}
	})
}
