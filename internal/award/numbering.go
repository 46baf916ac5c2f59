package award

import (
	"fmt"
	"time"
)

// Profile is the document format an agency follows.
type Profile string

const (
	// ProfileND30 is Nghị định 30/2020/NĐ-CP (state bodies).
	ProfileND30 Profile = "ND30"
	// ProfileHD36 is Hướng dẫn 36-HD/VPTW (Party bodies).
	ProfileHD36 Profile = "HD36"
)

// Valid reports whether p is a known profile.
func (p Profile) Valid() bool { return p == ProfileND30 || p == ProfileHD36 }

// FormatNumber writes a document's number and code the way each profile requires:
// NĐ30 "Số: 05/QĐ-UBND", HD36 "Số 05-QĐ/BTGTU". Numbers below 10 get a leading zero
// (NĐ30 Phụ lục I; HD36 follows the same practice). docType is the abbreviation of the
// document type ("QĐ" decision, "BB" minutes, "TTr" submission); issuer the agency code.
func FormatNumber(p Profile, seq int, docType, issuer string) string {
	n := fmt.Sprintf("%02d", seq)
	if p == ProfileHD36 {
		return fmt.Sprintf("Số %s-%s/%s", n, docType, issuer)
	}
	return fmt.Sprintf("Số: %s/%s-%s", n, docType, issuer)
}

// NumberPlaceholder is the number line of a draft: the number left blank for the văn
// thư, "Số:      /QĐ-BTGTU" (NĐ30) or "Số      -QĐ/BTGTU" (HD36).
func NumberPlaceholder(p Profile, docType, issuer string) string {
	if p == ProfileHD36 {
		return fmt.Sprintf("Số      -%s/%s", docType, issuer)
	}
	return fmt.Sprintf("Số:      /%s-%s", docType, issuer)
}

// RegisterPeriod names the register series that a document dated at joins. NĐ30 bodies
// restart numbering every 1 January (NĐ 30/2020/NĐ-CP Điều 15 k1): the period is the
// calendar year, "2026". HD36 bodies number from 01 across the Party committee's term
// (nhiệm kỳ; HD 36-HD/VPTW mục II 1.3.1.a): the period is the term that contains the
// date, named by its first day, "nk-2025-10-20". Without configured terms (or before
// the first one) an HD36 body falls back to the calendar year. Dates are compared as
// the agency's local calendar days.
func RegisterPeriod(p Profile, termStarts []time.Time, at time.Time, loc *time.Location) string {
	day := at.In(loc).Format(time.DateOnly)
	if p == ProfileHD36 {
		current := ""
		for _, t := range termStarts {
			if start := t.Format(time.DateOnly); start <= day && start > current {
				current = start
			}
		}
		if current != "" {
			return "nk-" + current
		}
	}
	return day[:4]
}

// CheckTermStarts reports whether the configured term starts are distinct.
func CheckTermStarts(starts []time.Time) error {
	seen := map[string]bool{}
	for _, t := range starts {
		d := t.Format(time.DateOnly)
		if seen[d] {
			return Invalid("Nhiệm kỳ bắt đầu ngày %s được khai báo hai lần", "the term starting on %s is listed twice", d)
		}
		seen[d] = true
	}
	return nil
}
