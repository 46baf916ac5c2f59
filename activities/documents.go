package activities

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/store"
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
	a, err := a.withOrg(ctx)
	if err != nil {
		return award.DocumentRef{}, err
	}
	signed, numberText, err := a.SignedDecision(ctx, req)
	if err != nil {
		return award.DocumentRef{}, err
	}
	key := decisionKey(req.Year, req.ID)
	sum, err := a.Store.PutBytes(ctx, key, signed, "application/pdf")
	if err != nil {
		return award.DocumentRef{}, err
	}
	head := a.cur().HeadSigner()
	if err := a.record(ctx, store.Document{ID: req.ID, SessionID: req.SessionID, Kind: store.KindDecision, AwardType: req.AwardType,
		RegisterSeries: series(a.cur().Agency.Code, workflows.DocDecision), RegisterPeriod: strconv.Itoa(req.Year),
		Number: req.Number, NumberText: numberText, IssuedAt: req.Date, SignerID: head.ID, SignerName: head.Name,
		Key: key, SHA256: sum, Size: int64(len(signed)), Awardees: a.awardees(req.Awardees, req.Date)}); err != nil {
		return award.DocumentRef{}, err
	}
	a.Log.InfoContext(ctx, "decision issued", "id", req.ID, "number", numberText, "awardees", len(req.Awardees), "sha256", sum)
	return award.DocumentRef{ID: req.ID, Key: key, SHA256: sum, Size: int64(len(signed)), NumberText: numberText, IssuedAt: req.Date}, nil
}

// SignedDecision renders and signs a decision without storing it.
func (a *Activities) SignedDecision(ctx context.Context, req workflows.DecisionRequest) ([]byte, string, error) {
	a, err := a.withOrg(ctx)
	if err != nil {
		return nil, "", err
	}
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
	image := a.signatureImage(a.cur().Agency.Decision.Signer, name)
	signed, err := a.signAs(ctx, pdf, a.Signer, image, "Signature1", page, rect, name, title, at)
	if err != nil {
		return nil, err
	}
	var ap *pdfsign.Appearance
	if page > 0 {
		ap = signerAppearance(page, rect, image, name, title, a.local(at))
	}
	return a.seal(ctx, signed, ap, at)
}

// signAs adds one person's signature, drawn in blue over rect.
func (a *Activities) signAs(ctx context.Context, pdf []byte, s pdfsign.Signer, image []byte, field string, page int, rect [4]float64, name, title string, at time.Time) ([]byte, error) {
	local := a.local(at)
	opts := pdfsign.Options{
		Name: name, Reason: "Ký số văn bản", Location: a.cur().Agency.Place, Time: local,
		Font: templates.SignatureFont(), FieldName: field,
	}
	if page > 0 {
		opts.Appearance = signerAppearance(page, rect, image, name, title, local)
	}
	return pdfsign.Sign(ctx, pdf, s, opts)
}

// signerAppearance is a person's visible signature: the image of their handwritten
// signature in blue and, beside it, name, title and signing time (ISO 8601 with the
// agency's offset), without a frame (NĐ 30/2020 Phụ lục I).
func signerAppearance(page int, rect [4]float64, image []byte, name, title string, local time.Time) *pdfsign.Appearance {
	return &pdfsign.Appearance{
		Page: page, Rect: rect, Color: [3]float64{0, 0, 0.8}, Image: image,
		Lines: []string{"Ký bởi: " + name, title, "Thời gian ký: " + local.Format("2006-01-02T15:04:05-07:00")},
	}
}

// sealDiameter is the drawn seal's diameter in points: 36 mm, a common size of an
// agency's round seal; a real agency's scanned seal is drawn at this size too.
const sealDiameter = 36 * 72 / 25.4

// seal adds the agency seal's signature when one is configured. It signs last, as the
// văn thư does after numbering: its red appearance covers about the left third of the
// signer's signature image (pdfsign.SealRect), and it leaves the earlier signatures
// valid (an incremental update after them). signer is the signer's appearance, nil for
// an invisible seal.
func (a *Activities) seal(ctx context.Context, pdf []byte, signer *pdfsign.Appearance, at time.Time) ([]byte, error) {
	if a.Seal == nil && a.Keys == nil {
		return pdf, nil // older setups without a seal
	}
	key, err := a.agencySigner(ctx)
	if err != nil {
		return nil, err
	}
	seal := pdfsign.Options{
		Name: a.cur().Agency.FullName, Reason: "Đóng dấu cơ quan", Location: a.cur().Agency.Place, Time: a.local(at),
		Font: templates.SignatureFont(), FieldName: "AgencySeal",
	}
	if signer != nil {
		rect, err := pdfsign.SealRect(*signer, sealDiameter)
		if err != nil {
			return nil, fmt.Errorf("place the seal: %w", err)
		}
		seal.Appearance = &pdfsign.Appearance{Page: signer.Page, Rect: rect, Image: a.SealImage, Color: [3]float64{0.8, 0, 0}}
	}
	return pdfsign.Sign(ctx, pdf, key, seal)
}

// signatureImage is the handwritten signature image of a person: their own from
// SignatureImages, else — for the head only — the single configured image of older
// setups, else none (never someone else's).
func (a *Activities) signatureImage(personID, name string) []byte {
	if a.SignatureImages != nil {
		if b := a.SignatureImages(personID, name); len(b) > 0 {
			return b
		}
	}
	if personID == a.cur().HeadSigner().ID {
		return a.SignatureImage
	}
	return nil
}

// IssueMinutes renders the minutes of the meeting and ballot count, signs and stores them.
func (a *Activities) IssueMinutes(ctx context.Context, req workflows.MinutesRequest) (award.DocumentRef, error) {
	a, err := a.withOrg(ctx)
	if err != nil {
		return award.DocumentRef{}, err
	}
	r, m, err := a.renderMinutes(req)
	if err != nil {
		if cerr := a.checkMinutes(req); cerr != nil {
			return award.DocumentRef{}, cerr
		}
		return award.DocumentRef{}, asContentError("minutes", req.Session.ID+".minutes", fmt.Errorf("render minutes of %s: %w", req.Session.ID, err))
	}
	signed, err := a.signMinutes(ctx, r, m, req.Session, req.Date)
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
	chair := chairOf(req.Session)
	if err := a.record(ctx, store.Document{ID: id, SessionID: req.Session.ID, Kind: store.KindMinutes,
		RegisterSeries: series(a.cur().Agency.Code, workflows.DocMinutes), RegisterPeriod: periodOr(req.Period, a.local(req.Date)),
		Number: req.Number, NumberText: m.NumberText, IssuedAt: req.Date, SignerID: chair.ID, SignerName: chair.Name,
		Key: key, SHA256: sum, Size: int64(len(signed))}); err != nil {
		return award.DocumentRef{}, err
	}
	return award.DocumentRef{ID: id, Key: key, SHA256: sum, Size: int64(len(signed)), NumberText: m.NumberText, IssuedAt: req.Date}, nil
}

// signMinutes signs the minutes in the chair's slot with the agency signer's key, in the
// secretary's slot with the secretary's own key when one is configured, then seals them.
func (a *Activities) signMinutes(ctx context.Context, r templates.Rendered, m templates.Minutes, s award.Session, at time.Time) ([]byte, error) {
	pdf := r.PDF
	chairID, secretaryID := "", ""
	for _, mem := range s.Members {
		switch mem.Role {
		case award.RoleChair:
			chairID = mem.ID
		case award.RoleSecretary:
			secretaryID = mem.ID
		}
	}
	if secretaryID == "" { // a secretary who also votes is a member of the session
		for _, mem := range s.Members {
			if p, ok := a.cur().Person(mem.ID); ok && hasRole(p, award.RoleSecretary) {
				secretaryID = mem.ID
				break
			}
		}
	}
	var chair *pdfsign.Appearance
	for _, slot := range r.Signatures {
		var who, name, title, field string
		switch slot.Role {
		case "chair":
			who, name, title, field = chairID, m.Chair, "Chủ tịch Hội đồng", "ChairSignature"
		case "secretary":
			who, name, title, field = secretaryID, m.Secretary, "Thư ký Hội đồng", "SecretarySignature"
		default:
			continue
		}
		key, err := a.personSigner(ctx, who)
		if err != nil {
			return nil, a.keyFailure("minutes", s.ID+".minutes", err)
		}
		image := a.signatureImage(who, name)
		if slot.Role == "chair" {
			chair = signerAppearance(slot.Page, slot.Rect, image, name, title, a.local(at))
		}
		if pdf, err = a.signAs(ctx, pdf, key, image, field, slot.Page, slot.Rect, name, title, at); err != nil {
			return nil, err
		}
	}
	return a.seal(ctx, pdf, chair, at)
}

// IssueSubmission renders the tờ trình that proposes one award type's passed nominees
// upward, with the council's vote on each, signs it and stores it.
func (a *Activities) IssueSubmission(ctx context.Context, req workflows.SubmissionRequest) (award.DocumentRef, error) {
	a, err := a.withOrg(ctx)
	if err != nil {
		return award.DocumentRef{}, err
	}
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
	head := a.cur().HeadSigner()
	if err := a.record(ctx, store.Document{ID: req.ID, SessionID: req.SessionID, Kind: store.KindSubmission, AwardType: req.AwardType,
		RegisterSeries: series(a.cur().Agency.Code, workflows.DocSubmission), RegisterPeriod: strconv.Itoa(req.Year),
		Number: req.Number, NumberText: sub.NumberText, IssuedAt: req.Date, SignerID: head.ID, SignerName: head.Name,
		Key: key, SHA256: sum, Size: int64(len(signed)), Awardees: a.awardees(req.Items, req.Date)}); err != nil {
		return award.DocumentRef{}, err
	}
	return award.DocumentRef{ID: req.ID, Key: key, SHA256: sum, Size: int64(len(signed)), NumberText: sub.NumberText, IssuedAt: req.Date}, nil
}
