package pdfsign

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
	"testing"
)

func TestPixelsFastPathMatchesGeneric(t *testing.T) {
	src, err := png.Decode(bytes.NewReader(testPNG(t, true)))
	if err != nil {
		t.Fatal(err)
	}
	n, ok := src.(*image.NRGBA)
	if !ok {
		t.Fatalf("png.Decode returned %T, fast path untested", src)
	}
	// Same picture through a non-NRGBA type (generic path); compare where the
	// premultiplied round trip is exact (opaque or fully transparent pixels).
	gen := image.NewRGBA64(n.Bounds())
	draw.Draw(gen, gen.Bounds(), n, image.Point{}, draw.Src)
	r1, a1, o1 := pixels(n)
	r2, a2, o2 := pixels(gen)
	if o1 != o2 || !bytes.Equal(a1, a2) {
		t.Fatal("alpha planes differ")
	}
	for i, a := range a1 {
		if a == 0xff && !bytes.Equal(r1[3*i:3*i+3], r2[3*i:3*i+3]) {
			t.Fatalf("pixel %d: %v vs %v", i, r1[3*i:3*i+3], r2[3*i:3*i+3])
		}
	}
	if o1 {
		t.Error("seal image has transparency but was reported opaque")
	}
	g := image.NewGray(image.Rect(0, 0, 2, 2))
	g.SetGray(1, 1, color.Gray{Y: 0x80})
	rgb, _, opaque := pixels(g)
	if !opaque || rgb[9] != 0x80 || rgb[0] != 0 {
		t.Errorf("gray conversion: %v opaque=%v", rgb, opaque)
	}
}

func TestAppearanceErrors(t *testing.T) {
	s, _, _ := testSigner(t)
	in := makePDF(t, 1)
	base := func() Options {
		return Options{Font: testFont(t), Appearance: &Appearance{Page: 1, Rect: [4]float64{10, 10, 200, 60}, Lines: []string{"Nguyễn"}}}
	}
	cases := map[string]struct {
		mod  func(*Options)
		want string
	}{
		"missing glyph": {func(o *Options) { o.Appearance.Lines = []string{"Chữ Hán 漢字"} }, "no glyph"},
		"no font":       {func(o *Options) { o.Font = nil }, "Options.Font is empty"},
		"bad font":      {func(o *Options) { o.Font = []byte("not a font at all") }, "font"},
		"page range":    {func(o *Options) { o.Appearance.Page = 9 }, "out of range"},
		"empty rect":    {func(o *Options) { o.Appearance.Rect = [4]float64{10, 10, 10, 60} }, "empty"},
		"tiny rect":     {func(o *Options) { o.Appearance.Rect = [4]float64{10, 10, 12, 12} }, "too small"},
		"bad png":       {func(o *Options) { o.Appearance.Image = []byte("\x89PNG junk") }, "image"},
		"subfilter":     {func(o *Options) { o.SubFilter = "adbe.x509.rsa_sha1" }, "SubFilter"},
	}
	for name, c := range cases {
		o := base()
		c.mod(&o)
		_, err := Sign(context.Background(), in, s, o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, c.want)
		}
	}
}

func TestFontSubsetIsSmall(t *testing.T) {
	f, err := loadFont(testFont(t))
	if err != nil {
		t.Fatal(err)
	}
	g, err := f.glyphs("Thời gian ký: Đào Hồng")
	if err != nil {
		t.Fatal(err)
	}
	used := map[uint16]bool{}
	for _, id := range g {
		used[id] = true
	}
	sub := f.subset(used)
	if len(deflate(sub)) > 30<<10 {
		t.Errorf("compressed subset is %d bytes; expected a few KB", len(deflate(sub)))
	}
	// Used glyphs keep their exact outlines at the same IDs; others are empty.
	tables := map[string][]byte{}
	n := int(binary.BigEndian.Uint16(sub[4:]))
	for i := 0; i < n; i++ {
		rec := sub[12+16*i:]
		off, ln := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		tables[string(rec[:4])] = sub[off : off+ln]
	}
	if tables["cmap"] != nil || tables["glyf"] == nil || tables["hmtx"] == nil {
		t.Fatalf("unexpected table set in subset")
	}
	loca, glyf := tables["loca"], tables["glyf"]
	at := func(g int) []byte {
		a, b := binary.BigEndian.Uint32(loca[4*g:]), binary.BigEndian.Uint32(loca[4*g+4:])
		return glyf[a:b]
	}
	for id := range used {
		orig := f.tables["glyf"][f.loca[id]:f.loca[id+1]]
		if got := at(int(id)); !bytes.Equal(bytes.TrimRight(got, "\x00"), bytes.TrimRight(orig, "\x00")) {
			t.Errorf("glyph %d differs in subset", id)
		}
	}
	if a := f.cmap['Z']; !used[a] && len(at(int(a))) != 0 {
		t.Error("unused glyph 'Z' kept in subset")
	}
}

// A visible signature has no frame: the signer's is the image of the
// handwritten signature with its text lines, the seal the seal's image
// (NĐ30/2020 Phụ lục I). The image takes the left part of the box and the
// text starts right of it; alone, the image fills the box.
func TestAppearanceNoFrameAndLayout(t *testing.T) {
	s, _, _ := testSigner(t)
	out, err := Sign(context.Background(), makePDF(t, 1), s, signerOpts(t))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte(" re S")) || bytes.Contains(out, []byte(" RG ")) {
		t.Error("the appearance draws a frame")
	}
	ap := *signerOpts(t).Appearance
	img, err := ap.ImageRect()
	if err != nil {
		t.Fatal(err)
	}
	r := ap.Rect
	// testPNG is square: the image is as tall as the box allows, in the left 55 %.
	if img[0] < r[0] || img[2] > r[0]+(r[2]-r[0])*imageShare+0.01 || img[1] < r[1] || img[3] > r[3] || math.Abs((img[3]-img[1])-(r[3]-r[1]-2*apPad)) > 0.01 {
		t.Errorf("image rect %v in box %v", img, r)
	}
	alone := ap
	alone.Lines = nil
	if ir, _ := alone.ImageRect(); math.Abs((ir[0]+ir[2])/2-(r[0]+r[2])/2) > 0.01 {
		t.Errorf("an image alone is not centred: %v in %v", ir, r)
	}
	// Where pdftoppm draws blue is where ImageRect says (1 px = 1 pt).
	blue := darkPixels(t, out, 1, img[0], img[1], img[2], img[3])
	outside := darkPixels(t, out, 1, r[0], r[1], img[0]-1, r[3])
	if blue < 100 || outside != 0 {
		t.Errorf("image pixels: %d inside ImageRect, %d left of it", blue, outside)
	}
}

// The seal covers about the left third of the signer's image and is centred
// on it vertically.
func TestSealRect(t *testing.T) {
	ap := *signerOpts(t).Appearance
	img, _ := ap.ImageRect()
	for _, d := range []float64{60, 102, 140} {
		sr, err := SealRect(ap, d)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(sr[2]-(img[0]+(img[2]-img[0])/3)) > 0.01 || math.Abs(sr[2]-sr[0]-d) > 0.01 || math.Abs(sr[3]-sr[1]-d) > 0.01 ||
			math.Abs((sr[1]+sr[3])/2-(img[1]+img[3])/2) > 0.01 {
			t.Errorf("diameter %v: seal %v over image %v", d, sr, img)
		}
	}
	near := ap
	near.Rect = [4]float64{10, 100, 200, 180}
	if sr, _ := SealRect(near, 150); sr[0] != 0 {
		t.Errorf("seal leaves the page: %v", sr)
	}
	for _, d := range []float64{0, -3, math.NaN(), math.Inf(1)} {
		if _, err := SealRect(ap, d); err == nil {
			t.Errorf("diameter %v accepted", d)
		}
	}
	noImg := ap
	noImg.Image = []byte("junk")
	if _, err := SealRect(noImg, 100); err == nil {
		t.Error("undecodable image accepted")
	}
}
