package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/templates"
	"github.com/awardflow/awardflow/workflows"
)

// Object keys of issued documents.
func decisionKey(year int, id string) string { return fmt.Sprintf("decisions/%d/%s.pdf", year, id) }
func minutesKey(year int, id string) string  { return fmt.Sprintf("minutes/%d/%s.pdf", year, id) }

// IssueDecision renders the award decision of one award type, signs it and stores it.
// Rendering and the signing time depend only on the request, so a retry rewrites the
// same document under the same key.
func (a *Activities) IssueDecision(ctx context.Context, req workflows.DecisionRequest) (award.DocumentRef, error) {
	signed, numberText, err := a.SignedDecision(ctx, req)
	if err != nil {
		return award.DocumentRef{}, err
	}
	key := decisionKey(req.Year, req.ID)
	sum, err := a.Store.PutBytes(ctx, key, signed, "application/pdf")
	if err != nil {
		return award.DocumentRef{}, err
	}
	a.Log.InfoContext(ctx, "decision issued", "id", req.ID, "number", numberText, "awardees", len(req.Awardees), "sha256", sum)
	return award.DocumentRef{ID: req.ID, Key: key, SHA256: sum, Size: int64(len(signed)), NumberText: numberText, IssuedAt: req.Date}, nil
}

// SignedDecision renders and signs a decision without storing it.
func (a *Activities) SignedDecision(ctx context.Context, req workflows.DecisionRequest) ([]byte, string, error) {
	r, d, err := a.renderDecision(req)
	if err != nil {
		if cerr := a.checkDecision(req); cerr != nil {
			return nil, "", cerr // names the proposal at fault
		}
		return nil, "", asContentError("decision", req.ID, fmt.Errorf("render decision %s: %w", req.ID, err))
	}
	signed, err := a.sign(ctx, r.PDF, r.SignaturePage, r.SignatureRect, d.Signer.Name, d.Signer.Title, req.Date)
	if err != nil {
		return nil, "", fmt.Errorf("sign decision %s: %w", req.ID, err)
	}
	return signed, d.NumberText, nil
}

// sign applies the agency's signature with a visible appearance over the signer's slot,
// then the agency seal.
func (a *Activities) sign(ctx context.Context, pdf []byte, page int, rect [4]float64, name, title string, at time.Time) ([]byte, error) {
	signed, err := a.signAs(ctx, pdf, a.Signer, a.SignatureImage, "Signature1", page, rect, name, title, at)
	if err != nil {
		return nil, err
	}
	return a.seal(ctx, signed, page, rect, at)
}

// signAs adds one person's signature, drawn in blue over rect.
func (a *Activities) signAs(ctx context.Context, pdf []byte, s pdfsign.Signer, image []byte, field string, page int, rect [4]float64, name, title string, at time.Time) ([]byte, error) {
	local := a.local(at)
	opts := pdfsign.Options{
		Name: name, Reason: "Ký số văn bản", Location: a.Org.Agency.Place, Time: local,
		Font: templates.SignatureFont(), FieldName: field,
	}
	if page > 0 {
		opts.Appearance = &pdfsign.Appearance{
			Page: page, Rect: rect, Color: [3]float64{0, 0, 0.8}, Image: image,
			Lines: []string{
				"Ký bởi: " + name,
				title,
				a.Org.Agency.FullName,
				"Thời gian ký: " + local.Format("2006-01-02T15:04:05-07:00"),
			},
		}
	}
	return pdfsign.Sign(ctx, pdf, s, opts)
}

// seal adds the agency seal's signature when one is configured. It signs last, as the
// văn thư does after numbering: its red appearance overlaps the left third of the
// signer's, and it leaves the earlier signatures valid (an incremental update after them).
func (a *Activities) seal(ctx context.Context, pdf []byte, page int, rect [4]float64, at time.Time) ([]byte, error) {
	if a.Seal == nil {
		return pdf, nil
	}
	seal := pdfsign.Options{
		Name: a.Org.Agency.FullName, Reason: "Đóng dấu cơ quan", Location: a.Org.Agency.Place, Time: a.local(at),
		Font: templates.SignatureFont(), FieldName: "AgencySeal",
	}
	if page > 0 {
		h := rect[3] - rect[1]
		side := h * 1.1
		sealRect := [4]float64{rect[0] - side*0.45, rect[1] - h*0.05, rect[0] - side*0.45 + side, rect[1] - h*0.05 + side}
		if sealRect[0] < 0 {
			sealRect[0], sealRect[2] = 0, side
		}
		seal.Appearance = &pdfsign.Appearance{Page: page, Rect: sealRect, Image: a.SealImage, Color: [3]float64{0.8, 0, 0}}
	}
	return pdfsign.Sign(ctx, pdf, *a.Seal, seal)
}

// IssueMinutes renders the minutes of the meeting and ballot count, signs and stores them.
func (a *Activities) IssueMinutes(ctx context.Context, req workflows.MinutesRequest) (award.DocumentRef, error) {
	r, m, err := a.renderMinutes(req)
	if err != nil {
		if cerr := a.checkMinutes(req); cerr != nil {
			return award.DocumentRef{}, cerr
		}
		return award.DocumentRef{}, asContentError("minutes", req.Session.ID+".minutes", fmt.Errorf("render minutes of %s: %w", req.Session.ID, err))
	}
	signed, err := a.signMinutes(ctx, r, m, req.Date)
	if err != nil {
		return award.DocumentRef{}, fmt.Errorf("sign minutes of %s: %w", req.Session.ID, err)
	}
	year := a.local(req.Date).Year()
	id := req.Session.ID + ".minutes"
	key := minutesKey(year, id)
	sum, err := a.Store.PutBytes(ctx, key, signed, "application/pdf")
	if err != nil {
		return award.DocumentRef{}, err
	}
	return award.DocumentRef{ID: id, Key: key, SHA256: sum, Size: int64(len(signed)), NumberText: m.NumberText, IssuedAt: req.Date}, nil
}

// signMinutes signs the minutes in the chair's slot with the agency signer's key, in the
// secretary's slot with the secretary's own key when one is configured, then seals them.
func (a *Activities) signMinutes(ctx context.Context, r templates.Rendered, m templates.Minutes, at time.Time) ([]byte, error) {
	pdf := r.PDF
	var chairRect [4]float64
	chairPage := 0
	for _, slot := range r.Signatures {
		var err error
		switch {
		case slot.Role == "chair":
			chairRect, chairPage = slot.Rect, slot.Page
			pdf, err = a.signAs(ctx, pdf, a.Signer, a.SignatureImage, "ChairSignature", slot.Page, slot.Rect, m.Chair, "Chủ tịch Hội đồng", at)
		case slot.Role == "secretary" && a.Secretary != nil:
			pdf, err = a.signAs(ctx, pdf, *a.Secretary, nil, "SecretarySignature", slot.Page, slot.Rect, m.Secretary, "Thư ký Hội đồng", at)
		}
		if err != nil {
			return nil, err
		}
	}
	return a.seal(ctx, pdf, chairPage, chairRect, at)
}

// IssueSubmission renders the tờ trình that proposes one award type's passed nominees
// upward, with the council's vote on each, signs it and stores it.
func (a *Activities) IssueSubmission(ctx context.Context, req workflows.SubmissionRequest) (award.DocumentRef, error) {
	r, sub, err := a.renderSubmission(req)
	if err != nil {
		if cerr := a.checkSubmission(req); cerr != nil {
			return award.DocumentRef{}, cerr
		}
		return award.DocumentRef{}, asContentError("submission", req.ID, fmt.Errorf("render submission %s: %w", req.ID, err))
	}
	signed, err := a.sign(ctx, r.PDF, r.SignaturePage, r.SignatureRect, sub.Signer.Name, sub.Signer.Title, req.Date)
	if err != nil {
		return award.DocumentRef{}, fmt.Errorf("sign submission %s: %w", req.ID, err)
	}
	key := fmt.Sprintf("submissions/%d/%s.pdf", req.Year, req.ID)
	sum, err := a.Store.PutBytes(ctx, key, signed, "application/pdf")
	if err != nil {
		return award.DocumentRef{}, err
	}
	return award.DocumentRef{ID: req.ID, Key: key, SHA256: sum, Size: int64(len(signed)), NumberText: sub.NumberText, IssuedAt: req.Date}, nil
}
