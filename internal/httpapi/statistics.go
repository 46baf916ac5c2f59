package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/report"
)

// statisticsFor reads ?year= (default: this year on the agency's clock) and builds the
// year's statistics from the award register.
func (s *Server) statisticsFor(r *http.Request, a award.Actor) (report.Statistics, error) {
	if err := award.CanSeeStatistics(a); err != nil {
		return report.Statistics{}, err
	}
	if s.Records == nil {
		return report.Statistics{}, award.Unavailable(0, "Sổ khen thưởng chưa được cấu hình", "the award register is not configured")
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return report.Statistics{}, err
	}
	year := s.Now().In(org.Location()).Year()
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1945 || y > 9999 {
			return report.Statistics{}, award.Invalid("Năm “%s” không hợp lệ", "invalid year %q", v)
		}
		year = y
	}
	stats, err := s.Records.AwardStatistics(r.Context(), year)
	if err != nil {
		return report.Statistics{}, err
	}
	part, err := s.Records.MovementParticipation(r.Context(), year)
	if err != nil {
		return report.Statistics{}, err
	}
	return report.Build(year, stats, part, org), nil
}

// statistics answers GET /api/v1/statistics?year=2025: per award form, kind and unit,
// the number of awardees and the money, from the decisions in force.
func (s *Server) statistics(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.statisticsFor(r, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// statisticsExport answers GET /api/v1/statistics/export?year=2025&format=xlsx|csv
// &table=awards|movements (the CSV's table; the workbook holds both).
func (s *Server) statisticsExport(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	format, ct, err := spreadsheetFormat(r)
	if err != nil {
		return err
	}
	table := r.URL.Query().Get("table")
	switch table {
	case "", "awards", "movements":
	default:
		return award.Invalid("Bảng “%s” không có (awards hoặc movements)", "no table %q (awards or movements)", table)
	}
	st, err := s.statisticsFor(r, a)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	name := fmt.Sprintf("thong-ke-khen-thuong-%d.%s", st.Year, format)
	switch {
	case format == "xlsx":
		err = st.WriteXLSX(&b)
	case table == "movements":
		err = st.WriteMovementsCSV(&b)
		name = fmt.Sprintf("thong-ke-phong-trao-%d.csv", st.Year)
	default:
		err = st.WriteCSV(&b)
	}
	if err != nil {
		return err
	}
	writeAttachment(w, ct, name, b.Bytes())
	return nil
}
