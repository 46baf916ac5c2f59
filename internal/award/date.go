package award

import (
	"fmt"
	"time"
)

// Date is a calendar date without a time of day or a zone: a movement's start and end,
// its milestones and its registration window are dates of the agency's calendar. "Today"
// is DateOf(now, the agency's location), so a day ends at midnight in Vietnam, not in
// UTC. The zero Date is "not set".
type Date struct {
	y int
	m time.Month
	d int
}

// NewDate is the date y-m-d, normalised like time.Date (31 April is 1 May).
func NewDate(y int, m time.Month, d int) Date {
	return dateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf is the calendar date of t in loc (nil: t's own location).
func DateOf(t time.Time, loc *time.Location) Date {
	if loc != nil {
		t = t.In(loc)
	}
	return dateOf(t)
}

func dateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// EndOfMonth is the last day of month m of year y: a source that gives only a month
// ("sơ kết tháng 12/2023") is due by its last day.
func EndOfMonth(y int, m time.Month) Date { return NewDate(y, m+1, 0) }

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return dateOf(t), nil
}

// IsZero reports whether the date is not set.
func (d Date) IsZero() bool { return d == Date{} }

// Year is the date's year.
func (d Date) Year() int { return d.y }

// Month is the date's month.
func (d Date) Month() time.Month { return d.m }

// Day is the date's day of the month.
func (d Date) Day() int { return d.d }

// Time is the date's midnight in UTC (for arithmetic and storage).
func (d Date) Time() time.Time { return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC) }

// Start is the first instant of the date in loc.
func (d Date) Start(loc *time.Location) time.Time {
	return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, loc)
}

// Compare is -1, 0 or +1 as d is before, on or after o.
func (d Date) Compare(o Date) int { return d.Time().Compare(o.Time()) }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// AddDays is the date n days later (earlier for n < 0).
func (d Date) AddDays(n int) Date { return NewDate(d.y, d.m, d.d+n) }

// DaysUntil is the number of days from d to o: negative when o is before d.
func (d Date) DaysUntil(o Date) int {
	return int(o.Time().Sub(d.Time()).Hours() / 24)
}

// String is YYYY-MM-DD ("" for the zero date).
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(time.DateOnly)
}

// VI is the date as Vietnamese text writes it: 07/6/2022 style, with two-digit days and
// months (07/06/2022), as on the agency's documents.
func (d Date) VI() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("02/01/2006")
}

// MonthVI is "tháng 12/2023".
func (d Date) MonthVI() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("tháng %d/%d", int(d.m), d.y)
}

// MarshalText writes YYYY-MM-DD (JSON and YAML).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; an empty text is the zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
