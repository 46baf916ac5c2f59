package pdfsign

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"maps"
	"slices"
	"sync"
	"testing"
)

func gradientPNG(t *testing.T, w, h int, alpha uint8) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: uint8(x ^ y), A: alpha})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImageCacheGivesTheSameBytes: a cached image is byte for byte what decoding it
// again gives (opaque and translucent), different images never share an entry, the
// cache stays bounded, and concurrent signers read it safely (-race).
func TestImageCacheGivesTheSameBytes(t *testing.T) {
	seal, sig := gradientPNG(t, 40, 30, 0x80), gradientPNG(t, 33, 17, 0xff)
	first, err := decodedImage(seal)
	if err != nil {
		t.Fatal(err)
	}
	clear(imageCache.m)
	again, err := decodedImage(seal)
	if err != nil || again == first || !bytes.Equal(again.rgb, first.rgb) || !bytes.Equal(again.alpha, first.alpha) || again.w != 40 || again.h != 30 {
		t.Fatalf("decoding again differs: %v", err)
	}
	if cached, _ := decodedImage(seal); cached != again {
		t.Fatal("the second use decoded the image again")
	}
	opaque, err := decodedImage(sig)
	if err != nil || opaque == again || opaque.alpha != nil || opaque.w != 33 {
		t.Fatalf("the opaque image: %+v %v", opaque, err)
	}
	if _, err := decodedImage([]byte("not a png")); err == nil {
		t.Fatal("garbage decoded")
	}
	for i := range maxCachedImages + 10 {
		if _, err := decodedImage(gradientPNG(t, 1+i%50, 1+i/50, 0xff)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(imageCache.m); n > maxCachedImages {
		t.Fatalf("the cache holds %d images", n)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if im, err := decodedImage(seal); err != nil || !bytes.Equal(im.rgb, first.rgb) {
					t.Errorf("concurrent read: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestSubsetCacheGivesTheSameBytes: a cached font subset is byte for byte what
// subsetting again gives; another glyph set, or the same glyphs standing for other
// characters, never shares an entry.
func TestSubsetCacheGivesTheSameBytes(t *testing.T) {
	f, err := loadFont(testFont(t))
	if err != nil {
		t.Fatal(err)
	}
	glyphs := func(text string) ([]uint16, map[uint16]rune, map[uint16]bool) {
		used, set := map[uint16]rune{}, map[uint16]bool{}
		for _, r := range text {
			g := f.cmap[r]
			used[g], set[g] = r, true
		}
		var gids []uint16
		for g := range set {
			gids = append(gids, g)
		}
		slices.Sort(gids)
		return gids, used, set
	}
	gids, used, set := glyphs("Nguyễn Văn Đức 01/12/2026")
	first := subsetOf(f, gids, used, set)
	clear(subsetCache.m)
	again := subsetOf(f, gids, used, set)
	if again == first || !bytes.Equal(again.program, first.program) || !bytes.Equal(again.toUnicode, first.toUnicode) || again.length1 != first.length1 {
		t.Fatal("subsetting again gave other bytes")
	}
	if subsetOf(f, gids, used, set) != again {
		t.Fatal("the second use subset the font again")
	}
	g2, u2, s2 := glyphs("Trần Thị Hà")
	if other := subsetOf(f, g2, u2, s2); other == again || bytes.Equal(other.toUnicode, again.toUnicode) {
		t.Fatal("another glyph set shared the entry")
	}
	remapped := maps.Clone(used)
	remapped[gids[0]] = 'X' // same glyphs, another character for one of them
	if other := subsetOf(f, gids, remapped, set); other == again || bytes.Equal(other.toUnicode, again.toUnicode) {
		t.Fatal("other characters shared the entry")
	}
}
