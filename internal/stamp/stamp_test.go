package stamp

import (
	"bytes"
	"image/png"
	"testing"
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
