package templates

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Rendered-page regression. Each case renders one page with
// `pdftoppm -png -r 60` and compares it with a reviewed reference PNG in
// testdata/golden/. UPDATE_GOLDEN=1 rewrites the references — look at every
// rewritten PNG before committing it.
//
// Tolerance: a pixel differs when any channel differs by more than
// pixelThreshold; a page may have at most maxDiffFraction differing pixels.
// That absorbs anti-aliasing drift between poppler builds but not a changed
// word (see TestGoldenDetectsChange).
const (
	pixelThreshold  = 48
	maxDiffFraction = 0.0001
)

type goldenCase struct {
	name string
	page int
	pdf  func(t *testing.T) []byte
}

func goldenCases() []goldenCase {
	dec := func(p Profile, n int) func(t *testing.T) []byte {
		return func(t *testing.T) []byte { return render(t, sampleDecision(p, n)).PDF }
	}
	min := func(p Profile, n int) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			r, err := RenderMinutes(sampleMinutes(p, n), RenderOptions{CreationDate: fixedCreation})
			if err != nil {
				t.Fatal(err)
			}
			return r.PDF
		}
	}
	sub := func(p Profile, n int) func(t *testing.T) []byte {
		return func(t *testing.T) []byte { return renderSub(t, sampleSubmission(p, n)).PDF }
	}
	return []goldenCase{
		{"decision_hd36_1_p1", 1, dec(ProfileHD36, 1)},
		{"decision_hd36_1_p2_annex", 2, dec(ProfileHD36, 1)},
		{"decision_hd36_300_p3_annex", 3, dec(ProfileHD36, 300)},
		{"decision_nd30_1_p1", 1, dec(ProfileND30, 1)},
		{"decision_nd30_300_p2_annex", 2, dec(ProfileND30, 300)},
		{"minutes_hd36_p1", 1, min(ProfileHD36, 8)},
		{"minutes_nd30_p2", 2, min(ProfileND30, 8)},
		{"submission_nd30_1_p1", 1, sub(ProfileND30, 1)},
		{"submission_hd36_120_p1", 1, sub(ProfileHD36, 120)},
		{"submission_hd36_120_p3_groups", 3, sub(ProfileHD36, 120)},
	}
}

func rasterise(t *testing.T, pdf []byte, page int) image.Image {
	t.Helper()
	file := writeTemp(t, pdf)
	prefix := filepath.Join(t.TempDir(), "page")
	p := strconv.Itoa(page)
	runTool(t, "pdftoppm", "-png", "-r", "60", "-f", p, "-l", p, "-singlefile", file, prefix)
	return readPNG(t, prefix+".png")
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return img
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// pixelDiff returns the fraction of differing pixels and an image marking them
// red over a faded copy of a.
func pixelDiff(a, b image.Image) (float64, *image.RGBA, error) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 1, nil, fmt.Errorf("size %v vs %v", a.Bounds().Size(), b.Bounds().Size())
	}
	ab, bb := a.Bounds(), b.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, ab.Dx(), ab.Dy()))
	n := 0
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if chanDiff(r1, r2) > pixelThreshold || chanDiff(g1, g2) > pixelThreshold || chanDiff(b1, b2) > pixelThreshold {
				n++
				out.Set(x, y, color.RGBA{255, 0, 0, 255})
				continue
			}
			v := uint8(192 + (r1>>8)/4)
			out.Set(x, y, color.RGBA{v, v, v, 255})
		}
	}
	return float64(n) / float64(ab.Dx()*ab.Dy()), out, nil
}

func chanDiff(a, b uint32) uint32 {
	a, b = a>>8, b>>8
	if a > b {
		return a - b
	}
	return b - a
}

func TestGoldenPages(t *testing.T) {
	update := os.Getenv("UPDATE_GOLDEN") == "1"
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			got := rasterise(t, c.pdf(t), c.page)
			path := filepath.Join("testdata", "golden", c.name+".png")
			if update {
				writePNG(t, path, got)
				t.Logf("wrote %s — review it before committing", path)
				return
			}
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("no reference %s: run UPDATE_GOLDEN=1 go test ./templates/ -run TestGoldenPages and review the PNG", path)
			}
			want := readPNG(t, path)
			frac, diff, err := pixelDiff(want, got)
			if err != nil || frac > maxDiffFraction {
				dir := filepath.Join(os.TempDir(), "awardflow-golden")
				_ = os.MkdirAll(dir, 0o755)
				writePNG(t, filepath.Join(dir, c.name+".actual.png"), got)
				if diff != nil {
					writePNG(t, filepath.Join(dir, c.name+".diff.png"), diff)
				}
				t.Fatalf("page differs from %s: %.4f%% pixels (limit %.4f%%), err=%v; actual and diff in %s",
					path, frac*100, maxDiffFraction*100, err, dir)
			}
		})
	}
}

// The tolerance must catch a one-word change: swap one awardee's given name
// on an annex page and compare with the unchanged page.
func TestGoldenDetectsChange(t *testing.T) {
	d := sampleDecision(ProfileHD36, 300)
	base := rasterise(t, render(t, d).PDF, 3)
	// Row 26 is on annex page 2 (physical page 3); change its given name only.
	old := d.Awardees[25].Name
	d.Awardees[25].Name = old[:strings.LastIndex(old, " ")] + " Lực"
	if d.Awardees[25].Name == old {
		t.Fatal("fixture did not change")
	}
	if !strings.Contains(pageText(t, writeTemp(t, render(t, d).PDF), 3), d.Awardees[25].Name) {
		t.Fatalf("row 26 is not on page 3")
	}
	changed := rasterise(t, render(t, d).PDF, 3)
	frac, _, err := pixelDiff(base, changed)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("one changed word: %.4f%% of pixels differ", frac*100)
	if frac <= maxDiffFraction {
		t.Errorf("a changed name differs in only %.4f%% of pixels, within the %.4f%% tolerance", frac*100, maxDiffFraction*100)
	}
	same, _, _ := pixelDiff(base, base)
	if same != 0 {
		t.Errorf("identical images differ by %v", same)
	}
}
