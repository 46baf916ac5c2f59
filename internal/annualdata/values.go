package annualdata

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/awardflow/awardflow/internal/award"
)

// bi is a message in both languages.
type bi struct{ vi, en string }

// formulaStart reports whether a cell's text would be taken for a formula by a
// spreadsheet (CSV injection): it starts with =, +, -, @, a tab or a carriage return,
// or their full-width forms.
func formulaStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		return true
	}
	return false
}

// needsQuote reports whether a cell must be neutralised: it looks like a formula, or
// it starts with apostrophes before such text (so that unquote gives it back whole).
func needsQuote(s string) bool {
	return formulaStart(s) || strings.HasPrefix(s, "'") && needsQuote(s[1:])
}

// neutralise makes a cell safe to open in a spreadsheet: text that looks like a formula
// gets a leading apostrophe, which spreadsheets show as text and unquote strips again.
func neutralise(s string) string {
	if needsQuote(s) {
		return "'" + s
	}
	return s
}

// unquote undoes neutralise, normalises to NFC and trims the cell.
func unquote(s string) string {
	if strings.HasPrefix(s, "'") && needsQuote(s[1:]) {
		s = s[1:]
	}
	return strings.TrimSpace(norm.NFC.String(s))
}

var (
	unitWords  = regexp.MustCompile(`(?i)\s*(ngày|ngay|tháng|thang|năm|nam)\s*$`)
	thousands  = regexp.MustCompile(`^\d{1,3}(\.\d{3})+$`)
	wholeFloat = regexp.MustCompile(`^\d+([.,]0+)?$`)
	fraction   = regexp.MustCompile(`^\d+[.,]\d+$`)
)

// parseCount reads a whole number as agencies write it: "12", "12,0", "40 ngày",
// "10 tháng", "1.000" (a dot groups thousands), or a spreadsheet's raw number.
func parseCount(s string) (int, *bi) {
	t := strings.TrimSpace(unitWords.ReplaceAllString(strings.TrimSpace(s), ""))
	switch {
	case thousands.MatchString(t):
		t = strings.ReplaceAll(t, ".", "")
	case wholeFloat.MatchString(t):
		t, _, _ = strings.Cut(strings.ReplaceAll(t, ",", "."), ".")
	default:
		// A spreadsheet's raw number, e.g. 11.999999999999998.
		if f, err := strconv.ParseFloat(t, 64); err == nil && !math.IsInf(f, 0) && f >= 0 && f < 1e9 && math.Abs(f-math.Round(f)) < 1e-6 {
			return int(math.Round(f)), nil
		}
		if strings.HasPrefix(t, "-") {
			return 0, &bi{"“" + s + "” không được là số âm", "“" + s + "” must not be negative"}
		}
		if fraction.MatchString(t) {
			return 0, &bi{"“" + s + "” phải là số nguyên", "“" + s + "” must be a whole number"}
		}
		return 0, &bi{"“" + s + "” không phải là số", "“" + s + "” is not a number"}
	}
	n, err := strconv.Atoi(t)
	if err != nil || n > 1e9 {
		return 0, &bi{"“" + s + "” không phải là số hợp lệ", "“" + s + "” is not a valid number"}
	}
	return n, nil
}

var (
	dmy      = regexp.MustCompile(`^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$`)
	ymd      = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	longDate = regexp.MustCompile(`^(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$`)
)

// excelEpoch is day 0 of spreadsheet serial dates (1900 date system, after its
// fictitious 29/02/1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDate reads a calendar date as Vietnamese agencies write it: day first
// ("05/03/2025", "5/3/2025", "05-03-2025", "05.03.2025", "05/03/25"), ISO
// ("2025-03-05"), in words ("ngày 05 tháng 3 năm 2025"), or a spreadsheet's serial date.
func parseDate(s string) (time.Time, *bi) {
	t := strings.TrimSpace(s)
	f := award.FoldName(t)
	var d, m, y int
	if g := dmy.FindStringSubmatch(t); g != nil {
		d, m, y = atoi(g[1]), atoi(g[2]), atoi(g[3])
		if len(g[3]) == 2 {
			y += 2000
		}
	} else if g := ymd.FindStringSubmatch(t); g != nil {
		y, m, d = atoi(g[1]), atoi(g[2]), atoi(g[3])
	} else if g := longDate.FindStringSubmatch(f); g != nil {
		d, m, y = atoi(g[1]), atoi(g[2]), atoi(g[3])
	} else if n, err := strconv.ParseFloat(t, 64); err == nil && n >= 1 && n < 2958466 && n == math.Trunc(n) {
		return excelEpoch.AddDate(0, 0, int(n)), nil
	} else {
		return time.Time{}, &bi{"“" + s + "” không phải là ngày (ghi ngày/tháng/năm, ví dụ 05/03/2025)", "“" + s + "” is not a date (write day/month/year, e.g. 05/03/2025)"}
	}
	date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if date.Day() != d || int(date.Month()) != m || date.Year() != y || y < 1900 {
		return time.Time{}, &bi{"“" + s + "” không phải là ngày có thật", "“" + s + "” is not a real date"}
	}
	return date, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// parseRecognitions reads a cell of initiatives or research projects: one per line of
// the cell (Alt+Enter in a spreadsheet), each "title | evidence"; a line may also hold
// several, separated by ";" ("A | QĐ 1; B | QĐ 2"). A leading bullet ("- ", "• ") is
// dropped. Titles and evidence cannot hold "|" (award.AnnualRecord.Validate).
func parseRecognitions(s string) ([]award.Recognition, *bi) {
	var out []award.Recognition
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		items := []string{line}
		if strings.Count(line, "|") > 1 {
			items = strings.Split(line, ";")
		}
		for _, item := range items {
			item = strings.TrimSpace(item)
			for _, b := range []string{"- ", "• ", "+ "} {
				if strings.HasPrefix(item, b) {
					item = strings.TrimSpace(item[len(b):])
					break
				}
			}
			if item == "" {
				continue
			}
			title, evidence, ok := strings.Cut(item, "|")
			title, evidence = strings.TrimSpace(title), strings.TrimSpace(evidence)
			if !ok || title == "" || evidence == "" || strings.Contains(evidence, "|") {
				return nil, &bi{"“" + item + "” cần cả tên và minh chứng, dạng: tên | minh chứng (mỗi mục một dòng trong ô)",
					"“" + item + "” needs a title and an evidence reference: title | evidence (one per line of the cell)"}
			}
			out = append(out, award.Recognition{Title: title, Evidence: evidence})
		}
	}
	return out, nil
}

// formatRecognitions writes what parseRecognitions reads: one per line; a title that
// starts like a bullet gets one, so that reading drops only that.
func formatRecognitions(list []award.Recognition) string {
	lines := make([]string, 0, len(list))
	for _, r := range list {
		line := r.Title + " | " + r.Evidence
		for _, b := range []string{"- ", "• ", "+ "} {
			if strings.HasPrefix(line, b) {
				line = "- " + line
				break
			}
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}
