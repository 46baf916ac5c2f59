package award

import (
	"testing"
	"time"
)

// NĐ30 registers restart on 1 January; HD36 registers run across the Party committee's
// term and restart only when a new term begins.
func TestRegisterPeriod(t *testing.T) {
	vn := time.FixedZone("ICT", 7*3600)
	terms := []time.Time{time.Date(2020, 10, 15, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 20, 0, 0, 0, 0, time.UTC)}
	day := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, vn) }
	cases := []struct {
		p     Profile
		terms []time.Time
		at    time.Time
		want  string
	}{
		{ProfileND30, terms, day(2025, 12, 31, 23), "2025"},
		{ProfileND30, terms, day(2026, 1, 1, 0), "2026"},
		{ProfileHD36, terms, day(2025, 12, 31, 23), "nk-2025-10-20"},
		{ProfileHD36, terms, day(2026, 1, 1, 0), "nk-2025-10-20"}, // across 1 January: same register
		{ProfileHD36, terms, day(2025, 10, 19, 23), "nk-2020-10-15"},
		{ProfileHD36, terms, day(2025, 10, 20, 0), "nk-2025-10-20"}, // a new term restarts at 01
		{ProfileHD36, terms, day(2019, 5, 1, 9), "2019"},            // before any configured term
		{ProfileHD36, nil, day(2026, 1, 1, 0), "2026"},
		// 31/12 17:30 UTC is already 1 January in Vietnam.
		{ProfileND30, nil, time.Date(2025, 12, 31, 17, 30, 0, 0, time.UTC), "2026"},
	}
	for _, c := range cases {
		if got := RegisterPeriod(c.p, c.terms, c.at, vn); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.p, c.at, got, c.want)
		}
	}
	// Terms listed in any order give the same answer.
	rev := []time.Time{terms[1], terms[0]}
	if got := RegisterPeriod(ProfileHD36, rev, day(2026, 3, 1, 9), vn); got != "nk-2025-10-20" {
		t.Errorf("reversed terms: %q", got)
	}
	if CheckTermStarts([]time.Time{terms[0], terms[0]}) == nil {
		t.Error("a repeated term start was accepted")
	}
}
