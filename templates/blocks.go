package templates

import (
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
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
	// Title lines are balanced like the document title: "TM. HỘI ĐỒNG THI
	// ĐUA - KHEN THƯỞNG" in a 90 mm column must not leave "THƯỞNG" alone on
	// its line. "\n" in a title forces a break.
	var ps []para
	for _, t := range titles {
		for _, part := range strings.Split(t, "\n") {
			ps = append(ps, para{runs: plain(bindDashes(part), bold), size: size, align: alignCenter, x: x, w: width, lead: lead})
		}
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
		for _, ln := range w.balanced(p) {
			w.drawLine(ln, p, w.y)
			w.y += lead
		}
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
		for _, r := range sp.recipientLines(recipients) {
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
	// group labels a two-level header: adjacent columns with the same non-empty
	// group share a spanning header cell above their own titles ("Kết quả bỏ
	// phiếu" over "Đồng ý", "Không đồng ý", …).
	group string
}

type cell struct {
	p  para
	ls []line
}

// tableRow is a body row: one text per column, or, when span is set, a single
// bold cell across the whole table (a group heading such as "I. TẬP THỂ").
type tableRow struct {
	cells []string
	span  string
}

func plainRows(rows [][]string) []tableRow {
	out := make([]tableRow, len(rows))
	for i, r := range rows {
		out[i] = tableRow{cells: r}
	}
	return out
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
		// "\n" forces a line break inside the cell.
		var ls []line
		var p para
		for _, part := range strings.Split(t, "\n") {
			part = w.cellText(part, st, size, c.width-2*cellPadH)
			p = para{runs: plain(part, st), size: size, align: al, w: c.width - 2*cellPadH, lead: lead}
			ls = append(ls, w.layout(&p)...)
		}
		cells[i] = cell{p, ls}
		n = max(n, len(ls))
	}
	return cells, float64(n)*lead + 2*cellPadV
}

// cellText is bindDashes for a table cell of the given width, used only when
// it costs no extra line and every bound group fits: "Phòng Tuyên truyền, /
// Báo chí - Xuất bản" rather than "…, Báo / chí - Xuất bản", but a narrow cell
// keeps wrapping as before rather than leaving "Phòng" alone on a line.
func (w *writer) cellText(s string, st style, size, width float64) string {
	b := bindDashes(s)
	if b == s {
		return s
	}
	for _, g := range strings.Split(b, " ") {
		if w.measure(st, size, w.clean(g)) > width {
			return s
		}
	}
	lines := func(t string) int {
		p := para{runs: plain(t, st), size: size, w: width}
		return len(w.layout(&p))
	}
	if lines(b) > lines(s) {
		return s
	}
	return b
}

// tableHeader is a laid-out header: one row of column titles, or two rows
// when columns are grouped.
type tableHeader struct {
	height float64
	draw   func()
}

func (w *writer) header(x0 float64, cols []column, size float64, drawRow func(x float64, cols []column, cells []cell, h float64)) tableHeader {
	titles := make([]string, len(cols))
	grouped := false
	for i, c := range cols {
		titles[i] = c.title
		grouped = grouped || c.group != ""
	}
	if !grouped {
		cells, h := w.rowCells(cols, titles, true, size)
		return tableHeader{h, func() { drawRow(x0, cols, cells, h) }}
	}
	// Two levels. Spans: runs of adjacent columns with the same group; an
	// ungrouped column is its own span and its title fills both levels.
	type span struct {
		from, to int // columns [from, to)
		group    string
	}
	var spans []span
	for i, c := range cols {
		if n := len(spans); n > 0 && c.group != "" && spans[n-1].group == c.group {
			spans[n-1].to = i + 1
			continue
		}
		spans = append(spans, span{i, i + 1, c.group})
	}
	var top []column // one pseudo-column per span, for the upper level
	var topTexts []string
	var xs []float64 // left edge of each span
	x := x0
	for _, s := range spans {
		wd := 0.0
		for _, c := range cols[s.from:s.to] {
			wd += c.width
		}
		top = append(top, column{title: s.group, width: wd})
		topTexts = append(topTexts, s.group)
		xs = append(xs, x)
		x += wd
	}
	topCells, h1 := w.rowCells(top, topTexts, true, size)
	subCells, h2 := w.rowCells(cols, titles, true, size)
	// An ungrouped column spans both levels; if its title is the tallest,
	// the lower level grows to make room.
	for _, s := range spans {
		if s.group == "" {
			_, h := w.rowCells(cols[s.from:s.to], titles[s.from:s.to], true, size)
			h2 = max(h2, h-h1)
		}
	}
	total := h1 + h2
	return tableHeader{total, func() {
		y0 := w.y
		for k, s := range spans {
			w.y = y0
			if s.group == "" {
				drawRow(xs[k], cols[s.from:s.to], subCells[s.from:s.to], total)
				continue
			}
			drawRow(xs[k], top[k:k+1], topCells[k:k+1], h1)
			drawRow(xs[k], cols[s.from:s.to], subCells[s.from:s.to], h2)
		}
		w.y = y0 + total
	}}
}

// table is a bordered table with a header that repeats on every page.
type table struct {
	cols []column
	rows []tableRow
	size float64
}

func (t table) width() float64 {
	s := 0.0
	for _, c := range t.cols {
		s += c.width
	}
	return s
}

// layoutRow lays out a body row; a span row is one cell across the table.
func (w *writer) layoutRow(t table, r tableRow) ([]column, []cell, float64) {
	if r.span != "" {
		cols := []column{{width: t.width(), align: alignLeft}}
		lead := leadFor(t.size)
		p := para{runs: plain(r.span, bold), size: t.size, align: alignLeft, w: cols[0].width - 2*cellPadH, lead: lead}
		ls := w.layout(&p)
		return cols, []cell{{p, ls}}, float64(len(ls))*lead + 2*cellPadV
	}
	cells, h := w.rowCells(t.cols, r.cells, false, t.size)
	return t.cols, cells, h
}

// rowNeed is the height that must fit for row i to be drawn on the current
// page: a group heading is kept with the row after it.
func (w *writer) rowNeed(t table, i int) float64 {
	_, _, h := w.layoutRow(t, t.rows[i])
	if t.rows[i].span != "" && i+1 < len(t.rows) {
		_, _, hn := w.layoutRow(t, t.rows[i+1])
		h += hn
	}
	return h
}

// startHeight is the height of the header plus what must follow it (the first
// row, and the row after a leading group heading): the least that must fit
// for the table to start on the current page.
func (w *writer) startHeight(t table) float64 {
	h := w.header(0, t.cols, t.size, func(float64, []column, []cell, float64) {}).height
	if len(t.rows) > 0 {
		h += w.rowNeed(t, 0)
	}
	return h
}

// tableStartHeight is startHeight for a plain table.
func (w *writer) tableStartHeight(cols []column, rows [][]string, size float64) float64 {
	return w.startHeight(table{cols, plainRows(rows), size})
}

// drawTable draws a plain bordered table at the cursor (see drawRows).
func (w *writer) drawTable(cols []column, rows [][]string, size float64) {
	w.drawRows(table{cols, plainRows(rows), size})
}

// drawRows draws a bordered table at the cursor. Rows are never split: a row
// that does not fit goes to the next page, where the header is repeated; a
// group heading never ends a page.
func (w *writer) drawRows(t table) {
	lead := leadFor(t.size)
	x0 := w.spec.left
	drawRow := func(x float64, cols []column, cells []cell, h float64) {
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
	hdr := w.header(x0, t.cols, t.size, drawRow)
	// Lay every row out once: the page-break test looks one row ahead.
	type laid struct {
		cols  []column
		cells []cell
		h     float64
	}
	rows := make([]laid, len(t.rows))
	for i, r := range t.rows {
		c, cl, h := w.layoutRow(t, r)
		rows[i] = laid{c, cl, h}
	}
	first := true
	for i, r := range t.rows {
		cols, cells, h := rows[i].cols, rows[i].cells, rows[i].h
		need := h
		if r.span != "" && i+1 < len(rows) {
			need += rows[i+1].h // a group heading stays with the row after it
		}
		if first || w.y+need > w.bottomY() {
			if w.y+hdr.height+need > w.bottomY() {
				w.newPage()
			}
			hdr.draw()
			first = false
		}
		drawRow(x0, cols, cells, h)
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
		if d.Collective {
			heading = "Tập thể được tặng " + award
		}
		if d.Period != "" {
			heading += " " + d.Period
		}
	}
	if sp.annexCaps {
		heading = strings.ToUpper(norm.NFC.String(heading))
	}
	inset := tw * 0.08
	w.centredBlock(sp.left+inset, tw-2*inset, bold, size, leadFor(size), heading)
	if w.opt.LeaveNumberAndDate {
		w.annexRefSlots(d, sp.left+inset, tw-2*inset, size)
	} else {
		number := bareNumber(d.NumberText)
		if w.opt.Draft {
			number = "      " + number // the blank the placeholder starts with
		}
		ref := sp.annexReference(number, w.printedDate(d.Date), agencyFullName(d.Agency))
		w.centredBlock(sp.left+inset, tw-2*inset, italic, size, leadFor(size), ref)
	}
	w.y += 2.5
	cx := sp.left + tw/2
	w.hline(cx-tw/6, cx+tw/6, w.y, 0.3)
	w.y += 5

	cols := []column{
		{title: "STT", width: 12, align: alignCenter},
		{title: "Họ và tên", width: 56, align: alignLeft},
		{title: "Chức vụ", width: 42, align: alignLeft},
		{title: "Đơn vị công tác", width: 55, align: alignLeft},
	}
	rows := make([][]string, len(d.Awardees))
	for i, a := range d.Awardees {
		rows[i] = []string{strconv.Itoa(i + 1), a.Name, a.Position, a.Unit}
	}
	if d.Collective { // a collective has no position: its name, and the unit it belongs to
		cols = []column{
			{title: "STT", width: 12, align: alignCenter},
			{title: "Tên tập thể", width: 98, align: alignLeft},
			{title: "Đơn vị", width: 55, align: alignLeft},
		}
		for i, a := range d.Awardees {
			rows[i] = []string{strconv.Itoa(i + 1), a.Name, a.Unit}
		}
	}
	w.drawTable(cols, rows, sp.tableSize)
}
