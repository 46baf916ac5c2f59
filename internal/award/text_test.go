package award

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/awardflow/awardflow/internal/award/internal/fontcmap"
)

// The generated table must be what the embedded fonts cover today: a font update without
// `go generate ./internal/award` fails here.
func TestPrintableTableMatchesFonts(t *testing.T) {
	var files []string
	for _, f := range printableFonts {
		files = append(files, filepath.Join("..", "..", "templates", "fonts", f))
	}
	got, err := fontcmap.FromFiles(os.ReadFile, files...)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(printableRanges) {
		t.Fatalf("fonts give %d ranges, table has %d: run go generate ./internal/award", len(got), len(printableRanges))
	}
	for i, r := range got {
		if r.Lo != printableRanges[i][0] || r.Hi != printableRanges[i][1] {
			t.Fatalf("range %d: fonts give %04X-%04X, table has %04X-%04X: run go generate ./internal/award", i, r.Lo, r.Hi, printableRanges[i][0], printableRanges[i][1])
		}
	}
	// The table is the intersection: every face, including bold italic.
	want := []string{"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"}
	if strings.Join(printableFonts, ",") != strings.Join(want, ",") {
		t.Fatalf("table built from %v, want the four faces the templates use %v", printableFonts, want)
	}
}

func TestPrintableCoversVietnamese(t *testing.T) {
	const vi = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY" +
		"àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ" +
		"ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ" +
		"0123456789 .,;:!?()[]“”‘’\"'-–—/%&+*=#@№…«»€₫"
	for _, r := range vi {
		if r != ' ' && !Printable(r) {
			t.Errorf("%q (U+%04X) should be printable", r, r)
		}
	}
	for _, r := range []rune{0x1F600, 0x0627, 0x0000, 0x4E2D, 0xE000, 0x10FFFF, -1} {
		if Printable(r) {
			t.Errorf("U+%04X should not be printable", r)
		}
	}
}

func TestCleanText(t *testing.T) {
	nfc := "Nguyễn Thị Hồng Đào"
	cases := []struct {
		name      string
		multiline bool
		in, want  string
		errHas    string // Vietnamese message fragment when refused
	}{
		{"plain", false, nfc, nfc, ""},
		{"decomposed Vietnamese becomes NFC", false, norm.NFD.String(nfc), nfc, ""},
		{"spaces collapse and trim", false, "  Lê \u2003 Quốc\u00a0Cường  ", "Lê Quốc\u00a0Cường", ""},
		{"BOM stripped", false, "\ufeffPhạm Minh Tâm", "Phạm Minh Tâm", ""},
		{"zero-width stripped", false, "Võ\u200b Thị\u200d Ngọc\u2060 Hân\u200c", "Võ Thị Ngọc Hân", ""},
		{"emoji refused", false, "Đào 😀", "", "Ký tự “😀” (U+1F600) trong “Tên cá nhân/tập thể được đề nghị” không in được trên văn bản"},
		{"Arabic refused", false, "محمد", "", "Ký tự “م” (U+0645)"},
		{"CJK refused", false, "中文", "", "(U+4E2D)"},
		{"NUL refused", false, "A\x00B", "", "Không được dùng ký tự điều khiển (U+0000)"},
		{"DEL refused", false, "A\x7fB", "", "(U+007F)"},
		{"C1 refused", false, "A\u0085B", "", "(U+0085)"},
		{"bidi override refused", false, "abc\u202Edef", "", "hướng văn bản (U+202E)"},
		{"bidi isolate refused", false, "abc\u2067def", "", "(U+2067)"},
		{"RLM refused", false, "abc\u200Fdef", "", "(U+200F)"},
		{"newline refused in a line", false, "a\nb", "", "chỉ có một dòng"},
		{"tab refused in a line", false, "a\tb", "", "(U+0009)"},
		{"newline kept in a block", true, "dòng 1\r\ndòng 2\rdòng 3\u2028dòng 4\n", "dòng 1\ndòng 2\ndòng 3\ndòng 4", ""},
		{"tab kept in a block", true, "a\tb", "a\tb", ""},
		{"NUL refused in a block", true, "a\x00b", "", "(U+0000)"},
		{"lone combining mark refused", false, "x\u0323\u0301", "", "(U+0323)"},
		{"private use refused", false, "a\ue000", "", "(U+E000)"},
		{"soft hyphen refused", false, "a\u00adb", "", "(U+00AD)"},
		{"invalid UTF-8 refused", false, "a\xffb", "", "UTF-8"},
		{"ASCII", false, "Phòng Tuyên truyền - Báo chí (2025)", "Phòng Tuyên truyền - Báo chí (2025)", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clean := CleanLine
			if c.multiline {
				clean = CleanBlock
			}
			got, err := clean(FieldNomineeName, c.in)
			if c.errHas == "" {
				if err != nil || got != c.want {
					t.Fatalf("got %q, %v; want %q", got, err, c.want)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != CodeInvalid {
				t.Fatalf("want an invalid error, got %q, %v", got, err)
			}
			if !strings.Contains(e.VI, c.errHas) || !strings.Contains(e.VI, "“"+FieldNomineeName.VI+"”") || !strings.Contains(e.EN, "nominee_name") {
				t.Fatalf("message %q / %q should name the field and contain %q", e.VI, e.EN, c.errHas)
			}
		})
	}
}

// Whatever comes in, what comes out is NFC, valid, free of the refused classes and
// printable; and cleaning is idempotent.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"Nguyễn Văn A", norm.NFD.String("Trần Quốc Bảo"), "😀", "محمد", "\x00", "\ufeffA", "a\u0301\u0323", "e\u0302\u0301", "\u202Eabc", "a\r\nb", ""} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		clean := CleanLine
		if multiline {
			clean = CleanBlock
		}
		out, err := clean(FieldAchievements, s)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Code != CodeInvalid || !utf8.ValidString(e.VI) {
				t.Fatalf("refusal of %q is not a valid invalid-error: %v", s, err)
			}
			return
		}
		if !norm.NFC.IsNormalString(out) {
			t.Fatalf("%q cleaned to non-NFC %q", s, out)
		}
		for _, r := range out {
			if (multiline && (r == '\n' || r == '\t')) || r == ' ' {
				continue
			}
			if !Printable(r) || isZeroWidth(r) || isBidiControl(r) {
				t.Fatalf("%q cleaned to %q with unprintable %U", s, out, r)
			}
		}
		if again, err := clean(FieldAchievements, out); err != nil || again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", s, out, again, err)
		}
	})
}
