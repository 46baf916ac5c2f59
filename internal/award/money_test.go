package award

import (
	"testing"
	"testing/quick"
	"time"
)

func TestBonusRoundsUpToTenThousand(t *testing.T) {
	cases := []struct {
		coef       float64
		base, step int64
		want       int64
	}{
		{0.3, 2340000, 10000, 710000}, // the example: 702.000 → 710.000
		{1.0, 2340000, 10000, 2340000},
		{0.8, 2340000, 10000, 1880000}, // 1.872.000
		{1.5, 2340000, 10000, 3510000},
		{0.3, 1800000, 10000, 540000}, // already a multiple
		{0.3, 2340000, 0, 702000},     // no rounding configured
		{0.1, 2340000, 1000, 234000},
	}
	for _, c := range cases {
		if got := Bonus(c.coef, c.base, c.step); got != c.want {
			t.Errorf("Bonus(%v, %d, %d) = %d, want %d", c.coef, c.base, c.step, got, c.want)
		}
	}
}

// Rounding up never lowers the amount, lands on a multiple, and adds less than a step.
func TestBonusRoundingProperty(t *testing.T) {
	f := func(c uint16, base uint32, step uint16) bool {
		coef := float64(c%500) / 100
		b, s := int64(base%50_000_000), int64(step%50_000)
		exact := Bonus(coef, b, 0)
		got := Bonus(coef, b, s)
		if s == 0 {
			return got == exact
		}
		return got >= exact && got%s == 0 && got-exact < s
	}
	if err := quick.Check(f, nil); err != nil {
		t.Fatal(err)
	}
}

func TestBaseSalaryAt(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	rates := []BaseSalary{
		{From: d("2024-07-01"), Amount: 2340000},
		{From: d("2023-07-01"), Amount: 1800000},
	}
	cases := []struct {
		on   string
		want int64
		ok   bool
	}{
		{"2023-06-30", 0, false},
		{"2023-07-01", 1800000, true},
		{"2024-06-30", 1800000, true},
		{"2024-07-01", 2340000, true},
		{"2026-12-01", 2340000, true},
	}
	for _, c := range cases {
		r, ok := BaseSalaryAt(rates, d(c.on))
		if ok != c.ok || r.Amount != c.want {
			t.Errorf("on %s: %d %v, want %d %v", c.on, r.Amount, ok, c.want, c.ok)
		}
	}
	if err := CheckBaseSalaries(append(rates, BaseSalary{From: d("2024-07-01"), Amount: 1})); err == nil {
		t.Error("two rates on one date accepted")
	}
	if err := CheckBaseSalaries([]BaseSalary{{From: d("2024-07-01")}}); err == nil {
		t.Error("a zero amount accepted")
	}
}
