package annualdata

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/awardflow/awardflow/internal/award"
)

func ptr(n int) *int { return &n }

var directory = map[string]string{"hongdao": "Nguyễn Thị Hồng Đào", "quoccuong": "Lê Quốc Cường", "vanson": "Đặng Văn Sơn"}
var units = map[string]string{"tt": "Phòng Tuyên truyền - Báo chí", "vp": "Văn phòng"}

func directoryOptions() Options {
	return Options{
		KnownPeople: func(id string) bool { _, ok := directory[id]; return ok },
		KnownUnits:  func(id string) bool { _, ok := units[id]; return ok },
		NameOf: func(k award.NomineeKind, id string) (string, bool) {
			if k == award.KindCollective {
				n, ok := units[id]
				return n, ok
			}
			n, ok := directory[id]
			return n, ok
		},
	}
}

func nameOf(k award.NomineeKind, id string) string {
	n, _ := directoryOptions().NameOf(k, id)
	return n
}

// TestTemplates: the XLSX template has the header row with the Vietnamese labels and
// field codes, drop-down lists and a guide sheet; the CSV template is the header with a
// byte-order mark; both parse as an empty import.
func TestTemplates(t *testing.T) {
	var x, c bytes.Buffer
	if err := TemplateXLSX(&x); err != nil {
		t.Fatal(err)
	}
	if err := TemplateCSV(&c); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Dữ liệu", "Hướng dẫn"}) {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows("Dữ liệu")
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %v, %v", rows, err)
	}
	for j, col := range Columns {
		if rows[0][j] != col.Label+" ("+col.Code+")" {
			t.Errorf("header %d = %q", j, rows[0][j])
		}
	}
	if !slices.Contains(rows[0], "Xếp loại (xep_loai)") {
		t.Errorf("no rating header in %v", rows[0])
	}
	dvs, err := f.GetDataValidations("Dữ liệu")
	if err != nil || len(dvs) != 3 || !strings.Contains(dvs[1].Formula1+dvs[0].Formula1+dvs[2].Formula1, "Hoàn thành tốt nhiệm vụ") {
		t.Errorf("drop-down lists: %+v, %v", dvs, err)
	}
	guide, _ := f.GetRows("Hướng dẫn")
	if len(guide) < len(Columns)+1 || guide[0][0] != "Cột" {
		t.Errorf("guide %v", guide)
	}
	if !bytes.HasPrefix(c.Bytes(), []byte("\uFEFFSTT (stt),Đối tượng (loai),Mã cá nhân/tập thể (ma)")) {
		t.Errorf("CSV template %q", c.String())
	}
	for name, b := range map[string][]byte{"xlsx": x.Bytes(), "csv": c.Bytes()} {
		recs, err := Parse(bytes.NewReader(b), Options{})
		if err != nil || len(recs) != 0 {
			t.Errorf("%s template: %v, %v", name, recs, err)
		}
	}
}

// TestParseAsAgenciesWrite: labels with or without diacritics, in any case, composed
// or decomposed, abbreviations and codes; numbers with units and decimal commas; dates
// day first or in words; a semicolon-separated file; title rows above the header;
// columns in another order; blank rows.
func TestParseAsAgenciesWrite(t *testing.T) {
	csvText := "DANH SÁCH BÌNH XÉT NĂM 2025;;;;;;\n" +
		";;;;;;\n" +
		"Mã;Năm;XẾP LOẠI;so thang cong tac;Ngày bắt đầu công tác (ngay_bat_dau);Số ngày nghỉ;nghi_thai_san;Kỷ luật;Sáng kiến;Đối tượng;Ghi chú\n" +
		"hongdao;2025;Hoàn thành xuất sắc nhiệm vụ;12,0;;62 ngày;30;;\"Số hoá hồ sơ | QĐ số 12/QĐ-BTGTU ngày 05/12/2025\n- Bản đồ số | QĐ 13\";Cá nhân;\n" +
		";;;;;;;;;;\n" +
		"quoccuong;Năm 2025;" + norm.NFD.String("hoàn thành tốt nhiệm vụ") + ";;01/03/2025;0;;KHIEN TRACH;;ca nhan;x\n" +
		"vanson;2025;HTNV;;ngày 02 tháng 3 năm 2025;1.000;;không;;;\n" +
		"tt;2025;httnv;;;;;Không;\"A | QĐ 1; B | QĐ 2\";TẬP THỂ;\n"
	// vanson's 1.000 days is an error; the rest is fine: first check the error…
	_, err := Parse(strings.NewReader(csvText), directoryOptions())
	ie := mustImportError(t, err)
	if len(ie.Rows) != 1 || ie.Rows[0].Row != 7 || ie.Rows[0].Column != ColDaysAbsent ||
		ie.Rows[0].Text() != "Dòng 7, cột “Số ngày nghỉ”: 1000 lớn hơn 366" {
		t.Fatalf("errors %+v", ie.Rows)
	}
	// … then fix it.
	recs, err := Parse(strings.NewReader(strings.Replace(csvText, "1.000", "3", 1)), directoryOptions())
	if err != nil {
		t.Fatal(err)
	}
	want := []award.AnnualRecord{
		{Year: 2025, Kind: award.KindIndividual, ID: "hongdao", Rating: award.RatingExcellent, MonthsOfService: ptr(12), DaysAbsent: ptr(62), MaternityDays: 30,
			Discipline: award.DisciplineNone, Initiatives: []award.Recognition{{Title: "Số hoá hồ sơ", Evidence: "QĐ số 12/QĐ-BTGTU ngày 05/12/2025"}, {Title: "Bản đồ số", Evidence: "QĐ 13"}}},
		{Year: 2025, Kind: award.KindIndividual, ID: "quoccuong", Rating: award.RatingGood, MonthsOfService: ptr(10), DaysAbsent: ptr(0), Discipline: award.DisciplineReprimand},
		{Year: 2025, Kind: award.KindIndividual, ID: "vanson", Rating: award.RatingCompleted, MonthsOfService: ptr(9), DaysAbsent: ptr(3), Discipline: award.DisciplineNone},
		{Year: 2025, Kind: award.KindCollective, ID: "tt", Rating: award.RatingGood, Discipline: award.DisciplineNone,
			Initiatives: []award.Recognition{{Title: "A", Evidence: "QĐ 1"}, {Title: "B", Evidence: "QĐ 2"}}},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Fatalf("records\n%+v\nwant\n%+v", recs, want)
	}
}

func mustImportError(t *testing.T, err error) *ImportError {
	t.Helper()
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T) is not an *ImportError", err, err)
	}
	if ie.Award().Code != award.CodeInvalid || !strings.Contains(ie.Award().VI, "Chưa nhập dữ liệu") {
		t.Fatalf("as a domain error: %+v", ie.Award())
	}
	return ie
}

const header = "Mã cá nhân/tập thể (ma),Họ và tên/Tên tập thể (ten),Mã phòng/đơn vị (don_vi),Năm (nam),Xếp loại (xep_loai),Số tháng công tác (so_thang),Ngày bắt đầu công tác (ngay_bat_dau),Số ngày nghỉ (ngay_nghi),Số ngày nghỉ thai sản (nghi_thai_san),Kỷ luật (ky_luat),Sáng kiến (sang_kien),Đối tượng (loai)\n"

const goodRow = "hongdao,Nguyễn Thị Hồng Đào,tt,2025,HTTNV,12,,0,,,,\n"

// TestRowErrors: each bad cell is reported with its row and column, in Vietnamese and
// English, and the whole file is refused (the good rows around it are not imported).
func TestRowErrors(t *testing.T) {
	cases := map[string]struct {
		row    string
		column string
		says   string
	}{
		"unknown rating":      {"vanson,,,2025,giỏi,12,,0,,,,", ColRating, "Không đọc được “giỏi”"},
		"no rating":           {"vanson,,,2025,,12,,0,,,,", ColRating, "Chưa ghi xếp loại"},
		"no id":               {",,,2025,HTTNV,12,,0,,,,", ColID, "Chưa ghi mã"},
		"unknown person":      {"ghost,,,2025,HTTNV,12,,0,,,,", ColID, "không có trong danh bạ"},
		"unknown unit":        {"phongma,,,2025,HTTNV,,,,,,,Tập thể", ColID, "không có trong danh bạ"},
		"a person as a unit":  {"vanson,,,2025,HTTNV,,,,,,,Tập thể", ColID, "không có trong danh bạ"},
		"wrong name":          {"vanson,Lê Quốc Cường,,2025,HTTNV,12,,0,,,,", ColName, "không khớp"},
		"unknown department":  {"vanson,,xx,2025,HTTNV,12,,0,,,,", ColUnit, "không có trong danh bạ"},
		"other year":          {"vanson,,,2024,HTTNV,12,,0,,,,", ColYear, "đang nhập dữ liệu năm 2025"},
		"no year":             {"vanson,,,,HTTNV,12,,0,,,,", ColYear, "Chưa ghi năm"},
		"13 months":           {"vanson,,,2025,HTTNV,13,,0,,,,", ColMonths, "13 lớn hơn 12"},
		"half a month":        {"vanson,,,2025,HTTNV,\"10,5\",,0,,,,", ColMonths, "phải là số nguyên"},
		"negative days":       {"vanson,,,2025,HTTNV,12,,-3,,,,", ColDaysAbsent, "không được là số âm"},
		"words for days":      {"vanson,,,2025,HTTNV,12,,mười,,,,", ColDaysAbsent, "không phải là số"},
		"maternity over days": {"vanson,,,2025,HTTNV,12,,10,11,,,", ColMaternity, "phải nằm trong số ngày nghỉ"},
		"31 February":         {"vanson,,,2025,HTTNV,,31/02/2025,0,,,,", ColStartDate, "không phải là ngày có thật"},
		"not a date":          {"vanson,,,2025,HTTNV,,tháng ba,0,,,,", ColStartDate, "không phải là ngày"},
		"unknown discipline":  {"vanson,,,2025,HTTNV,12,,0,,phê bình,,", ColDiscipline, "Không đọc được “phê bình”"},
		"no evidence":         {"vanson,,,2025,HTTNV,12,,0,,,Sáng kiến A,", ColInitiative, "cần cả tên và minh chứng"},
		"bidi in a title":     {"vanson,,,2025,HTTNV,12,,0,,,Sáng \u202ekiến | QĐ 1,", ColInitiative, "U+202E"},
		"unknown kind":        {"vanson,,,2025,HTTNV,12,,0,,,,Nhóm", ColKind, "không phải Cá nhân hay Tập thể"},
		"months of a unit":    {"tt,,,2025,HTTNV,12,,,,,,Tập thể", ColMonths, "Chỉ ghi cho cá nhân"},
		"a long cell":         {"vanson,,,2025,HTTNV,12,,0,,," + strings.Repeat("x", maxCellRunes+1) + ",", ColInitiative, "dài quá"},
	}
	opts := directoryOptions()
	opts.Year = 2025
	for name, c := range cases {
		file := header + goodRow + c.row + "\n" + strings.Replace(goodRow, "hongdao,Nguyễn Thị Hồng Đào", "quoccuong,", 1)
		recs, err := Parse(strings.NewReader(file), opts)
		if recs != nil {
			t.Errorf("%s: %d records imported from a file with an error", name, len(recs))
		}
		ie := mustImportError(t, err)
		found := false
		for _, e := range ie.Rows {
			if e.Row == 3 && e.Column == c.column && strings.Contains(e.VI, c.says) && e.EN != "" &&
				strings.HasPrefix(e.Text(), "Dòng 3, cột “") && strings.HasPrefix(e.TextEN(), "Row 3, column “") {
				found = true
			}
			if e.Row != 3 {
				t.Errorf("%s: an error on row %d: %+v", name, e.Row, e)
			}
		}
		if !found {
			t.Errorf("%s: no error on row 3, column %s saying %q: %+v", name, c.column, c.says, ie.Rows)
		}
	}
}

// TestFileErrors: duplicates, the header, the size and the encoding.
func TestFileErrors(t *testing.T) {
	cases := map[string]struct {
		file string
		row  int
		says string
	}{
		"a person twice in a year": {header + goodRow + "vanson,,,2025,HTTNV,12,,0,,,,\n" + strings.Replace(goodRow, "HTTNV", "HTXSNV", 1), 4, "Trùng với dòng 2"},
		"an unknown column":        {strings.Replace(header, "Kỷ luật (ky_luat)", "Khen thưởng", 1) + goodRow, 1, "Cột “Khen thưởng” không có trong mẫu"},
		"a column twice":           {strings.Replace(header, "Kỷ luật (ky_luat)", "Năm", 1) + goodRow, 1, "lặp lại"},
		"no rating column":         {strings.Replace(header, "Xếp loại (xep_loai)", "", 1) + goodRow, 1, "Thiếu cột"},
		"no header":                {goodRow + goodRow, 1, "Không tìm thấy dòng tiêu đề"},
		"unbalanced quotes":        {header + goodRow + "vanson,\"Đặng,,2025\n", 3, "sai định dạng"},
		"too many rows":            {header + strings.Repeat("\n", 3) + strings.Repeat(goodRow, 4), 0, "hơn 3 dòng"},
	}
	for name, c := range cases {
		opts := directoryOptions()
		opts.MaxRows = 3
		recs, err := Parse(strings.NewReader(c.file), opts)
		ie := mustImportError(t, err)
		if recs != nil || len(ie.Rows) == 0 || ie.Rows[0].Row != c.row || !strings.Contains(ie.Rows[0].VI, c.says) {
			t.Errorf("%s: %v, %+v", name, recs, ie.Rows)
		}
	}
	// Two people with the same id in different years, or a person and a unit with
	// the same id, are not duplicates.
	file := header + goodRow + strings.Replace(goodRow, "2025", "2024", 1) + "tt,,,2025,HTTNV,,,,,,,Tập thể\n"
	if recs, err := Parse(strings.NewReader(file), Options{}); err != nil || len(recs) != 3 {
		t.Errorf("%d records, %v", len(recs), err)
	}
	// A file over the byte cap.
	if _, err := Parse(strings.NewReader(header+goodRow), Options{MaxBytes: 10}); err == nil {
		t.Error("a file over the cap was read")
	}
}

// TestWindows1258: a CSV saved by a spreadsheet in Vietnamese Windows (code page 1258,
// decomposed tone marks, semicolons) reads as the UTF-8 one.
func TestWindows1258(t *testing.T) {
	utf := strings.ReplaceAll(header+"vanson;Đặng Văn Sơn;llct;2025;Hoàn thành tốt nhiệm vụ;12;;0;;Cảnh cáo;;\n", ",", ";")
	enc, err := charmap.Windows1258.NewEncoder().String(cp1258Form(utf))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := Parse(strings.NewReader(enc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Rating != award.RatingGood || recs[0].Discipline != award.DisciplineWarning || recs[0].Unit != "llct" {
		t.Fatalf("%+v", recs)
	}
}

// TestXLSXValues: a workbook filled in a spreadsheet: numbers as numbers (a year, a
// float's rounding noise), a date cell as a serial number, text with line breaks.
func TestXLSXValues(t *testing.T) {
	var b bytes.Buffer
	if err := TemplateXLSX(&b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	col := func(code string) string {
		for j, c := range Columns {
			if c.Code == code {
				return cellName(j, 2)
			}
		}
		t.Fatalf("no column %s", code)
		return ""
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellStr("Dữ liệu", col(ColID), "hongdao"))
	must(f.SetCellInt("Dữ liệu", col(ColYear), 2025))
	must(f.SetCellStr("Dữ liệu", col(ColRating), "Hoàn thành xuất sắc nhiệm vụ"))
	must(f.SetCellFloat("Dữ liệu", col(ColDaysAbsent), 11.999999999999998, -1, 64))
	must(f.SetCellValue("Dữ liệu", col(ColStartDate), 45717)) // 01/03/2025 as a serial date
	must(f.SetCellStr("Dữ liệu", col(ColInitiative), "Sáng kiến A | QĐ 1\nSáng kiến B | QĐ 2"))
	var out bytes.Buffer
	must(f.Write(&out))
	recs, err := Parse(&out, Options{Year: 2025})
	if err != nil {
		t.Fatal(err)
	}
	want := award.AnnualRecord{Year: 2025, Kind: award.KindIndividual, ID: "hongdao", Rating: award.RatingExcellent, MonthsOfService: ptr(10),
		DaysAbsent: ptr(12), Discipline: award.DisciplineNone,
		Initiatives: []award.Recognition{{Title: "Sáng kiến A", Evidence: "QĐ 1"}, {Title: "Sáng kiến B", Evidence: "QĐ 2"}}}
	if len(recs) != 1 || !reflect.DeepEqual(recs[0], want) {
		t.Fatalf("%+v\nwant %+v", recs, want)
	}
	// A far cell (XFD6000, past the row cap) is refused by the row cap, not read into memory.
	must(f.SetCellStr("Dữ liệu", "XFD6000", "x"))
	out.Reset()
	must(f.Write(&out))
	if _, err := Parse(&out, Options{}); err == nil || !strings.Contains(mustImportError(t, err).Rows[0].VI, "dòng dữ liệu") {
		t.Fatalf("a sheet reaching row 6000: %v", err)
	}
	// Not a workbook at all.
	if _, err := ParseXLSX(strings.NewReader("PK\x03\x04garbage"), Options{}); err == nil {
		t.Fatal("garbage parsed as XLSX")
	} else {
		mustImportError(t, err)
	}
}

// TestFormulaInjection: text that a spreadsheet would run as a formula is written
// neutralised (a leading apostrophe) in both formats, and reads back as written.
func TestFormulaInjection(t *testing.T) {
	evil := []string{"=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "=1", "-", "- x", "'=1", "''@x", "'plain"}
	// The full-width sign is not printable on a document, so it cannot be a title.
	if neutralise("＝1") != "'＝1" || unquote("'＝1") != "＝1" {
		t.Error("the full-width equals sign is not neutralised")
	}
	var recs []award.AnnualRecord
	for i, e := range evil {
		r := award.AnnualRecord{Year: 2025, Kind: award.KindIndividual, ID: "p" + string(rune('a'+i)), Rating: award.RatingGood,
			Discipline: award.DisciplineNone, Initiatives: []award.Recognition{{Title: e, Evidence: e}}}
		recs = append(recs, r)
	}
	var c, x bytes.Buffer
	if err := WriteCSV(&c, recs, func(award.NomineeKind, string) string { return "=cmd|' /C calc'!A0" }); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(&x, recs, nil); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(c.String(), "\r\n") {
		for _, cell := range strings.Split(line, ",") {
			cell = strings.TrimPrefix(cell, "\"")
			if formulaStart(cell) {
				t.Errorf("CSV cell %q starts like a formula", cell)
			}
		}
	}
	f, _ := excelize.OpenReader(bytes.NewReader(x.Bytes()))
	rows, _ := f.GetRows("Dữ liệu")
	for _, row := range rows {
		for _, cell := range row {
			if formulaStart(cell) {
				t.Errorf("XLSX cell %q starts like a formula", cell)
			}
		}
	}
	for name, b := range map[string][]byte{"xlsx": x.Bytes(), "csv": c.Bytes()} {
		got, err := Parse(bytes.NewReader(b), Options{})
		if err != nil || !reflect.DeepEqual(got, recs) {
			t.Errorf("%s: %+v, %v", name, got, err)
		}
	}
}

// cp1258Form writes Vietnamese text as code page 1258 holds it: the letters with
// circumflex, breve or horn precomposed, the five tone marks as combining marks.
func cp1258Form(s string) string {
	var b strings.Builder
	var base, tones []rune
	flush := func() {
		b.WriteString(norm.NFC.String(string(base)))
		b.WriteString(string(tones))
		base, tones = nil, nil
	}
	for _, r := range norm.NFD.String(s) {
		switch r {
		case 0x0300, 0x0301, 0x0303, 0x0309, 0x0323:
			tones = append(tones, r)
		case 0x0302, 0x0306, 0x031B:
			base = append(base, r)
		default:
			flush()
			base = append(base, r)
		}
	}
	flush()
	return b.String()
}
