package pdfsign

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/png"
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
