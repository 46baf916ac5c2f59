package annualdata

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/awardflow/awardflow/internal/award"
)

// NameFunc gives the name written next to an id (the directory's); nil writes none.
type NameFunc func(kind award.NomineeKind, id string) string

// cells is a record as the template's cells, in Columns order: text (already
// neutralised against formula injection) or a whole number.
func cells(i int, r award.AnnualRecord, name NameFunc) []any {
	out := make([]any, 0, len(Columns))
	num := func(p *int) any {
		if p == nil {
			return ""
		}
		return *p
	}
	for _, c := range Columns {
		var v any
		switch c.Code {
		case ColNo:
			v = i + 1
		case ColKind:
			v = r.Kind.LabelVI()
		case ColID:
			v = r.ID
		case ColName:
			v = ""
			if name != nil {
				v = name(r.Kind, r.ID)
			}
		case ColUnit:
			v = r.Unit
		case ColYear:
			v = r.Year
		case ColRating:
			v = ""
			if r.Rating != "" {
				v = r.Rating.LabelVI()
			}
		case ColMonths:
			v = num(r.MonthsOfService)
		case ColStartDate, ColNote:
			v = ""
		case ColDaysAbsent:
			v = num(r.DaysAbsent)
		case ColMaternity:
			v = ""
			if r.MaternityDays != 0 {
				v = r.MaternityDays
			}
		case ColDiscipline:
			v = ""
			if r.Discipline != "" && r.Discipline != award.DisciplineNone {
				v = r.Discipline.LabelVI()
			}
		case ColInitiative:
			v = formatRecognitions(r.Initiatives)
		case ColResearch:
			v = formatRecognitions(r.Research)
		}
		if s, ok := v.(string); ok {
			v = neutralise(s)
		}
		out = append(out, v)
	}
	return out
}

func headers() []string {
	out := make([]string, 0, len(Columns))
	for _, c := range Columns {
		out = append(out, neutralise(c.Header()))
	}
	return out
}

// WriteCSV writes records in the template's layout: UTF-8 with a byte-order mark (so
// that spreadsheets open the Vietnamese text right), CRLF lines, every cell that
// looks like a formula neutralised. No records: the empty template.
func WriteCSV(w io.Writer, records []award.AnnualRecord, name NameFunc) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write annual data CSV: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(headers()); err != nil {
		return fmt.Errorf("write annual data CSV: %w", err)
	}
	for i, r := range records {
		row := cells(i, r, name)
		line := make([]string, len(row))
		for j, v := range row {
			switch v := v.(type) {
			case int:
				line[j] = strconv.Itoa(v)
			case string:
				line[j] = v
			}
		}
		if err := cw.Write(line); err != nil {
			return fmt.Errorf("write annual data CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write annual data CSV: %w", err)
	}
	return nil
}

// TemplateCSV writes the empty CSV template: the header row.
func TemplateCSV(w io.Writer) error { return WriteCSV(w, nil, nil) }

// guideSheet is the template's sheet that explains the columns.
const guideSheet = "Hướng dẫn"

// WriteXLSX writes records in the template's layout: the "Dữ liệu" sheet (bold frozen
// header, lists to pick the kind, rating and discipline from, numbers as numbers,
// text as text with formula-looking cells neutralised) and the "Hướng dẫn" sheet.
// No records: the empty template.
func WriteXLSX(w io.Writer, records []award.AnnualRecord, name NameFunc) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := buildXLSX(f, records, name); err != nil {
		return fmt.Errorf("write annual data XLSX: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write annual data XLSX: %w", err)
	}
	return nil
}

// TemplateXLSX writes the empty XLSX template.
func TemplateXLSX(w io.Writer) error { return WriteXLSX(w, nil, nil) }

func buildXLSX(f *excelize.File, records []award.AnnualRecord, name NameFunc) error {
	if err := f.SetSheetName(f.GetSheetName(0), dataSheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for j, h := range headers() {
		if err := f.SetCellStr(dataSheet, cellName(j, 1), h); err != nil {
			return err
		}
	}
	if err := f.SetRowStyle(dataSheet, 1, 1, bold); err != nil {
		return err
	}
	for i, r := range records {
		for j, v := range cells(i, r, name) {
			ref := cellName(j, i+2)
			switch v := v.(type) {
			case int:
				err = f.SetCellInt(dataSheet, ref, int64(v))
			case string:
				if v == "" {
					continue
				}
				err = f.SetCellStr(dataSheet, ref, v)
			}
			if err != nil {
				return err
			}
		}
	}
	widths := map[string]float64{ColNo: 6, ColKind: 11, ColID: 16, ColName: 28, ColUnit: 12, ColYear: 8, ColRating: 30,
		ColMonths: 10, ColStartDate: 14, ColDaysAbsent: 10, ColMaternity: 12, ColDiscipline: 16, ColInitiative: 45, ColResearch: 45, ColNote: 20}
	for j, c := range Columns {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(dataSheet, col, col, widths[c.Code]); err != nil {
			return err
		}
		if c.Code == ColInitiative || c.Code == ColResearch {
			if err := f.SetColStyle(dataSheet, col, wrap); err != nil {
				return err
			}
		}
	}
	if err := f.SetPanes(dataSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	lists := map[string][]string{
		ColKind:       labelsOf(award.Kinds),
		ColRating:     labelsOf(award.TaskRatings),
		ColDiscipline: labelsOf(award.DisciplineLevels[1:]),
	}
	for j, c := range Columns {
		keys, ok := lists[c.Code]
		if !ok {
			continue
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s:%s", cellName(j, 2), cellName(j, DefaultMaxRows+1))
		if err := dv.SetDropList(keys); err != nil {
			return err
		}
		// A warning, not a stop: the codes and abbreviations (HTTNV …) are accepted too.
		dv.SetError(excelize.DataValidationErrorStyleWarning, c.Label, "Chọn một giá trị trong danh sách")
		if err := f.AddDataValidation(dataSheet, dv); err != nil {
			return err
		}
	}
	if _, err := f.NewSheet(guideSheet); err != nil {
		return err
	}
	guide := [][]string{{"Cột", "Mã trường", "Bắt buộc", "Cách ghi", "Ví dụ"}}
	for _, c := range Columns {
		req := ""
		if c.Required {
			req = "Có"
		}
		guide = append(guide, []string{c.Label, c.Code, req, c.Help, c.Example})
	}
	guide = append(guide, []string{}, []string{"Tệp được nhập toàn bộ hoặc không nhập dòng nào: mọi lỗi được báo theo dòng và cột để sửa rồi nhập lại."})
	for i, row := range guide {
		for j, v := range row {
			if err := f.SetCellStr(guideSheet, cellName(j, i+1), neutralise(v)); err != nil {
				return err
			}
		}
	}
	if err := f.SetRowStyle(guideSheet, 1, 1, bold); err != nil {
		return err
	}
	for col, width := range map[string]float64{"A": 24, "B": 16, "C": 9, "D": 80, "E": 40} {
		if err := f.SetColWidth(guideSheet, col, col, width); err != nil {
			return err
		}
	}
	if err := f.SetColStyle(guideSheet, "D", wrap); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return nil
}

func cellName(col0, row int) string {
	s, _ := excelize.CoordinatesToCellName(col0+1, row)
	return s
}

func labelsOf[T interface{ LabelVI() string }](values []T) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		out = append(out, v.LabelVI())
	}
	return out
}
