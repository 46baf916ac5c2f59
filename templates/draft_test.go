package templates

import (
	"bytes"
	"image"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/pdfsign"
)

// Placeholders for the number line before issue, as the domain core writes them.
var placeholders = map[Profile]string{
	ProfileHD36: "Số      -QĐ/BTGTU",
	ProfileND30: "Số:      /QĐ-SVHTTDL",
}

var subPlaceholders = map[Profile]string{
	ProfileHD36: "Số      -TTr/BTGTU",
	ProfileND30: "Số:      /TTr-SVHTTDL",
}

const ptPerMMTest = 72 / 25.4

// A dự thảo is marked as such on every page, with the boxed mark above the
// header of page 1, and is neither numbered nor dated, even when the caller
// passes a date: the date line and the annex's reference print blanks.
func TestDraftMarks(t *testing.T) {
	for _, p := range []Profile{ProfileHD36, ProfileND30} {
		d := sampleDecision(p, 40) // the annex runs over several pages
		d.NumberText = placeholders[p]
		dr, err := RenderDecision(d, RenderOptions{CreationDate: fixedCreation, Draft: true})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		s := sampleSubmission(p, 3)
		s.NumberText = subPlaceholders[p]
		sr, err := RenderSubmission(s, RenderOptions{CreationDate: fixedCreation, Draft: true})
		if err != nil {
			t.Fatalf("%s submission: %v", p, err)
		}
		for kind, r := range map[string]Rendered{"decision": dr, "submission": sr} {
			file := writeTemp(t, r.PDF)
			if r.Pages < 2 && kind == "decision" {
				t.Fatalf("%s %s: %d pages", p, kind, r.Pages)
			}
			all := ""
			for pg := 1; pg <= r.Pages; pg++ {
				all += pageText(t, file, pg)
			}
			// The boxed mark sits in the top margin, left, above everything else.
			ws := bboxWords(t, file, 1)
			boxed := false
			for i, w := range ws {
				if w.text == "DỰ" && i+1 < len(ws) && ws[i+1].text == "THẢO" && w.y1 < 20*ptPerMMTest && w.x0 < 30*ptPerMMTest+10 {
					boxed = true
				}
			}
			if !boxed {
				t.Errorf("%s %s: no DỰ THẢO in the top-left margin of page 1", p, kind)
			}
			f := flat(all)
			for _, bad := range []string{"05 tháng 02 năm 2026", "05/02/2026", "05-QĐ", "05/QĐ"} {
				if strings.Contains(f, bad) {
					t.Errorf("%s %s: draft shows %q", p, kind, bad)
				}
			}
			if !strings.Contains(f, "Đồng Tháp, ngày tháng năm") {
				t.Errorf("%s %s: no blank date line:\n%s", p, kind, f)
			}
			want := flat(map[string]string{"decision": placeholders[p], "submission": subPlaceholders[p]}[kind])
			if !strings.Contains(f, want) {
				t.Errorf("%s %s: placeholder number %q not printed", p, kind, want)
			}
			info := runTool(t, "pdfinfo", file)
			if !strings.Contains(info, "Title:           Dự thảo ") || strings.Contains(info, "TTr/") || strings.Contains(info, "QĐ/") || strings.Contains(info, "/QĐ") {
				t.Errorf("%s %s: metadata title:\n%s", p, kind, info)
			}
		}
		// The diagonal watermark (pdftotext skips diagonal text): every page of
		// the draft has thousands more light-grey pixels than the same page
		// rendered as a non-draft.
		plain, err := RenderDecision(d, RenderOptions{CreationDate: fixedCreation})
		if err != nil {
			t.Fatal(err)
		}
		if plain.Pages != dr.Pages {
			t.Fatalf("%s: draft has %d pages, plain %d", p, dr.Pages, plain.Pages)
		}
		for pg := 1; pg <= dr.Pages; pg++ {
			if n, m := lightGrey(rasterise(t, dr.PDF, pg)), lightGrey(rasterise(t, plain.PDF, pg)); n-m < 3000 {
				t.Errorf("%s page %d: %d light-grey pixels in the draft, %d without: no watermark", p, pg, n, m)
			}
		}
		annex := flat(pageText(t, writeTemp(t, dr.PDF), 2))
		blank := "ngày / /"
		if p == ProfileHD36 { // conventions.go: Party documents cite dates with hyphens
			blank = ", ngày - -"
		}
		if !strings.Contains(annex, "(Kèm theo Quyết định số") || !strings.Contains(annex, blank) {
			t.Errorf("%s: annex reference of a draft:\n%s", p, annex)
		}
	}
}

// A number taken before issue would break gapless numbering when the draft is
// sent back: drafts and the signer's version refuse a NumberText with a number.
func TestDraftRefusesNumber(t *testing.T) {
	for _, opt := range []RenderOptions{{Draft: true}, {LeaveNumberAndDate: true}, {Draft: true, LeaveNumberAndDate: true}} {
		for _, p := range []Profile{ProfileHD36, ProfileND30} {
			d := sampleDecision(p, 1) // NumberText carries 05
			if _, err := RenderDecision(d, opt); err == nil || !strings.Contains(err.Error(), "carries no number") {
				t.Errorf("%s %+v: err = %v", p, opt, err)
			}
			s := sampleSubmission(p, 1)
			if _, err := RenderSubmission(s, opt); err == nil || !strings.Contains(err.Error(), "carries no number") {
				t.Errorf("%s %+v submission: err = %v", p, opt, err)
			}
		}
	}
	for in, ok := range map[string]bool{
		"Số:      /QĐ-UBND": true, "Số      -QĐ/BTGTU": true, "Số: /QĐ-BCĐ389": true, "": true,
		"Số: 05/QĐ-UBND": false, "Số 05-QĐ/BTGTU": false, "Số: ٣/QĐ-UBND": false, "12/QĐ-X": false, "Số 1": false,
	} {
		if got := unnumbered(in) == nil; got != ok {
			t.Errorf("unnumbered(%q) ok = %v, want %v", in, got, ok)
		}
	}
}

// The signer's version leaves the number and date lines empty and changes
// nothing else: every other word of page 1 is where the issued document has
// it, and the slots are exactly where the issued document prints the number
// and the date (centred in the same column, on the same baseline, same size).
func TestLeaveNumberAndDateSlots(t *testing.T) {
	type pair struct {
		issued, signer Rendered
		number         string
	}
	for _, p := range []Profile{ProfileHD36, ProfileND30} {
		cases := map[string]pair{}
		d := sampleDecision(p, 3)
		issued := render(t, d)
		d.NumberText = placeholders[p]
		signer, err := RenderDecision(d, RenderOptions{CreationDate: fixedCreation, LeaveNumberAndDate: true})
		if err != nil {
			t.Fatal(err)
		}
		cases["decision"] = pair{issued, signer, numbers[p]}
		s := sampleSubmission(p, 3)
		sIssued := renderSub(t, s)
		num := s.NumberText
		s.NumberText = subPlaceholders[p]
		sSigner, err := RenderSubmission(s, RenderOptions{CreationDate: fixedCreation, LeaveNumberAndDate: true})
		if err != nil {
			t.Fatal(err)
		}
		cases["submission"] = pair{sIssued, sSigner, num}

		for kind, c := range cases {
			if c.issued.Pages != c.signer.Pages || c.issued.SignatureRect != c.signer.SignatureRect {
				t.Errorf("%s %s: layout moved: %d/%d pages, rect %v vs %v", p, kind, c.issued.Pages, c.signer.Pages, c.issued.SignatureRect, c.signer.SignatureRect)
			}
			iw := bboxWords(t, writeTemp(t, c.issued.PDF), 1)
			sw := bboxWords(t, writeTemp(t, c.signer.PDF), 1)
			numWords, nx0, nx1 := lineOf(t, iw, strings.Fields(c.number)[0])
			dateWords, dx0, dx1 := lineOf(t, iw, "Đồng")
			if len(sw) != len(iw)-len(numWords)-len(dateWords) {
				t.Errorf("%s %s: %d words on page 1, want %d (issued %d minus %d number and %d date words)",
					p, kind, len(sw), len(iw)-len(numWords)-len(dateWords), len(iw), len(numWords), len(dateWords))
			}
			skip := map[bword]bool{}
			for _, w := range append(numWords, dateWords...) {
				skip[w] = true
			}
			j := 0
			for _, w := range iw {
				if skip[w] {
					continue
				}
				if j >= len(sw) || sw[j].text != w.text || math.Abs(sw[j].x0-w.x0) > 0.01 || math.Abs(sw[j].y0-w.y0) > 0.01 {
					t.Errorf("%s %s: word %q at (%.2f, %.2f) moved or missing in the signer's version", p, kind, w.text, w.x0, w.y0)
					break
				}
				j++
			}
			r := c.signer
			if len(r.TextSlots) < 2 || r.NumberSlot == nil || r.DateSlot == nil || r.TextSlots[0] != *r.NumberSlot || r.TextSlots[1] != *r.DateSlot || r.NumberSlot.Left || r.DateSlot.Left {
				t.Fatalf("%s %s: slots %+v", p, kind, r.TextSlots)
			}
			if c.issued.NumberSlot != nil || c.issued.DateSlot != nil || c.issued.TextSlots != nil {
				t.Errorf("%s %s: a document printed with its number reports slots", p, kind)
			}
			for _, sc := range []struct {
				slot   TextSlot
				words  []bword
				x0, x1 float64
				size   float64
				italic bool
			}{
				{*r.NumberSlot, numWords, nx0, nx1, profiles[p].numberSize, false},
				{*r.DateSlot, dateWords, dx0, dx1, profiles[p].dateSize, true},
			} {
				sl := sc.slot
				if sl.Page != 1 || sl.Size != sc.size || sl.Italic != sc.italic {
					t.Errorf("%s %s %s: slot %+v", p, kind, sl.Field, sl)
				}
				if mid := sl.X + sl.Width/2; math.Abs(mid-(sc.x0+sc.x1)/2) > 0.5 {
					t.Errorf("%s %s %s: slot centre %.2f, printed line centre %.2f", p, kind, sl.Field, mid, (sc.x0+sc.x1)/2)
				}
				if sc.x0 < sl.X || sc.x1 > sl.X+sl.Width {
					t.Errorf("%s %s %s: printed line [%.1f, %.1f] outside the slot [%.1f, %.1f]", p, kind, sl.Field, sc.x0, sc.x1, sl.X, sl.X+sl.Width)
				}
				// pdftotext's box bottom is the baseline plus the descent (0.216 em).
				base := 841.89 - (sc.words[0].y1 - 0.216*sl.Size)
				if math.Abs(base-sl.Baseline) > 0.3 {
					t.Errorf("%s %s %s: slot baseline %.2f, printed %.2f", p, kind, sl.Field, sl.Baseline, base)
				}
			}
			f := flat(pageText(t, writeTemp(t, r.PDF), 1))
			if strings.Contains(f, "Số") || strings.Contains(f, "Đồng Tháp, ngày") || strings.Contains(f, "/QĐ") || strings.Contains(f, "QĐ/") || strings.Contains(f, "TTr") {
				t.Errorf("%s %s: number or date line printed in the signer's version:\n%s", p, kind, f)
			}
		}
		// The decision's annex leaves its reference's number and date blank too.
		ann := cases["decision"].signer
		if len(ann.TextSlots) != 3 || ann.TextSlots[2].Field != SlotAnnexRef ||
			ann.TextSlots[2].Page != 2 || !ann.TextSlots[2].Italic || !ann.TextSlots[2].Left {
			t.Errorf("%s: annex slots %+v", p, ann.TextSlots)
		}
		af := flat(pageText(t, writeTemp(t, ann.PDF), 2))
		if !strings.Contains(af, "(Kèm theo Quyết định số của "+agencies[p].FullName+")") {
			t.Errorf("%s: annex reference of the signer's version:\n%s", p, af)
		}
	}
}

// lightGrey counts the pixels of the watermark's grey (about 222 in each
// channel).
func lightGrey(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if r >= 212 && r <= 232 && g >= 212 && g <= 232 && bl >= 212 && bl <= 232 {
				n++
			}
		}
	}
	return n
}

func TestSlotText(t *testing.T) {
	a := agencies[ProfileHD36]
	date := time.Date(2026, 2, 4, 20, 0, 0, 0, time.UTC) // already the 5th in Vietnam
	want := map[SlotField]string{
		SlotNumber: "Số 05-QĐ/BTGTU", SlotDate: "Đồng Tháp, ngày 05 tháng 02 năm 2026",
		SlotAnnexNumber: "05-QĐ/BTGTU", SlotAnnexDate: "05/02/2026", SlotAnnexRef: "05-QĐ/BTGTU ngày 05/02/2026",
	}
	for f, w := range want {
		got, err := TextSlot{Field: f}.Text(a.Place, " Số 05-QĐ/BTGTU ", date)
		if err != nil || got != w {
			t.Errorf("%s: %q, %v; want %q", f, got, err, w)
		}
	}
	for name, c := range map[string]struct {
		f    SlotField
		num  string
		date time.Time
	}{
		"placeholder": {SlotNumber, "Số      -QĐ/BTGTU", date},
		"zero date":   {SlotDate, "Số 05-QĐ/BTGTU", time.Time{}},
		"unknown":     {"seal", "Số 05-QĐ/BTGTU", date},
		"no glyph":    {SlotNumber, "Số 05-QĐ/BTGTU漢", date},
	} {
		if got, err := (TextSlot{Field: c.f}).Text(a.Place, c.num, c.date); err == nil {
			t.Errorf("%s: %q, want an error", name, got)
		}
	}
	if _, err := (Rendered{}).IssueOverlays(a.Place, "Số 05-QĐ/BTGTU", date); err == nil {
		t.Error("IssueOverlays on a document without slots")
	}
	r := Rendered{TextSlots: []TextSlot{{Field: SlotNumber, Page: 1, Width: 100, Size: 13}, {Field: SlotAnnexDate, Page: 2, Size: 14, Italic: true, Left: true}}}
	if _, err := r.IssueOverlays(a.Place, "Số      -QĐ/BTGTU", date); err == nil {
		t.Error("IssueOverlays with a placeholder number")
	}
	ov, err := IssueOverlays(r.TextSlots, a.Place, "Số 05-QĐ/BTGTU", date)
	if err != nil || len(ov) != 2 || ov[0].Text != "Số 05-QĐ/BTGTU" || ov[0].Align != pdfsign.AlignCenter || ov[1].Align != pdfsign.AlignLeft ||
		ov[1].Text != "05/02/2026" || !bytes.Equal(ov[1].Font, ItalicFont()) || ov[0].Width != 100 || ov[1].Page != 2 {
		t.Errorf("IssueOverlays: %v %+v", err, ov)
	}
	if !strings.HasPrefix(string(TextSlot{Italic: true}.Font()[:4]), "\x00\x01\x00\x00") || len(TextSlot{}.Font()) == len(TextSlot{Italic: true}.Font()) {
		t.Error("Font does not return the regular and italic faces")
	}
}
