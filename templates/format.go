package templates

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/awardflow/awardflow/internal/award"
)

// vietnamTime is UTC+7 without DST (Asia/Ho_Chi_Minh). A fixed zone avoids a
// dependency on the host's tzdata.
var vietnamTime = time.FixedZone("ICT", 7*60*60)

// FormatPlaceDate renders the place/date line of an administrative document,
// e.g. "Đồng Tháp, ngày 05 tháng 02 năm 2026".
//
// NĐ30/2020 (and HD36 for Party bodies) write a leading zero for days below 10
// and for months 1 and 2 only ("tháng 02", but "tháng 3"), so that nobody can
// later prepend a digit. The date is taken in Vietnam time (UTC+7): an instant
// late on the 4th in UTC is already the 5th in Đồng Tháp. A zero date leaves the
// day, month and year blank for the văn thư to fill in by hand.
func FormatPlaceDate(place string, date time.Time) string {
	if date.IsZero() {
		return place + ", ngày      tháng      năm       "
	}
	return place + ", " + dateWords(date)
}

// dateWords is "ngày 05 tháng 02 năm 2026" in Vietnam time, with the leading
// zero rule of FormatPlaceDate.
func dateWords(date time.Time) string {
	t := date.In(vietnamTime)
	day := strconv.Itoa(t.Day())
	if t.Day() < 10 {
		day = "0" + day
	}
	month := strconv.Itoa(int(t.Month()))
	if t.Month() <= time.February {
		month = "0" + month
	}
	return fmt.Sprintf("ngày %s tháng %s năm %d", day, month, t.Year())
}

// clockWords is "08 giờ 30 phút" in Vietnam time.
func clockWords(t time.Time) string {
	t = t.In(vietnamTime)
	return fmt.Sprintf("%02d giờ %02d phút", t.Hour(), t.Minute())
}

// formatShortDate renders dd/mm/yyyy in Vietnam time, as used in "(Kèm theo
// Quyết định số ... ngày 05/02/2026 ...)".
func formatShortDate(date time.Time) string {
	if date.IsZero() {
		return "     /     /      "
	}
	return date.In(vietnamTime).Format("02/01/2006")
}

// FormatVND writes an amount with "." as the thousands separator, the
// Vietnamese convention: 1170000 -> "1.170.000".
func FormatVND(n int64) string {
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-(n + 1)) + 1 // safe for math.MinInt64
	}
	s := strconv.FormatUint(u, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatDecimal writes a coefficient with the Vietnamese decimal comma: 0.3 -> "0,3".
func formatDecimal(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", ",", 1)
}

// BonusAmount is award.Bonus: coefficient × base salary rounded up to a multiple of
// roundUpTo (the rule lives in the domain core, with its citation).
func BonusAmount(coefficient float64, baseSalary, roundUpTo int64) int64 {
	return award.Bonus(coefficient, baseSalary, roundUpTo)
}

var digitWords = [10]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// groupUnits names successive groups of three digits. int64 reaches 9.2 × 10^18,
// i.e. group 6 ("tỷ tỷ").
var groupUnits = [...]string{"", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ"}

// MoneyWords spells an amount of đồng in Vietnamese words, capitalised, as
// written after the figure in financial clauses ("bằng chữ"):
// 1170000 -> "Một triệu một trăm bảy mươi nghìn đồng".
//
// Convention (one of the accepted ones, chosen for consistency):
//   - "nghìn" (not "ngàn"), "tỷ";
//   - a zero tens digit before a units digit reads "linh" (not "lẻ"): 105 -> "một trăm linh năm";
//   - units 1 after tens ≥ 2 reads "mốt" (21 -> "hai mươi mốt"), but "mười một";
//   - units 5 after a tens digit reads "lăm" (15 -> "mười lăm", 25 -> "hai mươi lăm");
//   - units 4 stays "bốn" (not "tư");
//   - "mười" for 10–19, "mươi" for 20–99;
//   - inside the number a group with zero hundreds still says "không trăm"
//     (1050000 -> "một triệu không trăm năm mươi nghìn"); all-zero groups are skipped
//     (1000005 -> "một triệu không trăm linh năm");
//   - 0 -> "Không đồng"; negative amounts start with "Âm".
func MoneyWords(n int64) string {
	return capitalize(numberWords(n)) + " đồng"
}

func numberWords(n int64) string {
	if n == 0 {
		return "không"
	}
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-(n + 1)) + 1
	}
	var groups []int
	for u > 0 {
		groups = append(groups, int(u%1000))
		u /= 1000
	}
	var words []string
	if neg {
		words = append(words, "âm")
	}
	leading := true
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			continue
		}
		words = append(words, tripleWords(g, !leading)...)
		if groupUnits[i] != "" {
			words = append(words, groupUnits[i])
		}
		leading = false
	}
	return strings.Join(words, " ")
}

// tripleWords reads 1..999; full means the group follows a higher group, so
// hundreds are always read ("không trăm") and a lone units digit takes "linh".
func tripleWords(g int, full bool) []string {
	h, t, u := g/100, g/10%10, g%10
	var w []string
	if h > 0 || full {
		w = append(w, digitWords[h], "trăm")
	}
	switch {
	case t == 0:
		if u > 0 {
			if h > 0 || full {
				w = append(w, "linh")
			}
			w = append(w, digitWords[u])
		}
	case t == 1:
		w = append(w, "mười")
		switch u {
		case 0:
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digitWords[u])
		}
	default:
		w = append(w, digitWords[t], "mươi")
		switch u {
		case 0:
		case 1:
			w = append(w, "mốt")
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digitWords[u])
		}
	}
	return w
}

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// twoDigits writes counts in documents the way clerks do: "01 cá nhân", "12 cá nhân".
func twoDigits(n int) string {
	if n >= 0 && n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// bareNumber strips the "Số:"/"Số" label from a formatted number, for use inside
// a sentence: "Số: 05/QĐ-UBND" -> "05/QĐ-UBND", "Số 05-QĐ/BTGTU" -> "05-QĐ/BTGTU".
func bareNumber(numberText string) string {
	s := strings.TrimSpace(numberText)
	for _, p := range []string{"Số:", "Số", "số:", "số"} {
		if strings.HasPrefix(s, p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	return s
}
