package pdfsign

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"
)

const (
	apPad        = 3.0  // inner padding, points
	apLineFactor = 1.2  // line height relative to font size
	apMaxFont    = 11.0 // keep text readable but not shouting in a large box
)

// buildAppearance writes the normal appearance XObject (and its font and
// image resources) for a visible signature of size w×h and returns its ref.
//
// There is no frame (NĐ30/2020 Phụ lục I shows the signer's signature as the
// image of the handwritten signature, the seal as the image of the seal):
// the image, then the text lines to its right, in Color.
func buildAppearance(wr *writer, ap *Appearance, w, h float64, fontBytes []byte) (Ref, error) {
	var content bytes.Buffer
	res := Dict{}
	col := fmt.Sprintf("%s %s %s", formatReal(clamp01(ap.Color[0])), formatReal(clamp01(ap.Color[1])), formatReal(clamp01(ap.Color[2])))

	textX, textW := 0.0, w
	if len(ap.Image) > 0 {
		imgRef, iw, ih, err := embedPNG(wr, ap.Image)
		if err != nil {
			return Ref{}, err
		}
		res["XObject"] = Dict{"Im1": imgRef}
		x, y, dw, dh, tx := imageLayout(w, h, iw, ih, len(ap.Lines) > 0)
		textX, textW = tx, w-tx
		fmt.Fprintf(&content, "q %s 0 0 %s %s %s cm /Im1 Do Q\n", formatReal(dw), formatReal(dh), formatReal(x), formatReal(y))
	}

	if len(ap.Lines) > 0 {
		if len(fontBytes) == 0 {
			return Ref{}, errors.New("appearance has text lines but Options.Font is empty")
		}
		f, err := loadFont(fontBytes)
		if err != nil {
			return Ref{}, err
		}
		lines := make([][]uint16, len(ap.Lines))
		used := map[uint16]rune{}
		maxW := 0.0
		for i, l := range ap.Lines {
			g, err := f.glyphs(l)
			if err != nil {
				return Ref{}, err
			}
			lines[i] = g
			j := 0
			for _, r := range l {
				if _, ok := used[g[j]]; !ok {
					used[g[j]] = r
				}
				j++
			}
			maxW = max(maxW, f.width(g))
		}
		tw, th := textW-2*apPad, h-2*apPad
		size := min(apMaxFont, th/(float64(len(lines))*apLineFactor))
		if maxW > 0 {
			size = min(size, tw*1000/maxW)
		}
		if size < 2 {
			return Ref{}, fmt.Errorf("rectangle %.0fx%.0f pt too small for %d lines of text", w, h, len(lines))
		}
		fontRef := embedType0(wr, f, used)
		res["Font"] = Dict{"F1": fontRef}
		lh := size * apLineFactor
		asc := float64(f.ascent) / float64(f.unitsPerEm)
		top := apPad + (th+float64(len(lines))*lh)/2 // vertically centred block
		fmt.Fprintf(&content, "q BT %s rg /F1 %s Tf\n", col, formatReal(size))
		for i, g := range lines {
			y := top - float64(i)*lh - asc*size - (lh-size)/2
			fmt.Fprintf(&content, "1 0 0 1 %s %s Tm <", formatReal(textX+apPad), formatReal(y))
			for _, id := range g {
				fmt.Fprintf(&content, "%04X", id)
			}
			content.WriteString("> Tj\n")
		}
		content.WriteString("ET Q\n")
	}
	n := wr.alloc()
	wr.put(Ref{n, 0}, &Stream{Dict: Dict{
		"Type":      Name("XObject"),
		"Subtype":   Name("Form"),
		"BBox":      Array{0.0, 0.0, w, h},
		"Resources": res,
	}, Data: content.Bytes()})
	return Ref{n, 0}, nil
}

func clamp01(v float64) float64 { return min(1, max(0, v)) }

// imageShare is the part of the box the image takes when text lines follow it.
const imageShare = 0.55

// imageLayout places an iw×ih image in a w×h appearance box: alone it fills
// the box; with text it takes the left imageShare of it, and the text starts
// at textX. The image keeps its aspect ratio and is centred in its part.
func imageLayout(w, h float64, iw, ih int, withText bool) (x, y, dw, dh, textX float64) {
	boxW := w
	if withText {
		boxW = w * imageShare
		textX = boxW
	}
	bw, bh := boxW-2*apPad, h-2*apPad
	scale := min(bw/float64(iw), bh/float64(ih))
	dw, dh = float64(iw)*scale, float64(ih)*scale
	return apPad + (bw-dw)/2, apPad + (bh-dh)/2, dw, dh, textX
}

// ImageRect returns where the appearance draws its image on the page (PDF
// points: llx, lly, urx, ury).
func (ap Appearance) ImageRect() ([4]float64, error) {
	if len(ap.Image) == 0 {
		return [4]float64{}, errors.New("pdfsign: appearance has no image")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(ap.Image))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return [4]float64{}, fmt.Errorf("pdfsign: appearance image: %v", err)
	}
	r := ap.Rect
	llx, lly := min(r[0], r[2]), min(r[1], r[3])
	w, h := max(r[0], r[2])-llx, max(r[1], r[3])-lly
	x, y, dw, dh, _ := imageLayout(w, h, cfg.Width, cfg.Height, len(ap.Lines) > 0)
	return [4]float64{llx + x, lly + y, llx + x + dw, lly + y + dh}, nil
}

// SealRect is where the agency's seal of the given diameter (points) goes
// over a signer's appearance: over about the left third of the signer's
// signature image, centred on it vertically (NĐ30/2020 Phụ lục I: the
// seal's image "trùm lên khoảng 1/3 hình ảnh chữ ký số của người có thẩm
// quyền về bên trái"; on paper, Điều 33 k1 b: "dấu đóng phải trùm lên khoảng
// 1/3 chữ ký về phía bên trái"). Without an image the signer's box stands for
// it. The seal is kept right of the page's left edge.
func SealRect(signer Appearance, diameter float64) ([4]float64, error) {
	if !(diameter > 0) || math.IsInf(diameter, 0) {
		return [4]float64{}, fmt.Errorf("pdfsign: seal diameter %v", diameter)
	}
	img := signer.Rect
	if len(signer.Image) > 0 {
		var err error
		if img, err = signer.ImageRect(); err != nil {
			return [4]float64{}, err
		}
	}
	llx, urx := min(img[0], img[2]), max(img[0], img[2])
	cy := (img[1] + img[3]) / 2
	right := llx + (urx-llx)/3
	left := max(0, right-diameter)
	return [4]float64{left, cy - diameter/2, left + diameter, cy + diameter/2}, nil
}

// zlibPool reuses compressors: each holds ~1 MB of state, which dominated
// allocations of a visible signature before pooling.
var zlibPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.DefaultCompression)
	return w
}}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	zw := zlibPool.Get().(*zlib.Writer)
	zw.Reset(&buf)
	zw.Write(b)
	zw.Close()
	zlibPool.Put(zw)
	return buf.Bytes()
}

// embedType0 writes a Type0/CIDFontType2 font with Identity-H encoding (code
// = glyph ID), a subset font program and a ToUnicode CMap so text extraction
// returns the exact Vietnamese characters.
func embedType0(wr *writer, f *ttfFont, used map[uint16]rune) Ref {
	gids := make([]uint16, 0, len(used))
	set := map[uint16]bool{}
	for g := range used {
		gids = append(gids, g)
		set[g] = true
	}
	slices.Sort(gids)
	// Subset tag: six capitals derived from the glyph set (PDF 9.6.4).
	hh := sha256.New()
	for _, g := range gids {
		hh.Write([]byte{byte(g >> 8), byte(g)})
	}
	sum := hh.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	base := Name(string(tag) + "+" + f.psName)
	scale := func(v int) float64 { return float64(v) * 1000 / float64(f.unitsPerEm) }

	sub := subsetOf(f, gids, used, set)
	fileRef := Ref{wr.alloc(), 0}
	wr.put(fileRef, &Stream{Dict: Dict{"Filter": Name("FlateDecode"), "Length1": int64(sub.length1)}, Data: sub.program})

	descRef := Ref{wr.alloc(), 0}
	wr.put(descRef, Dict{
		"Type":        Name("FontDescriptor"),
		"FontName":    base,
		"Flags":       int64(32),
		"FontBBox":    Array{scale(f.bbox[0]), scale(f.bbox[1]), scale(f.bbox[2]), scale(f.bbox[3])},
		"ItalicAngle": int64(0),
		"Ascent":      scale(f.ascent),
		"Descent":     scale(f.descent),
		"CapHeight":   scale(f.capHeight),
		"StemV":       int64(80),
		"FontFile2":   fileRef,
	})

	w := Array{}
	for _, g := range gids {
		w = append(w, int64(g), Array{scale(int(f.advances[g]))})
	}
	cidRef := Ref{wr.alloc(), 0}
	wr.put(cidRef, Dict{
		"Type":           Name("Font"),
		"Subtype":        Name("CIDFontType2"),
		"BaseFont":       base,
		"CIDSystemInfo":  Dict{"Registry": String("Adobe"), "Ordering": String("Identity"), "Supplement": int64(0)},
		"FontDescriptor": descRef,
		"W":              w,
		"CIDToGIDMap":    Name("Identity"),
	})

	tuRef := Ref{wr.alloc(), 0}
	wr.put(tuRef, &Stream{Dict: Dict{"Filter": Name("FlateDecode")}, Data: sub.toUnicode})

	ref := Ref{wr.alloc(), 0}
	wr.put(ref, Dict{
		"Type":            Name("Font"),
		"Subtype":         Name("Type0"),
		"BaseFont":        base,
		"Encoding":        Name("Identity-H"),
		"DescendantFonts": Array{cidRef},
		"ToUnicode":       tuRef,
	})
	return ref
}

// fontSubset is what an appearance's font needs beyond its dictionaries: the subset
// font program and the ToUnicode CMap, both deflated. Shared between documents: never
// modified.
type fontSubset struct {
	program   []byte
	length1   int // the program's size before deflating
	toUnicode []byte
}

// subsetCache keeps the subsets by font and glyph set (with the characters they stand
// for). A signer's appearance draws the same name, title and date digits on every
// document, and subsetting and deflating the font program was a quarter of a visible
// signature (issue 12, P4); the bytes are those subsetting each time gives. Bounded:
// past maxCachedSubsets the cache starts again.
var subsetCache = struct {
	sync.Mutex
	m map[subsetKey]*fontSubset
}{m: map[subsetKey]*fontSubset{}}

type subsetKey struct {
	font   *ttfFont
	glyphs string // the sorted glyph ids and their characters
}

const maxCachedSubsets = 512

func subsetOf(f *ttfFont, gids []uint16, used map[uint16]rune, set map[uint16]bool) *fontSubset {
	var kb strings.Builder
	for _, g := range gids {
		fmt.Fprintf(&kb, "%d:%d,", g, used[g])
	}
	key := subsetKey{font: f, glyphs: kb.String()}
	subsetCache.Lock()
	sub := subsetCache.m[key]
	subsetCache.Unlock()
	if sub != nil {
		return sub
	}
	prog := f.subset(set)
	var cm strings.Builder
	cm.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		chunk := gids[i:min(i+100, len(gids))]
		fmt.Fprintf(&cm, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			fmt.Fprintf(&cm, "<%04X> <", g)
			for _, u := range utf16.Encode([]rune{used[g]}) {
				fmt.Fprintf(&cm, "%04X", u)
			}
			cm.WriteString(">\n")
		}
		cm.WriteString("endbfchar\n")
	}
	cm.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	sub = &fontSubset{program: deflate(prog), length1: len(prog), toUnicode: deflate([]byte(cm.String()))}
	subsetCache.Lock()
	if len(subsetCache.m) >= maxCachedSubsets {
		clear(subsetCache.m)
	}
	subsetCache.m[key] = sub
	subsetCache.Unlock()
	return sub
}

// maxImagePixels bounds decoded image size (a PNG header can claim huge
// dimensions).
const maxImagePixels = 4096 * 4096

// embedPNG writes an RGB image XObject with an /SMask for transparency.
func embedPNG(wr *writer, b []byte) (Ref, int, int, error) {
	im, err := decodedImage(b)
	if err != nil {
		return Ref{}, 0, 0, err
	}
	d := Dict{
		"Type": Name("XObject"), "Subtype": Name("Image"),
		"Width": int64(im.w), "Height": int64(im.h),
		"ColorSpace": Name("DeviceRGB"), "BitsPerComponent": int64(8),
		"Filter": Name("FlateDecode"),
	}
	if im.alpha != nil {
		sm := Ref{wr.alloc(), 0}
		wr.put(sm, &Stream{Dict: Dict{
			"Type": Name("XObject"), "Subtype": Name("Image"),
			"Width": int64(im.w), "Height": int64(im.h),
			"ColorSpace": Name("DeviceGray"), "BitsPerComponent": int64(8),
			"Filter": Name("FlateDecode"),
		}, Data: im.alpha})
		d["SMask"] = sm
	}
	ref := Ref{wr.alloc(), 0}
	wr.put(ref, &Stream{Dict: d, Data: im.rgb})
	return ref, im.w, im.h, nil
}

// flatImage is a PNG as a PDF image wants it: its size and its deflated RGB and alpha
// planes (alpha nil when the image is opaque). Shared between documents: never modified.
type flatImage struct {
	w, h       int
	rgb, alpha []byte
}

// imageCache keeps the flattened images by the SHA-256 of their PNG bytes. A deployment
// signs with a handful of images (each signer's signature, the agency's seal), and
// decoding and deflating them was a fifth of render + sign (issue 12, P4); the output
// is byte for byte what decoding each time gives. Bounded: past maxCachedImages the
// cache starts again.
var imageCache = struct {
	sync.Mutex
	m map[[32]byte]*flatImage
}{m: map[[32]byte]*flatImage{}}

const maxCachedImages = 256

func decodedImage(b []byte) (*flatImage, error) {
	key := sha256.Sum256(b)
	imageCache.Lock()
	im := imageCache.m[key]
	imageCache.Unlock()
	if im != nil {
		return im, nil
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxImagePixels {
		return nil, fmt.Errorf("image: %dx%d pixels is out of range", cfg.Width, cfg.Height)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	bounds := img.Bounds()
	rgb, alpha, opaque := pixels(img)
	im = &flatImage{w: bounds.Dx(), h: bounds.Dy(), rgb: deflate(rgb)}
	if !opaque {
		im.alpha = deflate(alpha)
	}
	imageCache.Lock()
	if len(imageCache.m) >= maxCachedImages {
		clear(imageCache.m)
	}
	imageCache.m[key] = im
	imageCache.Unlock()
	return im, nil
}

// pixels converts img to straight (non-premultiplied) RGB and alpha planes.
func pixels(img image.Image) (rgb, alpha []byte, opaque bool) {
	b := img.Bounds()
	iw, ih := b.Dx(), b.Dy()
	rgb = make([]byte, 0, iw*ih*3)
	alpha = make([]byte, 0, iw*ih)
	opaque = true
	if m, ok := img.(*image.NRGBA); ok { // what png.Decode returns for RGBA PNGs
		for y := 0; y < ih; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+4*iw]
			for x := 0; x < 4*iw; x += 4 {
				rgb = append(rgb, row[x], row[x+1], row[x+2])
				alpha = append(alpha, row[x+3])
				opaque = opaque && row[x+3] == 0xff
			}
		}
		return rgb, alpha, opaque
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			rgb = append(rgb, c.R, c.G, c.B)
			alpha = append(alpha, c.A)
			opaque = opaque && c.A == 0xff
		}
	}
	return rgb, alpha, opaque
}
