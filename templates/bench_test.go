package templates

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/jung-kurt/gofpdf"
)

// go test ./templates/ -run XXX -bench . -benchmem

func BenchmarkRenderDecision(b *testing.B) {
	for _, n := range []int{1, 50, 500} {
		d := sampleDecision(ProfileHD36, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				r, err := RenderDecision(d, RenderOptions{CreationDate: fixedCreation})
				if err != nil {
					b.Fatal(err)
				}
				size = len(r.PDF)
			}
			b.ReportMetric(float64(size), "pdf-bytes")
		})
	}
}

// BenchmarkRenderSubmission renders a tờ trình whose table mixes collectives
// and individuals (two groups, a two-level header repeated on every page).
func BenchmarkRenderSubmission(b *testing.B) {
	for _, n := range []int{1, 50, 500} {
		s := sampleSubmission(ProfileHD36, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var size, pages int
			for b.Loop() {
				r, err := RenderSubmission(s, RenderOptions{CreationDate: fixedCreation})
				if err != nil {
					b.Fatal(err)
				}
				size, pages = len(r.PDF), r.Pages
			}
			b.ReportMetric(float64(size), "pdf-bytes")
			b.ReportMetric(float64(pages), "pages")
		})
	}
}

func BenchmarkRenderMinutes(b *testing.B) {
	m := sampleMinutes(ProfileND30, 20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderMinutes(m, RenderOptions{CreationDate: fixedCreation}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareGofpdf puts the same text on the page with gofpdf's own
// primitives (Cell, MultiCell "J", CellFormat rows with auto page break) and no
// layout engine, checks or post-processing: the floor to compare against.
func BenchmarkBareGofpdf(b *testing.B) {
	fs, err := loadFaces()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 50, 500} {
		d := sampleDecision(ProfileHD36, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				pdf := gofpdf.New("P", "mm", "A4", "")
				// The three faces an HD36 decision uses (no bold italic), like RenderDecision.
				for _, st := range []style{regular, bold, italic} {
					raw := fs[st].raw
					pdf.AddUTF8FontFromBytes(fontFamily, styleGofpdf[st], append([]byte(nil), raw...))
				}
				pdf.SetMargins(30, 20, 15)
				pdf.SetAutoPageBreak(true, 20)
				pdf.SetCatalogSort(true)
				pdf.SetCreationDate(fixedCreation)
				pdf.AddPage()
				pdf.SetFont(fontFamily, "", 14)
				pdf.CellFormat(70, 6, d.Agency.ParentName, "", 0, "C", false, 0, "")
				pdf.SetFont(fontFamily, "B", 15)
				pdf.CellFormat(95, 6, "ĐẢNG CỘNG SẢN VIỆT NAM", "", 1, "C", false, 0, "")
				pdf.SetFont(fontFamily, "B", 14)
				pdf.CellFormat(70, 6, d.Agency.Name, "", 1, "C", false, 0, "")
				pdf.SetFont(fontFamily, "", 14)
				pdf.CellFormat(70, 6, d.NumberText, "", 0, "C", false, 0, "")
				pdf.SetFont(fontFamily, "I", 14)
				pdf.CellFormat(95, 6, FormatPlaceDate(d.Agency.Place, d.Date), "", 1, "C", false, 0, "")
				pdf.SetFont(fontFamily, "B", 16)
				pdf.CellFormat(165, 8, "QUYẾT ĐỊNH", "", 1, "C", false, 0, "")
				pdf.SetFont(fontFamily, "B", 14)
				pdf.MultiCell(165, 6, d.Subject, "", "C", false)
				pdf.SetFont(fontFamily, "I", 14)
				for _, base := range d.Bases {
					pdf.MultiCell(165, 6, base, "", "J", false)
				}
				pdf.SetFont(fontFamily, "", 14)
				for _, a := range decisionArticles(d) {
					pdf.MultiCell(165, 6, a[0].text+a[1].text, "", "J", false)
				}
				pdf.SetFont(fontFamily, "B", 14)
				pdf.CellFormat(165, 6, d.Signer.Name, "", 1, "R", false, 0, "")
				pdf.AddPage()
				pdf.SetFont(fontFamily, "", 13)
				for i, a := range d.Awardees {
					pdf.CellFormat(12, 7, strconv.Itoa(i+1), "1", 0, "C", false, 0, "")
					pdf.CellFormat(56, 7, a.Name, "1", 0, "L", false, 0, "")
					pdf.CellFormat(42, 7, a.Position, "1", 0, "L", false, 0, "")
					pdf.CellFormat(55, 7, a.Unit, "1", 1, "L", false, 0, "")
				}
				var buf bytes.Buffer
				if err := pdf.Output(&buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFontSetup isolates the per-document font cost that gofpdf does not
// let us share: copying and parsing four faces (and one page of output, which
// re-parses them to cut the subsets).
func BenchmarkFontSetup(b *testing.B) {
	fs, err := loadFaces()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("copy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for st := range numStyles {
				_ = append([]byte(nil), fs[st].raw...)
			}
		}
	})
	b.Run("copy+parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pdf := gofpdf.New("P", "mm", "A4", "")
			for st := range numStyles {
				pdf.AddUTF8FontFromBytes(fontFamily, styleGofpdf[st], append([]byte(nil), fs[st].raw...))
			}
		}
	})
	b.Run("copy+parse+subset-output", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pdf := gofpdf.New("P", "mm", "A4", "")
			pdf.AddPage()
			for st := range numStyles {
				pdf.AddUTF8FontFromBytes(fontFamily, styleGofpdf[st], append([]byte(nil), fs[st].raw...))
				pdf.SetFont(fontFamily, styleGofpdf[st], 14)
				pdf.Text(30, 30+10*float64(st), "Quyết định")
			}
			var buf bytes.Buffer
			if err := pdf.Output(&buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}
