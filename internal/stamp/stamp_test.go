package stamp

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestSealPNG(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(SealPNG(120)))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 120 || b.Dy() != 120 {
		t.Fatalf("bounds %v", b)
	}
	// centre (star) and ring are red, the corner is transparent
	if r, g, _, a := img.At(60, 60).RGBA(); a == 0 || r <= g {
		t.Fatalf("centre not red: %v", img.At(60, 60))
	}
	if _, _, _, a := img.At(60, 2).RGBA(); a == 0 {
		t.Fatalf("outer ring missing at top")
	}
	if _, _, _, a := img.At(1, 1).RGBA(); a != 0 {
		t.Fatalf("corner not transparent")
	}
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// inkStats counts opaque-ish pixels and whether every one is of the given hue.
func inkStats(img image.Image, blue bool) (ink int, offHue int) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.A < 128 {
				continue
			}
			ink++
			if blue && !(c.B > 2*c.R && c.B > 2*c.G) || !blue && !(c.R > 2*c.G && c.R > 2*c.B) {
				offHue++
			}
		}
	}
	return ink, offHue
}

// The development signature is blue ink on a transparent background, the
// same for the same name (also written decomposed), different for another.
func TestSignaturePNG(t *testing.T) {
	names := []string{"Lê Thị Thuỳ Dương", "Trần Quốc Khải", "Nguyễn Văn Hùng", "Hồ Ẩn", "A", ""}
	seen := map[string]string{}
	for _, n := range names {
		b := SignaturePNG(n, 360, 150)
		img := decode(t, b)
		if img.Bounds().Dx() != 360 || img.Bounds().Dy() != 150 {
			t.Fatalf("%q: bounds %v", n, img.Bounds())
		}
		for _, p := range []image.Point{{0, 0}, {359, 0}, {0, 149}, {359, 149}} {
			if _, _, _, a := img.At(p.X, p.Y).RGBA(); a != 0 {
				t.Errorf("%q: corner %v not transparent", n, p)
			}
		}
		ink, off := inkStats(img, true)
		if frac := float64(ink) / (360 * 150); frac < 0.02 || frac > 0.4 || off != 0 {
			t.Errorf("%q: ink covers %.3f of the image, %d pixels not blue", n, frac, off)
		}
		if other, dup := seen[string(b)]; dup {
			t.Errorf("%q signs like %q", n, other)
		}
		seen[string(b)] = n
		if again := SignaturePNG(n, 360, 150); !bytes.Equal(again, b) {
			t.Errorf("%q: not deterministic", n)
		}
	}
	if !bytes.Equal(SignaturePNG("Lê Thị Thuỳ Dương", 200, 80), SignaturePNG(norm.NFD.String("Lê Thị Thuỳ Dương"), 200, 80)) {
		t.Error("a decomposed name signs differently")
	}
	if img := decode(t, SignaturePNG("x", 1, 1)); img.Bounds().Dx() < 48 {
		t.Errorf("tiny size not clamped: %v", img.Bounds())
	}
}

func sealFont(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../templates/fonts/LiberationSerif-Bold.ttf")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The agency's seal carries its name around the ring: the band between the
// rings is inked over the top (where the name is centred), clear where no
// name is drawn; everything is red on a transparent background.
func TestAgencySealPNG(t *testing.T) {
	font := sealFont(t)
	const n = 300
	c := float64(n) / 2
	band := func(img image.Image, from, to float64) int { // inked pixels in the band, angles in degrees (0 = right, 90 = down)
		k := 0
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				dx, dy := float64(x)+0.5-c, float64(y)+0.5-c
				r, a := math.Hypot(dx, dy), math.Atan2(dy, dx)*180/math.Pi
				if r > c*0.68 && r < c*0.89 && a >= from && a <= to {
					if _, _, _, al := img.At(x, y).RGBA(); al > 0x8000 {
						k++
					}
				}
			}
		}
		return k
	}
	for _, name := range []string{"Ban Tuyên giáo Tỉnh uỷ Đồng Tháp", "Sở Văn hoá, Thể thao và Du lịch tỉnh Đồng Tháp", "UBND xã A"} {
		b, err := AgencySealPNG(name, n, font)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		img := decode(t, b)
		if _, _, _, a := img.At(1, 1).RGBA(); a != 0 {
			t.Errorf("%q: corner not transparent", name)
		}
		if ink, off := inkStats(img, false); ink < 2000 || off != 0 {
			t.Errorf("%q: %d inked pixels, %d not red", name, ink, off)
		}
		// The band holds only the name (and the bottom star, left out here),
		// centred on the top: as much ink left of the vertical axis as right.
		left, right := band(img, -180, -90)+band(img, 115, 180), band(img, -90, 65)
		if left+right < 400 || float64(left) < 0.6*float64(right) || float64(right) < 0.6*float64(left) {
			t.Errorf("%q: %d + %d inked pixels in the name's band: no name, or not centred", name, left, right)
		}
		again, _ := AgencySealPNG(name, n, font)
		if !bytes.Equal(again, b) {
			t.Errorf("%q: not deterministic", name)
		}
	}
	for name, c := range map[string]struct {
		text string
		size int
		font []byte
		want string
	}{
		"no name":  {"  ", n, font, "needs the agency's name"},
		"no glyph": {"Ban 漢字", n, font, "no glyph"},
		"too long": {strings.Repeat("Ban Tuyên giáo ", 20), n, font, "too long"},
		"tiny":     {"Ban", 10, font, "out of range"},
		"huge":     {"Ban", 100000, font, "out of range"},
		"bad font": {"Ban", n, []byte("nope"), "font"},
		"no font":  {"Ban", n, nil, "font"},
	} {
		if _, err := AgencySealPNG(c.text, c.size, c.font); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
	}
}
