package annualdata

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/awardflow/awardflow/internal/award"
)

// Options say what an import is checked against.
type Options struct {
	// Year, when set, is the only year the rows may give (an import per year).
	Year int
	// KnownPeople and KnownUnits, when set, say whether an id is in the directory;
	// an unknown id is a row error.
	KnownPeople func(id string) bool
	KnownUnits  func(id string) bool
	// NameOf, when set, gives the directory's name of an id: a name written in the
	// row must match it (a wrong id next to the right name is caught).
	NameOf func(kind award.NomineeKind, id string) (string, bool)
	// MaxRows caps the data rows (default DefaultMaxRows); MaxBytes the file size
	// (default DefaultMaxBytes).
	MaxRows  int
	MaxBytes int64
}

// Limits of an import.
const (
	DefaultMaxRows  = 5000
	DefaultMaxBytes = 10 << 20
	maxCellRunes    = 4000
	maxErrors       = 200
	headerSearch    = 10 // the header may sit below a few title rows
	maxColumns      = 64 // cells read per row; the template has far fewer
)

// RowError is one problem of an import: the row as the spreadsheet numbers it (the
// header is a row; 0 for the file as a whole), the column, and the message.
type RowError struct {
	Row         int    `json:"row"`
	Column      string `json:"column,omitempty"`       // field code, e.g. xep_loai
	ColumnLabel string `json:"column_label,omitempty"` // e.g. Xếp loại
	VI          string `json:"message"`
	EN          string `json:"message_en"`
}

// Text is the error as a line in Vietnamese: "Dòng 7, cột “Xếp loại”: …".
func (e RowError) Text() string {
	switch {
	case e.Row == 0:
		return e.VI
	case e.ColumnLabel == "":
		return fmt.Sprintf("Dòng %d: %s", e.Row, e.VI)
	}
	return fmt.Sprintf("Dòng %d, cột “%s”: %s", e.Row, e.ColumnLabel, e.VI)
}

// TextEN is the error as a line in English: "Row 7, column “Xếp loại” (xep_loai): …".
func (e RowError) TextEN() string {
	switch {
	case e.Row == 0:
		return e.EN
	case e.ColumnLabel == "":
		return fmt.Sprintf("Row %d: %s", e.Row, e.EN)
	}
	return fmt.Sprintf("Row %d, column “%s” (%s): %s", e.Row, e.ColumnLabel, e.Column, e.EN)
}

// ImportError is a refused import: every problem found (up to a cap), nothing imported.
type ImportError struct {
	Rows []RowError `json:"errors"`
	// More counts the problems found beyond those listed.
	More int `json:"more,omitempty"`
}

func (e *ImportError) Error() string {
	lines := make([]string, 0, len(e.Rows))
	for _, r := range e.Rows {
		lines = append(lines, r.TextEN())
	}
	return fmt.Sprintf("annual data not imported, %d error(s): %s", len(e.Rows)+e.More, strings.Join(lines, "; "))
}

// Award is the refusal as a domain error (CodeInvalid), listing the first problems in
// both languages.
func (e *ImportError) Award() *award.Error {
	const shown = 10
	var vi, en []string
	for i, r := range e.Rows {
		if i == shown {
			break
		}
		vi, en = append(vi, r.Text()), append(en, r.TextEN())
	}
	n := len(e.Rows) + e.More
	if n > len(vi) {
		vi = append(vi, fmt.Sprintf("… và %d lỗi khác", n-len(vi)))
		en = append(en, fmt.Sprintf("… and %d more", n-len(en)))
	}
	return award.Invalid("Chưa nhập dữ liệu: tệp có %[1]d lỗi. %[2]s", "nothing imported: the file has %[1]d error(s). %[3]s",
		n, strings.Join(vi, "; "), strings.Join(en, "; "))
}

type collector struct {
	errs []RowError
	more int
}

func (c *collector) add(row int, col string, msg bi) {
	if len(c.errs) >= maxErrors {
		c.more++
		return
	}
	e := RowError{Row: row, VI: msg.vi, EN: msg.en}
	if cl, ok := columnByCode(col); ok {
		e.Column, e.ColumnLabel = cl.Code, cl.Label
	}
	c.errs = append(c.errs, e)
}

func (c *collector) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return &ImportError{Rows: c.errs, More: c.more}
}

func fileError(vi, en string) error {
	return &ImportError{Rows: []RowError{{VI: vi, EN: en}}}
}

// Parse reads a CSV or XLSX file (told apart by content) and returns all its records,
// or an *ImportError listing every problem.
func Parse(r io.Reader, opts Options) ([]award.AnnualRecord, error) {
	data, err := readAll(r, opts)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return parseXLSX(data, opts)
	}
	return parseCSV(data, opts)
}

// ParseCSV reads a CSV file: UTF-8 (with or without a byte-order mark) or the
// Windows-1258 code page that spreadsheets save in Vietnamese Windows; comma,
// semicolon or tab separated (told from the header line).
func ParseCSV(r io.Reader, opts Options) ([]award.AnnualRecord, error) {
	data, err := readAll(r, opts)
	if err != nil {
		return nil, err
	}
	return parseCSV(data, opts)
}

// ParseXLSX reads the data sheet of an XLSX workbook ("Dữ liệu", else the first).
func ParseXLSX(r io.Reader, opts Options) ([]award.AnnualRecord, error) {
	data, err := readAll(r, opts)
	if err != nil {
		return nil, err
	}
	return parseXLSX(data, opts)
}

func readAll(r io.Reader, opts Options) ([]byte, error) {
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read annual data: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fileError(fmt.Sprintf("Tệp lớn hơn %d MB", limit>>20), fmt.Sprintf("the file is larger than %d MB", limit>>20))
	}
	return data, nil
}

func parseCSV(data []byte, opts Options) ([]award.AnnualRecord, error) {
	rows, err := csvRows(data, opts)
	if err != nil {
		return nil, err
	}
	return parseTable(rows, opts)
}

// ReadRows reads the cells of a CSV or XLSX file (told apart by content; the sheet named
// "Dữ liệu", else the first), row by row as the spreadsheet numbers them, with the same
// encodings, separators and caps as the annual-data import: for other imports that share
// its conventions (a department's list).
func ReadRows(r io.Reader, opts Options) ([][]string, error) {
	data, err := readAll(r, opts)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return xlsxRows(data, opts)
	}
	return csvRows(data, opts)
}

func csvRows(data []byte, opts Options) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		dec, err := charmap.Windows1258.NewDecoder().Bytes(data)
		if err != nil {
			return nil, fileError("Tệp không phải văn bản UTF-8 hay Windows-1258", "the file is neither UTF-8 nor Windows-1258 text")
		}
		data = dec
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffComma(data)
	cr.FieldsPerRecord = -1
	var rows [][]string
	lastLine := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ImportError{Rows: []RowError{{Row: len(rows) + 1,
					VI: "Tệp CSV sai định dạng (dấu ngoặc kép không khớp?)", EN: "malformed CSV (unbalanced quotes?): " + pe.Err.Error()}}}
			}
			return nil, fmt.Errorf("read annual data CSV: %w", err)
		}
		// The reader skips blank lines: keep each as an empty row, so that row numbers are
		// the rows a spreadsheet shows (a quoted cell may span lines: count from where the
		// previous record ended).
		if start, _ := cr.FieldPos(0); start > 0 {
			for skipped := start - lastLine - 1; skipped > 0 && len(rows) <= maxRows(opts)+headerSearch+1; skipped-- {
				rows = append(rows, nil)
			}
			end, _ := cr.FieldPos(len(rec) - 1)
			lastLine = end + strings.Count(rec[len(rec)-1], "\n")
		}
		rows = append(rows, rec)
		if len(rows) > maxRows(opts)+headerSearch+1 {
			return nil, tooManyRows(opts)
		}
	}
	return rows, nil
}

// sniffComma picks the separator the first lines use most: ",", ";" or a tab (the
// header may sit below a title line that has none).
func sniffComma(data []byte) rune {
	head := data
	for i, n := 0, 0; i < len(data); i++ {
		if data[i] == '\n' {
			if n++; n == headerSearch {
				head = data[:i]
				break
			}
		}
	}
	best, n := ',', 0
	for _, c := range []rune{',', ';', '\t'} {
		if k := strings.Count(string(head), string(c)); k > n {
			best, n = c, k
		}
	}
	return best
}

func maxRows(opts Options) int {
	if opts.MaxRows > 0 {
		return opts.MaxRows
	}
	return DefaultMaxRows
}

func tooManyRows(opts Options) error {
	return fileError(fmt.Sprintf("Tệp có hơn %d dòng dữ liệu", maxRows(opts)), fmt.Sprintf("the file has more than %d data rows", maxRows(opts)))
}

// dataSheet is the sheet the template names "Dữ liệu".
const dataSheet = "Dữ liệu"

func parseXLSX(data []byte, opts Options) ([]award.AnnualRecord, error) {
	rows, err := xlsxRows(data, opts)
	if err != nil {
		return nil, err
	}
	return parseTable(rows, opts)
}

func xlsxRows(data []byte, opts Options) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 32 << 20})
	if err != nil {
		return nil, fileError("Tệp không phải bảng tính XLSX đọc được", "the file is not a readable XLSX workbook: "+err.Error())
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError("Bảng tính không có trang nào", "the workbook has no sheet")
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if award.FoldName(s) == award.FoldName(dataSheet) {
			sheet = s
		}
	}
	// The rows one by one (not GetRows): a small file may name a far cell (XFD1048576)
	// in many rows, and a sheet is refused past the row cap before it fills memory.
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, fileError("Không đọc được trang “"+sheet+"”", "cannot read sheet "+strconv.Quote(sheet)+": "+err.Error())
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) >= maxRows(opts)+headerSearch+1 {
			return nil, tooManyRows(opts)
		}
		row, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &ImportError{Rows: []RowError{{Row: len(rows) + 1, VI: "Không đọc được dòng này của bảng tính", EN: "cannot read this row of the workbook: " + err.Error()}}}
		}
		rows = append(rows, slices.Clone(row[:min(len(row), maxColumns)]))
	}
	if err := it.Error(); err != nil {
		return nil, fileError("Không đọc được trang “"+sheet+"”", "cannot read sheet "+strconv.Quote(sheet)+": "+err.Error())
	}
	return rows, nil
}

// parseTable reads rows (row i is the sheet's row i+1): a header naming the columns,
// then one record per non-empty row.
func parseTable(rows [][]string, opts Options) ([]award.AnnualRecord, error) {
	var c collector
	header, cols := findHeader(rows)
	if header < 0 {
		c.add(1, "", bi{"Không tìm thấy dòng tiêu đề của mẫu (cần ít nhất các cột “Mã cá nhân/tập thể”, “Năm”, “Xếp loại”)",
			"no template header row found (the id, year and rating columns at least)"})
		return nil, c.err()
	}
	at := map[string]int{}
	for i, cell := range rows[header] {
		cell = unquote(cell)
		if cell == "" {
			continue
		}
		col, ok := cols[i]
		if !ok {
			c.add(header+1, "", bi{fmt.Sprintf("Cột “%s” không có trong mẫu", cell), fmt.Sprintf("column %q is not in the template", cell)})
			continue
		}
		if _, dup := at[col.Code]; dup {
			c.add(header+1, col.Code, bi{"Cột bị lặp lại", "the column appears twice"})
			continue
		}
		at[col.Code] = i
	}
	for _, col := range Columns {
		if _, ok := at[col.Code]; col.Required && !ok {
			c.add(header+1, col.Code, bi{"Thiếu cột này trong dòng tiêu đề", "the header lacks this column"})
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	var out []award.AnnualRecord
	first := map[string]int{}
	data := 0
	for i := header + 1; i < len(rows); i++ {
		row := i + 1
		cell := func(code string) (string, bool) {
			j, ok := at[code]
			if !ok || j >= len(rows[i]) {
				return "", ok
			}
			return unquote(rows[i][j]), true
		}
		if blankRow(rows[i], at) {
			continue
		}
		if data++; data > maxRows(opts) {
			return nil, tooManyRows(opts)
		}
		long := false
		for _, col := range Columns {
			if j, ok := at[col.Code]; ok && j < len(rows[i]) && utf8.RuneCountInString(rows[i][j]) > maxCellRunes {
				c.add(row, col.Code, bi{fmt.Sprintf("Ô dài quá %d ký tự", maxCellRunes), fmt.Sprintf("the cell is longer than %d characters", maxCellRunes)})
				long = true
			}
		}
		if long {
			continue
		}
		rec, ok := parseRow(row, cell, opts, &c)
		if !ok {
			continue
		}
		key := string(rec.Kind) + "\x00" + rec.ID + "\x00" + strconv.Itoa(rec.Year)
		if prev, dup := first[key]; dup {
			c.add(row, ColID, bi{fmt.Sprintf("Trùng với dòng %[1]d (mã “%[2]s”, năm %[3]d)", prev, rec.ID, rec.Year),
				fmt.Sprintf("same as row %[1]d (id %[2]q, year %[3]d)", prev, rec.ID, rec.Year)})
			continue
		}
		first[key] = row
		out = append(out, rec)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// findHeader finds the header row among the first rows: the first with the id column
// and at least two other template columns. It returns the row index and the column of
// each matching cell.
func findHeader(rows [][]string) (int, map[int]Column) {
	for i := 0; i < len(rows) && i < headerSearch; i++ {
		cols := map[int]Column{}
		hasID := false
		for j, cell := range rows[i] {
			if col, ok := matchHeader(unquote(cell)); ok {
				cols[j] = col
				hasID = hasID || col.Code == ColID
			}
		}
		if hasID && len(cols) >= 3 {
			return i, cols
		}
	}
	return -1, nil
}

// blankRow reports a row with nothing but a number or a note (template rows pre-numbered).
func blankRow(row []string, at map[string]int) bool {
	for code, j := range at {
		if code == ColNo || code == ColNote || j >= len(row) {
			continue
		}
		if unquote(row[j]) != "" {
			return false
		}
	}
	return true
}

// parseRow reads one data row; problems go to c, and ok is false when there were any.
func parseRow(row int, cell func(string) (string, bool), opts Options, c *collector) (award.AnnualRecord, bool) {
	before := len(c.errs) + c.more
	fail := func(col string, m bi) { c.add(row, col, m) }
	var rec award.AnnualRecord

	rec.Kind = award.KindIndividual
	if s, _ := cell(ColKind); s != "" {
		k, ok := award.ParseNomineeKind(s)
		if !ok {
			fail(ColKind, bi{"“" + s + "” không phải Cá nhân hay Tập thể", "“" + s + "” is neither individual nor collective"})
		}
		rec.Kind = k
	}

	id, _ := cell(ColID)
	switch clean, err := award.CleanLine(award.FieldRecordID, id); {
	case id == "":
		fail(ColID, bi{"Chưa ghi mã", "the id is missing"})
	case err != nil:
		fail(ColID, errBi(err))
	case utf8.RuneCountInString(clean) > 100:
		fail(ColID, bi{"Mã dài quá 100 ký tự", "the id is longer than 100 characters"})
	default:
		rec.ID = clean
		known := opts.KnownPeople
		if rec.Kind == award.KindCollective {
			known = opts.KnownUnits
		}
		if known != nil && rec.Kind != "" && !known(rec.ID) {
			fail(ColID, bi{fmt.Sprintf("Mã “%s” không có trong danh bạ", rec.ID), fmt.Sprintf("id %q is not in the directory", rec.ID)})
		} else if name, _ := cell(ColName); name != "" && opts.NameOf != nil && rec.Kind != "" {
			if want, ok := opts.NameOf(rec.Kind, rec.ID); ok && award.FoldName(want) != award.FoldName(name) {
				fail(ColName, bi{fmt.Sprintf("“%[1]s” không khớp với tên của mã “%[2]s” trong danh bạ (“%[3]s”)", name, rec.ID, want),
					fmt.Sprintf("%[1]q does not match the directory's name of id %[2]q (%[3]q)", name, rec.ID, want)})
			}
		}
	}

	if s, _ := cell(ColUnit); s != "" {
		clean, err := award.CleanLine(award.FieldRecordUnit, s)
		switch {
		case err != nil:
			fail(ColUnit, errBi(err))
		case rec.Kind == award.KindCollective:
			fail(ColUnit, bi{"Chỉ ghi phòng/đơn vị cho cá nhân", "a unit is given for individuals only"})
		case opts.KnownUnits != nil && !opts.KnownUnits(clean):
			fail(ColUnit, bi{fmt.Sprintf("Mã phòng “%s” không có trong danh bạ", clean), fmt.Sprintf("unit %q is not in the directory", clean)})
		default:
			rec.Unit = clean
		}
	}

	year, _ := cell(ColYear)
	year = strings.TrimSpace(strings.TrimPrefix(award.FoldName(year), "nam "))
	if y, bad := parseCount(year); year == "" {
		fail(ColYear, bi{"Chưa ghi năm", "the year is missing"})
	} else if bad != nil {
		fail(ColYear, *bad)
	} else if y < 1945 || y > 9999 {
		fail(ColYear, bi{fmt.Sprintf("Năm %d không hợp lệ", y), fmt.Sprintf("year %d is not valid", y)})
	} else if opts.Year != 0 && y != opts.Year {
		fail(ColYear, bi{fmt.Sprintf("Năm %[1]d, nhưng đang nhập dữ liệu năm %[2]d", y, opts.Year), fmt.Sprintf("year %[1]d, but this import is for %[2]d", y, opts.Year)})
	} else {
		rec.Year = y
	}

	if s, _ := cell(ColRating); s == "" {
		fail(ColRating, bi{"Chưa ghi xếp loại", "the task rating is missing"})
	} else if r, ok := award.ParseTaskRating(s); !ok {
		fail(ColRating, bi{fmt.Sprintf("Không đọc được “%s” (ghi: Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ hoặc Không hoàn thành nhiệm vụ)", s),
			fmt.Sprintf("cannot read %q (write excellent, good, completed or not_completed, or the Vietnamese label)", s)})
	} else {
		rec.Rating = r
	}

	count := func(col string, max int) *int {
		s, _ := cell(col)
		if s == "" {
			return nil
		}
		n, bad := parseCount(s)
		if bad != nil {
			fail(col, *bad)
			return nil
		}
		if n > max {
			fail(col, bi{fmt.Sprintf("%[1]d lớn hơn %[2]d", n, max), fmt.Sprintf("%[1]d is more than %[2]d", n, max)})
			return nil
		}
		return &n
	}
	rec.MonthsOfService = count(ColMonths, 12)
	if s, _ := cell(ColStartDate); s != "" {
		if d, bad := parseDate(s); bad != nil {
			fail(ColStartDate, *bad)
		} else if rec.MonthsOfService == nil && rec.Year != 0 {
			m := award.MonthsOfServiceFrom(d, rec.Year)
			rec.MonthsOfService = &m
		}
	}
	if rec.Kind == award.KindCollective && rec.MonthsOfService != nil {
		fail(ColMonths, bi{"Chỉ ghi cho cá nhân", "for individuals only"})
	}
	rec.DaysAbsent = count(ColDaysAbsent, award.MaxWorkingDaysInYear)
	if m := count(ColMaternity, award.MaxWorkingDaysInYear); m != nil && *m > 0 {
		if rec.DaysAbsent == nil || *m > *rec.DaysAbsent {
			fail(ColMaternity, bi{"Số ngày nghỉ thai sản phải nằm trong số ngày nghỉ", "maternity days must be part of the days absent"})
		}
		rec.MaternityDays = *m
	}
	if rec.Kind == award.KindCollective && rec.DaysAbsent != nil {
		fail(ColDaysAbsent, bi{"Chỉ ghi cho cá nhân", "for individuals only"})
	}

	if s, present := cell(ColDiscipline); present {
		// A blank cell means no discipline (the template says so); without the
		// column, discipline stays unknown.
		rec.Discipline = award.DisciplineNone
		if s != "" {
			d, ok := award.ParseDisciplineLevel(s)
			if !ok {
				fail(ColDiscipline, bi{fmt.Sprintf("Không đọc được “%s” (ghi: Khiển trách, Cảnh cáo, Hạ bậc lương, Giáng chức, Cách chức, Buộc thôi việc, hoặc để trống)", s),
					fmt.Sprintf("cannot read %q (write a disciplinary measure, or leave it blank)", s)})
			}
			rec.Discipline = d
		}
	}

	for _, col := range []string{ColInitiative, ColResearch} {
		s, _ := cell(col)
		list, bad := parseRecognitions(s)
		if bad != nil {
			fail(col, *bad)
			continue
		}
		for i := range list {
			var err error
			if list[i].Title, err = award.CleanLine(award.FieldRecognitionTitle, list[i].Title); err == nil {
				list[i].Evidence, err = award.CleanLine(award.FieldRecognitionEvidence, list[i].Evidence)
			}
			if err != nil {
				fail(col, errBi(err))
			}
		}
		if col == ColInitiative {
			rec.Initiatives = list
		} else {
			rec.Research = list
		}
	}

	if len(c.errs)+c.more > before {
		return rec, false
	}
	if err := rec.Validate(); err != nil {
		fail("", errBi(err))
		return rec, false
	}
	return rec, true
}

func errBi(err error) bi {
	var ae *award.Error
	if errors.As(err, &ae) {
		return bi{ae.VI, ae.EN}
	}
	return bi{err.Error(), err.Error()}
}
