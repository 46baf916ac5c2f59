package activities

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/templates"
	"github.com/awardflow/awardflow/workflows"
)

// The decision lifecycle's documents (workflows/lifecycle.go): the unsigned draft (dự
// thảo), the file the signer signs (no number, no date), and the issued file (number and
// date added by the văn thư as an incremental update, then the agency's seal signature
// over the whole).

func draftKey(year int, id string, rev int) string {
	return fmt.Sprintf("drafts/%d/%s.r%d.pdf", year, id, rev)
}
func signedKey(year int, id string, rev int) string {
	return fmt.Sprintf("signed/%d/%s.r%d.pdf", year, id, rev)
}
func submissionKey(year int, id string) string { return fmt.Sprintf("submissions/%d/%s.pdf", year, id) }

// renderMode says which file of the lifecycle is rendered.
type renderMode int

const (
	modeDraft  renderMode = iota // dự thảo: marked, placeholders for number and date
	modeToSign                   // what the signer signs: number and date left for the văn thư
)

// pendingRendered is a rendered pending document with what the next steps need.
type pendingRendered struct {
	r      templates.Rendered
	signer templates.Signer
}

// docType is the register's document type of a pending document.
func docType(k award.DocKind) string {
	if k == award.DocKindSubmission {
		return workflows.DocSubmission
	}
	return workflows.DocDecision
}

// renderPending renders a pending document. A render error is a content error naming
// the proposals at fault, as for the documents issued at close.
func (a *Activities) renderPending(req workflows.DocumentRequest, mode renderMode) (pendingRendered, error) {
	doc := req.Document
	ag := a.cur().Agency
	numberText := ""
	if mode == modeDraft {
		numberText = award.NumberPlaceholder(ag.Profile, docType(doc.Kind), ag.Code)
	}
	opts := templates.RenderOptions{CreationDate: req.ContentDate, Draft: mode == modeDraft, LeaveNumberAndDate: mode == modeToSign}
	signer := doc.Signer
	switch doc.Kind {
	case award.DocKindSubmission:
		sreq := workflows.SubmissionRequest{ID: doc.ID, SessionID: req.SessionID, AwardType: doc.AwardType, Year: req.Year,
			Items: req.Items, Counts: req.Counts, Members: req.Members, Votes: req.Votes, Signer: &signer, ContentDate: req.ContentDate}
		sub, err := SubmissionDocument(a.cur(), sreq)
		if err != nil {
			return pendingRendered{}, err
		}
		sub.NumberText = numberText
		r, err := templates.RenderSubmission(sub, opts)
		if err != nil {
			if cerr := a.checkSubmission(sreq); cerr != nil {
				return pendingRendered{}, cerr
			}
			return pendingRendered{}, asContentError("submission", doc.ID, fmt.Errorf("render submission %s: %w", doc.ID, err))
		}
		return pendingRendered{r: r, signer: sub.Signer}, nil
	default:
		dreq := workflows.DecisionRequest{ID: doc.ID, SessionID: req.SessionID, AwardType: doc.AwardType, Year: req.Year,
			Awardees: req.Items, Signer: &signer, ContentDate: req.ContentDate}
		d, err := DecisionDocument(a.cur(), dreq)
		if err != nil {
			return pendingRendered{}, err
		}
		d.NumberText = numberText
		r, err := templates.RenderDecision(d, opts)
		if err != nil {
			if cerr := a.checkDecision(dreq); cerr != nil {
				return pendingRendered{}, cerr
			}
			return pendingRendered{}, asContentError("decision", doc.ID, fmt.Errorf("render decision %s: %w", doc.ID, err))
		}
		return pendingRendered{r: r, signer: d.Signer}, nil
	}
}

// DraftDocument renders and stores the unsigned dự thảo of one revision.
func (a *Activities) DraftDocument(ctx context.Context, req workflows.DocumentRequest) (award.DocumentRef, error) {
	a, err := a.withOrg(ctx)
	if err != nil {
		return award.DocumentRef{}, err
	}
	p, err := a.renderPending(req, modeDraft)
	if err != nil {
		return award.DocumentRef{}, err
	}
	key := draftKey(req.Year, req.Document.ID, req.Document.Revision)
	sum, err := a.Store.PutBytes(ctx, key, p.r.PDF, "application/pdf")
	if err != nil {
		return award.DocumentRef{}, fmt.Errorf("store draft %s: %w", req.Document.ID, err)
	}
	return award.DocumentRef{ID: req.Document.ID, Key: key, SHA256: sum, Size: int64(len(p.r.PDF))}, nil
}

// SignDocument renders the document as its signer signs it — without number and date,
// which the văn thư adds at issue — and signs it with the signer's own certificate.
func (a *Activities) SignDocument(ctx context.Context, req workflows.DocumentRequest) (workflows.SignedDocument, error) {
	a, err := a.withOrg(ctx)
	if err != nil {
		return workflows.SignedDocument{}, err
	}
	p, err := a.renderPending(req, modeToSign)
	if err != nil {
		return workflows.SignedDocument{}, err
	}
	doc := req.Document
	return a.signAndStore(ctx, string(doc.Kind), doc.ID, p.r, doc.Signer, req.ContentDate, signedKey(req.Year, doc.ID, doc.Revision))
}

// signAndStore signs a rendered document with its signer's own certificate and stores
// the signed file under key, with what the văn thư needs to issue it (the slots of the
// number and date, the signer's place for the seal).
func (a *Activities) signAndStore(ctx context.Context, kind, id string, r templates.Rendered, signer award.SignerRef, at time.Time, key string) (workflows.SignedDocument, error) {
	cert, image, err := a.signingKey(ctx, signer.ID, signer.Name)
	if err != nil {
		return workflows.SignedDocument{}, a.keyFailure(kind, id, err)
	}
	signed, err := a.signAs(ctx, r.PDF, cert, image, "SignerSignature", r.SignaturePage, r.SignatureRect, signer.Name, signerTitle(signer), at)
	if err != nil {
		return workflows.SignedDocument{}, fmt.Errorf("sign %s: %w", id, err)
	}
	sum, err := a.Store.PutBytes(ctx, key, signed, "application/pdf")
	if err != nil {
		return workflows.SignedDocument{}, fmt.Errorf("store signed %s: %w", id, err)
	}
	slots, err := json.Marshal(r.TextSlots)
	if err != nil {
		return workflows.SignedDocument{}, fmt.Errorf("slots of %s: %w", id, err)
	}
	return workflows.SignedDocument{
		Ref:           award.DocumentRef{ID: id, Key: key, SHA256: sum, Size: int64(len(signed))},
		SignaturePage: r.SignaturePage, SignatureRect: r.SignatureRect, Slots: slots,
	}, nil
}

// ErrSignedAltered is the type of the error IssueDocument returns when the stored signed
// file is not the one the signer signed.
const ErrSignedAltered = "SignedFileAltered"

// IssueDocument adds the number and date to the signed file as an incremental update
// (the signer's signature stays valid), seals it with the agency's signature over the
// whole file, and stores it as the issued document.
func (a *Activities) IssueDocument(ctx context.Context, req workflows.DocumentRequest) (award.DocumentRef, error) {
	a, err := a.withOrg(ctx)
	if err != nil {
		return award.DocumentRef{}, err
	}
	doc := req.Document
	sealed, numberText, err := a.numberAndSeal(ctx, issueInput{kind: string(doc.Kind), id: doc.ID, docType: docType(doc.Kind),
		signed: req.Signed, signer: doc.Signer, signedAt: doc.SignedAt, number: req.Number, date: req.Date})
	if err != nil {
		return award.DocumentRef{}, err
	}
	local := a.local(req.Date)
	key := decisionKey(local.Year(), doc.ID)
	if doc.Kind == award.DocKindSubmission {
		key = submissionKey(local.Year(), doc.ID)
	}
	// The register first: it refuses a conflicting issue (the same document under another
	// number) before anything is overwritten. A retry after a failed upload records the
	// same row again (a no-op) and uploads the same bytes: rendering and signing are
	// deterministic.
	h := sha256.Sum256(sealed)
	out := hex.EncodeToString(h[:])
	ref := award.DocumentRef{ID: doc.ID, Key: key, SHA256: out, Size: int64(len(sealed)), NumberText: numberText, IssuedAt: req.Date}
	if err := a.recordPending(ctx, req, ref); err != nil {
		return award.DocumentRef{}, err
	}
	stored, err := a.Store.PutBytes(ctx, key, sealed, "application/pdf")
	if err != nil {
		return award.DocumentRef{}, fmt.Errorf("store issued %s: %w", doc.ID, err)
	}
	if stored != out {
		return award.DocumentRef{}, fmt.Errorf("store issued %s: stored SHA-256 %s, computed %s", doc.ID, stored, out)
	}
	a.Log.InfoContext(ctx, "document issued", "id", doc.ID, "number", numberText, "awardees", len(req.Items), "sha256", out)
	return ref, nil
}

// issueInput is what numberAndSeal needs of a signed document.
type issueInput struct {
	kind, id, docType string // for errors, and the register's document type
	signed            *workflows.SignedDocument
	signer            award.SignerRef
	signedAt          time.Time
	number            int
	date              time.Time
}

// numberAndSeal issues a signed file: it reads the signer's file and checks it is the one
// signed, adds the number and date as an incremental update (the signer's signature
// stays valid) and seals the whole with the agency's signature. It answers the issued
// bytes and the number as printed.
func (a *Activities) numberAndSeal(ctx context.Context, in issueInput) ([]byte, string, error) {
	if in.signed == nil || in.number < 1 || in.date.IsZero() {
		return nil, "", temporal.NewNonRetryableApplicationError("issue "+in.id+": signed file, number and date are required", "BadRequest", nil)
	}
	signed, err := a.Store.ReadAll(ctx, in.signed.Ref.Key)
	if err != nil {
		return nil, "", fmt.Errorf("read signed %s: %w", in.id, err)
	}
	if sum := sha256.Sum256(signed); hex.EncodeToString(sum[:]) != in.signed.Ref.SHA256 {
		return nil, "", temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("the signed file of %s changed after signing (%s)", in.id, in.signed.Ref.Key), ErrSignedAltered, nil)
	}
	ag := a.cur().Agency
	numberText := award.FormatNumber(ag.Profile, in.number, in.docType, ag.Code)
	numbered, err := a.addNumberAndDate(ctx, signed, in.signed, numberText, a.local(in.date))
	if err != nil {
		return nil, "", fmt.Errorf("number %s: %w", in.id, err)
	}
	var look *pdfsign.Appearance
	if in.signed.SignaturePage > 0 {
		look = signerAppearance(in.signed.SignaturePage, in.signed.SignatureRect,
			a.signatureImage(in.signer.ID, in.signer.Name), in.signer.Name, signerTitle(in.signer), a.local(in.signedAt))
	}
	if _, err := a.agencySigner(ctx); err != nil {
		// The văn thư's seal is what issues the document: never issue without it.
		return nil, "", a.keyFailure(in.kind, in.id, err)
	}
	sealed, err := a.seal(ctx, numbered, look, in.date)
	if err != nil {
		return nil, "", fmt.Errorf("seal %s: %w", in.id, err)
	}
	if !bytes.HasPrefix(sealed, signed) {
		// An incremental update only appends: anything else would break the signer's signature.
		return nil, "", fmt.Errorf("issue %s: the issued file does not extend the signed one", in.id)
	}
	return sealed, numberText, nil
}

// signerTitle is the title shown beside a signature: "K/T TRƯỞNG BAN, PHÓ TRƯỞNG BAN"
// for a deputy, the title alone for the head.
func signerTitle(s award.SignerRef) string {
	if s.Prefix != "" {
		return s.Prefix + " " + s.Body + ", " + s.Title
	}
	return s.Title
}

// signingKey is the key and signature image a person signs with: their own certificate
// (personSigner: Keys, else the deprecated single-signer fields) and their own image
// (SignatureImages). The single configured SignatureImage is the head's: nobody else's
// signature is drawn with it.
func (a *Activities) signingKey(ctx context.Context, personID, name string) (pdfsign.Signer, []byte, error) {
	s, err := a.personSigner(ctx, personID)
	if err != nil {
		return pdfsign.Signer{}, nil, err
	}
	return s, a.signatureImage(personID, name), nil
}

// addNumberAndDate writes the number and the place/date line into the slots the
// signed file left for them (the header, and the annex's "Kèm theo Quyết định số …
// ngày …"), as an incremental update that leaves the signer's signature valid.
func (a *Activities) addNumberAndDate(ctx context.Context, pdf []byte, signed *workflows.SignedDocument, numberText string, date time.Time) ([]byte, error) {
	var slots []templates.TextSlot
	if err := json.Unmarshal(signed.Slots, &slots); err != nil {
		return nil, fmt.Errorf("slots: %w", err)
	}
	ov, err := templates.IssueOverlays(slots, a.cur().Agency.Place, numberText, date)
	if err != nil {
		return nil, err
	}
	return pdfsign.AddText(ctx, pdf, ov)
}

// councilSubmissionID names the council's tờ trình of a session.
func councilSubmissionID(sessionID string) string { return sessionID + ".council-ttr" }

func (a *Activities) renderCouncilSubmission(req workflows.CouncilSubmissionRequest) (templates.Rendered, templates.Submission, error) {
	sub, err := CouncilSubmissionDocument(a.cur(), req.Session, req.Number, req.Date)
	if err != nil {
		return templates.Rendered{}, sub, err
	}
	r, err := templates.RenderSubmission(sub, templates.RenderOptions{CreationDate: req.Date})
	if err != nil {
		return r, sub, fmt.Errorf("render the council's tờ trình: %w", err)
	}
	return r, sub, nil
}

// IssueCouncilSubmission renders the council's own tờ trình to the head (the nominees it
// passed, with their votes), signs it for the council in the chair's slot with the
// chair's own certificate, seals and stores it. A session where nobody passed has none:
// the answer is then an empty reference.
func (a *Activities) IssueCouncilSubmission(ctx context.Context, req workflows.CouncilSubmissionRequest) (award.DocumentRef, error) {
	a, err := a.withOrg(ctx)
	if err != nil {
		return award.DocumentRef{}, err
	}
	r, sub, err := a.renderCouncilSubmission(req)
	if errors.Is(err, ErrNothingToPropose) {
		return award.DocumentRef{}, nil
	}
	if err != nil {
		if cerr := a.checkCouncilSubmission(req); cerr != nil {
			return award.DocumentRef{}, cerr
		}
		return award.DocumentRef{}, asContentError("council_submission", councilSubmissionID(req.Session.ID), err)
	}
	chairID := ""
	for _, m := range req.Session.Members {
		if m.Role == award.RoleChair {
			chairID = m.ID
		}
	}
	key, image, err := a.signingKey(ctx, chairID, sub.Signer.Name)
	if err != nil {
		return award.DocumentRef{}, a.keyFailure("council_submission", councilSubmissionID(req.Session.ID), err)
	}
	pdf := r.PDF
	var chair *pdfsign.Appearance
	for _, slot := range r.Signatures {
		if slot.Role != "chair" {
			continue
		}
		chair = signerAppearance(slot.Page, slot.Rect, image, sub.Signer.Name, "Chủ tịch Hội đồng", a.local(req.Date))
		if pdf, err = a.signAs(ctx, pdf, key, image, "ChairSignature", slot.Page, slot.Rect, sub.Signer.Name, "Chủ tịch Hội đồng", req.Date); err != nil {
			return award.DocumentRef{}, fmt.Errorf("sign the council's tờ trình: %w", err)
		}
	}
	if pdf, err = a.seal(ctx, pdf, chair, req.Date); err != nil {
		return award.DocumentRef{}, fmt.Errorf("seal the council's tờ trình: %w", err)
	}
	id := councilSubmissionID(req.Session.ID)
	k := submissionKey(a.local(req.Date).Year(), id)
	sum, err := a.Store.PutBytes(ctx, k, pdf, "application/pdf")
	if err != nil {
		return award.DocumentRef{}, fmt.Errorf("store the council's tờ trình: %w", err)
	}
	ref := award.DocumentRef{ID: id, Key: k, SHA256: sum, Size: int64(len(pdf)), NumberText: sub.NumberText, IssuedAt: req.Date}
	head := chairOf(req.Session)
	code := req.Series
	if code == "" {
		code = a.cur().Agency.CouncilCode
	}
	if err := a.record(ctx, store.Document{ID: id, SessionID: req.Session.ID, Kind: store.KindCouncilSubmission,
		RegisterSeries: series(code, workflows.DocSubmission), RegisterPeriod: periodOr(req.Period, a.local(req.Date)),
		Number: req.Number, NumberText: sub.NumberText, IssuedAt: req.Date, SignerID: head.ID, SignerName: head.Name,
		Key: k, SHA256: sum, Size: ref.Size}); err != nil {
		return award.DocumentRef{}, err
	}
	return ref, nil
}
