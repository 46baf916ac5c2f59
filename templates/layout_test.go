package templates

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// bword is one word of `pdftotext -bbox`, in points from the page's top-left.
type bword struct {
	x0, y0, x1, y1 float64
	text           string
}

// size is the type size the word was set in: pdftotext's box is the font's
// ascent plus descent, 0.891 + 0.216 em for Liberation Serif.
func (b bword) size() float64 { return (b.y1 - b.y0) / 1.107 }

func bboxWords(t *testing.T, file string, page int) []bword {
	t.Helper()
	pg := strconv.Itoa(page)
	html := runTool(t, "pdftotext", "-bbox", "-f", pg, "-l", pg, file, "-")
	var out []bword
	for _, m := range wordRe.FindAllStringSubmatch(html, -1) {
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		out = append(out, bword{v[0], v[1], v[2], v[3], m[5]})
	}
	return out
}

// lineOf returns the run of words around the first word equal to first
// (searching in content order): same baseline and no gap wider than 8 pt, so
// the two header columns, which share baselines, stay apart. Words come left
// to right with their extent.
func lineOf(t *testing.T, ws []bword, first string) (words []bword, x0, x1 float64) {
	t.Helper()
	for _, w := range ws {
		if w.text != first {
			continue
		}
		var same []bword
		for _, v := range ws {
			if math.Abs(v.y1-w.y1) < 0.2 && math.Abs(v.y0-w.y0) < 0.2 {
				same = append(same, v)
			}
		}
		slices.SortFunc(same, func(a, b bword) int { return cmp.Compare(a.x0, b.x0) })
		i := slices.IndexFunc(same, func(v bword) bool { return v == w })
		lo, hi := i, i
		for lo > 0 && same[lo].x0-same[lo-1].x1 < 8 {
			lo--
		}
		for hi < len(same)-1 && same[hi+1].x0-same[hi].x1 < 8 {
			hi++
		}
		words = same[lo : hi+1]
		return words, words[0].x0, words[len(words)-1].x1
	}
	t.Fatalf("no word %q on the page", first)
	return nil, 0, 0
}

// The NĐ30 page 1 as a văn thư checks it (Nghị định 30/2020/NĐ-CP, Phụ lục I,
// Phần I): sizes of each element, the number centred under the issuing body,
// the place/date centred under the national title, the signature block's
// lines centred on each other, "Nơi nhận:" level with the signer's authority.
func TestND30PageOneConformance(t *testing.T) {
	d := sampleDecision(ProfileND30, 1)
	r := render(t, d)
	ws := bboxWords(t, writeTemp(t, r.PDF), 1)
	const mm = 72 / 25.4
	sizes := map[string]float64{
		"CỘNG":  13, // Quốc hiệu 12–13
		"Độc":   14, // Tiêu ngữ 13–14
		"UBND":  13, // cơ quan chủ quản 12–13
		"SỞ":    13, // cơ quan ban hành 12–13
		"Số:":   13, // số, ký hiệu 13
		"Đồng":  14, // địa danh, ngày tháng 13–14 (first "Đồng" is the date line)
		"QUYẾT": 14, // tên loại 13–14
		"Nơi":   12, // "Nơi nhận:" 12
		"KT.":   14, // quyền hạn, chức vụ 13–14
		"Trần":  14, // họ tên người ký 13–14
		"Căn":   14, // căn cứ, nội dung 13–14
	}
	for word, want := range sizes {
		ln, _, _ := lineOf(t, ws, word)
		if got := ln[0].size(); math.Abs(got-want) > 0.15 {
			t.Errorf("%q set in %.1f pt, want %.0f", word, got, want)
		}
	}
	// Nơi nhận items are 11 pt.
	_, _, _ = lineOf(t, ws, "Nơi")
	for _, w := range ws {
		if w.text == "-" && w.x0 < 100 && math.Abs(w.size()-11) > 0.15 {
			t.Errorf("Nơi nhận item set in %.1f pt, want 11", w.size())
		}
	}

	centre := func(a, b float64) float64 { return (a + b) / 2 }
	_, qx0, qx1 := lineOf(t, ws, "CỘNG")
	_, dx0, dx1 := lineOf(t, ws, "Đồng")
	if math.Abs(centre(qx0, qx1)-centre(dx0, dx1)) > 1 {
		t.Errorf("date line centred at %.1f, national title at %.1f", centre(dx0, dx1), centre(qx0, qx1))
	}
	_, ax0, ax1 := lineOf(t, ws, "SỞ")
	_, nx0, nx1 := lineOf(t, ws, "Số:")
	if math.Abs(centre(ax0, ax1)-centre(nx0, nx1)) > 1 {
		t.Errorf("number centred at %.1f, issuing body at %.1f", centre(nx0, nx1), centre(ax0, ax1))
	}
	// Quốc hiệu and the agency start on one line; number and date share a baseline.
	q, _, _ := lineOf(t, ws, "CỘNG")
	u, _, _ := lineOf(t, ws, "UBND")
	if math.Abs(q[0].y1-u[0].y1) > 0.6 {
		t.Errorf("national title and agency do not start on one line (%.1f vs %.1f)", q[0].y1, u[0].y1)
	}
	num, _, _ := lineOf(t, ws, "Số:")
	date, _, _ := lineOf(t, ws, "Đồng")
	base := func(b bword) float64 { return b.y1 - 0.216*b.size() }
	if math.Abs(base(num[0])-base(date[0])) > 1 {
		t.Errorf("number and date baselines differ: %.1f vs %.1f", base(num[0]), base(date[0]))
	}
	// Margins: nothing left of 30 mm or right of 210-15 mm.
	for _, w := range ws {
		if w.x0 < 30*mm-0.5 || w.x1 > (210-15)*mm+0.5 {
			t.Errorf("word %q at x %.1f–%.1f pt is outside the 30/15 mm margins", w.text, w.x0, w.x1)
		}
	}
	// Signature block: authority, title and name centred on one axis, the
	// "Nơi nhận:" label level with the authority line.
	_, k0, k1 := lineOf(t, ws, "KT.")
	_, p0, p1 := lineOf(t, ws, "PHÓ")
	_, s0, s1 := lineOf(t, ws, "Trần")
	for _, c := range []float64{centre(p0, p1), centre(s0, s1)} {
		if math.Abs(c-centre(k0, k1)) > 1 {
			t.Errorf("signature lines not centred on one axis: %.1f vs %.1f", c, centre(k0, k1))
		}
	}
	kt, _, _ := lineOf(t, ws, "KT.")
	noi, _, _ := lineOf(t, ws, "Nơi")
	if math.Abs(noi[0].y0-kt[0].y0) > 2 {
		t.Errorf("Nơi nhận at y %.1f, signer's authority at %.1f", noi[0].y0, kt[0].y0)
	}
}

// Page numbers: 13–14 pt, centred on the text block in the top margin.
func TestPageNumberPlacement(t *testing.T) {
	for _, p := range []Profile{ProfileND30, ProfileHD36} {
		r := render(t, sampleDecision(p, 60))
		file := writeTemp(t, r.PDF)
		sp := profiles[p]
		const mm = 72 / 25.4
		axis := (sp.left + (210-sp.left-sp.right)/2) * mm
		ws := bboxWords(t, file, 3)
		n := ws[0] // first word drawn on the page
		if n.text != "2" {
			t.Fatalf("%s: page 3 opens with %q, want its number 2", p, n.text)
		}
		if c := (n.x0 + n.x1) / 2; math.Abs(c-axis) > 0.5 {
			t.Errorf("%s: page number centred at %.1f pt, text block axis %.1f", p, c, axis)
		}
		if n.y1 > sp.top*mm {
			t.Errorf("%s: page number reaches %.1f pt, below the top margin", p, n.y1)
		}
		if s := n.size(); s < 12.9 || s > 14.1 {
			t.Errorf("%s: page number in %.1f pt", p, s)
		}
	}
}

// The rule under an NĐ30 trích yếu is 1/3 to 1/2 of the line.
func TestSubjectRuleLength(t *testing.T) {
	for _, w := range []float64{30, 40, 50, 75, 85, 150} {
		got := subjectRuleLen(w)
		if got < w/3-1e-9 || got > w/2+1e-9 {
			t.Errorf("text %.0f mm: rule %.1f mm, outside 1/3–1/2", w, got)
		}
	}
	if got := subjectRuleLen(85); math.Abs(got-85.0/3) > 1e-9 {
		t.Errorf("rule for 85 mm = %.2f, want 1/3", got)
	}
}

func TestBindDashes(t *testing.T) {
	n := string(nbsp)
	cases := map[string]string{
		"TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG": "TM. HỘI ĐỒNG" + " THI" + n + "ĐUA" + n + "-" + n + "KHEN" + n + "THƯỞNG",
		"Độc lập - Tự do - Hạnh phúc":        "Độc" + n + "lập" + n + "-" + n + "Tự" + n + "do" + n + "-" + n + "Hạnh" + n + "phúc",
		"- đầu dòng":                         "- đầu dòng",
		"không có gạch":                      "không có gạch",
		"Số 05-QĐ/BTGTU":                     "Số 05-QĐ/BTGTU",
	}
	for in, want := range cases {
		if got := bindDashes(in); got != want {
			t.Errorf("bindDashes(%q) = %q, want %q", in, got, want)
		}
	}
}

// A long signer authority wraps into balanced lines and never splits a
// dash-joined name: "TM. HỘI ĐỒNG" over "THI ĐUA - KHEN THƯỞNG".
func TestSignatureTitleWrap(t *testing.T) {
	for _, p := range []Profile{ProfileND30, ProfileHD36} {
		d := sampleDecision(p, 1)
		d.Signer = Signer{Prefix: "TM.", Body: "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", Title: "CHỦ TỊCH", Name: "Trần Văn Ưng"}
		r := render(t, d)
		txt := pageText(t, writeTemp(t, r.PDF), 1)
		if !regexp.MustCompile(`(?m)TM\. HỘI ĐỒNG\s*$`).MatchString(txt) || !regexp.MustCompile(`(?m)THI ĐUA - KHEN THƯỞNG\s*$`).MatchString(txt) {
			t.Errorf("%s: authority not wrapped as “TM. HỘI ĐỒNG / THI ĐUA - KHEN THƯỞNG”:\n%s", p, txt)
		}
		checkSlot(t, r.PDF, SignatureSlot{Name: d.Signer.Name, Page: r.SignaturePage, Rect: r.SignatureRect}, d.Signer.Title)
	}
	// "\n" forces the break where the caller wants it.
	d := sampleDecision(ProfileND30, 1)
	d.Signer = Signer{Prefix: "TM.", Body: "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP", Title: "CHỦ TỊCH", Name: "Trần Văn Ưng"}
	txt := flat(runTool(t, "pdftotext", "-raw", writeTemp(t, render(t, d).PDF), "-"))
	if !strings.Contains(txt, "TM. ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP CHỦ TỊCH") {
		t.Errorf("forced break lost text:\n%s", txt)
	}
}

// In a table cell a dash-joined name stays whole when that costs no line:
// the annex's unit column reads "Phòng Tuyên truyền, / Báo chí - Xuất bản".
func TestCellTextKeepsDashNames(t *testing.T) {
	w, err := newWriter(profiles[ProfileND30], RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	unit := "Phòng Tuyên truyền, Báo chí - Xuất bản"
	if got := w.cellText(unit, regular, 13, 55-2*cellPadH); got != bindDashes(unit) {
		t.Errorf("55 mm cell: %q, want the dash name bound", got)
	}
	// Binding would push "Phòng" onto a line of its own here: left alone.
	narrow := "Phòng Khoa giáo - Văn hoá, Văn nghệ"
	if got := w.cellText(narrow, regular, 11, 40-2*cellPadH); got != narrow {
		t.Errorf("40 mm cell: %q, want it unchanged", got)
	}
	r := render(t, sampleDecision(ProfileHD36, 3))
	if txt := pageText(t, writeTemp(t, r.PDF), 2); !regexp.MustCompile(`(?m)Báo chí - Xuất bản\s*$`).MatchString(txt) {
		t.Errorf("annex unit not wrapped before “Báo chí - Xuất bản”:\n%s", txt)
	}
}
