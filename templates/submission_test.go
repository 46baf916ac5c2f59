package templates

import (
	"bytes"
	"fmt"
	"github.com/awardflow/awardflow/internal/award"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func renderSub(t testing.TB, s Submission) Rendered {
	t.Helper()
	r, err := RenderSubmission(s, RenderOptions{CreationDate: fixedCreation})
	if err != nil {
		t.Fatalf("RenderSubmission: %v", err)
	}
	return r
}

// printedOrder is the order the table lists the items in: grouped by kind in
// the order each kind first appears, stable within a group.
func printedOrder(items []SubmissionItem) []SubmissionItem {
	var kinds []string
	by := map[string][]SubmissionItem{}
	for _, it := range items {
		k, err := itemKind(it.Kind)
		if err != nil {
			panic(err)
		}
		if _, ok := by[k]; !ok {
			kinds = append(kinds, k)
		}
		by[k] = append(by[k], it)
	}
	var out []SubmissionItem
	for _, k := range kinds {
		out = append(out, by[k]...)
	}
	return out
}

// countWord counts s in text as a whole phrase (bounded by spaces or the
// ends): "Tổ công tác số 01" must not match inside a longer name.
func countWord(text, s string) int { return strings.Count(" "+text+" ", " "+s+" ") }

func TestSubmissionText(t *testing.T) {
	for _, p := range []Profile{ProfileND30, ProfileHD36} {
		for _, n := range []int{1, 120} {
			t.Run(fmt.Sprintf("%s/%d", p, n), func(t *testing.T) {
				s := sampleSubmission(p, n)
				r := renderSub(t, s)
				file := writeTemp(t, r.PDF)
				info := runTool(t, "pdfinfo", file)
				if !regexp.MustCompile(`Pages:\s+` + strconv.Itoa(r.Pages) + `\n`).MatchString(info) {
					t.Errorf("Rendered.Pages = %d disagrees with pdfinfo:\n%s", r.Pages, info)
				}
				page1 := flat(pageText(t, file, 1))
				want := []string{
					"TỜ TRÌNH", s.NumberText, "Đồng Tháp, ngày 05 tháng 02 năm 2026",
					"ề việc đề nghị tặng danh hiệu Tập thể lao động xuất sắc năm 2025",
					"Kính gửi: Hội đồng Thi đua - Khen thưởng Tỉnh",
					"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
					"Hội đồng Thi đua - Khen thưởng Cơ quan đã họp, bỏ phiếu kín và thống nhất đề nghị khen thưởng các tập thể, cá nhân sau:",
					s.Agency.ParentName,
				}
				switch p {
				case ProfileND30:
					want = append(want, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ VĂN HOÁ, THỂ THAO",
						"Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Thi đua, khen thưởng.",
						"Về việc đề nghị")
				case ProfileHD36:
					// Party documents: the trích yếu in lower case after the type, căn cứ
					// opening with "- ".
					want = append(want, "ĐẢNG CỘNG SẢN VIỆT NAM", "BAN TUYÊN GIÁO", "- Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
						"- Căn cứ Quy chế làm việc của Ban Tuyên giáo Tỉnh uỷ.", "TỜ TRÌNH về việc đề nghị")
				}
				for _, w := range want {
					if !strings.Contains(page1, w) {
						t.Errorf("page 1 lacks %q", w)
					}
				}
				// Table cells hold several lines: read them in content order.
				raw1 := flat(runTool(t, "pdftotext", "-raw", "-f", "1", "-l", "1", file, "-"))
				for _, w := range []string{"STT", "Hình thức đề nghị", "Tóm tắt thành tích",
					"Kết quả bỏ phiếu Đồng ý Không đồng ý Không ý kiến Tỷ lệ đồng ý"} {
					if !strings.Contains(raw1, w) {
						t.Errorf("page 1 table header lacks %q", w)
					}
				}
				if t.Failed() {
					t.Logf("--- page 1 (layout) ---\n%s\n--- page 1 (raw) ---\n%s", page1, raw1)
				}

				last := flat(pageText(t, file, r.Pages))
				closing := s.Agency.FullName + " kính trình Hội đồng Thi đua - Khen thưởng Tỉnh xem xét, quyết định./."
				for _, w := range []string{closing, "Nơi nhận:", s.Signer.Title, s.Signer.Name} {
					if !strings.Contains(last, w) {
						t.Errorf("last page lacks %q\n%s", w, last)
					}
				}
				if r.SignaturePage != r.Pages {
					t.Errorf("signature on page %d of %d", r.SignaturePage, r.Pages)
				}
				checkSlot(t, r.PDF, SignatureSlot{Name: s.Signer.Name, Page: r.SignaturePage, Rect: r.SignatureRect}, s.Signer.Title)

				// Every item exactly once, in printed order, with its counts.
				// -raw keeps content order, so a name wrapped in its cell stays
				// in one piece and a row reads left to right.
				raw := flat(runTool(t, "pdftotext", "-raw", file, "-"))
				pos := 0
				for i, it := range printedOrder(s.Items) {
					if c := countWord(raw, it.Nominee); c != 1 {
						t.Errorf("%q appears %d times, want once", it.Nominee, c)
						continue
					}
					k := strings.Index(raw, " "+it.Nominee+" ")
					if k < pos {
						t.Errorf("%q (row %d) is out of order", it.Nominee, i+1)
					}
					pos = k
					votes := fmt.Sprintf("%d %d %d %s", it.Yes, it.No, it.Abstain, it.Vote.Text)
					if !strings.Contains(raw[k:], votes) {
						t.Errorf("row %d %q: votes %q not found after the name", i+1, it.Nominee, votes)
					}
				}
				first := s.Items[0]
				row1 := strings.Join([]string{"1", first.Nominee, first.Unit, first.AwardName, first.Achievements, "7 0 0 7/7 (100,00%)"}, " ")
				if !strings.Contains(raw, row1) {
					t.Errorf("first row does not read %q", row1)
				}

				if n == 1 {
					if r.Pages != 1 {
						t.Errorf("one item takes %d pages", r.Pages)
					}
					if strings.Contains(raw, "TẬP THỂ") || strings.Contains(raw, "CÁ NHÂN") {
						t.Error("a single-kind table printed group headings")
					}
					if !strings.Contains(page1, "Tên tập thể, đơn vị") {
						t.Error("name column not titled for collectives")
					}
					return
				}

				// The table runs over several pages; each page it touches shows
				// the two-level header exactly once, at the top of the table.
				if r.Pages < 4 {
					t.Fatalf("%d items fit on %d pages: page breaks not exercised", n, r.Pages)
				}
				for _, g := range []string{"I. TẬP THỂ", "II. CÁ NHÂN"} {
					if c := strings.Count(raw, g); c != 1 {
						t.Errorf("group heading %q appears %d times", g, c)
					}
				}
				tablePages := 0
				for pg := 1; pg <= r.Pages; pg++ {
					txt := flat(runTool(t, "pdftotext", "-raw", "-f", strconv.Itoa(pg), "-l", strconv.Itoa(pg), file, "-"))
					rows := 0
					for _, it := range s.Items {
						rows += countWord(txt, it.Nominee)
					}
					if rows == 0 {
						continue
					}
					tablePages++
					if c := strings.Count(txt, "Kết quả bỏ phiếu"); c != 1 {
						t.Errorf("page %d: group header appears %d times, want 1", pg, c)
					}
					if c := strings.Count(txt, "Tóm tắt thành tích"); c != 1 {
						t.Errorf("page %d: column header row appears %d times, want 1", pg, c)
					}
					if pg > 1 && !regexp.MustCompile(`^`+strconv.Itoa(pg)+` STT `).MatchString(txt) {
						t.Errorf("page %d does not open with its number and the table header: %.80q", pg, txt)
					}
				}
				if tablePages < r.Pages-1 {
					t.Errorf("table rows on %d of %d pages", tablePages, r.Pages)
				}
			})
		}
	}
}

// A group heading never ends a page: the row after it follows on the same page.
func TestSubmissionGroupHeadingKeptWithRow(t *testing.T) {
	for extra := range 12 {
		s := sampleSubmission(ProfileND30, 12)
		// Push the "II. CÁ NHÂN" heading down the page line by line.
		for range extra {
			s.Intro = append([]string{"Đoạn văn bổ sung để dời bảng xuống dưới trang."}, s.Intro...)
		}
		r := renderSub(t, s)
		file := writeTemp(t, r.PDF)
		for pg := 1; pg <= r.Pages; pg++ {
			txt := flat(runTool(t, "pdftotext", "-raw", "-f", strconv.Itoa(pg), "-l", strconv.Itoa(pg), file, "-"))
			if strings.HasSuffix(txt, "II. CÁ NHÂN") || strings.HasSuffix(txt, "I. TẬP THỂ") {
				t.Errorf("extra=%d: page %d ends with a group heading", extra, pg)
			}
		}
	}
}

// Header words and vote cells are never broken inside a word: every column
// is wide enough for its longest header word in bold and for "100,00%".
func TestSubmissionColumnsFit(t *testing.T) {
	w, err := newWriter(profiles[ProfileND30], RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ach := range []bool{true, false} {
		s := sampleSubmission(ProfileND30, 3)
		if !ach {
			for i := range s.Items {
				s.Items[i].Achievements = ""
			}
		}
		tb := submissionTable(s)
		if got := tb.width(); got < 164.99 || got > 165.01 {
			t.Errorf("achievements=%v: table is %.2f mm wide, want the 165 mm text width", ach, got)
		}
		groupW := 0.0
		group := ""
		for _, c := range tb.cols {
			room := c.width - 2*cellPadH
			for _, word := range strings.Fields(c.title) {
				if wd := w.measure(bold, submissionTableSize, word); wd > room-0.1 {
					t.Errorf("column %q: header word %q is %.1f mm, room %.1f", c.title, word, wd, room)
				}
			}
			if c.group == "" {
				continue
			}
			group = c.group
			groupW += c.width
			v := "100" // a vote count
			if strings.HasPrefix(c.title, "Tỷ lệ") {
				v = "(100,00%)" // the percentage line of a VoteResult cell
			}
			if wd := w.measure(regular, submissionTableSize, v); wd > room-0.1 {
				t.Errorf("column %q: %q is %.1f mm, room %.1f", c.title, v, wd, room)
			}
		}
		for _, part := range strings.Split(group, "\n") {
			if wd := w.measure(bold, submissionTableSize, part); wd > groupW-2*cellPadH-0.1 {
				t.Errorf("group header line %q is %.1f mm, room %.1f", part, wd, groupW-2*cellPadH)
			}
		}
		if !ach && len(tb.cols) != 7 {
			t.Errorf("without achievements the table has %d columns, want 7", len(tb.cols))
		}
	}
}

// Several addressees: "Kính gửi:" alone, then one per line with its dash
// under the label's colon, ";" after each and "." after the last.
func TestSubmissionSeveralAddressees(t *testing.T) {
	s := sampleSubmission(ProfileND30, 1)
	s.Recipient = "Kính gửi:\n- Hội đồng Thi đua - Khen thưởng Tỉnh\n- Ban Thi đua - Khen thưởng tỉnh;"
	r := renderSub(t, s)
	file := writeTemp(t, r.PDF)
	if txt := flat(pageText(t, file, 1)); !strings.Contains(txt, "Kính gửi: - Hội đồng Thi đua - Khen thưởng Tỉnh; - Ban Thi đua - Khen thưởng tỉnh.") {
		t.Errorf("addressee list not printed as expected:\n%s", txt)
	}
	html := runTool(t, "pdftotext", "-bbox", "-f", "1", "-l", "1", file, "-")
	var kinhX, colonX float64 = -1, -1
	var dashes []float64
	for _, m := range wordRe.FindAllStringSubmatch(html, -1) {
		x0, _ := strconv.ParseFloat(m[1], 64)
		x1, _ := strconv.ParseFloat(m[3], 64)
		switch m[5] {
		case "Kính":
			if kinhX < 0 {
				kinhX = x0
			}
		case "gửi:":
			if colonX < 0 {
				// The colon is the last glyph of "gửi:".
				colonX = x1 - w13(":")
			}
		case "-":
			if colonX > 0 && len(dashes) < 2 && x0 < 300 {
				dashes = append(dashes, x0)
			}
		}
	}
	if len(dashes) != 2 {
		t.Fatalf("found %d dashes after the label", len(dashes))
	}
	for _, d := range dashes {
		if d < colonX-1 || d > colonX+1 {
			t.Errorf("dash at x=%.1f, colon at x=%.1f: not aligned", d, colonX)
		}
	}
}

// w13 is the width in points of s at 14 pt regular (the Kính gửi size).
func w13(s string) float64 {
	fs, _ := loadFaces()
	return fs[regular].width(s, 14) * ptPerMM
}

func TestSubmissionReproducibleAndConcurrent(t *testing.T) {
	s := sampleSubmission(ProfileHD36, 40)
	a, b := renderSub(t, s), renderSub(t, s)
	if !bytes.Equal(a.PDF, b.PDF) {
		t.Fatalf("two renders differ (%d vs %d bytes)", len(a.PDF), len(b.PDF))
	}
	s2 := sampleSubmission(ProfileHD36, 40)
	s2.Items[7].Yes--
	s2.Items[7].No++
	s2.Items[7].Vote = award.VoteRule{Pass: award.Ratio{Num: 1, Den: 2}, Base: award.BaseMembers}.Vote(7, 7, 7, s2.Items[7].Yes)
	if bytes.Equal(renderSub(t, s2).PDF, a.PDF) {
		t.Error("changing a vote count did not change the PDF")
	}
	later, err := RenderSubmission(s, RenderOptions{CreationDate: fixedCreation.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(later.PDF, a.PDF) {
		t.Error("CreationDate not reflected in output")
	}

	// 12 goroutines, both profiles, several sizes; run with -race.
	type job struct {
		s    Submission
		want []byte
	}
	var jobs []job
	for i := range 12 {
		s := sampleSubmission([]Profile{ProfileND30, ProfileHD36}[i%2], 1+i*9)
		jobs = append(jobs, job{s, renderSub(t, s).PDF})
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(jobs))
	for i, j := range jobs {
		wg.Go(func() {
			r, err := RenderSubmission(j.s, RenderOptions{CreationDate: fixedCreation})
			switch {
			case err != nil:
				errs <- err
			case !bytes.Equal(r.PDF, j.want):
				errs <- fmt.Errorf("job %d: concurrent render differs from sequential", i)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSubmissionErrors(t *testing.T) {
	cases := map[string]func(*Submission){
		"no items":           func(s *Submission) { s.Items = nil },
		"no recipient":       func(s *Submission) { s.Recipient = "Kính gửi: " },
		"unknown kind":       func(s *Submission) { s.Items[0].Kind = "đơn vị" },
		"yes not the vote's": func(s *Submission) { s.Items[0].Yes = 6 },
		"yes above the base": func(s *Submission) { s.Items[0].Yes, s.Items[0].Vote.Yes = 8, 8 },
		"no vote":            func(s *Submission) { s.Items[0].Vote = award.VoteResult{} },
		"no base": func(s *Submission) {
			s.Items[0].Vote.BaseCount, s.Items[0].Yes, s.Items[0].No, s.Items[0].Abstain = 0, 0, 0, 0
		},
		"negative count":  func(s *Submission) { s.Items[0].No = -1 },
		"unknown profile": func(s *Submission) { s.Agency.Profile = "XYZ" },
		"emoji":           func(s *Submission) { s.Items[0].Nominee = "Tổ 😀" },
	}
	for name, mutate := range cases {
		s := sampleSubmission(ProfileND30, 2)
		mutate(&s)
		if _, err := RenderSubmission(s, RenderOptions{CreationDate: fixedCreation}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Kind is matched without regard to case, spacing or Unicode form.
	s := sampleSubmission(ProfileND30, 2)
	s.Items[0].Kind = " TẬP  THỂ "
	s.Items[1].Kind = "Ca\u0301 nhân" // decomposed "á"
	if _, err := RenderSubmission(s, RenderOptions{CreationDate: fixedCreation}); err != nil {
		t.Errorf("kind spelling variants rejected: %v", err)
	}
}

// Defaults: no Closing gives the standard request; a Closing without "./."
// gets it; the metadata title is derived from number and subject.
func TestSubmissionDefaults(t *testing.T) {
	s := sampleSubmission(ProfileHD36, 1)
	s.Closing = "Kính đề nghị Hội đồng xem xét."
	r := renderSub(t, s)
	file := writeTemp(t, r.PDF)
	if txt := flat(pageText(t, file, 1)); !strings.Contains(txt, "Kính đề nghị Hội đồng xem xét./.") {
		t.Errorf("closing not terminated with ./.:\n%s", txt)
	}
	info := runTool(t, "pdfinfo", file)
	if !strings.Contains(info, "Title:           Tờ trình 03-TTr/BTGTU về việc đề nghị tặng danh hiệu Tập thể lao động xuất sắc năm 2025") {
		t.Errorf("metadata title:\n%s", info)
	}
	if got := submissionClosing(Submission{Agency: agencies[ProfileND30], Recipient: "Kính gửi: UBND tỉnh Đồng Tháp."}); got != "Sở Văn hoá, Thể thao và Du lịch tỉnh Đồng Tháp kính trình UBND tỉnh Đồng Tháp xem xét, quyết định./." {
		t.Errorf("default closing = %q", got)
	}
}
