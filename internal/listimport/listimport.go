// Package listimport reads a department's list of nominees (danh sách đề nghị) from a
// spreadsheet — XLSX or CSV, with the conventions of the annual-data import (encodings,
// separators, a header that names its columns, Vietnamese labels with or without
// diacritics) — and writes its template. Each row names a person of the directory (by
// id or name) or the unit, an award form and the achievements; checking them against
// the directory and the rules is the caller's (the same checks as a list sent as JSON).
package listimport

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/awardflow/awardflow/internal/annualdata"
	"github.com/awardflow/awardflow/internal/award"
)

// Entry is one row of a list.
type Entry struct {
	Row             int // as the spreadsheet numbers it
	Kind            award.NomineeKind
	NomineeID       string
	NomineeName     string
	NomineePosition string
	AwardType       string // "" = the list's
	Achievements    string
}

type column struct {
	code, label string
	aliases     []string // other headers people write
}

// Columns of the template, in order.
var columns = []column{
	{"stt", "STT", []string{"Số thứ tự"}},
	{"loai", "Đối tượng", []string{"Loại"}},
	{"ma", "Mã cá nhân/tập thể", []string{"Mã", "Mã cá nhân", "Mã tập thể"}},
	{"ten", "Họ và tên/Tên tập thể", []string{"Họ và tên", "Họ tên", "Tên tập thể", "Tên"}},
	{"chuc_vu", "Chức vụ", nil},
	{"hinh_thuc", "Mã hình thức khen thưởng", []string{"Hình thức", "Hình thức khen thưởng"}},
	{"thanh_tich", "Thành tích", []string{"Thành tích tóm tắt"}},
}

// MaxRows caps a list.
const MaxRows = 500

// Parse reads a list: every row, or an *annualdata.ImportError naming each problem by
// row and column. A row needs an id or a name; the kind is "Cá nhân" (default) or "Tập
// thể".
func Parse(r io.Reader) ([]Entry, error) {
	rows, err := annualdata.ReadRows(r, annualdata.Options{MaxRows: MaxRows})
	if err != nil {
		return nil, err
	}
	header, at := -1, map[string]int{}
	for i, row := range rows {
		if i >= 10 {
			break
		}
		found := map[string]int{}
		for j, cell := range row {
			if code, ok := match(cell); ok {
				found[code] = j
			}
		}
		if _, ok := found["ma"]; ok {
			header, at = i, found
			break
		}
		if _, ok := found["ten"]; ok {
			header, at = i, found
			break
		}
	}
	var errs []annualdata.RowError
	if header < 0 {
		return nil, &annualdata.ImportError{Rows: []annualdata.RowError{{Row: 1,
			VI: "Không tìm thấy dòng tiêu đề của mẫu (cần cột “Mã cá nhân/tập thể” hoặc “Họ và tên”)",
			EN: "no template header row found (an id or a name column at least)"}}}
	}
	cell := func(row []string, code string) string {
		if j, ok := at[code]; ok && j < len(row) {
			return strings.TrimSpace(row[j])
		}
		return ""
	}
	var out []Entry
	for i := header + 1; i < len(rows); i++ {
		row, n := rows[i], i+1
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		e := Entry{Row: n, Kind: award.KindIndividual, NomineeID: cell(row, "ma"), NomineeName: cell(row, "ten"),
			NomineePosition: cell(row, "chuc_vu"), AwardType: cell(row, "hinh_thuc"), Achievements: cell(row, "thanh_tich")}
		if k := cell(row, "loai"); k != "" {
			kind, ok := award.ParseNomineeKind(k)
			if !ok {
				errs = append(errs, annualdata.RowError{Row: n, Column: "loai", ColumnLabel: "Đối tượng",
					VI: fmt.Sprintf("“%s” không phải Cá nhân hay Tập thể", k), EN: fmt.Sprintf("%q is neither individual nor collective", k)})
				continue
			}
			e.Kind = kind
		}
		if e.NomineeID == "" && e.NomineeName == "" {
			errs = append(errs, annualdata.RowError{Row: n, Column: "ma", ColumnLabel: "Mã cá nhân/tập thể",
				VI: "Cần mã hoặc họ tên người được đề nghị", EN: "an id or a name is required"})
			continue
		}
		out = append(out, e)
	}
	if len(errs) > 0 {
		return nil, &annualdata.ImportError{Rows: errs}
	}
	if len(out) == 0 {
		return nil, &annualdata.ImportError{Rows: []annualdata.RowError{{Row: header + 2, VI: "Danh sách chưa có ai", EN: "the list names nobody"}}}
	}
	return out, nil
}

// match finds the column a header cell names: "Họ và tên (ten)", the code, or the label
// with or without diacritics.
func match(cell string) (string, bool) {
	f := award.FoldName(cell)
	for _, c := range columns {
		if strings.Contains(f, "("+c.code+")") || f == c.code || f == award.FoldName(c.label) {
			return c.code, true
		}
		for _, a := range c.aliases {
			if f == award.FoldName(a) {
				return c.code, true
			}
		}
	}
	return "", false
}

func header() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.label + " (" + c.code + ")"
	}
	return out
}

var example = []string{"1", "Cá nhân", "hongdao", "Nguyễn Thị Hồng Đào", "Chuyên viên", "LDTT", "Hoàn thành tốt nhiệm vụ năm 2025"}

// WriteTemplate writes the empty template (with one example row) as "xlsx" or "csv".
func WriteTemplate(w io.Writer, format string) error {
	if format == "csv" {
		var b bytes.Buffer
		b.WriteString("\ufeff")
		cw := csv.NewWriter(&b)
		cw.UseCRLF = true
		_ = cw.Write(header())
		_ = cw.Write(example)
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("list template: %w", err)
		}
		_, err := w.Write(b.Bytes())
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Dữ liệu"); err != nil {
		return fmt.Errorf("list template: %w", err)
	}
	for i, v := range header() {
		cellName, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr("Dữ liệu", cellName, v); err != nil {
			return fmt.Errorf("list template: %w", err)
		}
	}
	for i, v := range example {
		cellName, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellStr("Dữ liệu", cellName, v); err != nil {
			return fmt.Errorf("list template: %w", err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("list template: %w", err)
	}
	return nil
}
