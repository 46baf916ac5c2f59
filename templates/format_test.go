package templates

import (
	"testing"
	"time"
)

func TestFormatPlaceDate(t *testing.T) {
	utc := time.UTC
	cases := []struct {
		date time.Time
		want string
	}{
		{time.Date(2026, 2, 5, 9, 0, 0, 0, vietnamTime), "Đồng Tháp, ngày 05 tháng 02 năm 2026"},
		{time.Date(2026, 1, 9, 9, 0, 0, 0, vietnamTime), "Đồng Tháp, ngày 09 tháng 01 năm 2026"},
		{time.Date(2026, 3, 1, 9, 0, 0, 0, vietnamTime), "Đồng Tháp, ngày 01 tháng 3 năm 2026"},
		{time.Date(2025, 12, 10, 9, 0, 0, 0, vietnamTime), "Đồng Tháp, ngày 10 tháng 12 năm 2025"},
		{time.Date(2025, 9, 30, 9, 0, 0, 0, vietnamTime), "Đồng Tháp, ngày 30 tháng 9 năm 2025"},
		{time.Date(2026, 2, 28, 0, 0, 0, 0, vietnamTime), "Đồng Tháp, ngày 28 tháng 02 năm 2026"},
		// 20:00 UTC on 4 Feb is 03:00 on 5 Feb in Vietnam.
		{time.Date(2026, 2, 4, 20, 0, 0, 0, utc), "Đồng Tháp, ngày 05 tháng 02 năm 2026"},
		// New Year's Eve in UTC is already 1 January in Vietnam.
		{time.Date(2025, 12, 31, 18, 0, 0, 0, utc), "Đồng Tháp, ngày 01 tháng 01 năm 2026"},
	}
	for _, c := range cases {
		if got := FormatPlaceDate("Đồng Tháp", c.date); got != c.want {
			t.Errorf("FormatPlaceDate(%v) = %q, want %q", c.date, got, c.want)
		}
	}
	if got := FormatPlaceDate("Hà Nội", time.Time{}); got != "Hà Nội, ngày      tháng      năm       " {
		t.Errorf("zero date: %q", got)
	}
}

func TestMoneyWords(t *testing.T) {
	cases := []struct {
		n    int64
		want string
	}{
		{0, "Không đồng"},
		{1, "Một đồng"},
		{5, "Năm đồng"},
		{10, "Mười đồng"},
		{11, "Mười một đồng"},
		{15, "Mười lăm đồng"},
		{20, "Hai mươi đồng"},
		{21, "Hai mươi mốt đồng"},
		{24, "Hai mươi bốn đồng"},
		{25, "Hai mươi lăm đồng"},
		{101, "Một trăm linh một đồng"},
		{105, "Một trăm linh năm đồng"},
		{110, "Một trăm mười đồng"},
		{115, "Một trăm mười lăm đồng"},
		{1000, "Một nghìn đồng"},
		{1001, "Một nghìn không trăm linh một đồng"},
		{1015, "Một nghìn không trăm mười lăm đồng"},
		{15000, "Mười lăm nghìn đồng"},
		{21000, "Hai mươi mốt nghìn đồng"},
		{702000, "Bảy trăm linh hai nghìn đồng"},
		{710000, "Bảy trăm mười nghìn đồng"},
		{1000000, "Một triệu đồng"},
		{1000005, "Một triệu không trăm linh năm đồng"},
		{1050000, "Một triệu không trăm năm mươi nghìn đồng"},
		{1170000, "Một triệu một trăm bảy mươi nghìn đồng"},
		{1490000, "Một triệu bốn trăm chín mươi nghìn đồng"},
		{2340000, "Hai triệu ba trăm bốn mươi nghìn đồng"},
		{4680000, "Bốn triệu sáu trăm tám mươi nghìn đồng"},
		{1000000000, "Một tỷ đồng"},
		{1000000000000, "Một nghìn tỷ đồng"},
		{2021001005, "Hai tỷ không trăm hai mươi mốt triệu không trăm linh một nghìn không trăm linh năm đồng"},
		{-1500, "Âm một nghìn năm trăm đồng"},
		{9223372036854775807, "Chín tỷ tỷ hai trăm hai mươi ba triệu tỷ ba trăm bảy mươi hai nghìn tỷ không trăm ba mươi sáu tỷ tám trăm năm mươi bốn triệu bảy trăm bảy mươi lăm nghìn tám trăm linh bảy đồng"},
	}
	for _, c := range cases {
		if got := MoneyWords(c.n); got != c.want {
			t.Errorf("MoneyWords(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	if got := MoneyWords(-9223372036854775808); got[:len("Âm chín tỷ tỷ")] != "Âm chín tỷ tỷ" {
		t.Errorf("MoneyWords(MinInt64) = %q", got)
	}
}

func TestFormatVND(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1.000", 702000: "702.000", 1170000: "1.170.000", -2340000: "-2.340.000", 1234567890: "1.234.567.890"} {
		if got := FormatVND(n); got != want {
			t.Errorf("FormatVND(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestBonusAmount(t *testing.T) {
	cases := []struct {
		coef      float64
		base, rnd int64
		want      int64
	}{
		{0.3, 2340000, 0, 702000},
		{0.3, 2340000, 10000, 710000},
		{0.5, 2340000, 10000, 1170000},
		{1.0, 2340000, 10000, 2340000},
		{1.5, 1490000, 0, 2235000},
		{0.1, 3, 0, 0},
	}
	for _, c := range cases {
		if got := BonusAmount(c.coef, c.base, c.rnd); got != c.want {
			t.Errorf("BonusAmount(%v, %d, %d) = %d, want %d", c.coef, c.base, c.rnd, got, c.want)
		}
	}
}

func TestBareNumber(t *testing.T) {
	for in, want := range map[string]string{"Số: 05/QĐ-UBND": "05/QĐ-UBND", "Số 05-QĐ/BTGTU": "05-QĐ/BTGTU", "12/QĐ-X": "12/QĐ-X"} {
		if got := bareNumber(in); got != want {
			t.Errorf("bareNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
