// Package annualdata imports the nominees' annual data (award.AnnualRecord: task rating,
// months of service, days absent, discipline, initiatives and research) from CSV and
// XLSX files, and writes the template to download and fill.
//
// An import is all or nothing: Parse returns every record, or row-level errors in
// Vietnamese and English naming the row and the column ("Dòng 7, cột “Xếp loại”: …"),
// never a part of the file.
package annualdata

import (
	"strings"

	"github.com/awardflow/awardflow/internal/award"
)

// Column is a column of the template: its field code (stable, in the header between
// parentheses), its Vietnamese header and how to fill it.
type Column struct {
	Code     string
	Label    string // the header people read, and the column name in messages
	LabelEN  string
	Required bool
	Help     string // how to write it (the template's "Hướng dẫn" sheet)
	Example  string
}

// Field codes.
const (
	ColNo         = "stt"
	ColKind       = "loai"
	ColID         = "ma"
	ColName       = "ten"
	ColUnit       = "don_vi"
	ColYear       = "nam"
	ColRating     = "xep_loai"
	ColMonths     = "so_thang"
	ColStartDate  = "ngay_bat_dau"
	ColDaysAbsent = "ngay_nghi"
	ColMaternity  = "nghi_thai_san"
	ColDiscipline = "ky_luat"
	ColInitiative = "sang_kien"
	ColResearch   = "de_tai"
	ColNote       = "ghi_chu"
)

// Columns are the template's columns, in order.
var Columns = []Column{
	{Code: ColNo, Label: "STT", LabelEN: "no.", Help: "Số thứ tự (không bắt buộc).", Example: "1"},
	{Code: ColKind, Label: "Đối tượng", LabelEN: "kind", Help: "Cá nhân hoặc Tập thể; để trống là cá nhân.", Example: "Cá nhân"},
	{Code: ColID, Label: "Mã cá nhân/tập thể", LabelEN: "id", Required: true, Help: "Mã của người (tài khoản) hoặc của phòng, đơn vị trong danh bạ.", Example: "hongdao"},
	{Code: ColName, Label: "Họ và tên/Tên tập thể", LabelEN: "name", Help: "Để đối chiếu: phải khớp với tên trong danh bạ nếu ghi.", Example: "Nguyễn Thị Hồng Đào"},
	{Code: ColUnit, Label: "Mã phòng/đơn vị", LabelEN: "unit", Help: "Phòng của cá nhân trong năm (mã phòng).", Example: "tt"},
	{Code: ColYear, Label: "Năm", LabelEN: "year", Required: true, Help: "Năm đánh giá, ví dụ 2025.", Example: "2025"},
	{Code: ColRating, Label: "Xếp loại", LabelEN: "task rating", Required: true,
		Help: "Hoàn thành xuất sắc nhiệm vụ / Hoàn thành tốt nhiệm vụ / Hoàn thành nhiệm vụ / Không hoàn thành nhiệm vụ (hoặc HTXSNV, HTTNV, HTNV, KHTNV).", Example: "Hoàn thành tốt nhiệm vụ"},
	{Code: ColMonths, Label: "Số tháng công tác", LabelEN: "months of service",
		Help: "Số tháng công tác trong năm (0–12). Để trống thì tính theo ngày bắt đầu công tác nếu có; không có cả hai là chưa có dữ liệu.", Example: "12"},
	{Code: ColStartDate, Label: "Ngày bắt đầu công tác", LabelEN: "start date",
		Help: "Ngày/tháng/năm, ví dụ 01/03/2025 hoặc ngày 01 tháng 3 năm 2025; chỉ dùng khi không ghi số tháng.", Example: ""},
	{Code: ColDaysAbsent, Label: "Số ngày nghỉ", LabelEN: "days absent",
		Help: "Số ngày làm việc nghỉ trong năm, kể cả nghỉ thai sản; ghi 0 nếu không nghỉ (để trống là chưa có dữ liệu).", Example: "0"},
	{Code: ColMaternity, Label: "Số ngày nghỉ thai sản", LabelEN: "maternity days",
		Help: "Trong số ngày nghỉ, số ngày nghỉ thai sản (không tính vào giới hạn ngày nghỉ); để trống là 0.", Example: ""},
	{Code: ColDiscipline, Label: "Kỷ luật", LabelEN: "discipline",
		Help: "Hình thức kỷ luật trong năm: Khiển trách, Cảnh cáo, Hạ bậc lương, Giáng chức, Cách chức, Buộc thôi việc; để trống hoặc “Không” nếu không bị kỷ luật.", Example: ""},
	{Code: ColInitiative, Label: "Sáng kiến", LabelEN: "initiatives",
		Help: "Sáng kiến được công nhận, mỗi sáng kiến một dòng trong ô (hoặc ngăn bằng “;”), dạng: tên | minh chứng.", Example: "Số hoá hồ sơ thi đua | QĐ số 12/QĐ-BTGTU ngày 05/12/2025"},
	{Code: ColResearch, Label: "Đề tài nghiên cứu", LabelEN: "research",
		Help: "Đề tài nghiên cứu được nghiệm thu, cùng cách ghi như sáng kiến: tên | minh chứng.", Example: ""},
	{Code: ColNote, Label: "Ghi chú", LabelEN: "note", Help: "Không được nhập vào hệ thống.", Example: ""},
}

// Header is a column's header cell: "Xếp loại (xep_loai)".
func (c Column) Header() string { return c.Label + " (" + c.Code + ")" }

func columnByCode(code string) (Column, bool) {
	for _, c := range Columns {
		if c.Code == code {
			return c, true
		}
	}
	return Column{}, false
}

// matchHeader finds the column a header cell names: by the code in parentheses at its
// end, by the code alone, or by the label (any case, with or without diacritics).
func matchHeader(cell string) (Column, bool) {
	s := strings.TrimSpace(cell)
	if i := strings.LastIndex(s, "("); i >= 0 && strings.HasSuffix(s, ")") {
		if c, ok := columnByCode(strings.ToLower(strings.TrimSpace(s[i+1 : len(s)-1]))); ok {
			return c, true
		}
	}
	f := award.FoldName(s)
	for _, c := range Columns {
		if f == c.Code || f == award.FoldName(c.Label) {
			return c, true
		}
	}
	return Column{}, false
}
