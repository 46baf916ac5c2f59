package pdfsign

import (
	"bytes"
	"context"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func normNFC(s string) string { return norm.NFC.String(s) }

const italicFontPath = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf"

func testItalicFont(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(italicFontPath)
	if err != nil {
		t.Fatalf("Liberation Serif Italic missing (install fonts-liberation2): %v", err)
	}
	return b
}

func pdftotext(t testing.TB, pdf []byte, args ...string) string {
	t.Helper()
	cmd := exec.Command(needTool(t, "pdftotext", "poppler-utils"), append(args, writeTemp(t, "t.pdf", pdf), "-")...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext %v: %v\n%s", args, err, errb.String())
	}
	if strings.Contains(errb.String(), "Error") {
		t.Fatalf("pdftotext %v reported errors:\n%s", args, errb.String())
	}
	return out.String()
}

var bboxWordRe = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

type wordBox struct {
	x0, y0, x1, y1 float64
	text           string
}

func bboxWords(t testing.TB, pdf []byte, page int) []wordBox {
	p := strconv.Itoa(page)
	var out []wordBox
	for _, m := range bboxWordRe.FindAllStringSubmatch(pdftotext(t, pdf, "-bbox", "-f", p, "-l", p), -1) {
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		out = append(out, wordBox{v[0], v[1], v[2], v[3], m[5]})
	}
	return out
}

// The văn thư's step on a signed document: number and date added as an
// incremental update, then the seal. The signer's signature stays valid; once
// the seal signs, Verify reports it covered by the later signature; the text
// renders and extracts where it was put, centred in its slot.
func TestAddTextAfterSignatureThenSeal(t *testing.T) {
	s, ca, _ := testSigner(t)
	in := makePDF(t, 2)
	signed, err := Sign(context.Background(), in, s, signerOpts(t))
	if err != nil {
		t.Fatal(err)
	}
	ov := []TextOverlay{
		{Page: 1, X: 85, Baseline: 700, Width: 190, Size: 13, Font: testFont(t), Text: "Số: 05/QĐ-UBND"},
		{Page: 1, X: 280, Baseline: 700, Width: 290, Size: 14, Font: testItalicFont(t), Text: "Đồng Tháp, ngày 05 tháng 02 năm 2026"},
		{Page: 2, X: 100, Baseline: 400, Size: 12, Font: testFont(t), Text: "Kèm theo Quyết định số 05/QĐ-UBND"},
		{Page: 2, X: 100, Baseline: 300, Width: 300, Align: AlignLeft, Size: 12, Font: testItalicFont(t), Text: "ngày 05/02/2026"},
	}
	numbered, err := AddText(context.Background(), signed, ov)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(numbered, signed) {
		t.Fatal("AddText rewrote earlier bytes")
	}
	// Before the seal the signer's signature is intact, but the appended update
	// is not signed by anyone.
	infos, err := Verify(numbered, testRoots(t))
	if err != nil || len(infos) != 1 || !infos[0].Intact || infos[0].Coverage != CoverageUnsignedChanges {
		t.Fatalf("Verify before the seal: %v %+v", err, infos)
	}
	sealed, err := Sign(context.Background(), numbered, testSealSigner(t), sealOpts(t))
	if err != nil {
		t.Fatal(err)
	}
	file := writeTemp(t, "sealed.pdf", sealed)
	text, sigs := runPdfsig(t, file, nssDB(t, ca))
	if len(sigs) != 2 {
		t.Fatalf("pdfsig found %d signatures:\n%s", len(sigs), text)
	}
	for i, sg := range sigs {
		if sg.Valid != "Signature is Valid." || sg.Trust != "Certificate is Trusted." {
			t.Errorf("signature %d: %q / %q\n%s", i+1, sg.Valid, sg.Trust, text)
		}
	}
	infos, err = Verify(sealed, testRoots(t))
	if err != nil || len(infos) != 2 {
		t.Fatalf("Verify: %v %+v", err, infos)
	}
	if infos[0].Coverage != CoverageLaterSignature || infos[1].Coverage != CoverageWholeFile || !infos[0].Intact || !infos[1].Intact {
		t.Errorf("coverage: %s / %s", infos[0].Coverage, infos[1].Coverage)
	}

	all := pdftotext(t, sealed)
	for _, o := range ov {
		if n := strings.Count(all, o.Text); n != 1 {
			t.Errorf("%q appears %d times in the text", o.Text, n)
		}
	}
	for _, o := range ov {
		ws := bboxWords(t, sealed, o.Page)
		first := strings.Fields(o.Text)[0]
		last := strings.Fields(o.Text)[len(strings.Fields(o.Text))-1]
		var x0, x1, y1 float64 = -1, -1, -1
		for _, w := range ws {
			if w.text == first && x0 < 0 {
				x0, y1 = w.x0, w.y1
			}
			if w.text == last && x0 >= 0 {
				x1 = w.x1
			}
		}
		if x0 < 0 || x1 < 0 {
			t.Fatalf("%q not found on page %d", o.Text, o.Page)
		}
		if o.Width > 0 && o.Align == AlignCenter {
			if mid := (x0 + x1) / 2; math.Abs(mid-(o.X+o.Width/2)) > 0.5 {
				t.Errorf("%q centred at %.2f, slot centre %.2f", o.Text, mid, o.X+o.Width/2)
			}
		} else if math.Abs(x0-o.X) > 0.5 {
			t.Errorf("%q starts at %.2f, want %.2f", o.Text, x0, o.X)
		}
		if base := 841.89 - (y1 - 0.216*o.Size); math.Abs(base-o.Baseline) > 0.5 {
			t.Errorf("%q baseline %.2f, want %.2f", o.Text, base, o.Baseline)
		}
	}
	// It renders: dark pixels where the number is, none there before.
	before, after := darkPixels(t, signed, 1, 85, 690, 275, 715), darkPixels(t, sealed, 1, 85, 690, 275, 715)
	if before != 0 || after < 50 {
		t.Errorf("number area: %d dark pixels before, %d after", before, after)
	}
	if !bytes.HasPrefix(sealed, []byte("%PDF-1.")) || !bytes.Equal(sealed[:9], in[:9]) {
		t.Error("header changed")
	}
}

// darkPixels rasterises a page at 72 dpi (1 px = 1 pt) and counts dark pixels
// in a rectangle given in PDF points (origin bottom-left).
func darkPixels(t testing.TB, pdf []byte, page int, llx, lly, urx, ury float64) int {
	t.Helper()
	dir := t.TempDir()
	p := strconv.Itoa(page)
	out, err := exec.Command(needTool(t, "pdftoppm", "poppler-utils"), "-gray", "-r", "72", "-f", p, "-l", p, "-singlefile",
		writeTemp(t, "r.pdf", pdf), dir+"/pg").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(dir + "/pg.pgm")
	if err != nil {
		t.Fatal(err)
	}
	// P5\nW H\n255\n
	var w, h, mx int
	var hdr int
	if _, err := fmt.Sscanf(string(raw[:min(len(raw), 40)]), "P5\n%d %d\n%d\n", &w, &h, &mx); err != nil {
		t.Fatal(err)
	}
	for i, nl := 0, 0; i < len(raw); i++ {
		if raw[i] == '\n' {
			nl++
			if nl == 3 {
				hdr = i + 1
				break
			}
		}
	}
	px := raw[hdr:]
	n := 0
	for y := int(float64(h) - ury); y < int(float64(h)-lly); y++ {
		for x := int(llx); x < int(urx); x++ {
			if y >= 0 && y < h && x >= 0 && x < w && px[y*w+x] < 128 {
				n++
			}
		}
	}
	return n
}

func TestAddTextXrefStreamInput(t *testing.T) {
	s, ca, _ := testSigner(t)
	in := toXrefStream(t, makePDF(t, 2))
	ov := []TextOverlay{{Page: 2, X: 100, Baseline: 500, Width: 200, Size: 14, Font: testFont(t), Text: "Số 05-QĐ/BTGTU"}}
	out, err := AddText(context.Background(), in, ov)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, in) {
		t.Fatal("earlier bytes rewritten")
	}
	if txt := pdftotext(t, out, "-f", "2", "-l", "2"); !strings.Contains(txt, "Số 05-QĐ/BTGTU") || !strings.Contains(txt, "trang 2") {
		t.Errorf("page 2 text:\n%s", txt)
	}
	// Twice (two updates on top of an object-stream file), then signed.
	out, err = AddText(context.Background(), out, []TextOverlay{{Page: 2, X: 100, Baseline: 450, Size: 14, Font: testFont(t), Text: "ngày 05 tháng 02"}})
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := Sign(context.Background(), out, s, signerOpts(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, sigs := runPdfsig(t, writeTemp(t, "x.pdf", sealed), nssDB(t, ca)); len(sigs) != 1 || sigs[0].Valid != "Signature is Valid." {
		t.Errorf("pdfsig: %+v", sigs)
	}
	txt := pdftotext(t, sealed, "-f", "2", "-l", "2")
	if strings.Count(txt, "Số 05-QĐ/BTGTU") != 1 || strings.Count(txt, "ngày 05 tháng 02") != 1 {
		t.Errorf("page 2 text after two updates:\n%s", txt)
	}
}

// A page whose /Resources are inherited from the page tree and whose
// /Contents is an array that leaves the graphics state changed (a scaled CTM,
// red fill): the added text is still drawn unscaled in black, the page's own
// text still shows, and the shared resources object is left alone.
func TestAddTextInheritedResourcesAndDirtyState(t *testing.T) {
	in := handmadePDF()
	out, err := AddText(context.Background(), in, []TextOverlay{{Page: 1, X: 72, Baseline: 720, Size: 20, Font: testFont(t), Text: "Đã thêm"}})
	if err != nil {
		t.Fatal(err)
	}
	txt := pdftotext(t, out)
	if !strings.Contains(txt, "Hello") || !strings.Contains(txt, "Đã thêm") {
		t.Fatalf("text:\n%s", txt)
	}
	ws := bboxWords(t, out, 1)
	for _, w := range ws {
		if w.text == "Đã" && (math.Abs(w.x0-72) > 0.5 || math.Abs((w.y1-w.y0)/1.107-20) > 0.5) {
			t.Errorf("added text placed at x=%.1f size %.1f: the page's dirty state leaked into it", w.x0, (w.y1-w.y0)/1.107)
		}
	}
	doc, err := parseDocument(out)
	if err != nil {
		t.Fatal(err)
	}
	pages, _ := doc.pages()
	page := doc.dict(pages[0])
	if _, ok := page["Resources"].(Dict); !ok {
		t.Errorf("page has no direct /Resources: %v", page["Resources"])
	}
	if c, ok := page["Contents"].(Array); !ok || len(c) != 4 {
		t.Errorf("/Contents = %v, want [q, two old streams, added]", page["Contents"])
	}
	if tree := doc.dict(doc.dict(doc.trailer["Root"])["Pages"]); len(doc.dict(tree["Resources"])["Font"].(Dict)) != 1 {
		t.Error("inherited resources were changed")
	}
}

// handmadePDF is a one-page PDF 1.7 file: /Resources on the Pages node, the
// page's /Contents an array of two streams, the first of which changes the
// CTM and fill colour without restoring them.
func handmadePDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents [4 0 R 5 0 R] >>",
		"", "",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	s4 := "2 0 0 2 0 0 cm 1 0 0 rg"
	s5 := "BT /F1 12 Tf 50 300 Td (Hello) Tj ET"
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		switch i {
		case 3:
			fmt.Fprintf(&b, "%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n", i+1, len(s4), s4)
		case 4:
			fmt.Fprintf(&b, "%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n", i+1, len(s5), s5)
		default:
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
		}
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// Every invalid overlay is refused with a clear error and nothing written.
func TestAddTextErrors(t *testing.T) {
	in := makePDF(t, 2)
	good := func() TextOverlay {
		return TextOverlay{Page: 1, X: 100, Baseline: 500, Size: 12, Font: testFont(t), Text: "Số 05"}
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := map[string]struct {
		pdf  []byte
		mod  func(*TextOverlay)
		ctx  context.Context
		want string
	}{
		"page 0":          {mod: func(o *TextOverlay) { o.Page = 0 }, want: "page 0 out of range 1..2"},
		"page past end":   {mod: func(o *TextOverlay) { o.Page = 3 }, want: "page 3 out of range 1..2"},
		"missing glyph":   {mod: func(o *TextOverlay) { o.Text = "Số 05 漢字" }, want: "no glyph for \"漢字\""},
		"empty text":      {mod: func(o *TextOverlay) { o.Text = "" }, want: "empty text"},
		"newline":         {mod: func(o *TextOverlay) { o.Text = "Số\n05" }, want: "control"},
		"no font":         {mod: func(o *TextOverlay) { o.Font = nil }, want: "no font"},
		"not a font":      {mod: func(o *TextOverlay) { o.Font = []byte("OTTO not a truetype font") }, want: "font"},
		"too wide":        {mod: func(o *TextOverlay) { o.Width = 10 }, want: "wider than its 10.00 pt slot"},
		"NaN":             {mod: func(o *TextOverlay) { o.X = math.NaN() }, want: "bad geometry"},
		"zero size":       {mod: func(o *TextOverlay) { o.Size = 0 }, want: "bad geometry"},
		"negative width":  {mod: func(o *TextOverlay) { o.Width = -5 }, want: "bad geometry"},
		"unknown align":   {mod: func(o *TextOverlay) { o.Align = 7 }, want: "bad geometry"},
		"too wide, left":  {mod: func(o *TextOverlay) { o.Width, o.Align = 10, AlignLeft }, want: "wider than its 10.00 pt slot"},
		"off the page":    {mod: func(o *TextOverlay) { o.X = 590 }, want: "outside the page"},
		"below the page":  {mod: func(o *TextOverlay) { o.Baseline = 1 }, want: "outside the page"},
		"cancelled":       {ctx: cancelled, want: "context canceled"},
		"not a pdf":       {pdf: []byte("%PDF-1.7\nhello"), want: "startxref"},
		"truncated":       {pdf: in[:len(in)/2], want: "add text"},
		"encrypted input": {pdf: bytes.Replace(in, []byte("trailer\n<<\n"), []byte("trailer\n<<\n/Encrypt 99 0 R\n"), 1), want: "encrypted"},
	}
	for name, c := range cases {
		o := good()
		if c.mod != nil {
			c.mod(&o)
		}
		pdf := in
		if c.pdf != nil {
			pdf = c.pdf
		}
		ctx := context.Background()
		if c.ctx != nil {
			ctx = c.ctx
		}
		out, err := AddText(ctx, pdf, []TextOverlay{good(), o})
		if err == nil || !strings.Contains(err.Error(), c.want) || out != nil {
			t.Errorf("%s: out %d bytes, err = %v; want an error mentioning %q and no output", name, len(out), err, c.want)
		}
	}
	if out, err := AddText(context.Background(), in, nil); err == nil || out != nil {
		t.Errorf("no overlays: %v", err)
	}
}

// Property: for arbitrary text (Vietnamese, punctuation, and characters the
// font lacks), pages and positions, AddText either refuses with no output or
// returns the input followed by an update that parses, whose page's last
// content stream draws exactly the text's glyphs.
func TestAddTextProperty(t *testing.T) {
	in := makePDF(t, 3)
	font := testFont(t)
	f, err := loadFont(font)
	if err != nil {
		t.Fatal(err)
	}
	pool := []rune("aăâbcdđeêghiklmnoôơpqrstuưvxyÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬĐÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ0123456789 /-:,.()“”–漢€\u0301\u200b😀")
	rng := mrand.New(mrand.NewPCG(7, 11))
	ok, refused := 0, 0
	for i := range 60 {
		n := 1 + rng.IntN(30)
		rs := make([]rune, n)
		for j := range rs {
			rs[j] = pool[rng.IntN(len(pool))]
		}
		o := TextOverlay{Page: rng.IntN(5) - 1, X: rng.Float64()*700 - 50, Baseline: rng.Float64() * 900, Size: 4 + rng.Float64()*20, Font: font, Text: string(rs)}
		if rng.IntN(2) == 0 {
			o.Width = rng.Float64() * 400
		}
		out, err := AddText(context.Background(), in, []TextOverlay{o})
		if err != nil {
			if out != nil {
				t.Fatalf("case %d: error %v with output", i, err)
			}
			refused++
			continue
		}
		ok++
		if !bytes.HasPrefix(out, in) {
			t.Fatalf("case %d: earlier bytes rewritten", i)
		}
		doc, err := parseDocument(out)
		if err != nil {
			t.Fatalf("case %d: output does not parse: %v", i, err)
		}
		pages, _ := doc.pages()
		c := doc.dict(pages[o.Page-1])["Contents"].(Array)
		s, _ := doc.resolve(c[len(c)-1]).(*Stream)
		data, err := decodeStream(s)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		gids, err := f.glyphs(normNFC(o.Text))
		if err != nil {
			t.Fatalf("case %d: accepted text the font lacks: %v", i, err)
		}
		var hex strings.Builder
		for _, g := range gids {
			fmt.Fprintf(&hex, "%04X", g)
		}
		if !bytes.Contains(data, []byte("<"+hex.String()+"> Tj")) || !bytes.HasPrefix(data, []byte("Q\n")) {
			t.Fatalf("case %d: added stream %q lacks the text %q", i, data, o.Text)
		}
		if i%10 == 0 { // poppler agrees, on a sample
			if txt := pdftotext(t, out, "-f", strconv.Itoa(o.Page), "-l", strconv.Itoa(o.Page), "-raw"); !strings.Contains(strings.Join(strings.Fields(txt), " "), strings.Join(strings.Fields(normNFC(o.Text)), " ")) {
				t.Errorf("case %d: pdftotext lacks %q:\n%s", i, o.Text, txt)
			}
		}
	}
	if ok < 5 || refused < 5 {
		t.Errorf("property cases not varied enough: %d accepted, %d refused", ok, refused)
	}
}
