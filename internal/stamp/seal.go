package stamp

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
	"golang.org/x/text/unicode/norm"
)

// Rasterised rather than drawn as vector text in the signature's appearance:
// an agency's seal image is a PNG (NĐ30/2020 Phụ lục I: the seal's image,
// red, the seal's real size, .png with a transparent background), which a real
// agency configures from its registered seal. The development seal is the same
// kind of object, so it goes through exactly the path a real one does.

// sealRed is the seal's ink: red, slightly translucent so that the signature
// under it shows through as ink does.
var sealRed = color.NRGBA{R: 0xd0, G: 0x10, B: 0x10, A: 0xe6}

// AgencySealPNG draws the development stand-in for an agency's round seal,
// size×size pixels on a transparent background: an outer and an inner ring,
// the agency's name set in capitals around the band between them (reading
// clockwise over the top, as on a real seal), a small star where the name's
// ends meet at the bottom, and a five-pointed star in the centre. font is a
// TrueType face (Liberation Serif Bold suits). The name must fit around the
// ring at a legible size, and the font must have every letter.
func AgencySealPNG(ringText string, size int, font []byte) ([]byte, error) {
	if size < 64 || size > 4096 {
		return nil, fmt.Errorf("stamp: seal size %d px out of range 64..4096", size)
	}
	text := strings.Join(strings.Fields(strings.ToUpper(norm.NFC.String(ringText))), " ")
	if text == "" {
		return nil, fmt.Errorf("stamp: seal needs the agency's name")
	}
	f, err := sfnt.Parse(font)
	if err != nil {
		return nil, fmt.Errorf("stamp: seal font: %w", err)
	}
	c := float64(size) / 2
	mask := image.NewAlpha(image.Rect(0, 0, size, size))
	z := vector.NewRasterizer(size, size)
	fill := func(path func(z *vector.Rasterizer)) {
		z.Reset(size, size)
		path(z)
		z.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	}
	ring := func(outer, inner float64) func(*vector.Rasterizer) {
		return func(z *vector.Rasterizer) {
			circle(z, c, c, outer, false)
			circle(z, c, c, inner, true)
		}
	}
	fill(ring(c*0.97, c*0.91))
	fill(ring(c*0.66, c*0.625))
	fill(func(z *vector.Rasterizer) { polygon(z, starPolygon(c, c, c*0.34, c*0.14)) })

	// The name: capitals between the rings, baseline on a circle; the size
	// gives letters about 0.15 c tall, smaller if the name is long.
	baseR := c * 0.71
	var buf sfnt.Buffer
	upm := float64(f.UnitsPerEm())
	capH := 0.66 // Liberation's cap height, em
	px := c * 0.16 / capH
	type glyph struct {
		id  sfnt.GlyphIndex
		adv float64 // em
	}
	var gs []glyph
	total := 0.0
	for _, r := range text {
		id, err := f.GlyphIndex(&buf, r)
		if err != nil || id == 0 {
			if unicode.IsSpace(r) {
				id, _ = f.GlyphIndex(&buf, ' ')
			} else {
				return nil, fmt.Errorf("stamp: the seal font has no glyph for %q", r)
			}
		}
		a, err := f.GlyphAdvance(&buf, id, fixed.I(int(upm)), 0)
		if err != nil {
			return nil, fmt.Errorf("stamp: glyph %q: %w", r, err)
		}
		gs = append(gs, glyph{id, float64(a) / 64 / upm})
		total += float64(a) / 64 / upm
	}
	// Letter spacing (em) spreads the name over 320° of the ring; a long name
	// shrinks instead, down to letters 0.06 c tall.
	span := 320.0 / 180 * math.Pi * baseR
	spacing := 0.12
	if need := (total + spacing*float64(len(gs)-1)) * px; need > span {
		px = span / (total + spacing*float64(len(gs)-1))
		if px*capH < c*0.06 {
			return nil, fmt.Errorf("stamp: %q is too long to go round a %d px seal", text, size)
		}
	} else {
		spacing = (span/px - total) / float64(max(1, len(gs)-1))
		spacing = min(spacing, 0.45)
	}
	arc := (total + spacing*float64(len(gs)-1)) * px
	phi0 := -math.Pi/2 - arc/2/baseR // centred on the top
	s := 0.0
	for _, g := range gs {
		mid := s + g.adv*px/2
		phi := phi0 + mid/baseR
		segs, err := f.LoadGlyph(&buf, g.id, fixed.Int26_6(px*64), nil)
		if err != nil {
			return nil, fmt.Errorf("stamp: glyph outline: %w", err)
		}
		cosP, sinP := math.Cos(phi), math.Sin(phi)
		tr := func(p fixed.Point26_6) (float32, float32) {
			gx := float64(p.X)/64 - g.adv*px/2 // from the glyph's centre, along the ring
			up := -float64(p.Y) / 64           // sfnt's y grows downwards
			r := baseR + up
			return float32(c + r*cosP - gx*sinP), float32(c + r*sinP + gx*cosP)
		}
		if len(segs) > 0 {
			fill(func(z *vector.Rasterizer) {
				for _, sg := range segs {
					switch sg.Op {
					case sfnt.SegmentOpMoveTo:
						z.ClosePath()
						z.MoveTo(tr(sg.Args[0]))
					case sfnt.SegmentOpLineTo:
						z.LineTo(tr(sg.Args[0]))
					case sfnt.SegmentOpQuadTo:
						x1, y1 := tr(sg.Args[0])
						x2, y2 := tr(sg.Args[1])
						z.QuadTo(x1, y1, x2, y2)
					case sfnt.SegmentOpCubeTo:
						x1, y1 := tr(sg.Args[0])
						x2, y2 := tr(sg.Args[1])
						x3, y3 := tr(sg.Args[2])
						z.CubeTo(x1, y1, x2, y2, x3, y3)
					}
				}
				z.ClosePath()
			})
		}
		s += (g.adv + spacing) * px
	}
	// A small star at the bottom, where the name's ends meet.
	by := c + baseR + c*0.07
	fill(func(z *vector.Rasterizer) { polygon(z, starPolygon(c, by, c*0.085, c*0.035)) })

	img := image.NewNRGBA(mask.Bounds())
	for i, a := range mask.Pix {
		if a == 0 {
			continue
		}
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2] = sealRed.R, sealRed.G, sealRed.B
		img.Pix[4*i+3] = uint8(uint32(a) * uint32(sealRed.A) / 255)
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // encoding an in-memory NRGBA cannot fail
	return b.Bytes(), nil
}

// circle adds a closed circle to the path, clockwise on screen, or
// counter-clockwise (a hole inside a clockwise one) when reverse is set.
func circle(z *vector.Rasterizer, cx, cy, r float64, reverse bool) {
	n := max(64, int(r))
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		if reverse {
			a = -a
		}
		x, y := float32(cx+r*math.Cos(a)), float32(cy+r*math.Sin(a))
		if i == 0 {
			z.MoveTo(x, y)
		} else {
			z.LineTo(x, y)
		}
	}
	z.ClosePath()
}

func polygon(z *vector.Rasterizer, p [][2]float64) {
	for i, pt := range p {
		if i == 0 {
			z.MoveTo(float32(pt[0]), float32(pt[1]))
		} else {
			z.LineTo(float32(pt[0]), float32(pt[1]))
		}
	}
	z.ClosePath()
}
