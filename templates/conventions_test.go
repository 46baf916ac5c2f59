package templates

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestProfileConventions(t *testing.T) {
	nd, hd := profiles[ProfileND30], profiles[ProfileHD36]
	for _, c := range []struct{ in, nd30, hd36 string }{
		{"Về việc tặng danh hiệu “Lao động tiên tiến” năm 2025", "Về việc tặng danh hiệu “Lao động tiên tiến” năm 2025", "về việc tặng danh hiệu “Lao động tiên tiến” năm 2025"},
		{"về việc đề nghị", "Về việc đề nghị", "về việc đề nghị"},
		{"Họp Hội đồng Thi đua - Khen thưởng", "Họp Hội đồng Thi đua - Khen thưởng", "họp Hội đồng Thi đua - Khen thưởng"},
		// A name keeps its capital in both profiles.
		{"Hội đồng Thi đua - Khen thưởng họp", "Hội đồng Thi đua - Khen thưởng họp", "Hội đồng Thi đua - Khen thưởng họp"},
		{"Ve\u0302\u0300 việc", "Về việc", "về việc"}, // decomposed input
	} {
		if got := nd.subjectFor(c.in); got != c.nd30 {
			t.Errorf("ND30 subject %q = %q, want %q", c.in, got, c.nd30)
		}
		if got := hd.subjectFor(c.in); got != c.hd36 {
			t.Errorf("HD36 subject %q = %q, want %q", c.in, got, c.hd36)
		}
	}

	bases := []string{"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", "- Căn cứ Quy chế", " Xét đề nghị của Hội đồng. "}
	if got, want := nd.basesFor(bases, "."), []string{"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", "Căn cứ Quy chế;", "Xét đề nghị của Hội đồng."}; !slices.Equal(got, want) {
		t.Errorf("ND30 bases %q", got)
	}
	if got, want := hd.basesFor(bases, ","), []string{"- Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", "- Căn cứ Quy chế;", "- Xét đề nghị của Hội đồng,"}; !slices.Equal(got, want) {
		t.Errorf("HD36 bases %q", got)
	}

	recv := []string{"Như Điều 3", "- Thường trực Tỉnh uỷ (b/c);", "", "Lưu Văn phòng."}
	if got, want := nd.recipientLines(recv), []string{"- Như Điều 3;", "- Thường trực Tỉnh uỷ (b/c);", "- Lưu Văn phòng."}; !slices.Equal(got, want) {
		t.Errorf("ND30 recipients %q", got)
	}
	if got, want := hd.recipientLines(recv), []string{"- Như Điều 3,", "- Thường trực Tỉnh uỷ (b/c),", "- Lưu Văn phòng."}; !slices.Equal(got, want) {
		t.Errorf("HD36 recipients %q", got)
	}

	for _, c := range []struct {
		d          time.Time
		nd30, hd36 string
	}{
		{time.Date(2026, 2, 5, 0, 0, 0, 0, vietnamTime), "05/02/2026", "05-02-2026"},
		{time.Date(2026, 3, 15, 0, 0, 0, 0, vietnamTime), "15/03/2026", "15-3-2026"},
		{time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC), "01/12/2026", "01-12-2026"}, // Vietnam time
	} {
		if got := nd.citedDate(c.d); got != c.nd30 {
			t.Errorf("ND30 %v = %q, want %q", c.d, got, c.nd30)
		}
		if got := hd.citedDate(c.d); got != c.hd36 {
			t.Errorf("HD36 %v = %q, want %q", c.d, got, c.hd36)
		}
	}
	if got := hd.annexReference("05-QĐ/BTGTU", time.Date(2026, 2, 5, 0, 0, 0, 0, vietnamTime), "Ban Tuyên giáo Tỉnh uỷ Đồng Tháp"); strings.ReplaceAll(got, "\u00a0", " ") != "(Kèm theo Quyết định số 05-QĐ/BTGTU, ngày 05-02-2026 của Ban Tuyên giáo Tỉnh uỷ Đồng Tháp)" {
		t.Errorf("HD36 annex reference %q", got)
	}
}

// The printed span of a meeting holds the real one and never shows one minute as
// both its start and its end.
func TestMeetingSpan(t *testing.T) {
	at := func(h, m, s int) time.Time { return time.Date(2026, 1, 15, h, m, s, 0, vietnamTime) }
	for _, c := range []struct{ open, close, start, end time.Time }{
		{at(8, 0, 10), at(8, 0, 50), at(8, 0, 0), at(8, 1, 0)},
		{at(8, 0, 0), at(8, 0, 0), at(8, 0, 0), at(8, 1, 0)},
		{at(8, 0, 30), at(10, 30, 0), at(8, 0, 0), at(10, 30, 0)},
		{at(8, 59, 59), at(9, 0, 1), at(8, 59, 0), at(9, 1, 0)},
	} {
		s, e := meetingSpan(c.open, c.close)
		if !s.Equal(c.start) || !e.Equal(c.end) {
			t.Errorf("%v–%v printed %v–%v, want %v–%v", c.open, c.close, s, e, c.start, c.end)
		}
		if s.After(c.open) || e.Before(c.close) || clockWords(s) == clockWords(e) {
			t.Errorf("%v–%v printed %s–%s", c.open, c.close, clockWords(s), clockWords(e))
		}
	}
}

// Minutes of a session opened and closed within one minute still show a start and a
// later end; a meeting over midnight names the end's date.
func TestMinutesTimes(t *testing.T) {
	for _, p := range []Profile{ProfileND30, ProfileHD36} {
		m := sampleMinutes(p, 1)
		m.Opened = time.Date(2026, 1, 15, 8, 0, 5, 0, vietnamTime)
		m.Closed = m.Opened.Add(20 * time.Second)
		r, err := RenderMinutes(m, RenderOptions{CreationDate: fixedCreation})
		if err != nil {
			t.Fatal(err)
		}
		txt := flat(runTool(t, "pdftotext", "-raw", writeTemp(t, r.PDF), "-"))
		for _, w := range []string{"Thời gian bắt đầu: 08 giờ 00 phút, ngày 15 tháng 01 năm 2026.", "Cuộc họp kết thúc vào 08 giờ 01 phút cùng ngày."} {
			if !strings.Contains(txt, w) {
				t.Errorf("%s: minutes lack %q", p, w)
			}
		}
		m.Closed = time.Date(2026, 1, 16, 0, 10, 0, 0, vietnamTime)
		r, err = RenderMinutes(m, RenderOptions{CreationDate: fixedCreation})
		if err != nil {
			t.Fatal(err)
		}
		if txt := flat(runTool(t, "pdftotext", "-raw", writeTemp(t, r.PDF), "-")); !strings.Contains(txt, "Cuộc họp kết thúc vào 00 giờ 10 phút, ngày 16 tháng 01 năm 2026.") {
			t.Errorf("%s: a meeting over midnight does not name the end's date", p)
		}
	}
}

// annexReferenceFlat is the annex reference as pdftotext reads it (white space made
// single spaces), with the date written per profile.
func (sp *profileSpec) annexReferenceFlat(number, nd30Date, hd36Date, agency string) string {
	if sp.party {
		return "(Kèm theo Quyết định số " + number + ", ngày " + hd36Date + " của " + agency + ")"
	}
	return "(Kèm theo Quyết định số " + number + " ngày " + nd30Date + " của " + agency + ")"
}
