package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/templates"
	"github.com/awardflow/awardflow/workflows"
)

// The revocation decision (workflows/revocation.go): drafted, signed and issued like an
// award decision, numbered in the same decision register. Its text says which awards of
// which decision are revoked, on which legal ground, and what is recovered.

// OpenRevocation enters the case in the records store. A refusal (another revocation of
// the decision on its way, an award revoked already) is not retried.
func (a *Activities) OpenRevocation(ctx context.Context, req workflows.RevocationCaseRequest) error {
	if a.Records == nil {
		return temporal.NewNonRetryableApplicationError("revocations need the records store", "NoRecordsStore", nil)
	}
	err := a.Records.OpenRevocationCase(ctx, store.RevocationCase{ID: req.ID, DocumentID: req.DocumentID, Status: string(req.Status),
		Ground: req.Ground, Reason: req.Reason, RequestedBy: req.RequestedBy, RequestedAt: req.At, Proposals: req.Proposals})
	if errors.Is(err, store.ErrConflict) {
		return temporal.NewNonRetryableApplicationError(err.Error(), workflows.ErrRevocationConflict, err)
	}
	return err
}

// SetRevocationStatus records where the case stands.
func (a *Activities) SetRevocationStatus(ctx context.Context, req workflows.RevocationCaseRequest) error {
	if a.Records == nil {
		return nil
	}
	return a.Records.SetRevocationStatus(ctx, req.ID, req.Status, req.Ground, req.Reason, req.At)
}

func revocationDraftKey(year int, id string, rev int) string {
	return fmt.Sprintf("drafts/%d/%s.r%d.pdf", year, id, rev)
}
func revocationSignedKey(year int, id string, rev int) string {
	return fmt.Sprintf("signed/%d/%s.r%d.pdf", year, id, rev)
}

// RevocationDocument is the text of a revocation decision. number 0 and a zero date
// leave them for the văn thư.
func RevocationDocument(org *orgconfig.Org, r award.Revocation, number int, date, contentDate time.Time) (templates.Decision, error) {
	t, ok := org.AwardType(r.AwardType)
	if !ok {
		return templates.Decision{}, fmt.Errorf("award type %q is not in the organisation config", r.AwardType)
	}
	g, ok := org.Agency.Revocation.Ground(r.Ground)
	if !ok {
		return templates.Decision{}, fmt.Errorf("revocation ground %q is not in the organisation config", r.Ground)
	}
	if len(r.Awardees) == 0 {
		return templates.Decision{}, errors.New("a revocation names at least one award")
	}
	ag := org.Agency
	loc := org.Location()
	collective := r.Awardees[0].Kind == award.KindCollective
	word := "cá nhân"
	if collective {
		word = "tập thể"
	}
	what := "danh hiệu “" + t.Name + "”"
	if strings.HasPrefix(t.Name, "Giấy khen") {
		what = t.Name
	}
	if y := r.Awardees[0].Year; y > 0 {
		what += fmt.Sprintf(" năm %d", y)
	}
	origin := fmt.Sprintf("Quyết định số %s ngày %s của %s", bareNumber(r.OriginalNumber), r.OriginalIssued.In(loc).Format("02/01/2006"), agencyName(org))
	var bases []string
	if rs, ok := award.RuleSetAt(org.RuleSets, contentDate); ok {
		bases = append(bases, rs.DecisionBases...)
	}
	bases = append(bases, "Căn cứ "+origin+" về việc tặng "+what)
	bases = append(bases, ag.Revocation.Bases...)
	recovery := r.Recovery()
	a1 := fmt.Sprintf("Huỷ bỏ việc tặng %s đối với %02d %s có tên trong danh sách kèm theo, đã được khen thưởng tại %s. Lý do: %s",
		what, len(r.Awardees), word, origin, strings.TrimRight(g.LabelVI, "."))
	if reason := strings.TrimSpace(r.Reason); reason != "" {
		a1 += ": " + strings.TrimRight(reason, ".")
	}
	a1 += " (" + g.Citation + ")."
	a2 := fmt.Sprintf("Các %s có tên tại Điều 1 nộp lại hiện vật khen thưởng", word)
	if recovery > 0 {
		a2 += fmt.Sprintf(" và số tiền thưởng đã nhận, tổng cộng %s đồng (bằng chữ: %s)", templates.FormatVND(recovery), templates.MoneyWords(recovery))
	}
	if c := strings.TrimSpace(ag.Revocation.RecoveryCitation); c != "" {
		a2 += " theo quy định tại " + c
	}
	a2 += "."
	a3 := "Quyết định này có hiệu lực kể từ ngày ký."
	if ex := strings.TrimSpace(ag.Decision.Executors); ex != "" {
		a3 += " " + ex + " chịu trách nhiệm thi hành Quyết định này."
	}
	signer := r.Document.Signer
	d := templates.Decision{
		Agency:     templateAgency(org),
		Date:       date.In(loc),
		Subject:    "Về việc huỷ bỏ quyết định khen thưởng",
		Authority:  ag.Decision.Authority,
		Bases:      bases,
		AwardName:  t.Name,
		Articles:   []string{a1, a2, a3},
		Recipients: ag.Decision.Recipients,
		Signer:     templates.Signer{Prefix: signer.Prefix, Body: signer.Body, Title: signer.Title, Name: signer.Name},
		Collective: collective,
		AnnexHeading: fmt.Sprintf("%s bị huỷ bỏ việc tặng %s",
			map[bool]string{false: "Cá nhân", true: "Tập thể"}[collective], what),
	}
	if number > 0 {
		d.NumberText = award.FormatNumber(ag.Profile, number, workflows.DocDecision, ag.Code)
	}
	for _, x := range r.Awardees {
		unit := x.UnitID
		if collective {
			unit = ag.FullName
		} else if dep, ok := org.Department(x.UnitID); ok {
			unit = dep.Name
		}
		d.Awardees = append(d.Awardees, templates.Awardee{Name: x.Name, Position: x.Position, Unit: unit})
	}
	return d, nil
}

// bareNumber is a number as cited in running text: "Số 05-QĐ/BTGTU" or "Số: 05/QĐ-UBND"
// → "05-QĐ/BTGTU", "05/QĐ-UBND".
func bareNumber(numberText string) string {
	n := strings.TrimSpace(numberText)
	for _, p := range []string{"Số:", "Số", "số:", "số"} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			return strings.TrimSpace(rest)
		}
	}
	return n
}

func agencyName(org *orgconfig.Org) string {
	if n := strings.TrimSpace(org.Agency.FullName); n != "" {
		return n
	}
	return strings.ReplaceAll(org.Agency.Name, "\n", " ")
}

func (a *Activities) renderRevocation(req workflows.RevocationDocRequest, mode renderMode) (templates.Rendered, error) {
	ag := a.cur().Agency
	d, err := RevocationDocument(a.cur(), req.Revocation, 0, time.Time{}, req.ContentDate)
	if err != nil {
		return templates.Rendered{}, asContentError("revocation", req.Revocation.ID, err)
	}
	if mode == modeDraft {
		d.NumberText = award.NumberPlaceholder(ag.Profile, workflows.DocDecision, ag.Code)
	}
	opts := templates.RenderOptions{CreationDate: req.ContentDate, Draft: mode == modeDraft, LeaveNumberAndDate: mode == modeToSign}
	r, err := templates.RenderDecision(d, opts)
	if err != nil {
		return templates.Rendered{}, asContentError("revocation", req.Revocation.ID, fmt.Errorf("render revocation %s: %w", req.Revocation.ID, err))
	}
	return r, nil
}

// DraftRevocation renders and stores the unsigned dự thảo of one revision.
func (a *Activities) DraftRevocation(ctx context.Context, req workflows.RevocationDocRequest) (award.DocumentRef, error) {
	a, err := a.withOrg(ctx)
	if err != nil {
		return award.DocumentRef{}, err
	}
	r, err := a.renderRevocation(req, modeDraft)
	if err != nil {
		return award.DocumentRef{}, err
	}
	id := req.Revocation.ID
	key := revocationDraftKey(req.Year, id, max(req.Revocation.Document.Revision, 1))
	sum, err := a.Store.PutBytes(ctx, key, r.PDF, "application/pdf")
	if err != nil {
		return award.DocumentRef{}, fmt.Errorf("store draft %s: %w", id, err)
	}
	return award.DocumentRef{ID: id, Key: key, SHA256: sum, Size: int64(len(r.PDF))}, nil
}

// SignRevocation renders the decision as its signer signs it (no number, no date) and
// signs it with the signer's own certificate.
func (a *Activities) SignRevocation(ctx context.Context, req workflows.RevocationDocRequest) (workflows.SignedDocument, error) {
	a, err := a.withOrg(ctx)
	if err != nil {
		return workflows.SignedDocument{}, err
	}
	r, err := a.renderRevocation(req, modeToSign)
	if err != nil {
		return workflows.SignedDocument{}, err
	}
	rv := req.Revocation
	return a.signAndStore(ctx, "revocation", rv.ID, r, rv.Document.Signer, req.ContentDate, revocationSignedKey(req.Year, rv.ID, rv.Document.Revision))
}

// IssueRevocation adds the number and date to the signed file, seals it, records the
// revocation in the register (one transaction: the decision, the revoked awards with the
// bonus to recover, the case) and stores the file.
func (a *Activities) IssueRevocation(ctx context.Context, req workflows.RevocationDocRequest) (award.DocumentRef, error) {
	a, err := a.withOrg(ctx)
	if err != nil {
		return award.DocumentRef{}, err
	}
	rv := req.Revocation
	signer := rv.Document.Signer
	sealed, numberText, err := a.numberAndSeal(ctx, issueInput{kind: "revocation", id: rv.ID, docType: workflows.DocDecision,
		signed: req.Signed, signer: signer, signedAt: rv.Document.SignedAt, number: req.Number, date: req.Date})
	if err != nil {
		return award.DocumentRef{}, err
	}
	ag := a.cur().Agency
	local := a.local(req.Date)
	key := decisionKey(local.Year(), rv.ID)
	h := sha256.Sum256(sealed)
	out := hex.EncodeToString(h[:])
	ref := award.DocumentRef{ID: rv.ID, Key: key, SHA256: out, Size: int64(len(sealed)), NumberText: numberText, IssuedAt: req.Date}
	if a.Records != nil {
		doc := store.Document{ID: rv.ID, SessionID: "revocation/" + rv.DocumentID, Kind: store.KindDecision, AwardType: rv.AwardType,
			RegisterSeries: series(ag.Code, workflows.DocDecision), RegisterPeriod: periodOr(req.Period, local),
			Number: req.Number, NumberText: numberText, IssuedAt: req.Date, SignerID: signer.ID, SignerName: signer.Name,
			Key: key, SHA256: out, Size: int64(len(sealed)), Revokes: rv.DocumentID}
		proposals := make([]string, len(rv.Awardees))
		for i, x := range rv.Awardees {
			proposals[i] = x.ProposalID
		}
		err := a.Records.IssueRevocation(ctx, rv.ID, rv.Ground, rv.Reason, doc, proposals)
		switch {
		case errors.Is(err, store.ErrConflict):
			return award.DocumentRef{}, temporal.NewNonRetryableApplicationError(fmt.Sprintf("register %s: %v", rv.ID, err), ErrRegisterConflict, err)
		case err != nil:
			return award.DocumentRef{}, fmt.Errorf("register %s: %w", rv.ID, err)
		}
	}
	stored, err := a.Store.PutBytes(ctx, key, sealed, "application/pdf")
	if err != nil {
		return award.DocumentRef{}, fmt.Errorf("store issued %s: %w", rv.ID, err)
	}
	if stored != out {
		return award.DocumentRef{}, fmt.Errorf("store issued %s: stored SHA-256 %s, computed %s", rv.ID, stored, out)
	}
	a.Log.InfoContext(ctx, "revocation issued", "id", rv.ID, "number", numberText, "revokes", rv.DocumentID,
		"awards", len(rv.Awardees), "recover", rv.Recovery(), "sha256", out)
	return ref, nil
}
