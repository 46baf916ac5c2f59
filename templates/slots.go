package templates

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/awardflow/awardflow/internal/pdfsign"
	"golang.org/x/text/unicode/norm"
)

// Drafts and the version the signer signs carry no number and no date: the
// văn thư gives both at issue (NĐ30/2020 Điều 15: for an electronic document
// "việc cấp số, thời gian ban hành được thực hiện bằng chức năng của Hệ
// thống", after the competent person has signed). A draft prints
// placeholders; the signer's version leaves the lines empty and reports them
// as TextSlots, which the văn thư's step fills with pdfsign.AddText before the
// agency's seal signature covers the whole file.

// widestDate is a date whose place/date line is as wide as any: every
// component has two digits (Liberation Serif's digits share one width).
var widestDate = time.Date(2088, 12, 28, 12, 0, 0, 0, vietnamTime)

// unnumbered checks that a number line carries no number: the part between
// "Số"/"Số:" and the first "/" or "-" has no digit ("Số:      /QĐ-UBND",
// "Số      -QĐ/BTGTU"). A real number there would be a number taken before
// issue, which breaks gapless numbering when the draft is sent back.
func unnumbered(numberText string) error {
	s := norm.NFC.String(strings.TrimSpace(numberText))
	for _, p := range []string{"Số:", "Số", "số:", "số"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			s = rest
			break
		}
	}
	if i := strings.IndexAny(s, "/-"); i >= 0 {
		s = s[:i]
	}
	if strings.IndexFunc(s, unicode.IsDigit) >= 0 {
		return fmt.Errorf("dự thảo và bản trình ký không được mang số văn bản (số chỉ được cấp khi ban hành) / a draft or the version to be signed carries no number (it is taken only at issue): %q", numberText)
	}
	return nil
}

// printedDate is the date as the current stage prints it: none before issue.
func (w *writer) printedDate(d time.Time) time.Time {
	if w.opt.Draft || w.opt.LeaveNumberAndDate {
		return time.Time{}
	}
	return d
}

// leaveSlot records a line left empty: x, width in mm from the left, the line
// box's top in mm from the page top.
func (w *writer) leaveSlot(f SlotField, x, width, top, lead, size float64, it bool) {
	base := baselineIn(top, lead, size)
	w.slots = append(w.slots, TextSlot{
		Field: f, Page: w.pdf.PageNo(),
		X: x * ptPerMM, Baseline: (pageH - base) * ptPerMM, Width: width * ptPerMM,
		Size: size, Italic: it,
		// A blank inside the annex's sentence is filled from its left, so that
		// the slack falls before the next word, as a wide space.
		Left:  f == SlotAnnexNumber || f == SlotAnnexDate || f == SlotAnnexRef,
		Party: w.spec.party,
	})
}

// IssueOverlays is the văn thư's text for every slot the document left empty
// (see TextSlot.Text), ready for pdfsign.AddText: the number and the issue
// date, in the slot's face, size and place. place is the Agency.Place of the
// date line.
func (r Rendered) IssueOverlays(place, numberText string, date time.Time) ([]pdfsign.TextOverlay, error) {
	return IssueOverlays(r.TextSlots, place, numberText, date)
}

// IssueOverlays is Rendered.IssueOverlays for slots kept apart from their
// Rendered (TextSlot is JSON-ready, for a workflow's state).
func IssueOverlays(slots []TextSlot, place, numberText string, date time.Time) ([]pdfsign.TextOverlay, error) {
	if len(slots) == 0 {
		return nil, fmt.Errorf("the document left no number or date to fill (render it with LeaveNumberAndDate)")
	}
	out := make([]pdfsign.TextOverlay, 0, len(slots))
	for _, s := range slots {
		text, err := s.Text(place, numberText, date)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Field, err)
		}
		o := pdfsign.TextOverlay{Page: s.Page, X: s.X, Baseline: s.Baseline, Width: s.Width, Size: s.Size, Font: s.Font(), Text: text}
		if s.Left {
			o.Align = pdfsign.AlignLeft
		}
		out = append(out, o)
	}
	return out, nil
}

// annexRefSlots draws the annex's "(Kèm theo Quyết định số … ngày … của …)"
// with blanks for the number and the date, and records them as slots. The
// blanks fit any number of up to four digits with the placeholder's ký hiệu
// or, without a placeholder, "QĐ" and the agency's code in either profile's
// order, and any date.
func (w *writer) annexRefSlots(d Decision, x, width, size float64) {
	lead := leadFor(size)
	sp := w.measure(italic, size, " ")
	pre := w.clean("(Kèm theo Quyết định số")
	mid := "ngày"
	gapN := max(25, w.measure(italic, size, w.clean("0000"+strings.TrimSpace(bareNumber(d.NumberText))+","))+4,
		w.measure(italic, size, w.clean("0000/-QĐ"+d.Agency.Code+","))+4)
	gapD := w.measure(italic, size, w.spec.citedDate(widestDate)) + 4
	fn := agencyFullName(d.Agency)
	tail := ""
	if fn == "" {
		tail = ")"
	}
	total := w.measure(italic, size, pre) + sp + gapN + sp + w.measure(italic, size, mid) + sp + gapD + w.measure(italic, size, tail)
	if total > width {
		w.fail(fmt.Errorf("annex reference line does not fit: %.1f mm in %.1f mm", total, width))
		return
	}
	w.ensure(2 * lead)
	top := w.y
	base := baselineIn(top, lead, size)
	cx := x + (width-total)/2
	w.text(cx, base, italic, size, pre)
	cx += w.measure(italic, size, pre) + sp
	// One blank for "<number>, ngày <date>": filled as one run of text, the words sit
	// at their natural spacing whatever the number's length (two blanks around a
	// printed "ngày" left a wide gap after a short number).
	ref := gapN + sp + w.measure(italic, size, mid) + sp + gapD
	w.leaveSlot(SlotAnnexRef, cx, ref, top, lead, size, true)
	cx += ref
	w.text(cx, base, italic, size, tail)
	w.y += lead
	if fn != "" {
		w.centredBlock(x, width, italic, size, lead, "của "+fn+")")
	}
}

// draftMarks prints what makes a page a dự thảo: a light diagonal "DỰ THẢO"
// under the page's content, and on page 1 "DỰ THẢO" in a box in the top
// margin, above the agency's name.
func (w *writer) draftMarks() {
	const mark = "DỰ THẢO"
	pdf := w.pdf
	size := 110.0
	tw := w.measure(bold, size, mark)
	cx, cy := pageW/2, pageH/2
	pdf.SetTextColor(222, 222, 222)
	pdf.TransformBegin()
	pdf.TransformRotate(54.7, cx, cy) // along the page's diagonal
	w.text(cx-tw/2, cy+0.3375*size*mmPerPt, bold, size, mark)
	pdf.TransformEnd()
	pdf.SetTextColor(0, 0, 0)
	if pdf.PageNo() != 1 {
		return
	}
	size = 13
	tw = w.measure(bold, size, mark)
	lead := leadFor(size)
	const pad, top = 2.0, 7.0
	w.text(w.spec.left+pad, baselineIn(top, lead, size), bold, size, mark)
	pdf.SetLineWidth(0.4)
	pdf.Rect(w.spec.left, top-0.5, tw+2*pad, lead+1, "D")
}

// withSlots adds the slots left empty to a rendered document.
func (w *writer) withSlots(r Rendered) Rendered {
	for _, s := range w.slots {
		switch s.Field {
		case SlotNumber:
			r.NumberSlot = &s
		case SlotDate:
			r.DateSlot = &s
		}
	}
	r.TextSlots = append([]TextSlot(nil), w.slots...)
	return r
}

// Text is what the văn thư puts in the slot at issue: the number line as the
// domain core formats it ("Số 05-QĐ/BTGTU"), the place/date line of place and date
// ("Đồng Tháp, ngày 05 tháng 02 năm 2026"), or the annex's references to them
// ("05-QĐ/BTGTU", "05/02/2026"), formatted as the rendered document would
// have printed them. The number must carry its number and the date must be
// set.
func (s TextSlot) Text(place, numberText string, date time.Time) (string, error) {
	if date.IsZero() {
		return "", fmt.Errorf("ngày ban hành trống / issue date is zero")
	}
	if unnumbered(numberText) == nil {
		return "", fmt.Errorf("số văn bản chưa có số / number line has no number: %q", numberText)
	}
	var t string
	switch s.Field {
	case SlotNumber:
		t = strings.TrimSpace(numberText)
	case SlotDate:
		t = FormatPlaceDate(place, date)
	case SlotAnnexNumber:
		t = bareNumber(numberText)
		if s.Party { // "số 05-QĐ/BTGTU, ngày …" (conventions.go)
			t += ","
		}
	case SlotAnnexDate:
		t = formatShortDate(date)
		if s.Party {
			t = partyDate(date)
		}
	case SlotAnnexRef:
		if s.Party { // "số 05-QĐ/BTGTU, ngày 05-02-2026" (conventions.go)
			t = bareNumber(numberText) + ", ngày " + partyDate(date)
		} else {
			t = bareNumber(numberText) + " ngày " + formatShortDate(date)
		}
	default:
		return "", fmt.Errorf("unknown text slot %q", s.Field)
	}
	if _, err := loadFaces(); err != nil {
		return "", err
	}
	t = norm.NFC.String(t)
	for _, r := range t {
		if !covered(r) {
			return "", fmt.Errorf("ký tự %q (U+%04X) không có trong phông Liberation Serif / character not in the font, in %q", r, r, t)
		}
	}
	return t, nil
}

// Font returns the TrueType face the slot's text is set in (a fresh copy):
// Liberation Serif Regular, or Italic for an italic slot.
func (s TextSlot) Font() []byte {
	if s.Italic {
		return ItalicFont()
	}
	return SignatureFont()
}

// ItalicFont returns a fresh copy of Liberation Serif Italic (the place/date
// line's face).
func ItalicFont() []byte {
	b, err := fontFS.ReadFile(styleFiles[italic])
	if err != nil {
		panic("templates: embedded font missing: " + err.Error()) // the build embeds it
	}
	return b
}

// BoldFont returns a fresh copy of Liberation Serif Bold (for example for the
// name round the development seal, stamp.AgencySealPNG).
func BoldFont() []byte {
	b, err := fontFS.ReadFile(styleFiles[bold])
	if err != nil {
		panic("templates: embedded font missing: " + err.Error()) // the build embeds it
	}
	return b
}
