package templates

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func render(t testing.TB, d Decision) Rendered {
	t.Helper()
	r, err := RenderDecision(d, RenderOptions{CreationDate: fixedCreation})
	if err != nil {
		t.Fatalf("RenderDecision: %v", err)
	}
	return r
}

func TestDecisionText(t *testing.T) {
	for _, p := range []Profile{ProfileHD36, ProfileND30} {
		for _, n := range []int{1, 300} {
			t.Run(fmt.Sprintf("%s/%d", p, n), func(t *testing.T) {
				d := sampleDecision(p, n)
				r := render(t, d)
				file := writeTemp(t, r.PDF)
				info := runTool(t, "pdfinfo", file)
				if !regexp.MustCompile(`Pages:\s+` + strconv.Itoa(r.Pages) + `\n`).MatchString(info) {
					t.Errorf("Rendered.Pages = %d disagrees with pdfinfo:\n%s", r.Pages, info)
				}
				page1 := flat(pageText(t, file, 1))
				want := []string{
					"QUYẾT ĐỊNH", d.NumberText, "Đồng Tháp, ngày 05 tháng 02 năm 2026",
					"Điều 1.", "Điều 2.", "Điều 3.",
					"“Lao động tiên tiến” năm 2025 cho " + twoDigits(n) + " cá nhân",
					"số tiền là 710.000 đồng (bằng chữ: Bảy trăm mười nghìn đồng)",
					"chịu trách nhiệm thi hành Quyết định này./.",
					"Nơi nhận:", d.Signer.Name, d.Signer.Title, d.Agency.ParentName,
				}
				switch p {
				case ProfileHD36:
					// Party conventions (templates/conventions.go): the trích yếu in lower
					// case after the type; "- " căn cứ, the last closing with ","; the
					// authority and the verb on one line; recipients closed by ",".
					want = append(want, "ĐẢNG CỘNG SẢN VIỆT NAM", "BAN TUYÊN GIÁO", "K/T TRƯỞNG BAN",
						"QUYẾT ĐỊNH về việc tặng danh hiệu Lao động tiên tiến năm 2025",
						"- Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
						"- Xét đề nghị của Hội đồng Thi đua - Khen thưởng Cơ quan, BAN TUYÊN GIÁO TỈNH UỶ QUYẾT ĐỊNH:",
						"- Như Điều 3,", "- Lưu Văn phòng Ban.")
				case ProfileND30:
					want = append(want, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ VĂN HOÁ, THỂ THAO", "KT. GIÁM ĐỐC",
						"QUYẾT ĐỊNH Về việc tặng danh hiệu Lao động tiên tiến năm 2025", "Theo đề nghị của Chánh Văn phòng Sở. QUYẾT ĐỊNH:",
						"- Như Điều 3;", "- Ban Thi đua - Khen thưởng tỉnh;", "- Lưu: VT, VP.")
				}
				for _, s := range want {
					if !strings.Contains(page1, s) {
						t.Errorf("page 1 lacks %q\n--- page 1 ---\n%s", s, page1)
					}
				}
				if strings.Contains(page1, "DANH SÁCH") {
					t.Errorf("annex must start on its own page")
				}

				// The annex: heading on its first page, every awardee in order, the
				// header row repeated on each annex page, rows never split.
				annexFirst := 2
				if r.SignaturePage != 1 {
					t.Fatalf("signature on page %d, want 1", r.SignaturePage)
				}
				a1 := flat(pageText(t, file, annexFirst))
				heading := "Cá nhân được tặng danh hiệu “Lao động tiên tiến” năm 2025"
				if p == ProfileND30 {
					heading = "CÁ NHÂN ĐƯỢC TẶNG DANH HIỆU “LAO ĐỘNG TIÊN TIẾN” NĂM 2025" // a phụ lục's name is in capitals
				}
				// Dates inside the text: NĐ30 05/02/2026; HD36 ", ngày 05-02-2026".
				ref := "(Kèm theo Quyết định số " + bareNumber(d.NumberText) + " ngày 05/02/2026 của " + d.Agency.FullName + ")"
				if p == ProfileHD36 {
					ref = "(Kèm theo Quyết định số " + bareNumber(d.NumberText) + ", ngày 05-02-2026 của " + d.Agency.FullName + ")"
				}
				for _, s := range []string{"DANH SÁCH", heading, ref} {
					if !strings.Contains(a1, s) {
						t.Errorf("annex page lacks %q\n%s", s, a1)
					}
				}
				headerRows, next := 0, 1
				rowRe := regexp.MustCompile(`^\s*(\d+)\s+(\S.*?)\s{2,}`)
				for pg := annexFirst; pg <= r.Pages; pg++ {
					txt := pageText(t, file, pg)
					if c := strings.Count(txt, "Họ và tên"); c != 1 {
						t.Errorf("page %d: header row appears %d times, want 1", pg, c)
					}
					headerRows++
					for _, ln := range strings.Split(txt, "\n") {
						m := rowRe.FindStringSubmatch(ln)
						if m == nil {
							continue
						}
						num, _ := strconv.Atoi(m[1])
						if num != next {
							continue // a page number or a wrapped cell line
						}
						if got, want := strings.TrimSpace(m[2]), d.Awardees[num-1].Name; got != want {
							t.Errorf("page %d row %d: name %q, want %q", pg, num, got, want)
						}
						next++
					}
				}
				if next != n+1 {
					t.Errorf("found rows 1..%d in order, want 1..%d", next-1, n)
				}
				if n == 300 && headerRows < 5 {
					t.Errorf("300 awardees fit on %d annex pages: the pagination test is not exercising page breaks", headerRows)
				}
			})
		}
	}
}

// Page numbers: centred in the top margin, never on the first page of a
// sequence; the annex is numbered on its own (NĐ30: a phụ lục has its own page
// numbers), so its first page has none and its k-th page shows k.
func TestPageNumbers(t *testing.T) {
	for _, p := range []Profile{ProfileHD36, ProfileND30} {
		r := render(t, sampleDecision(p, 300))
		file := writeTemp(t, r.PDF)
		if r.Pages < 6 {
			t.Fatalf("%s: only %d pages", p, r.Pages)
		}
		num := regexp.MustCompile(`^\d+$`)
		for pg := 1; pg <= r.Pages; pg++ {
			first := firstLine(pageText(t, file, pg))
			annexPage := pg - 1 // the decision body is one page
			switch {
			case pg <= 2:
				if num.MatchString(first) {
					t.Errorf("%s page %d: first line %q is a page number; first pages carry none", p, pg, first)
				}
			default:
				if first != strconv.Itoa(annexPage) {
					t.Errorf("%s page %d: first line %q, want page number %d", p, pg, first, annexPage)
				}
			}
		}
	}
}

func TestFontsEmbeddedSubset(t *testing.T) {
	for _, p := range []Profile{ProfileHD36, ProfileND30} {
		r := render(t, sampleDecision(p, 3))
		out := runTool(t, "pdffonts", writeTemp(t, r.PDF))
		lines := strings.Split(strings.TrimSpace(out), "\n")[2:]
		want := 3 // regular, bold, italic
		if p == ProfileND30 {
			want = 4 // + bold italic "Nơi nhận:"
		}
		if len(lines) != want {
			t.Errorf("%s: %d fonts, want %d:\n%s", p, len(lines), want, out)
		}
		tag := regexp.MustCompile(`^[A-Z]{6}\+LiberationSerif(-Bold|-Italic|-BoldItalic)?\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s`)
		for _, l := range lines {
			if !tag.MatchString(l) {
				t.Errorf("%s: font line not an embedded, subset, Unicode-mapped Liberation Serif:\n%s", p, l)
			}
		}
	}
}

func TestMetadata(t *testing.T) {
	d := sampleDecision(ProfileHD36, 1)
	r := render(t, d)
	info := runTool(t, "pdfinfo", "-isodates", writeTemp(t, r.PDF))
	for _, s := range []string{
		"Title:           Quyết định 05-QĐ/BTGTU về việc tặng danh hiệu Lao động tiên tiến năm 2025",
		"Author:          Ban Tuyên giáo Tỉnh uỷ Đồng Tháp",
		"Subject:         Về việc tặng danh hiệu Lao động tiên tiến năm 2025",
		"Creator:         awardflow",
		"CreationDate:    2026-02-05T09:30:00+07",
		"Page size:       595.28 x 841.89 pts (A4)",
	} {
		if !strings.Contains(info, s) {
			t.Errorf("pdfinfo lacks %q:\n%s", s, info)
		}
	}
	if !bytes.Contains(r.PDF, []byte("/Lang (vi-VN)")) {
		t.Error("catalog has no /Lang")
	}
}

// The xref table must point at every object after post-processing changed
// lengths; a wrong offset is silently repaired by most viewers, so check it.
func TestXrefOffsets(t *testing.T) {
	r := render(t, sampleDecision(ProfileND30, 40))
	pos, err := startXref(r.PDF)
	if err != nil {
		t.Fatal(err)
	}
	offs, _, err := parseXref(r.PDF, pos)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range offs {
		want := fmt.Sprintf("%d 0 obj", i+1)
		if !bytes.HasPrefix(r.PDF[o:], []byte(want)) {
			t.Errorf("xref entry %d points at %q", i+1, r.PDF[o:min(o+12, len(r.PDF))])
		}
	}
	if !regexp.MustCompile(`/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]`).Match(r.PDF) {
		t.Error("trailer has no /ID")
	}
}

func TestReproducible(t *testing.T) {
	for _, p := range []Profile{ProfileHD36, ProfileND30} {
		d := sampleDecision(p, 60)
		a, b := render(t, d), render(t, d)
		if !bytes.Equal(a.PDF, b.PDF) {
			t.Errorf("%s: two renders differ (%d vs %d bytes)", p, len(a.PDF), len(b.PDF))
		}
		d.Awardees[10].Name = "Nguyễn Văn Khác"
		c := render(t, d)
		if bytes.Equal(a.PDF, c.PDF) {
			t.Errorf("%s: changing a name did not change the PDF", p)
		}
		id := regexp.MustCompile(`/ID \[<([0-9a-f]{32})>`)
		if bytes.Equal(id.Find(a.PDF), id.Find(c.PDF)) {
			t.Errorf("%s: /ID does not depend on content", p)
		}
		later, err := RenderDecision(d, RenderOptions{CreationDate: fixedCreation.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(later.PDF, c.PDF) {
			t.Errorf("%s: CreationDate not reflected in output", p)
		}
	}
	m := sampleMinutes(ProfileHD36, 5)
	x, _ := RenderMinutes(m, RenderOptions{CreationDate: fixedCreation})
	y, _ := RenderMinutes(m, RenderOptions{CreationDate: fixedCreation})
	if !bytes.Equal(x.PDF, y.PDF) {
		t.Error("minutes: two renders differ")
	}
}

// 16 goroutines render at once (run with -race): the per-document font copy
// and the shared metrics must not race, and each result must equal the
// sequential render.
func TestConcurrentRender(t *testing.T) {
	type job struct {
		d    Decision
		want []byte
	}
	var jobs []job
	for i := range 16 {
		p := []Profile{ProfileHD36, ProfileND30}[i%2]
		d := sampleDecision(p, 1+i*7)
		jobs = append(jobs, job{d, render(t, d).PDF})
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := RenderDecision(j.d, RenderOptions{CreationDate: fixedCreation})
			if err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(r.PDF, j.want) {
				errs <- fmt.Errorf("job %d: concurrent render differs from sequential", i)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestUnsupportedCharacter(t *testing.T) {
	for _, bad := range []string{"Nguyễn Văn 😀", "王小明", "Ṩ\u0378"} {
		d := sampleDecision(ProfileHD36, 2)
		d.Awardees[1].Name = bad
		_, err := RenderDecision(d, RenderOptions{CreationDate: fixedCreation})
		if err == nil || !strings.Contains(err.Error(), "U+") {
			t.Errorf("name %q: err = %v, want a character-not-in-font error", bad, err)
		}
	}
}

// Decomposed input (NFD, as some keyboards and copy/paste produce) must print
// as the precomposed letters: gofpdf does not position combining marks.
func TestDecomposedInputIsNormalised(t *testing.T) {
	d := sampleDecision(ProfileND30, 1)
	nfc := "Trương Thị Thuỳ Hạnh"
	d.Awardees[0].Name = norm.NFD.String(nfc)
	if d.Awardees[0].Name == nfc {
		t.Fatal("fixture is not decomposed")
	}
	r := render(t, d)
	txt := pageText(t, writeTemp(t, r.PDF), 2)
	if !strings.Contains(txt, nfc) {
		t.Errorf("annex does not contain precomposed %q:\n%s", nfc, txt)
	}
	if strings.ContainsRune(txt, '\u0300') || strings.ContainsRune(txt, '\u0323') {
		t.Error("combining marks reached the PDF")
	}
}

// The signature rectangle is the blank space between the signer's title and
// name: no word may fall inside it, the title is just above and the name just
// below.
func TestSignatureRect(t *testing.T) {
	for _, p := range []Profile{ProfileHD36, ProfileND30} {
		d := sampleDecision(p, 2)
		r := render(t, d)
		checkSlot(t, r.PDF, SignatureSlot{Name: d.Signer.Name, Page: r.SignaturePage, Rect: r.SignatureRect}, d.Signer.Title)
		if len(r.Signatures) != 1 || r.Signatures[0].Rect != r.SignatureRect {
			t.Errorf("Signatures = %+v", r.Signatures)
		}
	}
}

var wordRe = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

func checkSlot(t *testing.T, pdf []byte, s SignatureSlot, title string) {
	t.Helper()
	file := writeTemp(t, pdf)
	pg := strconv.Itoa(s.Page)
	html := runTool(t, "pdftotext", "-bbox", "-f", pg, "-l", pg, file, "-")
	// pdftotext -bbox uses points from the top-left; the rect is bottom-left.
	const h = 841.89
	top, bottom := h-s.Rect[3], h-s.Rect[1]
	if s.Rect[2]-s.Rect[0] < 100 || bottom-top < 60 {
		t.Errorf("signature box too small: %v", s.Rect)
	}
	if s.Rect[0] < 0 || s.Rect[2] > 595.28 || s.Rect[1] < 0 || s.Rect[3] > h {
		t.Errorf("signature box off the page: %v", s.Rect)
	}
	nameFirst := strings.Fields(s.Name)[0]
	titleLast := strings.Fields(title)[len(strings.Fields(title))-1]
	var nameTop, titleBottom float64 = -1, -1
	for _, m := range wordRe.FindAllStringSubmatch(html, -1) {
		x0, _ := strconv.ParseFloat(m[1], 64)
		y0, _ := strconv.ParseFloat(m[2], 64)
		x1, _ := strconv.ParseFloat(m[3], 64)
		y1, _ := strconv.ParseFloat(m[4], 64)
		if x1 > s.Rect[0] && x0 < s.Rect[2] && y1 > top && y0 < bottom {
			t.Errorf("word %q at (%.1f,%.1f) lies inside the signature box %v", m[5], x0, y0, s.Rect)
		}
		if m[5] == nameFirst && y0 > top && x0 > s.Rect[0]-20 && x1 < s.Rect[2]+20 {
			nameTop = y0
		}
		if m[5] == titleLast && y1 < bottom && x0 > s.Rect[0]-20 && x1 < s.Rect[2]+20 {
			titleBottom = y1
		}
	}
	if nameTop < 0 || nameTop-bottom > 10 {
		t.Errorf("signer name %q not found just below the box (name top %.1f, box bottom %.1f)", s.Name, nameTop, bottom)
	}
	if titleBottom < 0 || top-titleBottom > 10 {
		t.Errorf("title %q not found just above the box (title bottom %.1f, box top %.1f)", title, titleBottom, top)
	}
}

func TestMinutes(t *testing.T) {
	for _, p := range []Profile{ProfileHD36, ProfileND30} {
		t.Run(string(p), func(t *testing.T) {
			m := sampleMinutes(p, 40)
			r, err := RenderMinutes(m, RenderOptions{CreationDate: fixedCreation})
			if err != nil {
				t.Fatal(err)
			}
			file := writeTemp(t, r.PDF)
			// -raw keeps content order, so a name wrapped inside a table cell
			// stays in one piece.
			txt := flat(runTool(t, "pdftotext", "-raw", file, "-"))
			want := []string{
				"BIÊN BẢN", m.NumberText, "Đồng Tháp, ngày 15 tháng 01 năm 2026",
				"Thời gian bắt đầu: 08 giờ 00 phút, ngày 15 tháng 01 năm 2026. Địa điểm: Phòng họp Cơ quan.",
				"Chủ trì: Trần Văn Ưng, Trưởng Ban, Chủ tịch Hội đồng", "Thành viên Hội đồng: tổng số 07 người; có mặt 06 người:",
				"Vắng mặt: 01 người", m.QuorumText,
				"Hình thức biểu quyết: biểu quyết giơ tay đối với hình thức “Lao động tiên tiến”; bỏ phiếu kín đối với hình thức “Chiến sĩ thi đua cơ sở”.",
				"Kết quả kiểm phiếu: số phiếu phát ra 06; số phiếu thu vào 06; số phiếu hợp lệ 06; số phiếu không hợp lệ 0.",
				"Tỷ lệ đồng ý và mức đạt theo quy chế của Hội đồng: + Hình thức “Lao động tiên tiến”",
				"Kết quả cụ thể như sau:",
				"Số phiếu Đồng ý Không đồng ý Không ý kiến Tỷ lệ đồng ý Kết quả",
				"1 Nguyễn Thị Hồng Nhung Lao động tiên tiến 6 0 0 6/7 (85,71%) Đạt",
				"Ghi chú: - Trần Thị Khải có sáng kiến được công nhận cấp cơ sở năm 2025.",
				"Cuộc họp kết thúc vào 10 giờ 30 phút cùng ngày.", "THƯ KÝ", "CHỦ TRÌ",
			}
			if p == ProfileHD36 {
				want = append(want, "BIÊN BẢN họp Hội đồng Thi đua - Khen thưởng xét tặng")
			} else {
				want = append(want, "BIÊN BẢN Họp Hội đồng Thi đua - Khen thưởng xét tặng")
			}
			for _, s := range want {
				if !strings.Contains(txt, s) {
					t.Errorf("minutes lack %q", s)
				}
			}
			if c := strings.Count(txt, "Tỷ lệ đồng ý Kết quả"); c < 2 {
				t.Errorf("tally header appears %d times over %d pages; want it repeated", c, r.Pages)
			}
			// Reasons are given once, never per row.
			if c := strings.Count(txt, "trên 50%"); c != 1 {
				t.Errorf("the LĐTT threshold is printed %d times, want once", c)
			}
			for _, it := range m.Items {
				if !strings.Contains(txt, it.Nominee) {
					t.Errorf("nominee %q missing", it.Nominee)
				}
			}
			if len(r.Signatures) != 2 || r.Signatures[0].Role != "chair" || r.Signatures[1].Role != "secretary" {
				t.Fatalf("Signatures = %+v", r.Signatures)
			}
			checkSlot(t, r.PDF, r.Signatures[0], "CHỦ TRÌ")
			checkSlot(t, r.PDF, r.Signatures[1], "THƯ KÝ")
			if r.SignatureRect != r.Signatures[0].Rect || r.SignaturePage != r.Pages {
				t.Errorf("primary slot %v p%d, want the chair's on the last page", r.SignatureRect, r.SignaturePage)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	d := sampleDecision(ProfileHD36, 1)
	d.Agency.Profile = "XYZ"
	if _, err := RenderDecision(d, RenderOptions{}); err == nil {
		t.Error("unknown profile accepted")
	}
	d = sampleDecision(ProfileHD36, 0)
	if _, err := RenderDecision(d, RenderOptions{}); err == nil {
		t.Error("decision without awardees accepted")
	}
	m := sampleMinutes(ProfileND30, 1)
	m.Secretary = ""
	if _, err := RenderMinutes(m, RenderOptions{}); err == nil {
		t.Error("minutes without secretary accepted")
	}
}

// A body longer than a page: the text flows onto page 2 (numbered "2"), the
// last article stays with the signature, and the annex still restarts its
// own numbering.
func TestLongBody(t *testing.T) {
	d := sampleDecision(ProfileND30, 30)
	for i := range 14 {
		d.Bases = append(d.Bases[:len(d.Bases)-1], fmt.Sprintf("Căn cứ Quyết định số %d/QĐ-UBND ngày 10 tháng 3 năm 2025 của Uỷ ban nhân dân tỉnh về việc ban hành quy chế thi đua, khen thưởng trên địa bàn tỉnh;", 100+i), d.Bases[len(d.Bases)-1])
	}
	r := render(t, d)
	file := writeTemp(t, r.PDF)
	if r.SignaturePage != 2 {
		t.Fatalf("signature on page %d, want 2", r.SignaturePage)
	}
	p2 := pageText(t, file, 2)
	if firstLine(p2) != "2" {
		t.Errorf("page 2 starts with %q, want its number", firstLine(p2))
	}
	if !strings.Contains(flat(p2), "Điều 3.") || !strings.Contains(flat(p2), d.Signer.Name) {
		t.Errorf("last article and signature not together on page 2:\n%s", p2)
	}
	if !strings.Contains(flat(pageText(t, file, 3)), "DANH SÁCH") {
		t.Error("annex does not start on page 3")
	}
	if l := firstLine(pageText(t, file, 3)); regexp.MustCompile(`^\d+$`).MatchString(l) {
		t.Errorf("annex first page shows a number %q", l)
	}
	checkSlot(t, r.PDF, SignatureSlot{Name: d.Signer.Name, Page: r.SignaturePage, Rect: r.SignatureRect}, d.Signer.Title)
}

// Variants a caller may send: no prefix, no recipients, no bonus, no date yet
// (the văn thư writes it), a custom award phrase.
func TestDecisionVariants(t *testing.T) {
	d := sampleDecision(ProfileHD36, 2)
	d.Signer = Signer{Title: "TRƯỞNG BAN", Name: "Trần Văn Ưng"}
	d.Recipients = nil
	d.BonusCoefficient = 0
	d.Date = time.Time{}
	d.AwardPhrase = "Giấy khen"
	d.Movement = ""
	d.NumberText = "Số      -QĐ/BTGTU"
	r := render(t, d)
	raw := pageText(t, writeTemp(t, r.PDF), 1)
	// Blanks for the văn thư's handwriting survive whitespace collapsing.
	if !regexp.MustCompile(`Số {4,}-QĐ/BTGTU`).MatchString(raw) || !regexp.MustCompile(`Đồng Tháp, ngày {4,}tháng {4,}năm`).MatchString(raw) {
		t.Errorf("blank number/date not preserved:\n%s", raw)
	}
	txt := flat(raw)
	for _, s := range []string{"Tặng Giấy khen năm 2025 cho 02 cá nhân (có danh sách kèm theo).", "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", "TRƯỞNG BAN Trần Văn Ưng"} {
		if !strings.Contains(txt, s) {
			t.Errorf("page 1 lacks %q:\n%s", s, txt)
		}
	}
	for _, s := range []string{"Nơi nhận", "Điều 3.", "lương cơ sở"} {
		if strings.Contains(txt, s) {
			t.Errorf("page 1 unexpectedly contains %q", s)
		}
	}
	checkSlot(t, r.PDF, SignatureSlot{Name: d.Signer.Name, Page: r.SignaturePage, Rect: r.SignatureRect}, d.Signer.Title)
}
