package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/awardflow/awardflow/internal/annualdata"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/obs"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

// The annual data API: the admin downloads the template (filled with a year's data),
// imports a filled one (all rows or none, every problem named by row and column) or
// enters one record; the council, the văn thư and admins read everyone's, a head their
// unit's, anyone else their own. The eligibility rules read it (eligibility.go).

type annualOut struct {
	store.AnnualRecordRow
	Name            string `json:"name"`
	UnitLabel       string `json:"unit_label,omitempty"`
	KindLabel       string `json:"kind_label"`
	RatingLabel     string `json:"rating_label,omitempty"`
	DisciplineLabel string `json:"discipline_label,omitempty"`
}

func (s *Server) annualStore() (*store.Store, error) {
	if s.Records == nil {
		return nil, award.Unavailable(0, "Dữ liệu bình xét cần cơ sở dữ liệu hồ sơ (AWARDFLOW_DB)", "the annual data needs the records store (AWARDFLOW_DB)")
	}
	return s.Records, nil
}

func yearParam(r *http.Request, required bool) (int, error) {
	v := r.URL.Query().Get("year")
	if v == "" && !required {
		return 0, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1945 || y > 9999 {
		return 0, award.Invalid("Năm “%s” không hợp lệ", "invalid year %q", v)
	}
	return y, nil
}

// nameOf names a person or unit of the directory, deactivated and closed ones too.
func nameOf(org *orgconfig.Org) annualdata.NameFunc {
	return func(kind award.NomineeKind, id string) string {
		if kind == award.KindCollective {
			if d, ok := org.Department(id); ok {
				return d.Name
			}
			return ""
		}
		if p, ok := org.Anyone(id); ok {
			return p.Name
		}
		return ""
	}
}

// listAnnual answers GET /api/v1/annual-records?year=2025&unit=&kind=.
func (s *Server) listAnnual(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.annualStore()
	if err != nil {
		return err
	}
	year, err := yearParam(r, true)
	if err != nil {
		return err
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.AnnualFilter{Year: year, UnitID: q.Get("unit"), Kind: award.NomineeKind(q.Get("kind"))}
	if f.Kind != "" && f.Kind != award.KindIndividual && f.Kind != award.KindCollective {
		return award.Invalid("Đối tượng phải là individual hoặc collective", "kind must be individual or collective")
	}
	scope := award.AnnualDataScope(a)
	switch {
	case scope.All:
	case scope.Department != "":
		if f.UnitID != "" && f.UnitID != scope.Department {
			return award.Forbidden("Chỉ xem được dữ liệu của phòng mình", "you may only see your own unit's data")
		}
		f.UnitID = scope.Department
	default:
		f.Kind, f.ID, f.UnitID = award.KindIndividual, a.ID, ""
	}
	rows, err := st.AnnualRecords(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]annualOut, 0, len(rows))
	for _, row := range rows {
		out = append(out, annualOutOf(org, row))
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "items": out})
	return nil
}

// annualFile answers GET /api/v1/annual-records/file?format=xlsx|csv&year=2025: the
// import template, filled with the year's data when a year is given (admins).
func (s *Server) annualFile(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.annualStore()
	if err != nil {
		return err
	}
	if err := award.CanEditAnnualData(a); err != nil {
		return err
	}
	format, ct, err := spreadsheetFormat(r)
	if err != nil {
		return err
	}
	year, err := yearParam(r, false)
	if err != nil {
		return err
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	var recs []award.AnnualRecord
	if year > 0 {
		rows, err := st.AnnualRecords(r.Context(), store.AnnualFilter{Year: year})
		if err != nil {
			return err
		}
		for _, row := range rows {
			recs = append(recs, row.AnnualRecord)
		}
	}
	var b bytes.Buffer
	if format == "xlsx" {
		err = annualdata.WriteXLSX(&b, recs, nameOf(org))
	} else {
		err = annualdata.WriteCSV(&b, recs, nameOf(org))
	}
	if err != nil {
		return err
	}
	name := "mau-du-lieu-binh-xet." + format
	if year > 0 {
		name = fmt.Sprintf("du-lieu-binh-xet-%d.%s", year, format)
	}
	writeAttachment(w, ct, name, b.Bytes())
	return nil
}

// The spreadsheet formats a file download offers.
const (
	ctXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ctCSV  = "text/csv; charset=utf-8"
)

// spreadsheetFormat reads ?format=xlsx|csv (default xlsx) and its content type.
func spreadsheetFormat(r *http.Request) (format, contentType string, err error) {
	switch f := r.URL.Query().Get("format"); f {
	case "", "xlsx":
		return "xlsx", ctXLSX, nil
	case "csv":
		return "csv", ctCSV, nil
	default:
		return "", "", award.Invalid("Định dạng “%s” không hỗ trợ (xlsx hoặc csv)", "unsupported format %q (xlsx or csv)", f)
	}
}

// writeAttachment answers a file to download: not cached, not sniffed.
func writeAttachment(w http.ResponseWriter, contentType, name string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", contentDisposition(name))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// importAnnual answers POST /api/v1/annual-records/import?year=2025: the body is the
// filled template (XLSX or CSV). Every row is checked against the directory and the
// year; one bad row and nothing is imported (422 with every problem by row and column).
func (s *Server) importAnnual(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.annualStore()
	if err != nil {
		return err
	}
	if err := award.CanEditAnnualData(a); err != nil {
		return err
	}
	year, err := yearParam(r, true)
	if err != nil {
		return err
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, annualdata.DefaultMaxBytes+1))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return award.TooLarge("Tệp quá lớn (tối đa %d MB)", "the file is larger than %d MB", annualdata.DefaultMaxBytes>>20)
	case err != nil:
		return award.Malformed("Không đọc được tệp gửi lên", "cannot read the uploaded file")
	}
	name := nameOf(org)
	recs, err := annualdata.Parse(bytes.NewReader(body), annualdata.Options{
		Year:        year,
		KnownPeople: func(id string) bool { _, ok := org.Anyone(id); return ok },
		KnownUnits:  func(id string) bool { _, ok := org.Department(id); return ok },
		NameOf: func(kind award.NomineeKind, id string) (string, bool) {
			n := name(kind, id)
			return n, n != ""
		},
	})
	var ie *annualdata.ImportError
	if errors.As(err, &ie) {
		s.Log.InfoContext(r.Context(), "annual data refused", "by", a.ID, "year", year, "errors", len(ie.Rows)+ie.More)
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": ie.Award(), "rows": ie.Rows, "more": ie.More, "request_id": obs.RequestID(r.Context())})
		return nil
	}
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return award.Invalid("Tệp không có dòng dữ liệu nào", "the file has no data rows")
	}
	sum := sha256.Sum256(body)
	res, err := st.PutAnnualRecords(r.Context(), recs, a.ID, "import "+hex.EncodeToString(sum[:]))
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "annual data imported", "by", a.ID, "year", year, "records", len(recs),
		"inserted", res.Inserted, "updated", res.Updated, "unchanged", res.Unchanged)
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "records": len(recs), "inserted": res.Inserted, "updated": res.Updated, "unchanged": res.Unchanged})
	return nil
}

// putAnnual answers PUT /api/v1/annual-records/{year}/{kind}/{id}: the admin enters or
// corrects one record.
func (s *Server) putAnnual(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.annualStore()
	if err != nil {
		return err
	}
	if err := award.CanEditAnnualData(a); err != nil {
		return err
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	var rec award.AnnualRecord
	if err := decode(w, r, &rec); err != nil {
		return err
	}
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return award.Invalid("Năm “%s” không hợp lệ", "invalid year %q", r.PathValue("year"))
	}
	rec.Year, rec.Kind, rec.ID = y, award.NomineeKind(r.PathValue("kind")), r.PathValue("id")
	switch rec.Kind {
	case award.KindIndividual:
		p, ok := org.Anyone(rec.ID)
		if !ok {
			return award.NotFound("Không có người “%s” trong danh bạ", "no person %q in the directory", rec.ID)
		}
		if rec.Unit == "" {
			rec.Unit = p.Department
		}
	case award.KindCollective:
		if _, ok := org.Department(rec.ID); !ok {
			return award.NotFound("Không có đơn vị “%s” trong danh bạ", "no unit %q in the directory", rec.ID)
		}
		rec.Unit = ""
	default:
		return award.NotFound("Đối tượng “%s” không tồn tại (individual hoặc collective)", "no kind %q (individual or collective)", string(rec.Kind))
	}
	if rec.Unit != "" {
		if _, ok := org.Department(rec.Unit); !ok {
			return award.Invalid("Không có đơn vị “%s”", "no unit %q", rec.Unit)
		}
	}
	if _, err := st.PutAnnualRecords(r.Context(), []award.AnnualRecord{rec}, a.ID, "admin"); err != nil {
		return err
	}
	rows, err := st.AnnualRecords(r.Context(), store.AnnualFilter{Year: rec.Year, Kind: rec.Kind, ID: rec.ID})
	if err != nil || len(rows) != 1 {
		return fmt.Errorf("read back annual record %s: %w", rec.ID, err)
	}
	writeJSON(w, http.StatusOK, annualOutOf(org, rows[0]))
	return nil
}

// annualOutOf labels an annual record: the name, unit, kind, rating and discipline in words.
func annualOutOf(org *orgconfig.Org, row store.AnnualRecordRow) annualOut {
	o := annualOut{AnnualRecordRow: row, Name: nameOf(org)(row.Kind, row.ID), KindLabel: row.Kind.LabelVI()}
	if row.Unit != "" {
		o.UnitLabel = labeler{org: org}.department(row.Unit)
	}
	if row.Rating != "" {
		o.RatingLabel = row.Rating.LabelVI()
	}
	if row.Discipline != "" {
		o.DisciplineLabel = row.Discipline.LabelVI()
	}
	return o
}
