package templates

import (
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Wording conventions that differ between the profiles. Each rule names its source,
// or is marked [practice] when it follows what agencies write rather than a text read
// here.
//
//   - Trích yếu. HD36 writes it in lower case straight after the document type, as
//     one phrase with it ("QUYẾT ĐỊNH / về việc tặng …"; HD36's own heading reads
//     "HƯỚNG DẪN / thể thức và kỹ thuật trình bày văn bản của Đảng"); NĐ30 starts it
//     with a capital ("QUYẾT ĐỊNH / Về việc …", Phụ lục III forms). Only a leading
//     common word is lowered ("Về", "Họp", …), never a name ("Hội đồng …").
//   - Căn cứ. NĐ30 (Phụ lục I, mục II.6; forms of Phụ lục III): italic lines, each
//     ending ";", the last "."; the authority ("GIÁM ĐỐC SỞ …") above them and
//     "QUYẾT ĐỊNH:" below. HD36 [practice: Party decisions]: upright lines opening
//     with "- ", each ending ";", the last ","; then the authority and the verb on one
//     line, "BAN … QUYẾT ĐỊNH:".
//   - Dates inside the text, e.g. the annex's "Kèm theo Quyết định số …": NĐ30
//     "ngày 05/02/2026"; HD36 "số 05-QĐ/BTGTU, ngày 05-02-2026" — a comma before
//     "ngày" and hyphens, as Party documents cite one another [practice; e.g. Hướng
//     dẫn 11-HD/VPTW (2004), opening paragraph: "số 31-QĐ/TW, ngày 01-10-1997"].
//     Leading zeros as in the date line: days below 10, months 1 and 2.
//   - Nơi nhận. NĐ30 Phụ lục I, mục II.9.b: each item opens with "-", ends ";", the
//     last (Lưu: VT, …) ".". HD36 [practice: Party documents]: each item ends ",", the
//     last ("- Lưu Văn phòng …") ".".

// subjectFor writes the trích yếu as the profile does: HD36 lowers a leading common
// word, NĐ30 capitalises it.
func (sp *profileSpec) subjectFor(subject string) string {
	s := strings.TrimSpace(norm.NFC.String(subject))
	word, _, _ := strings.Cut(s, " ")
	if !leadingCommonWords[strings.ToLower(word)] {
		return s
	}
	if sp.party {
		return lowerFirst(s)
	}
	return capitalize(s)
}

// leadingCommonWords may open a trích yếu and are not names.
var leadingCommonWords = map[string]bool{
	"về": true, "họp": true, "kiểm": true, "xét": true, "đề": true, "tặng": true, "kết": true, "biên": true,
}

// basesFor gives each căn cứ line the profile's dash and closing punctuation.
// lastMark is the last line's mark: "." (NĐ30 decision), "," (HD36, before the
// authority line), ";" (a tờ trình, whose introduction follows).
func (sp *profileSpec) basesFor(bases []string, lastMark string) []string {
	var out []string
	for _, b := range bases {
		b = strings.TrimSpace(b)
		b = strings.TrimSpace(strings.TrimLeft(b, "-–+ "))
		b = strings.TrimRight(b, ";,. ")
		if b != "" {
			out = append(out, b)
		}
	}
	for i := range out {
		mark := ";"
		if i == len(out)-1 {
			mark = lastMark
		}
		if sp.party {
			out[i] = "- " + out[i]
		}
		out[i] += mark
	}
	return out
}

// recipientLines punctuates the "Nơi nhận:" items: "- " before each, the profile's
// separator after each (";" NĐ30, "," HD36) and "." after the last.
func (sp *profileSpec) recipientLines(recipients []string) []string {
	sep := ";"
	if sp.party {
		sep = ","
	}
	var items []string
	for _, r := range recipients {
		r = strings.TrimSpace(r)
		r = strings.TrimSpace(strings.TrimLeft(r, "-–+ "))
		r = strings.TrimRight(r, ";,. ")
		if r != "" {
			items = append(items, r)
		}
	}
	for i := range items {
		end := sep
		if i == len(items)-1 {
			end = "."
		}
		items[i] = "- " + items[i] + end
	}
	return items
}

// citedDate writes a date inside the text: "05/02/2026" (NĐ30), "05-02-2026" (HD36),
// leading zeros for days below 10 and months 1 and 2 in HD36 as in the date line; a
// zero date leaves blanks for the văn thư.
func (sp *profileSpec) citedDate(date time.Time) string {
	if !sp.party {
		return formatShortDate(date)
	}
	return partyDate(date)
}

// partyDate is a date cited in a Party document's text: "05-02-2026", "15-3-2026".
func partyDate(date time.Time) string {
	if date.IsZero() {
		return "     -     -      "
	}
	t := date.In(vietnamTime)
	month := t.Format("1")
	if t.Month() <= time.February {
		month = "0" + month
	}
	return t.Format("02") + "-" + month + "-" + t.Format("2006")
}

// annexReference is the line under the annex heading: "(Kèm theo Quyết định số
// 05/QĐ-SVHTTDL ngày 05/02/2026 của …)" (NĐ30), "(Kèm theo Quyết định số
// 05-QĐ/BTGTU, ngày 05-02-2026 của …)" (HD36). number is the bare number
// ("05-QĐ/BTGTU").
func (sp *profileSpec) annexReference(number string, date time.Time, agencyFullName string) string {
	ref := "(Kèm theo Quyết định số\u00a0" + number
	if sp.party {
		ref += ","
	}
	ref += " ngày\u00a0" + sp.citedDate(date)
	if agencyFullName != "" {
		ref += " của " + agencyFullName
	}
	return keepSpaces(ref + ")")
}

// decisionVerb is the line before the articles: "QUYẾT ĐỊNH:" (NĐ30; the authority
// stands above the căn cứ), "<AUTHORITY> QUYẾT ĐỊNH:" (HD36).
func (sp *profileSpec) decisionVerb(authority string) string {
	a := strings.TrimSpace(authority)
	if sp.party && a != "" {
		return a + " QUYẾT ĐỊNH:"
	}
	return "QUYẾT ĐỊNH:"
}

// meetingSpan is the start and end of a meeting as printed: the start to the minute
// below, the end to the minute above, so that the printed span holds the real one and
// a meeting never starts and ends at the same printed minute. Zero times stay zero.
func meetingSpan(opened, closed time.Time) (start, end time.Time) {
	if !opened.IsZero() {
		start = opened.Truncate(time.Minute)
	}
	if !closed.IsZero() {
		end = closed.Truncate(time.Minute)
		if end.Before(closed) {
			end = end.Add(time.Minute)
		}
		if !start.IsZero() && !end.After(start) {
			end = start.Add(time.Minute)
		}
	}
	return start, end
}

// sameDay reports whether two instants fall on one Vietnam calendar day.
func sameDay(a, b time.Time) bool {
	a, b = a.In(vietnamTime), b.In(vietnamTime)
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}
