package award

import (
	"strings"
	"time"
	"unicode/utf8"
)

// A nominee's annual data (dữ liệu bình xét hằng năm): what the eligibility rules read.
// It is imported per year from a spreadsheet (internal/annualdata) or entered by the
// admin. A missing value is "unknown", never a silent zero: the rules then answer
// "chưa đủ dữ liệu" instead of guessing.

// TaskRating is the year's rating of task completion (xếp loại mức độ hoàn thành
// nhiệm vụ). The codes are stable (stored, imported, in the API).
type TaskRating string

const (
	RatingExcellent    TaskRating = "excellent"     // Hoàn thành xuất sắc nhiệm vụ
	RatingGood         TaskRating = "good"          // Hoàn thành tốt nhiệm vụ
	RatingCompleted    TaskRating = "completed"     // Hoàn thành nhiệm vụ
	RatingNotCompleted TaskRating = "not_completed" // Không hoàn thành nhiệm vụ
)

// TaskRatings lists the ratings, best first.
var TaskRatings = []TaskRating{RatingExcellent, RatingGood, RatingCompleted, RatingNotCompleted}

// Valid reports whether r is a known rating ("" is unknown, not valid).
func (r TaskRating) Valid() bool { return r.rank() > 0 }

// rank orders the ratings: higher is better; 0 for unknown.
func (r TaskRating) rank() int {
	switch r {
	case RatingExcellent:
		return 4
	case RatingGood:
		return 3
	case RatingCompleted:
		return 2
	case RatingNotCompleted:
		return 1
	}
	return 0
}

// AtLeast reports whether r is min or better (false when either is unknown).
func (r TaskRating) AtLeast(min TaskRating) bool {
	return r.Valid() && min.Valid() && r.rank() >= min.rank()
}

// LabelVI is the rating as written on an evaluation form.
func (r TaskRating) LabelVI() string {
	switch r {
	case RatingExcellent:
		return "Hoàn thành xuất sắc nhiệm vụ"
	case RatingGood:
		return "Hoàn thành tốt nhiệm vụ"
	case RatingCompleted:
		return "Hoàn thành nhiệm vụ"
	case RatingNotCompleted:
		return "Không hoàn thành nhiệm vụ"
	}
	return string(r)
}

// LabelEN is the rating in English.
func (r TaskRating) LabelEN() string {
	switch r {
	case RatingExcellent:
		return "excellent completion of tasks"
	case RatingGood:
		return "good completion of tasks"
	case RatingCompleted:
		return "tasks completed"
	case RatingNotCompleted:
		return "tasks not completed"
	}
	return string(r)
}

// ratingAliases are the other ways a rating is written: the abbreviations of
// evaluation forms (HTXSNV …) and the short words ("xuất sắc", "tốt").
var ratingAliases = map[string]TaskRating{
	"htxsnv": RatingExcellent, "xuat sac": RatingExcellent, "hoan thanh xuat sac": RatingExcellent,
	"httnv": RatingGood, "tot": RatingGood, "hoan thanh tot": RatingGood,
	"htnv": RatingCompleted, "hoan thanh": RatingCompleted,
	"khtnv": RatingNotCompleted, "khong hoan thanh": RatingNotCompleted,
}

// ParseTaskRating reads a rating as people write it: the code, the full label or its
// abbreviation, with or without diacritics, in any case, composed or decomposed.
func ParseTaskRating(s string) (TaskRating, bool) {
	f := FoldName(s)
	for _, r := range TaskRatings {
		if f == string(r) || f == FoldName(r.LabelVI()) {
			return r, true
		}
	}
	r, ok := ratingAliases[strings.TrimSuffix(strings.TrimSuffix(f, " nhiem vu"), " nv")]
	return r, ok
}

// DisciplineLevel is the heaviest disciplinary measure of the year (hình thức kỷ
// luật), ordered from none to the heaviest as listed for cán bộ, công chức (Luật Cán
// bộ, công chức 2008, Điều 79, amended 2019); viên chức have a subset in the same order.
type DisciplineLevel string

const (
	DisciplineNone             DisciplineLevel = "none"               // Không bị kỷ luật
	DisciplineReprimand        DisciplineLevel = "reprimand"          // Khiển trách
	DisciplineWarning          DisciplineLevel = "warning"            // Cảnh cáo
	DisciplineSalaryDowngrade  DisciplineLevel = "salary_downgrade"   // Hạ bậc lương
	DisciplineDemotion         DisciplineLevel = "demotion"           // Giáng chức
	DisciplineDismissal        DisciplineLevel = "dismissal"          // Cách chức
	DisciplineForcedResignment DisciplineLevel = "forced_resignation" // Buộc thôi việc
)

// DisciplineLevels lists the levels, lightest first.
var DisciplineLevels = []DisciplineLevel{DisciplineNone, DisciplineReprimand, DisciplineWarning,
	DisciplineSalaryDowngrade, DisciplineDemotion, DisciplineDismissal, DisciplineForcedResignment}

// rank orders the levels: 1 for none, higher is heavier; 0 for unknown.
func (d DisciplineLevel) rank() int {
	for i, l := range DisciplineLevels {
		if l == d {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether d is a known level ("" is unknown, not valid).
func (d DisciplineLevel) Valid() bool { return d.rank() > 0 }

// AtLeast reports whether d is at level min or heavier (false when either is unknown).
func (d DisciplineLevel) AtLeast(min DisciplineLevel) bool {
	return d.Valid() && min.Valid() && d.rank() >= min.rank()
}

// LabelVI is the measure as a decision names it.
func (d DisciplineLevel) LabelVI() string {
	switch d {
	case DisciplineNone:
		return "Không bị kỷ luật"
	case DisciplineReprimand:
		return "Khiển trách"
	case DisciplineWarning:
		return "Cảnh cáo"
	case DisciplineSalaryDowngrade:
		return "Hạ bậc lương"
	case DisciplineDemotion:
		return "Giáng chức"
	case DisciplineDismissal:
		return "Cách chức"
	case DisciplineForcedResignment:
		return "Buộc thôi việc"
	}
	return string(d)
}

// LabelEN is the measure in English.
func (d DisciplineLevel) LabelEN() string {
	switch d {
	case DisciplineNone:
		return "no discipline"
	case DisciplineReprimand:
		return "reprimand"
	case DisciplineWarning:
		return "warning"
	case DisciplineSalaryDowngrade:
		return "salary downgrade"
	case DisciplineDemotion:
		return "demotion"
	case DisciplineDismissal:
		return "dismissal"
	case DisciplineForcedResignment:
		return "forced resignation"
	}
	return string(d)
}

var disciplineAliases = map[string]DisciplineLevel{
	"khong": DisciplineNone, "khong co": DisciplineNone, "khong ky luat": DisciplineNone,
}

// ParseDisciplineLevel reads a level as people write it: the code or the label, with or
// without diacritics, in any case, composed or decomposed ("Không" for none).
func ParseDisciplineLevel(s string) (DisciplineLevel, bool) {
	f := FoldName(s)
	for _, d := range DisciplineLevels {
		if f == string(d) || f == FoldName(d.LabelVI()) || f == FoldName("Kỷ luật "+d.LabelVI()) {
			return d, true
		}
	}
	d, ok := disciplineAliases[f]
	return d, ok
}

// ParseNomineeKind reads "Cá nhân"/"Tập thể" or the codes.
func ParseNomineeKind(s string) (NomineeKind, bool) {
	f := FoldName(s)
	for _, k := range Kinds {
		if f == string(k) || f == FoldName(k.LabelVI()) {
			return k, true
		}
	}
	return "", false
}

// Recognition is a recognised initiative (sáng kiến được công nhận) or an accepted
// research project (đề tài nghiên cứu được nghiệm thu): a short title and a reference
// to its evidence (the recognising decision, "QĐ số 12/QĐ-BTGTU ngày 05/12/2025").
type Recognition struct {
	Title    string `json:"title"`
	Evidence string `json:"evidence"`
}

// AnnualRecord is one nominee's data for one year: a person's (Kind individual, ID a
// person id) or a unit's own (Kind collective, ID a unit id; a unit's members are
// judged from their own records). Nil numbers and empty enums are unknown.
type AnnualRecord struct {
	Year int         `json:"year"`
	Kind NomineeKind `json:"kind"`
	ID   string      `json:"id"`
	// Unit is the person's unit (department id) in that year; empty for units.
	Unit   string     `json:"unit,omitempty"`
	Rating TaskRating `json:"rating,omitempty"`
	// MonthsOfService is the months worked in the year (0–12).
	MonthsOfService *int `json:"months_of_service,omitempty"`
	// DaysAbsent is the working days absent in the year, maternity leave included;
	// MaternityDays is how many of them were maternity leave (nghỉ thai sản), which the
	// absence rule excepts.
	DaysAbsent    *int            `json:"days_absent,omitempty"`
	MaternityDays int             `json:"maternity_days,omitempty"`
	Discipline    DisciplineLevel `json:"discipline,omitempty"`
	Initiatives   []Recognition   `json:"initiatives,omitempty"`
	Research      []Recognition   `json:"research,omitempty"`
}

// Limits of an annual record's fields.
const (
	MaxWorkingDaysInYear = 366
	maxRecognitions      = 50
	maxRecordIDLen       = 100
)

// Field labels of annual data, for messages.
var (
	FieldRecognitionTitle    = TextField{"Tên sáng kiến/đề tài", "title"}
	FieldRecognitionEvidence = TextField{"Minh chứng", "evidence"}
	FieldRecordID            = TextField{"Mã cá nhân/tập thể", "id"}
	FieldRecordUnit          = TextField{"Mã phòng/đơn vị", "unit"}
)

// Validate checks the record's shape: a known kind and id, a plausible year, numbers
// within the year, maternity days within the days absent, known enums when given, and
// every initiative or research project with a title and an evidence reference.
func (r AnnualRecord) Validate() error {
	if r.Kind != KindIndividual && r.Kind != KindCollective {
		return Invalid("Đối tượng phải là cá nhân hoặc tập thể", "kind must be individual or collective")
	}
	if strings.TrimSpace(r.ID) == "" || utf8.RuneCountInString(r.ID) > maxRecordIDLen {
		return Invalid("Thiếu mã cá nhân/tập thể (hoặc dài quá %d ký tự)", "id is missing or longer than %d characters", maxRecordIDLen)
	}
	if r.Year < 1945 || r.Year > 9999 {
		return Invalid("Năm %d không hợp lệ", "year %d is not valid", r.Year)
	}
	if r.Rating != "" && !r.Rating.Valid() {
		return Invalid("Xếp loại “%s” không hợp lệ", "unknown task rating %q", string(r.Rating))
	}
	if r.Discipline != "" && !r.Discipline.Valid() {
		return Invalid("Hình thức kỷ luật “%s” không hợp lệ", "unknown discipline level %q", string(r.Discipline))
	}
	if m := r.MonthsOfService; m != nil && (*m < 0 || *m > 12) {
		return Invalid("Số tháng công tác %d phải từ 0 đến 12", "months of service %d must be between 0 and 12", *m)
	}
	if d := r.DaysAbsent; d != nil && (*d < 0 || *d > MaxWorkingDaysInYear) {
		return Invalid("Số ngày nghỉ %[1]d phải từ 0 đến %[2]d", "days absent %[1]d must be between 0 and %[2]d", *d, MaxWorkingDaysInYear)
	}
	if r.MaternityDays < 0 {
		return Invalid("Số ngày nghỉ thai sản %d không được âm", "maternity days %d must not be negative", r.MaternityDays)
	}
	if r.MaternityDays > 0 && (r.DaysAbsent == nil || r.MaternityDays > *r.DaysAbsent) {
		return Invalid("Số ngày nghỉ thai sản (%d) phải nằm trong số ngày nghỉ", "maternity days (%d) must be part of the days absent", r.MaternityDays)
	}
	if len(r.Initiatives)+len(r.Research) > maxRecognitions {
		return Invalid("Quá nhiều sáng kiến, đề tài (tối đa %d)", "too many initiatives and research projects (at most %d)", maxRecognitions)
	}
	for _, rc := range append(append([]Recognition(nil), r.Initiatives...), r.Research...) {
		if strings.TrimSpace(rc.Title) == "" || strings.TrimSpace(rc.Evidence) == "" {
			return Invalid("Mỗi sáng kiến, đề tài cần tên và minh chứng", "every initiative and research project needs a title and an evidence reference")
		}
		// "|" separates the title from the evidence in the import files (annualdata).
		if strings.Contains(rc.Title+rc.Evidence, "|") {
			return Invalid("Tên và minh chứng của sáng kiến, đề tài không được chứa ký tự “|”", "initiative and research titles and evidence must not contain “|”")
		}
	}
	return nil
}

// Clean normalises the record's text (CleanLine: ids and titles may reach a page or a
// decision's annex) and checks its shape.
func (r AnnualRecord) Clean() (AnnualRecord, error) {
	var err error
	if r.ID, err = CleanLine(FieldRecordID, r.ID); err != nil {
		return r, err
	}
	if r.Unit, err = CleanLine(FieldRecordUnit, r.Unit); err != nil {
		return r, err
	}
	clean := func(list []Recognition) ([]Recognition, error) {
		out := make([]Recognition, 0, len(list))
		for _, rc := range list {
			if rc.Title, err = CleanLine(FieldRecognitionTitle, rc.Title); err != nil {
				return nil, err
			}
			if rc.Evidence, err = CleanLine(FieldRecognitionEvidence, rc.Evidence); err != nil {
				return nil, err
			}
			out = append(out, rc)
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	}
	if r.Initiatives, err = clean(r.Initiatives); err != nil {
		return r, err
	}
	if r.Research, err = clean(r.Research); err != nil {
		return r, err
	}
	return r, r.Validate()
}

// MonthsOfServiceFrom counts the whole calendar months of a year worked by someone who
// started on start: 12 when they started before the year, none when after it, and from
// the start month on otherwise, the start month counting only when started on its
// first day [practice: whole months; an agency that counts otherwise enters the months].
func MonthsOfServiceFrom(start time.Time, year int) int {
	switch {
	case start.Year() < year:
		return 12
	case start.Year() > year:
		return 0
	}
	m := 12 - int(start.Month()) + 1
	if start.Day() > 1 {
		m--
	}
	return m
}
