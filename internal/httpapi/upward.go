package httpapi

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

// The higher body's answer to a submission, and each person's and unit's award history.

type upwardRequest struct {
	Body       string `json:"body"`        // "Ủy ban nhân dân tỉnh Đồng Tháp"
	NumberText string `json:"number_text"` // "Số 1234/QĐ-UBND"
	Date       string `json:"date"`        // YYYY-MM-DD
	Results    []struct {
		ProposalID string `json:"proposal_id"`
		Awarded    *bool  `json:"awarded"`
		Note       string `json:"note"`
	} `json:"results"`
}

type upwardOut struct {
	DocumentID string `json:"document_id"`
	ProposalID string `json:"proposal_id"`
	Awarded    bool   `json:"awarded"`
	Label      string `json:"label"`
	Body       string `json:"body"`
	NumberText string `json:"number_text"`
	Date       string `json:"date"`
	Note       string `json:"note,omitempty"`
}

func upwardOutOf(u store.UpwardResult) upwardOut {
	label := "Cấp trên không khen thưởng"
	if u.Awarded {
		label = "Đã được cấp trên khen thưởng"
	}
	return upwardOut{DocumentID: u.DocumentID, ProposalID: u.ProposalID, Awarded: u.Awarded, Label: label, Body: u.Body,
		NumberText: u.NumberText, Date: u.DecidedOn.Format(time.DateOnly), Note: u.Note}
}

// recordUpward answers POST /api/v1/register/documents/{id}/results: the văn thư records
// the higher body's answer to a submission (tờ trình) — its decision's number and date,
// and for each proposal the submission named, awarded or not. All or none; a repeat is
// harmless; a different answer for a proposal already answered is refused.
func (s *Server) recordUpward(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	if s.Records == nil {
		return award.Unavailable(0, "Sổ khen thưởng chưa được cấu hình", "the award register is not configured")
	}
	if err := award.CanRecordUpwardResult(a); err != nil {
		return err
	}
	var req upwardRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	body, err := award.CleanLine(award.TextField{VI: "Cơ quan quyết định", EN: "body"}, req.Body)
	if err != nil {
		return err
	}
	number, err := award.CleanLine(award.TextField{VI: "Số, ký hiệu văn bản", EN: "number_text"}, req.NumberText)
	if err != nil {
		return err
	}
	if body == "" || number == "" {
		return award.Invalid("Cần ghi cơ quan quyết định và số, ký hiệu văn bản của cấp trên", "the deciding body and the number of its document are required")
	}
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	date, err := time.ParseInLocation(time.DateOnly, req.Date, org.Location())
	if err != nil {
		return award.Invalid("Ngày văn bản “%s” không hợp lệ (định dạng YYYY-MM-DD)", "invalid date %q (want YYYY-MM-DD)", req.Date)
	}
	if date.After(s.Now()) {
		return award.Invalid("Ngày văn bản không được ở tương lai", "the document's date cannot be in the future")
	}
	if len(req.Results) == 0 {
		return award.Invalid("Cần kết quả cho ít nhất một hồ sơ", "at least one result is required")
	}
	id := r.PathValue("id")
	var rs []store.UpwardResult
	seen := map[string]bool{}
	for _, x := range req.Results {
		if x.Awarded == nil || strings.TrimSpace(x.ProposalID) == "" || seen[x.ProposalID] {
			return award.Invalid("Mỗi kết quả cần mã hồ sơ (mỗi hồ sơ một lần) và awarded true hoặc false", "each result needs a proposal_id (once) and awarded true or false")
		}
		seen[x.ProposalID] = true
		note, err := award.CleanBlock(award.FieldComment, x.Note)
		if err != nil {
			return err
		}
		rs = append(rs, store.UpwardResult{DocumentID: id, ProposalID: x.ProposalID, Awarded: *x.Awarded, Body: body, NumberText: number,
			DecidedOn: date, Note: note, RecordedBy: a.ID})
	}
	switch err := s.Records.RecordUpwardResults(r.Context(), rs); {
	case errors.Is(err, store.ErrNotFound):
		return award.NotFound("Tờ trình “%s” không có trong sổ hoặc không đề nghị hồ sơ đã nêu", "submission %q is not in the register or did not name that proposal", id)
	case errors.Is(err, store.ErrConflict):
		return award.Duplicate("Kết quả đã được ghi khác trước đó, hoặc văn bản không phải tờ trình", "a different result was already recorded, or the document is not a submission")
	case err != nil:
		return err
	}
	s.Log.InfoContext(r.Context(), "upward results recorded", "document", id, "by", a.ID, "results", len(rs))
	out := make([]upwardOut, 0, len(rs))
	for _, u := range rs {
		out = append(out, upwardOutOf(u))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

type historyOut struct {
	awardeeOut
	DocumentKind string     `json:"document_kind"`
	Upward       *upwardOut `json:"upward,omitempty"`
}

// awardHistory answers GET /api/v1/directory/people/{person}/awards and
// /units/{unit}/awards: every award decision that named them (revoked ones marked), and
// every submission upward with the higher body's answer when recorded, by year.
func (s *Server) awardHistory(unit bool) func(http.ResponseWriter, *http.Request, award.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, _ award.Actor) error {
		if s.Records == nil {
			return award.Unavailable(0, "Sổ khen thưởng chưa được cấu hình", "the award register is not configured")
		}
		org, err := s.orgOf(r.Context())
		if err != nil {
			return err
		}
		f := store.AwardeeFilter{IncludeRevoked: true}
		l := labeler{org: org}
		var subject string
		if unit {
			f.UnitID = r.PathValue("unit")
			if _, ok := org.Department(f.UnitID); !ok {
				return award.NotFound("Không có đơn vị “%s”", "no unit %q", f.UnitID)
			}
			subject = l.department(f.UnitID)
		} else {
			f.PersonID = r.PathValue("person")
			if _, ok := org.Anyone(f.PersonID); !ok {
				return award.NotFound("Không có người “%s” trong danh bạ", "no person %q in the directory", f.PersonID)
			}
			subject = l.person(f.PersonID, "")
		}
		var recs []store.AwardeeRecord
		for _, kind := range []string{store.KindDecision, store.KindSubmission} {
			f.DocumentKind = kind
			part, err := s.Records.Awardees(r.Context(), f)
			if err != nil {
				return err
			}
			recs = append(recs, part...)
		}
		if unit { // a unit's own awards, not its members'
			recs = deleteIndividuals(recs)
		}
		out := make([]historyOut, 0, len(recs))
		for _, a := range recs {
			h := historyOut{awardeeOut: awardeeOut{
				ProposalID: a.ProposalID, PersonID: a.PersonID, UnitID: a.UnitID, UnitLabel: l.department(a.UnitID),
				NomineeName: a.NomineeName, Kind: a.Kind, KindLabel: award.NomineeKind(a.Kind).LabelVI(),
				AwardType: a.AwardType, AwardTypeLabel: l.awardType(a.AwardType), Year: a.Year, Amount: a.Amount,
				DocumentID: a.DocumentID, NumberText: a.NumberText, IssuedAt: a.IssuedAt.Format(time.RFC3339), Revoked: a.Revoked,
			}, DocumentKind: a.DocumentKind}
			if a.Upward != nil {
				u := upwardOutOf(*a.Upward)
				h.Upward = &u
			}
			out = append(out, h)
		}
		sortHistory(out)
		writeJSON(w, http.StatusOK, map[string]any{"subject_label": subject, "items": out})
		return nil
	}
}

func deleteIndividuals(recs []store.AwardeeRecord) []store.AwardeeRecord {
	out := recs[:0]
	for _, a := range recs {
		if a.Kind == store.NomineeCollective {
			out = append(out, a)
		}
	}
	return out
}

// sortHistory orders a history by year, then issue time, then document: decisions and
// submissions interleaved as they happened.
func sortHistory(h []historyOut) {
	slices.SortStableFunc(h, func(a, b historyOut) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.IssuedAt, b.IssuedAt), cmp.Compare(a.DocumentID, b.DocumentID))
	})
}
