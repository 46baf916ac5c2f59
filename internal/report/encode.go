package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The tidy table both encoders share: one line per award form, kind and unit.
var tidyHeader = []string{"Năm", "Mã hình thức", "Hình thức khen thưởng", "Đối tượng", "Mã đơn vị", "Đơn vị", "Số lượng", "Số tiền (đồng)"}

func (s Statistics) tidy() [][]string {
	var out [][]string
	for _, r := range s.Rows {
		for _, u := range s.Units {
			c, ok := r.ByUnit[u.ID]
			if !ok {
				continue
			}
			out = append(out, []string{strconv.Itoa(s.Year), r.AwardType, r.AwardTypeLabel, r.KindLabel, u.ID, u.Label,
				strconv.Itoa(c.Count), strconv.FormatInt(c.Amount, 10)})
		}
	}
	return out
}

// WriteCSV writes the tidy table as CSV for spreadsheets: UTF-8 with a byte-order mark
// (so Excel reads the diacritics), CRLF line ends, a header line. A text cell that a
// spreadsheet would run as a formula (=, +, -, @, a tab or CR first) gets a leading
// apostrophe.
func (s Statistics) WriteCSV(w io.Writer) error {
	return writeCSV(w, tidyHeader, s.tidy(), 6)
}

// writeCSV writes header and lines; the first text columns are defused.
func writeCSV(w io.Writer, header []string, lines [][]string, text int) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, line := range lines {
		for i := range line[:text] { // the text columns; the rest are numbers we made
			line[i] = defuse(line[i])
		}
		if err := cw.Write(line); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Sheet names of the workbook.
const (
	SheetSummary = "Tổng hợp"
	SheetByUnit  = "Theo đơn vị"
	// SheetMovements holds the movements' participation (movementHeader).
	SheetMovements = "Phong trào thi đua"
)

// WriteXLSX writes the workbook: "Tổng hợp" (award forms × kinds, with units as columns
// and a total row) and "Theo đơn vị" (the tidy table, for filters and pivot tables).
// Every figure is a number cell; every text is a text cell (never a formula).
func (s Statistics) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	set := func(sheet string, col, row int, v any) {
		if err != nil {
			return
		}
		var name string
		if name, err = excelize.CoordinatesToCellName(col, row); err == nil {
			err = f.SetCellValue(sheet, name, v)
		}
	}
	style := func(sheet string, c1, r1, c2, r2, st int) {
		if err != nil {
			return
		}
		a, _ := excelize.CoordinatesToCellName(c1, r1)
		b, _ := excelize.CoordinatesToCellName(c2, r2)
		err = f.SetCellStyle(sheet, a, b, st)
	}

	// Summary: title, then a header of two rows (unit; count / money).
	sh := SheetSummary
	set(sh, 1, 1, fmt.Sprintf("THỐNG KÊ KHEN THƯỞNG NĂM %d", s.Year))
	set(sh, 1, 2, s.Agency)
	style(sh, 1, 1, 1, 1, bold)
	set(sh, 1, 4, "Hình thức khen thưởng")
	set(sh, 2, 4, "Đối tượng")
	cols := append([]Unit{}, s.Units...)
	cols = append(cols, Unit{ID: "\x00total", Label: "Tổng cộng"})
	for i, u := range cols {
		c := 3 + 2*i
		set(sh, c, 4, u.Label)
		set(sh, c, 5, "Số lượng")
		set(sh, c+1, 5, "Số tiền (đồng)")
	}
	last := 2 + 2*len(cols)
	style(sh, 1, 4, last, 5, bold)
	row := 6
	cellsOf := func(byUnit map[string]Cell, total Cell) []Cell {
		out := make([]Cell, 0, len(cols))
		for _, u := range s.Units {
			out = append(out, byUnit[u.ID])
		}
		return append(out, total)
	}
	writeCells := func(cells []Cell) {
		for i, c := range cells {
			set(sh, 3+2*i, row, c.Count)
			set(sh, 4+2*i, row, c.Amount)
		}
		style(sh, 3, row, last, row, money)
	}
	for _, r := range s.Rows {
		set(sh, 1, row, r.AwardTypeLabel)
		set(sh, 2, row, r.KindLabel)
		writeCells(cellsOf(r.ByUnit, r.Total))
		row++
	}
	set(sh, 1, row, "Tổng cộng")
	writeCells(cellsOf(s.ByUnit, s.Total))
	style(sh, 1, row, 2, row, bold)
	if err == nil {
		err = f.SetColWidth(sh, "A", "A", 34)
	}

	// The tidy table.
	if _, e := f.NewSheet(SheetByUnit); e != nil && err == nil {
		err = e
	}
	for i, h := range tidyHeader {
		set(SheetByUnit, i+1, 1, h)
	}
	style(SheetByUnit, 1, 1, len(tidyHeader), 1, bold)
	for i, line := range s.tidy() {
		for j, v := range line {
			switch j {
			case 0, 6, 7:
				n, _ := strconv.ParseInt(v, 10, 64)
				set(SheetByUnit, j+1, i+2, n)
			default:
				set(SheetByUnit, j+1, i+2, v)
			}
		}
	}

	// The movements' participation.
	if _, e := f.NewSheet(SheetMovements); e != nil && err == nil {
		err = e
	}
	for i, h := range movementHeader {
		set(SheetMovements, i+1, 1, h)
	}
	style(SheetMovements, 1, 1, len(movementHeader), 1, bold)
	for i, line := range s.movementLines() {
		for j, v := range line {
			switch j {
			case 0, 5, 6, 7:
				n, _ := strconv.ParseInt(v, 10, 64)
				set(SheetMovements, j+1, i+2, n)
			default:
				set(SheetMovements, j+1, i+2, v)
			}
		}
		if line[3] == "" && line[4] == MovementTotalLabel {
			style(SheetMovements, 1, i+2, len(movementHeader), i+2, bold)
		}
	}
	if err == nil {
		err = f.SetColWidth(SheetMovements, "C", "C", 48)
	}
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}
