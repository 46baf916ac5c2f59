package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// The award register (sổ khen thưởng) read from the records store: who received which
// award in which year, by which decision. Decisions are public within the agency, so
// anyone signed in may list their awardees; the register outlives the workflows.

// awardeeOut is one awardee as the API lists it.
type awardeeOut struct {
	ProposalID     string `json:"proposal_id"`
	CaseNumber     string `json:"case_number,omitempty"` // the proposal's (HS-2026-0042)
	PersonID       string `json:"person_id,omitempty"`
	UnitID         string `json:"unit_id,omitempty"`
	UnitLabel      string `json:"unit_label"`
	NomineeName    string `json:"nominee_name"`
	Kind           string `json:"kind"`
	KindLabel      string `json:"kind_label"`
	AwardType      string `json:"award_type"`
	AwardTypeLabel string `json:"award_type_label"`
	Year           int    `json:"year"`
	Amount         int64  `json:"amount"`
	DocumentID     string `json:"document_id"`
	NumberText     string `json:"number_text"`
	IssuedAt       string `json:"issued_at"`
	Revoked        bool   `json:"revoked"`
}

// listAwardees answers GET /api/v1/awardees?year=&award_type=&q=.
func (s *Server) listAwardees(w http.ResponseWriter, r *http.Request, _ award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	if s.Records == nil {
		return award.Unavailable(0, "Sổ khen thưởng chưa được cấu hình", "the award register is not configured")
	}
	q := r.URL.Query()
	f := store.AwardeeFilter{AwardType: strings.TrimSpace(q.Get("award_type")), IncludeRevoked: q.Get("include_revoked") == "true"}
	if y := strings.TrimSpace(q.Get("year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 9999 {
			return award.Invalid("Năm “%s” không hợp lệ", "invalid year %q", y)
		}
		f.Year = n
	}
	if f.AwardType != "" {
		if _, ok := org.AwardType(f.AwardType); !ok {
			return award.Invalid("Hình thức khen thưởng “%s” không tồn tại", "unknown award type %q", f.AwardType)
		}
	}
	text, err := award.CleanLine(award.FieldNomineeName, q.Get("q"))
	if err != nil {
		return err
	}
	f.Text = text
	recs, err := s.Records.Awardees(r.Context(), f)
	if err != nil {
		return err
	}
	l := s.labels(r.Context())
	ids := make([]string, 0, len(recs))
	for _, a := range recs {
		ids = append(ids, a.ProposalID)
	}
	numbers := s.caseNumbers(r.Context(), ids...)
	out := make([]awardeeOut, 0, len(recs))
	for _, a := range recs {
		out = append(out, awardeeOut{
			ProposalID: a.ProposalID, CaseNumber: numbers[a.ProposalID], PersonID: a.PersonID, UnitID: a.UnitID, UnitLabel: l.department(a.UnitID),
			NomineeName: a.NomineeName, Kind: a.Kind, KindLabel: award.NomineeKind(a.Kind).LabelVI(),
			AwardType: a.AwardType, AwardTypeLabel: l.awardType(a.AwardType), Year: a.Year, Amount: a.Amount,
			DocumentID: a.DocumentID, NumberText: a.NumberText, IssuedAt: a.IssuedAt.Format(time.RFC3339), Revoked: a.Revoked,
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}
