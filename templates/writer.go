package templates

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/text/unicode/norm"
)

const (
	mmPerPt = 25.4 / 72
	ptPerMM = 72 / 25.4
	pageW   = 210.0 // A4
	pageH   = 297.0

	firstLineIndent = 12.7 // 1,27 cm
	paraGap         = 6 * mmPerPt
	leadFactor      = 1.25 // line pitch / font size: between single and 1.5 lines
)

// nbsp binds two words on one line ("ngày\u00a005/02/2026"); it is drawn as
// an ordinary space so that extracted text stays plain.
const nbsp = '\u00a0'

// keepSpaces protects blanks left for handwriting ("Số:      /QĐ-UBND",
// "ngày      tháng") from whitespace collapsing: runs of two or more spaces
// become no-break spaces.
func keepSpaces(s string) string {
	var b strings.Builder
	run := 0
	flush := func() {
		if run == 1 {
			b.WriteByte(' ')
		} else {
			for range run {
				b.WriteRune(nbsp)
			}
		}
		run = 0
	}
	for _, r := range s {
		if r == ' ' {
			run++
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

type align uint8

const (
	alignLeft align = iota
	alignCenter
	alignRight
	alignJustify
)

// writer wraps one gofpdf document. All text goes through it so that it is
// NFC-normalised, checked against the font's coverage, measured with the
// process-wide metrics, and its runes recorded for the subset tag.
type writer struct {
	pdf   *gofpdf.Fpdf
	spec  *profileSpec
	faces [numStyles]*face

	loaded  [numStyles]bool
	used    [numStyles]map[rune]struct{}
	curSt   style
	curSize float64
	fontSet bool

	y          float64 // cursor, mm from the page top
	pageNoBase int     // physical page that is number 1 of the current numbering sequence

	opt   RenderOptions
	slots []TextSlot // left empty under opt.LeaveNumberAndDate, in drawing order

	err error
}

func newWriter(spec *profileSpec, opt RenderOptions) (*writer, error) {
	fs, err := loadFaces()
	if err != nil {
		return nil, err
	}
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	pdf.SetMargins(spec.left, spec.top, spec.right)
	pdf.SetAutoPageBreak(false, spec.bottom) // the writer breaks pages itself
	pdf.SetCompression(true)
	// Fonts live in a map inside gofpdf: without sorting, their object order (and
	// so the bytes) would vary between runs.
	pdf.SetCatalogSort(true)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetTextColor(0, 0, 0)
	w := &writer{pdf: pdf, spec: spec, faces: fs, pageNoBase: 1, opt: opt}
	for i := range w.used {
		w.used[i] = map[rune]struct{}{}
	}
	return w, nil
}

func (w *writer) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

func (w *writer) textWidth() float64 { return pageW - w.spec.left - w.spec.right }
func (w *writer) bottomY() float64   { return pageH - w.spec.bottom }

// clean normalises text to NFC (gofpdf has no shaping, so decomposed Vietnamese —
// a base letter plus combining marks — would print with misplaced accents),
// turns every whitespace run into one space, and checks font coverage.
func (w *writer) clean(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) && r != nbsp {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if !covered(r) {
			w.fail(fmt.Errorf("ký tự %q (U+%04X) không có trong phông Liberation Serif / character not in the font, in %q", r, r, s))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// useStyle selects a face, adding it to this document on first use.
//
// gofpdf cannot share a parsed UTF-8 font between documents: the parsed form
// (fontDefType/utf8FontFile) is unexported and is mutated again at Output
// (GenerateCutFont rewrites CharWidths and the CID map). And it writes into the
// byte slice it is given (utf8FontFile.generateChecksum appends padding to
// sub-slices of it), so each document gets its own copy of the TTF bytes.
func (w *writer) useStyle(st style, size float64) {
	if !w.loaded[st] {
		raw := w.faces[st].raw
		w.pdf.AddUTF8FontFromBytes(fontFamily, styleGofpdf[st], append(make([]byte, 0, len(raw)), raw...))
		w.loaded[st] = true
	}
	if !w.fontSet || w.curSt != st || w.curSize != size {
		w.pdf.SetFont(fontFamily, styleGofpdf[st], size)
		w.curSt, w.curSize, w.fontSet = st, size, true
	}
}

// measure returns the width in mm of already-cleaned text.
func (w *writer) measure(st style, size float64, s string) float64 {
	return w.faces[st].width(s, size)
}

// text draws cleaned text with its baseline at y.
func (w *writer) text(x, baseline float64, st style, size float64, s string) {
	if s == "" {
		return
	}
	w.useStyle(st, size)
	s = strings.ReplaceAll(s, string(nbsp), " ")
	for _, r := range s {
		w.used[st][r] = struct{}{}
	}
	w.pdf.Text(x, baseline, s)
}

// baselineIn is where a baseline sits in a line box of height lead: the font's
// ascent+descent (0.891+0.216 em for Liberation Serif) centred in the box.
func baselineIn(top, lead, size float64) float64 {
	return top + lead/2 + 0.3375*size*mmPerPt
}

func leadFor(size float64) float64 { return size * leadFactor * mmPerPt }

func (w *writer) hline(x1, x2, y, width float64) {
	w.pdf.SetLineWidth(width)
	w.pdf.Line(x1, y, x2, y)
}

// newPage starts a page and prints its number centred in the top margin,
// except on the first page of a numbering sequence (NĐ30 and HD36 do not show
// the first page's number).
func (w *writer) newPage() {
	w.pdf.AddPage()
	w.y = w.spec.top
	if w.opt.Draft {
		w.draftMarks()
	}
	n := w.pdf.PageNo() - w.pageNoBase + 1
	if n >= 2 {
		s := strconv.Itoa(n)
		size := w.spec.pageNoSize
		x := w.spec.left + (w.textWidth()-w.measure(regular, size, s))/2
		w.text(x, w.spec.top/2+0.35*size*mmPerPt, regular, size, s)
	}
}

// restartNumbering makes the next page number 1 (not shown), as for an annex
// (NĐ30: a phụ lục is numbered on its own).
func (w *writer) restartNumbering() { w.pageNoBase = w.pdf.PageNo() + 1 }

// ensure starts a new page unless h mm still fit below the cursor.
func (w *writer) ensure(h float64) {
	if w.y+h > w.bottomY()+1e-6 {
		w.newPage()
	}
}

// ---- paragraphs ----

type run struct {
	text string
	st   style
}

type para struct {
	runs    []run
	size    float64
	align   align
	x, w    float64 // box; w == 0 means the full text width
	indent  float64 // first-line indent
	hanging float64 // indent of continuation lines
	lead    float64 // line pitch; 0 = leadFor(size)
	before  float64 // space above
	after   float64 // space below
}

type piece struct {
	text string
	st   style
	w    float64
}

type word struct {
	pieces []piece
	w      float64
	spaceW float64 // width of a following space, in the style of the last piece
}

type line struct {
	words   []word
	natural float64 // words plus single spaces
	x0      float64 // offset from the box's left edge
	avail   float64
	last    bool
}

func plain(text string, st style) []run { return []run{{text, st}} }

func (w *writer) tokenize(p *para) []word {
	var words []word
	var cur word
	flush := func() {
		if len(cur.pieces) == 0 {
			return
		}
		last := cur.pieces[len(cur.pieces)-1].st
		cur.spaceW = w.measure(last, p.size, " ")
		words = append(words, cur)
		cur = word{}
	}
	for _, r := range p.runs {
		t := w.clean(r.text)
		// clean() trims nothing at the edges of a run except collapsing; a leading
		// or trailing space in the raw run marks a word boundary.
		if len(r.text) > 0 && unicode.IsSpace(rune(r.text[0])) {
			flush()
		}
		for i, f := range strings.Split(t, " ") {
			if i > 0 {
				flush()
			}
			if f == "" {
				continue
			}
			fw := w.measure(r.st, p.size, f)
			cur.pieces = append(cur.pieces, piece{f, r.st, fw})
			cur.w += fw
		}
		if len(r.text) > 0 && unicode.IsSpace(rune(r.text[len(r.text)-1])) {
			flush()
		}
	}
	flush()
	return words
}

// splitLong breaks a word wider than avail into chunks (rare: long codes, URLs).
func (w *writer) splitLong(wd word, avail, size float64) []word {
	var out []word
	var cur word
	for _, pc := range wd.pieces {
		var buf []rune
		for _, r := range pc.text {
			rw := w.measure(pc.st, size, string(r))
			if cur.w+w.measure(pc.st, size, string(buf))+rw > avail && (len(buf) > 0 || len(cur.pieces) > 0) {
				if len(buf) > 0 {
					cur.pieces = append(cur.pieces, piece{string(buf), pc.st, w.measure(pc.st, size, string(buf))})
				}
				cur.w = sumPieces(cur.pieces)
				out = append(out, cur)
				cur, buf = word{}, nil
			}
			buf = append(buf, r)
		}
		if len(buf) > 0 {
			cur.pieces = append(cur.pieces, piece{string(buf), pc.st, w.measure(pc.st, size, string(buf))})
			cur.w = sumPieces(cur.pieces)
		}
	}
	if len(cur.pieces) > 0 {
		out = append(out, cur)
	}
	for i := range out {
		out[i].spaceW = wd.spaceW
	}
	return out
}

func sumPieces(ps []piece) float64 {
	var s float64
	for _, p := range ps {
		s += p.w
	}
	return s
}

// layout breaks a paragraph into lines (greedy, which is what word processors do).
func (w *writer) layout(p *para) []line {
	if p.w == 0 {
		p.x, p.w = w.spec.left, w.textWidth()
	}
	if p.lead == 0 {
		p.lead = leadFor(p.size)
	}
	var lines []line
	cur := line{x0: p.indent, avail: p.w - p.indent}
	push := func() {
		lines = append(lines, cur)
		cur = line{x0: p.hanging, avail: p.w - p.hanging}
	}
	var queue []word
	for _, wd := range w.tokenize(p) {
		if wd.w > p.w-p.hanging-p.indent && wd.w > cur.avail {
			queue = append(queue, w.splitLong(wd, min(p.w-p.hanging, p.w-p.indent), p.size)...)
		} else {
			queue = append(queue, wd)
		}
	}
	for _, wd := range queue {
		if len(cur.words) == 0 {
			cur.words = append(cur.words, wd)
			cur.natural = wd.w
			continue
		}
		prev := cur.words[len(cur.words)-1]
		if cur.natural+prev.spaceW+wd.w <= cur.avail+1e-9 {
			cur.words = append(cur.words, wd)
			cur.natural += prev.spaceW + wd.w
			continue
		}
		push()
		cur.words = append(cur.words, wd)
		cur.natural = wd.w
	}
	if len(cur.words) > 0 || len(lines) == 0 {
		push()
	}
	lines[len(lines)-1].last = true
	return lines
}

func (w *writer) paraHeight(p para) float64 {
	return p.before + float64(len(w.layout(&p)))*leadOr(p) + p.after
}

func leadOr(p para) float64 {
	if p.lead == 0 {
		return leadFor(p.size)
	}
	return p.lead
}

// drawPara lays out and draws a paragraph at the cursor, breaking pages
// between lines.
func (w *writer) drawPara(p para) {
	lines := w.layout(&p)
	if w.y > w.spec.top+1e-6 {
		w.y += p.before
	}
	for _, ln := range lines {
		w.ensure(p.lead)
		w.drawLine(ln, p, w.y)
		w.y += p.lead
	}
	w.y += p.after
}

func (w *writer) drawLine(ln line, p para, top float64) {
	base := baselineIn(top, p.lead, p.size)
	x := p.x + ln.x0
	gap := 0.0
	switch p.align {
	case alignCenter:
		x += (ln.avail - ln.natural) / 2
	case alignRight:
		x += ln.avail - ln.natural
	case alignJustify:
		if !ln.last && len(ln.words) > 1 {
			gap = (ln.avail - ln.natural) / float64(len(ln.words)-1)
		}
	}
	if gap == 0 {
		// Unstretched line: draw each same-style stretch in one text operation
		// (fewer PDF operators; a table of 500 rows has thousands of cells).
		var buf strings.Builder
		st, startX, width := style(0), x, 0.0
		flush := func() {
			if buf.Len() > 0 {
				w.text(startX, base, st, p.size, buf.String())
				buf.Reset()
			}
			startX += width
			width = 0
		}
		for i, wd := range ln.words {
			for j, pc := range wd.pieces {
				if buf.Len() > 0 && pc.st != st {
					flush()
				}
				st = pc.st
				buf.WriteString(pc.text)
				width += pc.w
				if j == len(wd.pieces)-1 && i < len(ln.words)-1 {
					buf.WriteByte(' ')
					width += wd.spaceW
				}
			}
		}
		flush()
		return
	}
	for i, wd := range ln.words {
		px := x
		for j, pc := range wd.pieces {
			t := pc.text
			// A real space glyph after each word keeps copy/paste and search
			// working; justification stretches the gap after it.
			if j == len(wd.pieces)-1 && i < len(ln.words)-1 {
				t += " "
			}
			w.text(px, base, pc.st, p.size, t)
			px += pc.w
		}
		x += wd.w + wd.spaceW + gap
	}
}

// centredBlock draws short lines centred in a column ("\n" forces a break)
// and returns the widest line's width. A part that needs several lines is
// balanced (see balanced), so a title never ends with one orphaned word, and
// a spaced dash binds its neighbours, so no line starts with "- ".
func (w *writer) centredBlock(x, width float64, st style, size, lead float64, text string) float64 {
	widest := 0.0
	for _, part := range strings.Split(text, "\n") {
		p := para{runs: plain(bindDashes(part), st), size: size, align: alignCenter, x: x, w: width, lead: lead}
		for _, ln := range w.balanced(p) {
			w.drawLine(ln, p, w.y)
			widest = max(widest, ln.natural)
			w.y += lead
		}
	}
	return widest
}

// balanced lays out a centred paragraph in as many lines as greedy wrapping
// needs, but wrapped at the narrowest width that keeps that count, so the
// lines come out about equally long. The lines keep p's box, so they stay
// centred in it.
func (w *writer) balanced(p para) []line {
	lines := w.layout(&p)
	n := len(lines)
	if n < 2 {
		return lines
	}
	lo, hi := p.w/float64(n), p.w
	for range 16 {
		mid := (lo + hi) / 2
		q := p
		q.w = mid
		if len(w.layout(&q)) == n {
			hi = mid
		} else {
			lo = mid
		}
	}
	q := p
	q.w = hi
	lines = w.layout(&q)
	for i := range lines {
		lines[i].avail = p.w
	}
	return lines
}

// bindDashes keeps a spaced dash with the two words on each side, joining
// them with no-break spaces. Names joined by a dash pair two-syllable words —
// "Thi đua - Khen thưởng", "Báo chí - Xuất bản" — and a line break anywhere in
// them ("THI / ĐUA - KHEN THƯỞNG", or a line starting with "- ") reads wrong.
func bindDashes(s string) string {
	words := strings.Split(s, " ")
	bind := make([]bool, len(words)) // bind[j]: no break between words j and j+1
	found := false
	for i, wd := range words {
		if wd != "-" || i == 0 || i == len(words)-1 {
			continue
		}
		found = true
		for j := max(0, i-2); j <= min(len(words)-2, i+1); j++ {
			bind[j] = true
		}
	}
	if !found {
		return s
	}
	var b strings.Builder
	for j, wd := range words {
		b.WriteString(wd)
		if j < len(words)-1 {
			if bind[j] {
				b.WriteRune(nbsp)
			} else {
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

// finish writes the document and applies the post-processing in pdfpost.go.
func (w *writer) finish(meta docMeta, opt RenderOptions) ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	created := opt.CreationDate
	if created.IsZero() {
		created = time.Now()
	}
	created = created.In(vietnamTime).Truncate(time.Second)
	if opt.Draft || opt.LeaveNumberAndDate {
		// The title names the document by its number once it has one; until
		// then the placeholder ("/QĐ-BTGTU") is left out of the metadata.
		if b := bareNumber(meta.keywords); b != "" {
			meta.title = strings.Replace(meta.title, " "+b, "", 1)
		}
		meta.keywords = ""
	}
	if opt.Draft {
		meta.title = "Dự thảo " + lowerFirst(meta.title)
	}
	w.pdf.SetCreationDate(created)
	w.pdf.SetModificationDate(created)
	w.pdf.SetTitle(w.clean(meta.title), true)
	w.pdf.SetAuthor(w.clean(meta.author), true)
	w.pdf.SetSubject(w.clean(meta.subject), true)
	w.pdf.SetKeywords(w.clean(meta.keywords), true)
	w.pdf.SetCreator("awardflow", false)
	w.pdf.SetProducer("awardflow templates (gofpdf 1.16.2)", false)
	if w.err != nil {
		return nil, w.err
	}
	var buf bytes.Buffer
	if err := w.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("gofpdf output: %w", err)
	}
	out, err := postProcess(buf.Bytes(), w.used)
	if err != nil {
		return nil, fmt.Errorf("post-process PDF: %w", err)
	}
	return out, nil
}

type docMeta struct {
	title, author, subject, keywords string
}

// rectPoints converts a box in mm from the top-left to PDF points from the
// bottom-left (llx, lly, urx, ury).
func rectPoints(x1, y1, x2, y2 float64) [4]float64 {
	r := func(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }
	return [4]float64{r(x1 * ptPerMM), r((pageH - y2) * ptPerMM), r(x2 * ptPerMM), r((pageH - y1) * ptPerMM)}
}
