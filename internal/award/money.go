package award

import (
	"math"
	"slices"
	"time"
)

// BaseSalary is the base salary (mức lương cơ sở) in force from a date, with the text
// that set it. Awards' bonuses are coefficients of the base salary in force on the
// decision date, so the agency keeps the whole history, not only today's figure.
type BaseSalary struct {
	From   time.Time `yaml:"from" json:"from"`
	Amount int64     `yaml:"amount" json:"amount"` // đồng
	Source string    `yaml:"source" json:"source"` // e.g. "Nghị định 73/2024/NĐ-CP" [verify]
}

// BaseSalaryAt returns the rate in force on date d: the latest one that starts on or
// before it. false when none does (a decision before the first configured rate).
func BaseSalaryAt(rates []BaseSalary, d time.Time) (BaseSalary, bool) {
	var best BaseSalary
	found := false
	for _, r := range rates {
		if !r.From.After(d) && (!found || r.From.After(best.From)) {
			best, found = r, true
		}
	}
	return best, found
}

// CheckBaseSalaries validates a configured table: positive amounts, no two rates from
// the same date.
func CheckBaseSalaries(rates []BaseSalary) error {
	seen := map[time.Time]bool{}
	for _, r := range rates {
		if r.Amount <= 0 {
			return Invalid("Mức lương cơ sở từ %s phải lớn hơn 0", "the base salary from %s must be positive", r.From.Format("02/01/2006"))
		}
		if seen[r.From] {
			return Invalid("Có hai mức lương cơ sở cùng áp dụng từ %s", "two base salaries start on %s", r.From.Format("02/01/2006"))
		}
		seen[r.From] = true
	}
	return nil
}

// SortBaseSalaries orders a table by start date (for display and the API).
func SortBaseSalaries(rates []BaseSalary) {
	slices.SortFunc(rates, func(a, b BaseSalary) int { return a.From.Compare(b.From) })
}

// DefaultBonusRoundUpTo is the rounding of bonuses when the configuration says none:
// up to the next 10,000 đồng ("làm tròn số lên hàng chục nghìn đồng", NĐ 91/2017/NĐ-CP
// Điều 68 khoản 2 and the decrees after it [verify the article of the decree in force]).
const DefaultBonusRoundUpTo = 10000

// Bonus is coefficient × base salary, rounded to the đồng, then rounded UP to a
// multiple of roundUpTo when roundUpTo > 0: 0,3 × 2.340.000 = 702.000 → 710.000 đồng.
func Bonus(coefficient float64, baseSalary, roundUpTo int64) int64 {
	a := int64(math.Round(coefficient * float64(baseSalary)))
	if roundUpTo > 0 && a%roundUpTo != 0 {
		a += roundUpTo - a%roundUpTo
	}
	return a
}
