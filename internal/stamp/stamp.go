// Package stamp draws the development stand-ins for the images on a signed
// document: an agency's red seal (con dấu) — AgencySealPNG, with the agency's
// name around the ring; SealPNG, rings and star only — and a person's
// handwritten signature (SignaturePNG, blue). A real agency configures the
// scanned images of its registered seal and of each signer's signature
// instead; these only make the dev documents look as a văn thư expects (the red
// seal over the left third of the signature, see pdfsign.SealRect).
package stamp

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// SealPNG returns a size×size PNG with a transparent background.
func SealPNG(size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	red := color.NRGBA{R: 0xd0, G: 0x10, B: 0x10, A: 0xe0}
	c := float64(size) / 2
	outer, ring2 := c*0.96, c*0.78
	star := starPolygon(c, c, c*0.42, c*0.17)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			d := math.Hypot(px-c, py-c)
			onRing := (d <= outer && d >= outer-c*0.07) || (d <= ring2 && d >= ring2-c*0.03)
			if onRing || inPolygon(px, py, star) {
				img.SetNRGBA(x, y, red)
			}
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // encoding an in-memory NRGBA cannot fail
	return b.Bytes()
}

func starPolygon(cx, cy, r, inner float64) [][2]float64 {
	pts := make([][2]float64, 0, 10)
	for i := 0; i < 10; i++ {
		rad := r
		if i%2 == 1 {
			rad = inner
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		pts = append(pts, [2]float64{cx + rad*math.Cos(a), cy + rad*math.Sin(a)})
	}
	return pts
}

// inPolygon is the even-odd ray casting test.
func inPolygon(x, y float64, p [][2]float64) bool {
	in := false
	for i, j := 0, len(p)-1; i < len(p); j, i = i, i+1 {
		if (p[i][1] > y) != (p[j][1] > y) && x < (p[j][0]-p[i][0])*(y-p[i][1])/(p[j][1]-p[i][1])+p[i][0] {
			in = !in
		}
	}
	return in
}
