package templates

import (
	"fmt"
	"strings"
	"time"
)

// drawHeader prints the two-column head of page 1: agency (left) and national
// title / Party title (right), then the number (left) and place/date (right) on
// one row. Leaves the cursor below that row.
func (w *writer) drawHeader(a Agency, numberText string, date time.Time) {
	s := w.spec
	top := w.y
	lx, lw := s.left, s.leftColW
	rx, rw := s.left+s.leftColW, w.textWidth()-s.leftColW

	// Left column: parent body (regular caps), issuing body (bold caps).
	w.y = top
	if a.ParentName != "" {
		w.centredBlock(lx, lw, regular, s.parentSize, leadFor(s.parentSize)*0.92, a.ParentName)
	}
	nameW := w.centredBlock(lx, lw, bold, s.nameSize, leadFor(s.nameSize)*0.92, a.Name)
	if s.agencyStar {
		w.centredBlock(lx, lw, regular, s.nameSize, leadFor(s.nameSize)*0.92, "*")
	} else {
		// A rule 1/3–1/2 as long as the agency name, centred.
		rl := nameW * 0.4
		w.y += 1.2
		w.hline(lx+(lw-rl)/2, lx+(lw+rl)/2, w.y, 0.3)
		w.y += 1.2
	}
	leftBottom := w.y

	// Right column.
	w.y = top
	var lastW float64
	for _, hl := range s.national {
		lastW = w.centredBlock(rx, rw, hl.st, hl.size, leadFor(hl.size)*0.92, hl.text)
	}
	if s.nationalRule {
		w.y += 1.2
		w.hline(rx+(rw-lastW)/2, rx+(rw+lastW)/2, w.y, 0.3)
		w.y += 1.2
	}
	rightBottom := w.y

	// Number and date share a row and a baseline (one line pitch for both).
	w.y = max(leftBottom, rightBottom) + 2
	row := w.y
	rowLead := leadFor(max(s.numberSize, s.dateSize))
	if w.opt.Draft || w.opt.LeaveNumberAndDate {
		// Neither a draft nor the version the signer signs has a number or a
		// date: the văn thư gives both at issue.
		if err := unnumbered(numberText); err != nil {
			w.fail(err)
		}
		date = time.Time{}
	}
	if w.opt.LeaveNumberAndDate {
		// The văn thư's text goes exactly where these lines would be: one line
		// each, centred in its column, on the row's baseline.
		if nw := w.measure(regular, s.numberSize, w.clean(numberText)); nw > lw {
			w.fail(fmt.Errorf("number line %q is wider than its column", numberText))
		}
		if dw := w.measure(italic, s.dateSize, w.clean(FormatPlaceDate(a.Place, widestDate))); dw > rw {
			w.fail(fmt.Errorf("place/date line for %q does not fit on one line of its column", a.Place))
		}
		w.leaveSlot(SlotNumber, lx, lw, row, rowLead, s.numberSize, false)
		w.leaveSlot(SlotDate, rx, rw, row, rowLead, s.dateSize, true)
		w.y = row + rowLead
		return
	}
	w.centredBlock(lx, lw, regular, s.numberSize, rowLead, keepSpaces(numberText))
	nb := w.y
	w.y = row
	w.centredBlock(rx, rw, italic, s.dateSize, rowLead, keepSpaces(FormatPlaceDate(a.Place, date)))
	w.y = max(w.y, nb)
}

// drawTitle prints the document type (QUYẾT ĐỊNH, BIÊN BẢN), the trích yếu and
// the separator below it.
func (w *writer) drawTitle(kind, subject string) {
	s := w.spec
	w.y += 6
	kindW := w.centredBlock(s.left, w.textWidth(), bold, s.titleSize, leadFor(s.titleSize), kind)
	subjW := 0.0
	if strings.TrimSpace(subject) != "" {
		// The trích yếu wraps within ~9/10 of the line so it stays visibly centred.
		inset := w.textWidth() * 0.05
		subjW = w.centredBlock(s.left+inset, w.textWidth()-2*inset, bold, s.subjectSize, leadFor(s.subjectSize), subject)
	}
	if s.subjectDashes {
		w.centredBlock(s.left, w.textWidth(), regular, s.subjectSize, leadFor(s.subjectSize)*0.8, "-----")
	} else {
		// A solid rule under the trích yếu, centred (NĐ30).
		ref := subjW
		if ref == 0 {
			ref = kindW // no trích yếu: measure against the document type
		}
		rl := subjectRuleLen(ref)
		w.y += 2
		cx := s.left + w.textWidth()/2
		w.hline(cx-rl/2, cx+rl/2, w.y, 0.3)
		w.y += 1
	}
}

// subjectRuleLen is the length of the rule under a trích yếu whose widest line
// is textW mm: 1/3 of it, at least 25 mm so it stays visible, but never more
// than 1/2 (NĐ30/2020 Phụ lục I, Phần I, mục II.5).
func subjectRuleLen(textW float64) float64 { return max(textW/3, min(25, textW/2)) }
