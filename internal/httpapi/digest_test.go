package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/quick"

	"github.com/awardflow/awardflow/internal/award"
)

func TestStatedSHA256(t *testing.T) {
	sum := sha256.Sum256([]byte("minh chứng"))
	want := hex.EncodeToString(sum[:])
	b64 := base64.StdEncoding.EncodeToString(sum[:])
	other := sha256.Sum256([]byte("khác"))
	for _, tc := range []struct {
		headers []string
		want    string
		bad     bool
	}{
		{nil, "", false},
		{[]string{"sha-256=:" + b64 + ":"}, want, false},
		{[]string{"SHA-256=:" + b64 + ":"}, want, false},
		{[]string{"  sha-256 = :" + b64 + ":  "}, want, false},
		{[]string{"sha-256=:" + strings.TrimRight(b64, "=") + ":"}, want, false},
		{[]string{"sha-512=:AAAA:, sha-256=:" + b64 + ":"}, want, false},
		{[]string{"sha-256=:" + b64 + ":;foo=1"}, want, false},
		{[]string{"sha-512=:AAAA:"}, "", false},
		{[]string{"md5=:AAAA:", "sha-256=:" + b64 + ":"}, want, false},
		{[]string{"sha-256=:" + base64.StdEncoding.EncodeToString(other[:]) + ":, sha-256=:" + b64 + ":"}, want, false},
		{[]string{"sha-256=" + b64}, "", true},
		{[]string{"sha-256=:" + want + ":"}, "", true},
		{[]string{"sha-256=:AAAA:"}, "", true},
		{[]string{"sha-256=::"}, "", true},
		{[]string{"sha-256"}, "", true},
		{[]string{"sha-256=:" + b64[:20] + "!" + b64[21:] + ":"}, "", true},
	} {
		h := http.Header{}
		for _, v := range tc.headers {
			h.Add("Content-Digest", v)
		}
		got, err := statedSHA256(h)
		var ae *award.Error
		switch {
		case tc.bad && (!errors.As(err, &ae) || ae.Code != award.CodeMalformed):
			t.Errorf("%q: %v, want a 400", tc.headers, err)
		case !tc.bad && (err != nil || got != tc.want):
			t.Errorf("%q: %q %v, want %q", tc.headers, got, err, tc.want)
		}
	}
}

// Any header value: an answer is either no statement, a 400, or 64 lowercase hex digits
// that came from a sha-256 member; never a panic.
func TestStatedSHA256AnyInput(t *testing.T) {
	f := func(v string, raw [32]byte, prefix string) bool {
		for _, line := range []string{v, prefix + ", sha-256=:" + base64.StdEncoding.EncodeToString(raw[:]) + ":"} {
			h := http.Header{"Content-Digest": {line}}
			got, err := statedSHA256(h)
			if err != nil {
				var ae *award.Error
				if !errors.As(err, &ae) || ae.Code != award.CodeMalformed {
					return false
				}
				continue
			}
			if got != "" && (len(got) != 64 || strings.Trim(got, "0123456789abcdef") != "" || !strings.Contains(strings.ToLower(line), "sha-256")) {
				return false
			}
		}
		// A well-formed statement after anything without a sha-256 member is read exactly.
		if !strings.Contains(strings.ToLower(prefix), "sha-256") && !strings.Contains(prefix, ",") {
			got, err := statedSHA256(http.Header{"Content-Digest": {prefix + ", sha-256=:" + base64.StdEncoding.EncodeToString(raw[:]) + ":"}})
			if err != nil || got != hex.EncodeToString(raw[:]) {
				return false
			}
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 2000}); err != nil {
		t.Fatal(err)
	}
}
