package stamp

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/png"
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// SignaturePNG draws a development stand-in for a person's handwritten
// signature: width×height pixels, blue ink on a transparent background (as
// NĐ30/2020 Phụ lục I describes the signer's image: the signature as on paper,
// blue, .png with a transparent background). A real deployment configures each
// signer's scanned signature instead.
//
// The drawing is deterministic from the name (the same name always signs the
// same way; two names almost never alike): a tall looped initial, a run of
// cursive loops with one per letter of the given name, and an underline
// flourish, slanted and with varying pen pressure.
func SignaturePNG(name string, width, height int) []byte {
	width, height = max(width, 48), max(height, 24)
	name = norm.NFC.String(strings.TrimSpace(name))
	h := fnv.New64a()
	h.Write([]byte(name))
	rnd := splitmix(h.Sum64())

	W, H := float64(width), float64(height)
	yc := H * (0.50 + 0.06*rnd.sym())
	var pts [][2]float64
	add := func(x, y float64) { pts = append(pts, [2]float64{x, y}) }

	// The initial: a tall, slightly open loop.
	ix, iy := W*(0.15+0.03*rnd.sym()), H*(0.44+0.04*rnd.sym())
	rx, ry := W*(0.05+0.015*rnd.unit()), H*(0.34+0.06*rnd.unit())
	for t := 0.0; t <= 2.25*math.Pi; t += 0.02 {
		a := math.Pi/2 + t // from the bottom, clockwise on screen
		add(ix+rx*math.Cos(a)*(1-0.15*t/(2*math.Pi)), iy+ry*math.Sin(a))
	}

	// The body: a prolate trochoid (loops), one arch per letter of the given
	// name, each its own height.
	letters := 0
	fields := strings.Fields(name)
	if len(fields) > 0 {
		for _, r := range fields[len(fields)-1] {
			if unicode.IsLetter(r) {
				letters++
			}
		}
	}
	n := min(max(letters+2, 4), 8)
	x0, x1 := pts[len(pts)-1][0], W*(0.80+0.05*rnd.sym())
	a := (x1 - x0) / (2 * math.Pi * float64(n))
	amp := make([]float64, n+1)
	for i := range amp {
		amp[i] = H * (0.10 + 0.12*rnd.unit())
		if rnd.unit() < 0.3 {
			amp[i] = H * (0.28 + 0.08*rnd.unit()) // an ascender
		}
	}
	b := a * (1.3 + 0.5*rnd.unit())
	sx, sy := pts[len(pts)-1][0], pts[len(pts)-1][1]
	for t := 0.0; t <= 2*math.Pi*float64(n); t += 0.03 {
		k := int(t / (2 * math.Pi))
		f := t/(2*math.Pi) - float64(k)
		c := amp[k]*(1-f) + amp[k+1]*f
		x := x0 + a*t - b*math.Sin(t)
		y := yc - c*math.Cos(t) // loops at the top, as in "e" and "l"
		// Ease in from where the initial ended.
		if e := math.Min(1, t/1.5); e < 1 {
			x, y = sx+(x-sx)*e, sy+(y-sy)*e
		}
		add(x, y)
	}

	// The flourish: down to the right, then a long sweep back under the name.
	p0 := pts[len(pts)-1]
	p1 := [2]float64{W * (0.97 - 0.03*rnd.unit()), H * (0.72 + 0.08*rnd.sym())}
	p2 := [2]float64{W * (0.60 + 0.1*rnd.sym()), H * (0.95 + 0.03*rnd.sym())}
	p3 := [2]float64{W * (0.12 + 0.05*rnd.unit()), H * (0.80 + 0.06*rnd.sym())}
	for t := 0.0; t <= 1; t += 0.004 {
		u := 1 - t
		add(u*u*u*p0[0]+3*u*u*t*p1[0]+3*u*t*t*p2[0]+t*t*t*p3[0],
			u*u*u*p0[1]+3*u*u*t*p1[1]+3*u*t*t*p2[1]+t*t*t*p3[1])
	}

	// Slant to the right, as handwriting leans.
	slant := 0.22 + 0.1*rnd.unit()
	for i := range pts {
		pts[i][0] += slant * (yc - pts[i][1])
	}

	// Ink: discs along the path every 0.4 px, the pen's width varying.
	cov := make([]float32, width*height)
	pen := math.Max(1.1, H*0.016)
	phase := rnd.unit() * 6
	walked := 0.0
	for i := 1; i < len(pts); i++ {
		ax, ay, bx, by := pts[i-1][0], pts[i-1][1], pts[i][0], pts[i][1]
		l := math.Hypot(bx-ax, by-ay)
		for d := 0.0; d < l; d += 0.4 {
			x, y := ax+(bx-ax)*d/l, ay+(by-ay)*d/l
			r := pen * (0.85 + 0.35*math.Sin((walked+d)/(W*0.07)+phase))
			disc(cov, width, height, x, y, r)
		}
		walked += l
	}
	img := image.NewNRGBA(image.Rect(0, 0, width, height))
	for i, v := range cov {
		if v <= 0 {
			continue
		}
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2] = 0x14, 0x2d, 0xa0
		img.Pix[4*i+3] = uint8(math.Round(float64(v) * 0.95 * 255))
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img) // encoding an in-memory NRGBA cannot fail
	return buf.Bytes()
}

// disc adds an anti-aliased disc of radius r at (x, y) to the coverage map.
func disc(cov []float32, w, h int, x, y, r float64) {
	for py := max(0, int(y-r-1)); py <= min(h-1, int(y+r+1)); py++ {
		for px := max(0, int(x-r-1)); px <= min(w-1, int(x+r+1)); px++ {
			d := math.Hypot(float64(px)+0.5-x, float64(py)+0.5-y) - r
			c := float32(math.Min(1, math.Max(0, 0.5-d)))
			if i := py*w + px; c > cov[i] {
				cov[i] = c
			}
		}
	}
}

// splitmix is SplitMix64: a fixed, tiny generator, so that a name's signature
// never changes with the Go version.
type splitmix uint64

func (s *splitmix) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (s *splitmix) unit() float64 { return float64(s.next()>>11) / (1 << 53) } // [0, 1)
func (s *splitmix) sym() float64  { return 2*s.unit() - 1 }                    // [-1, 1)
