package award

//go:generate go run ./internal/genprintable -o printable_table.go ../../templates/fonts/LiberationSerif-Regular.ttf ../../templates/fonts/LiberationSerif-Bold.ttf ../../templates/fonts/LiberationSerif-Italic.ttf ../../templates/fonts/LiberationSerif-BoldItalic.ttf

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text that people type can end up on a signed document (a nominee's name in a decision,
// a session title in the minutes). The document fonts (Liberation Serif 2.x) cover
// Vietnamese and much more, but not emoji, Arabic, control characters and the like; a
// rune the font lacks makes rendering fail, and a document step that fails for good
// stalls a whole council session. So every such string is cleaned when it is ENTERED,
// and refused there with a message that names the character:
//
//   - normalised to NFC (decomposed Vietnamese — a letter plus combining accents, as some
//     keyboards and macOS file names produce — becomes the precomposed letters the font
//     has, and is accepted);
//   - zero-width characters (U+200B–U+200D, U+2060, U+FEFF) are STRIPPED: they are
//     invisible, carry no meaning in Vietnamese, and arrive innocently with copy-paste
//     (a byte-order mark at the start of a pasted line);
//   - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are
//     REFUSED: they reorder what a reader sees ("Trojan source") and have no use in
//     Vietnamese text, so their presence is worth telling the person about;
//   - control characters are refused, except tab and line feed in multi-line text
//     (achievements, notes, comments), where CR LF and CR become LF and U+2028/U+2029
//     become LF; single-line text refuses tabs and line breaks;
//   - a combining mark left over after NFC (it does not compose with its letter) is
//     refused: the font has no shaping, so it would print beside its letter;
//   - every other rune must be printable: present in every face of the document font
//     (regular, bold, italic, bold italic: a name must not lose an accent in bold), and
//     so must its upper and lower case (titles are set in capitals). The table of those
//     runes is generated from the font files (go generate; TestPrintableTableMatchesFonts
//     re-derives it);
//   - other spaces (U+2000 and the like) become a plain space, except the no-break space;
//     in single-line text a run of spaces becomes one; both ends are trimmed.

// TextField names a field in messages: Vietnamese label and the API field name.
type TextField struct{ VI, EN string }

// Fields whose text can reach a document.
var (
	FieldNomineeName     = TextField{"Tên cá nhân/tập thể được đề nghị", "nominee_name"}
	FieldNomineePosition = TextField{"Chức vụ", "nominee_position"}
	FieldAchievements    = TextField{"Thành tích", "achievements"}
	FieldNote            = TextField{"Ghi chú tự đánh giá", "note"}
	FieldComment         = TextField{"Ý kiến", "comment"}
	FieldFileName        = TextField{"Tên tệp minh chứng", "filename"}
	FieldSessionTitle    = TextField{"Tên phiên họp", "title"}
)

// CleanLine normalises and checks single-line text (names, positions, titles, file names).
func CleanLine(f TextField, s string) (string, error) { return cleanText(f, s, false) }

// CleanBlock normalises and checks multi-line text (achievements, notes, comments).
func CleanBlock(f TextField, s string) (string, error) { return cleanText(f, s, true) }

func isZeroWidth(r rune) bool {
	return r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF
}

func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

func cleanText(f TextField, s string, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", &Error{Code: CodeInvalid,
			VI: "“" + f.VI + "” không phải văn bản UTF-8 hợp lệ",
			EN: f.EN + " is not valid UTF-8 text"}
	}
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	s = norm.NFC.String(strings.Map(func(r rune) rune {
		if isZeroWidth(r) {
			return -1
		}
		return r
	}, s))
	var b strings.Builder
	b.Grow(len(s))
	space := false // a pending space in single-line text
	for _, r := range s {
		if multiline && (r == 0x2028 || r == 0x2029) { // line and paragraph separators
			r = '\n'
		}
		switch {
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
			continue
		case r != '\u00a0' && unicode.Is(unicode.Zs, r):
			if multiline {
				b.WriteByte(' ')
			} else {
				space = true
			}
			continue
		}
		if err := checkRune(f, r, multiline); err != nil {
			return "", err
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String()), nil
}

func checkRune(f TextField, r rune, multiline bool) error {
	code := fmt.Sprintf("U+%04X", r)
	switch {
	case isBidiControl(r):
		return &Error{Code: CodeInvalid,
			VI: fmt.Sprintf("Không được dùng ký tự điều khiển hướng văn bản (%s) trong “%s”", code, f.VI),
			EN: fmt.Sprintf("bidirectional control character %s is not allowed in %s", code, f.EN)}
	case unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Cs, unicode.Zl, unicode.Zp):
		where := ""
		if !multiline && (r == '\t' || r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029) {
			where = " (trường này chỉ có một dòng)"
		}
		return &Error{Code: CodeInvalid,
			VI: fmt.Sprintf("Không được dùng ký tự điều khiển (%s) trong “%s”%s", code, f.VI, where),
			EN: fmt.Sprintf("control character %s is not allowed in %s", code, f.EN)}
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc):
		return &Error{Code: CodeInvalid,
			VI: fmt.Sprintf("Dấu “◌%s” (%s) trong “%s” không ghép được với chữ đứng trước, không in được trên văn bản", string(r), code, f.VI),
			EN: fmt.Sprintf("combining mark %s in %s does not combine with the letter before it and cannot be printed", code, f.EN)}
	case !Printable(r):
		return &Error{Code: CodeInvalid,
			VI: fmt.Sprintf("Ký tự “%s” (%s) trong “%s” không in được trên văn bản", string(r), code, f.VI),
			EN: fmt.Sprintf("character %s in %s cannot be printed on the document", code, f.EN)}
	}
	return nil
}

// Printable reports whether the document fonts can print r in every face and case.
func Printable(r rune) bool {
	return inPrintableTable(r) && inPrintableTable(unicode.ToUpper(r)) && inPrintableTable(unicode.ToLower(r))
}

func inPrintableTable(r rune) bool {
	i := sort.Search(len(printableRanges), func(i int) bool { return printableRanges[i][1] >= r })
	return i < len(printableRanges) && printableRanges[i][0] <= r
}
