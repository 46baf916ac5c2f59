package templates

import (
	"strconv"
	"strings"
)

const (
	sigColW     = 90.0 // signature column, flush with the right margin
	sigSpace    = 30.0 // blank space for signature image and seal
	recvColGap  = 4.0
	cellPadH    = 1.2
	cellPadV    = 1.2
	borderWidth = 0.2
)

type sigBlock struct {
	height float64
	slot   SignatureSlot
}

// signColumn measures (draw=false) or draws a signature column at the cursor:
// title lines (bold caps), a blank box for the signature, the name (bold). It
// returns the column height and the blank box (mm, top-left origin).
func (w *writer) signColumn(x, width float64, titles []string, name string, draw bool) (h, boxTop, boxBottom float64) {
	size := w.spec.signSize
	lead := leadFor(size)
	var ps []para
	for _, t := range titles {
		ps = append(ps, para{runs: plain(t, bold), size: size, align: alignCenter, x: x, w: width, lead: lead})
	}
	nameP := para{runs: plain(name, bold), size: size, align: alignCenter, x: x, w: width, lead: lead}
	for _, p := range ps {
		h += float64(len(w.layout(&p))) * lead
	}
	h += sigSpace + float64(len(w.layout(&nameP)))*lead
	if !draw {
		return h, 0, 0
	}
	for _, p := range ps {
		w.drawPara(p)
	}
	boxTop = w.y
	w.y += sigSpace
	boxBottom = w.y
	w.drawPara(nameP)
	return h, boxTop, boxBottom
}

func signerTitles(s Signer) []string {
	var t []string
	if s.Prefix != "" {
		t = append(t, strings.TrimSpace(s.Prefix+" "+s.Body))
	}
	if s.Title != "" {
		t = append(t, s.Title)
	}
	return t
}

// signatureBlock measures (draw=false) or draws (draw=true) the signature
// block on the right and, when recipients are given, "Nơi nhận:" on the left,
// both starting at the cursor. The signature keeps a blank box for the visible
// digital signature; its rectangle is returned.
func (w *writer) signatureBlock(s Signer, role string, recipients []string, draw bool) sigBlock {
	sp := w.spec
	sx := sp.left + w.textWidth() - sigColW
	sigH, _, _ := w.signColumn(sx, sigColW, signerTitles(s), s.Name, false)

	rw := w.textWidth() - sigColW - recvColGap
	var recvParas []para
	if len(recipients) > 0 {
		recvParas = append(recvParas, para{runs: plain("Nơi nhận:", sp.recvLabelStyle), size: sp.recvLabelSize, x: sp.left, w: rw, lead: leadFor(sp.recvLabelSize)})
		dash := w.measure(regular, sp.recvItemSize, "- ")
		for _, r := range recipients {
			r = strings.TrimSpace(r)
			if !strings.HasPrefix(r, "-") {
				r = "- " + r
			}
			recvParas = append(recvParas, para{runs: plain(r, regular), size: sp.recvItemSize, x: sp.left, w: rw,
				hanging: dash, lead: sp.recvItemSize * 1.15 * mmPerPt})
		}
	}
	recvH := 0.0
	for _, p := range recvParas {
		recvH += float64(len(w.layout(&p))) * p.lead
	}
	h := max(sigH, recvH)
	if !draw {
		return sigBlock{height: h}
	}

	if w.y+h > w.bottomY() {
		w.newPage()
	}
	top := w.y
	_, boxTop, boxBottom := w.signColumn(sx, sigColW, signerTitles(s), s.Name, true)
	sigBottom := w.y

	w.y = top
	for i, p := range recvParas {
		startY := w.y
		w.drawPara(p)
		if i == 0 && sp.recvLabelUnderline {
			lw := w.measure(p.runs[0].st, p.size, "Nơi nhận")
			ul := baselineIn(startY, p.lead, p.size) + 0.6
			w.hline(sp.left, sp.left+lw, ul, 0.25)
		}
	}
	w.y = max(sigBottom, w.y)

	slot := SignatureSlot{
		Role: role,
		Name: w.clean(s.Name),
		Page: w.pdf.PageNo(),
		Rect: rectPoints(sx+8, boxTop+1, sx+sigColW-8, boxBottom-1),
	}
	return sigBlock{height: h, slot: slot}
}

type column struct {
	title string
	width float64
	align align
}

type cell struct {
	p  para
	ls []line
}

// rowCells lays out one table row; returns its cells and height.
func (w *writer) rowCells(cols []column, texts []string, header bool, size float64) ([]cell, float64) {
	lead := leadFor(size)
	cells := make([]cell, len(cols))
	n := 1
	for i, c := range cols {
		st, al := regular, c.align
		if header {
			st, al = bold, alignCenter
		}
		t := ""
		if i < len(texts) {
			t = texts[i]
		}
		p := para{runs: plain(t, st), size: size, align: al, w: c.width - 2*cellPadH, lead: lead}
		ls := w.layout(&p)
		cells[i] = cell{p, ls}
		n = max(n, len(ls))
	}
	return cells, float64(n)*lead + 2*cellPadV
}

// tableStartHeight is the height of the header row plus the first row, the
// least that must fit for a table to start on the current page.
func (w *writer) tableStartHeight(cols []column, rows [][]string, size float64) float64 {
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	_, h := w.rowCells(cols, titles, true, size)
	if len(rows) > 0 {
		_, r := w.rowCells(cols, rows[0], false, size)
		h += r
	}
	return h
}

// drawTable draws a bordered table at the cursor. Rows are never split: a row
// that does not fit goes to the next page, where the header row is repeated.
func (w *writer) drawTable(cols []column, rows [][]string, size float64) {
	lead := leadFor(size)
	x0 := w.spec.left
	rowCells := func(texts []string, header bool) ([]cell, float64) {
		return w.rowCells(cols, texts, header, size)
	}
	drawRow := func(cells []cell, h float64) {
		x := x0
		w.pdf.SetLineWidth(borderWidth)
		for i, c := range cols {
			w.pdf.Rect(x, w.y, c.width, h, "D")
			cl := cells[i]
			// Centre the text block vertically in the row.
			ty := w.y + (h-float64(len(cl.ls))*lead)/2
			cl.p.x = x + cellPadH
			for _, ln := range cl.ls {
				w.drawLine(ln, cl.p, ty)
				ty += lead
			}
			x += c.width
		}
		w.y += h
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	hdr, hdrH := rowCells(titles, true)
	first := true
	for _, r := range rows {
		cells, h := rowCells(r, false)
		if first || w.y+h > w.bottomY() {
			if w.y+hdrH+h > w.bottomY() {
				w.newPage()
			}
			drawRow(hdr, hdrH)
			first = false
		}
		drawRow(cells, h)
	}
}

// drawAnnex prints the "Danh sách kèm theo" heading and the awardee table.
func (w *writer) drawAnnex(d Decision) {
	sp := w.spec
	size := sp.bodySize
	tw := w.textWidth()
	w.centredBlock(sp.left, tw, bold, size, leadFor(size), "DANH SÁCH")
	heading := d.AnnexHeading
	if heading == "" {
		award := d.AwardPhrase
		if award == "" {
			award = "danh hiệu “" + d.AwardName + "”"
		}
		heading = "Cá nhân được tặng " + award
		if d.Period != "" {
			heading += " " + d.Period
		}
	}
	inset := tw * 0.08
	w.centredBlock(sp.left+inset, tw-2*inset, bold, size, leadFor(size), heading)
	ref := keepSpaces("(Kèm theo Quyết định số\u00a0" + bareNumber(d.NumberText) + " ngày\u00a0" + formatShortDate(d.Date))
	if fn := agencyFullName(d.Agency); fn != "" {
		ref += " của " + fn
	}
	ref += ")"
	w.centredBlock(sp.left+inset, tw-2*inset, italic, size, leadFor(size), ref)
	w.y += 2.5
	cx := sp.left + tw/2
	w.hline(cx-tw/6, cx+tw/6, w.y, 0.3)
	w.y += 5

	cols := []column{
		{"STT", 12, alignCenter},
		{"Họ và tên", 56, alignLeft},
		{"Chức vụ", 42, alignLeft},
		{"Đơn vị công tác", 55, alignLeft},
	}
	rows := make([][]string, len(d.Awardees))
	for i, a := range d.Awardees {
		rows[i] = []string{strconv.Itoa(i + 1), a.Name, a.Position, a.Unit}
	}
	w.drawTable(cols, rows, sp.tableSize)
}
