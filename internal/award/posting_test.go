package award

import (
	"testing"
	"time"
)

func TestAddWorkingDays(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	d := func(s string) time.Time { t, _ := time.ParseInLocation("2006-01-02 15:04", s, loc); return t }
	cases := []struct {
		start    string
		n        int
		holidays []string
		end      string
	}{
		{"2026-04-27 09:00", 10, nil, "2026-05-09 00:00"},                                  // Mon → Fri of the next week
		{"2026-04-27 09:00", 10, []string{"2026-04-30", "2026-05-01"}, "2026-05-13 00:00"}, // 30/4 and 1/5 are not counted
		{"2026-05-02 09:00", 1, nil, "2026-05-05 00:00"},                                   // posted on a Saturday: Monday counts
		{"2026-05-04 23:30", 1, nil, "2026-05-05 00:00"},                                   // the start day counts whole
		{"2026-05-04 18:00", 3, []string{"2026-05-05"}, "2026-05-08 00:00"},                // a holiday inside
	}
	for _, c := range cases {
		if got := AddWorkingDays(d(c.start), c.n, c.holidays, loc); !got.Equal(d(c.end)) {
			t.Errorf("%s + %d: %s, want %s", c.start, c.n, got, c.end)
		}
	}
}

func TestPostingGates(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 5, 6, 10, 0, 0, 0, loc)
	open := &Posting{StartsAt: now.Add(-time.Hour), EndsAt: now.Add(time.Hour)}
	ended := &Posting{StartsAt: now.Add(-2 * time.Hour), EndsAt: now.Add(-time.Hour)}
	req := PostingRule{Days: 10, Required: true}
	opt := PostingRule{Days: 10}
	for _, c := range []struct {
		name string
		rule PostingRule
		p    *Posting
		code Code
	}{
		{"required, none", req, nil, CodeWrongStage},
		{"required, open", req, open, CodeWrongStage},
		{"required, ended", req, ended, ""},
		{"optional, none", opt, nil, ""},
		{"optional, open", opt, open, CodeWrongStage},
		{"no posting rule", PostingRule{}, nil, ""},
	} {
		if got := codeOf(CheckApproveAfterPosting(c.rule, c.p, now, loc)); got != c.code {
			t.Errorf("%s: %q, want %q", c.name, got, c.code)
		}
	}
	for _, c := range []struct {
		name   string
		p      *Posting
		onList bool
		text   string
		code   Code
	}{
		{"not posted", nil, true, "x", CodeWrongStage},
		{"ended", ended, true, "x", CodeWrongStage},
		{"not on the list", open, false, "x", CodeNotFound},
		{"empty", open, true, " ", CodeInvalid},
		{"fine", open, true, "Kê khai chưa đúng", ""},
	} {
		if got := codeOf(CheckObjection(c.p, now, c.onList, c.text)); got != c.code {
			t.Errorf("%s: %q, want %q", c.name, got, c.code)
		}
	}
	for _, r := range Roles {
		if err := CanPost(Actor{Roles: []Role{r}}); (err == nil) != (r == RoleSecretary) {
			t.Errorf("%s may post: %v", r, err)
		}
	}
}
