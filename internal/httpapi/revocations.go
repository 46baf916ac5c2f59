package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/workflows"
)

// Revocations (huỷ bỏ quyết định khen thưởng, Luật Thi đua, khen thưởng 2022 Điều 93):
// the head or the council's secretary asks; a RevocationWorkflow drafts the revocation
// decision; its signer approves (signs) or sends it back; the văn thư numbers, seals and
// issues it, and only then does the register mark the awards revoked, with the bonus to
// recover.

const revocationPrefix = "revocation-"

var nounRevocation = award.Noun{VI: "đề nghị huỷ bỏ khen thưởng", EN: "revocation"}

type revocationOut struct {
	award.Revocation
	GroundLabel    string   `json:"ground_label"`
	GroundCitation string   `json:"ground_citation"`
	GroundVerified bool     `json:"ground_verified"`
	Recovery       int64    `json:"recovery"`
	Status         string   `json:"status"`
	StatusLabel    string   `json:"status_label"`
	Waiting        []string `json:"waiting"`
	Actions        []string `json:"actions"`
	// History is the revocation decision's steps, labelled.
	History []docEventOut `json:"history"`
	// CaseNumbers are the revoked awards' proposals' case numbers (HS-2026-0042) by
	// proposal id, for people to read.
	CaseNumbers map[string]string `json:"case_numbers,omitempty"`
}

func (s *Server) revocationOut(ctx context.Context, org *orgconfig.Org, v workflows.RevocationView, a award.Actor) revocationOut {
	r := v.Revocation
	out := revocationOut{Revocation: r, Recovery: r.Recovery(), Status: string(r.Document.Status),
		StatusLabel: r.Document.Status.LabelVI(), Waiting: v.Waiting, Actions: r.Actions(a)}
	if out.Waiting == nil {
		out.Waiting = []string{}
	}
	out.History = []docEventOut{}
	for _, e := range r.Document.History {
		out.History = append(out.History, s.labels(ctx).docEventOf(e))
	}
	ids := make([]string, 0, len(r.Awardees))
	for _, x := range r.Awardees {
		ids = append(ids, x.ProposalID)
	}
	out.CaseNumbers = s.caseNumbers(ctx, ids...)
	if g, ok := org.Agency.Revocation.Ground(r.Ground); ok {
		out.GroundLabel, out.GroundCitation, out.GroundVerified = g.LabelVI, g.Citation, g.Verified
	}
	return out
}

// canSeeRevocations: those who take part (the head, the council, the văn thư) and admins.
func canSeeRevocations(a award.Actor, headID string) error {
	if _, clerk := a.ActsAs(award.RoleClerk); a.ID == headID || a.OnCouncil() || clerk || a.Has(award.RoleAdmin) {
		return nil
	}
	return award.Forbidden("Chỉ Thủ trưởng, Hội đồng, văn thư và quản trị mới xem được việc huỷ bỏ khen thưởng",
		"only the head, the council, the clerk and admins may see revocations")
}

// revocationTarget reads the decision a revocation is asked for from the register.
func (s *Server) revocationTarget(r *http.Request, org *orgconfig.Org, docID string) (award.RevocationTarget, error) {
	d, err := s.Records.Document(r.Context(), docID)
	if errors.Is(err, store.ErrNotFound) {
		return award.RevocationTarget{}, award.NotFound("Không có văn bản “%s” trong sổ khen thưởng", "document %q is not in the award register", docID)
	}
	if err != nil {
		return award.RevocationTarget{}, err
	}
	kind := d.Kind
	if d.Revokes != "" {
		kind = "revocation" // a revocation decision is not itself revoked
	}
	t := award.RevocationTarget{DocumentID: d.ID, Kind: kind, NumberText: d.NumberText, IssuedAt: d.IssuedAt, AwardType: d.AwardType}
	for _, x := range d.Awardees {
		ra := award.RevokedAwardee{ProposalID: x.ProposalID, Name: x.NomineeName, UnitID: x.UnitID, PersonID: x.PersonID,
			Kind: award.NomineeKind(x.Kind), Year: x.Year, Amount: x.Amount}
		if p, ok := org.Anyone(x.PersonID); ok && x.PersonID != "" {
			ra.Position = p.Position
		}
		t.Awardees = append(t.Awardees, ra)
	}
	if d.Revocation != nil { // marked revoked as a whole by the earlier register API
		for _, x := range d.Awardees {
			t.Revoked = append(t.Revoked, x.ProposalID)
		}
	}
	revoked, err := s.Records.AwardeeRevocations(r.Context(), d.ID)
	if err != nil {
		return award.RevocationTarget{}, err
	}
	for _, x := range revoked {
		t.Revoked = append(t.Revoked, x.ProposalID)
	}
	return t, nil
}

// createRevocation answers POST /api/v1/revocations: checks the request against the
// register and the rules, then starts the revocation with Update-with-Start and answers
// once its draft exists (or the store refused it: another revocation of the decision is
// on its way). With an Idempotency-Key a repeat finds the same revocation.
func (s *Server) createRevocation(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	if s.Records == nil {
		return award.Unavailable(0, "Sổ khen thưởng chưa được cấu hình", "the award register is not configured")
	}
	head := org.HeadSigner()
	if err := award.CanRequestRevocation(a, head.ID); err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	var req award.RevocationRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.Reason, err = award.CleanLine(award.FieldComment, req.Reason); err != nil {
		return err
	}
	t, err := s.revocationTarget(r, org, req.DocumentID)
	if err != nil {
		return err
	}
	awardees, err := award.CheckRevocationRequest(a, head.ID, t, req, org.Agency.Revocation)
	if err != nil {
		return err
	}
	fp, err := fingerprintOf(r, "", req)
	if err != nil {
		return err
	}
	updateID, err := scopedUpdateID(r, a, "", fp)
	if err != nil {
		return err
	}
	id := newID(revocationPrefix)
	if key != "" {
		sum := sha256.Sum256([]byte(a.ID + "\x00revocation\x00" + key))
		id = revocationPrefix + hex.EncodeToString(sum[:16])
	}
	ag := org.Agency
	_, offset := s.Now().In(org.Location()).Zone()
	in := workflows.RevocationInput{ID: id, Target: t, Request: req, Awardees: awardees, RequestedBy: a,
		Signer: award.SignerFor(t.AwardType, head, org.Delegations()), Rules: ag.Revocation,
		Secretaries: org.IDsWithRole(award.RoleSecretary), Clerks: org.IDsWithRole(award.RoleClerk),
		SignDays: ag.Decision.SignDays, Profile: ag.Profile, TermStarts: ag.TermStarts, AgencyCode: ag.Code, UTCOffset: offset}
	for _, role := range ag.EscalateTo {
		in.Escalate = append(in.Escalate, org.IDsWithRole(role)...)
	}
	start := s.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID: id, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		Memo:                     map[string]any{memoTitle: t.NumberText},
	}, workflows.RevocationWorkflowName, in)
	// No worker: 503 at once rather than a started workflow nobody runs.
	if err := s.needWorker(r.Context()); err != nil {
		return err
	}
	h, err := s.Temporal.UpdateWithStartWorkflow(r.Context(), client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{UpdateName: workflows.UpdateRevocationOpened, UpdateID: updateID,
			WaitForStage: client.WorkflowUpdateStageCompleted},
	})
	var view workflows.RevocationView
	if err == nil {
		err = h.Get(r.Context(), &view)
	}
	if err != nil {
		return s.temporalErr(r.Context(), err, id, nounRevocation)
	}
	switch view.Refused {
	case "conflict":
		return award.Duplicate("Quyết định %[1]s đang có một đề nghị huỷ bỏ chưa xong, hoặc khen thưởng đã bị huỷ bỏ",
			"decision %[1]s has a revocation on its way already, or the award is revoked already", t.NumberText)
	case "draft":
		return award.Unavailable(0, "Không lập được dự thảo quyết định huỷ bỏ; đề nghị đã được huỷ, vui lòng thử lại",
			"the revocation decision could not be drafted; the request was dropped, try again")
	}
	s.Log.InfoContext(r.Context(), "revocation requested", "id", id, "document", t.DocumentID, "awards", len(awardees), "by", a.ID)
	w.Header().Set("Location", "/api/v1/revocations/"+id)
	writeJSON(w, http.StatusCreated, s.revocationOut(r.Context(), org, view, a))
	return nil
}

// revocationView queries a revocation's workflow.
func (s *Server) revocationView(r *http.Request, id string) (workflows.RevocationView, error) {
	var view workflows.RevocationView
	v, err := s.Temporal.QueryWorkflow(r.Context(), id, "", workflows.QueryState)
	if err == nil {
		err = v.Get(&view)
	}
	if err != nil {
		return view, s.temporalErr(r.Context(), err, id, nounRevocation)
	}
	if view.Refused != "" || view.Revocation.ID == "" {
		return view, award.NotFound("Không tìm thấy %[1]s “%[3]s”", "%[2]s %[3]q not found", nounRevocation.VI, nounRevocation.EN, id)
	}
	return view, nil
}

// getRevocation answers GET /api/v1/revocations/{id}.
func (s *Server) getRevocation(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	if err := canSeeRevocations(a, org.HeadSigner().ID); err != nil {
		return err
	}
	id, err := pathID(r, revocationPrefix, nounRevocation)
	if err != nil {
		return err
	}
	view, err := s.revocationView(r, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.revocationOut(r.Context(), org, view, a))
	return nil
}

type revocationCaseOut struct {
	ID         string `json:"id"`
	DocumentID string `json:"document_id"`
	// OriginalNumber is the revoked decision's number as printed; IssuedNumber the
	// revocation decision's, once issued.
	OriginalNumber string    `json:"original_number"`
	IssuedNumber   string    `json:"issued_number,omitempty"`
	Status         string    `json:"status"`
	StatusLabel    string    `json:"status_label"`
	Ground         string    `json:"ground"`
	GroundLabel    string    `json:"ground_label"`
	Reason         string    `json:"reason"`
	RequestedBy    string    `json:"requested_by"`
	RequestedAt    time.Time `json:"requested_at"`
	Proposals      []string  `json:"proposals"`
	IssuedID       string    `json:"issued_id,omitempty"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// listRevocations answers GET /api/v1/revocations[?document=]: the cases, latest first.
func (s *Server) listRevocations(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	if err := canSeeRevocations(a, org.HeadSigner().ID); err != nil {
		return err
	}
	if s.Records == nil {
		return award.Unavailable(0, "Sổ khen thưởng chưa được cấu hình", "the award register is not configured")
	}
	cases, err := s.Records.RevocationCases(r.Context(), r.URL.Query().Get("document"), 0)
	if err != nil {
		return err
	}
	numbers := map[string]string{} // document id → number text, read once each
	number := func(id string) (string, error) {
		if n, ok := numbers[id]; ok || id == "" {
			return n, nil
		}
		d, err := s.Records.Document(r.Context(), id)
		if err != nil {
			return "", err
		}
		numbers[id] = d.NumberText
		return d.NumberText, nil
	}
	out := make([]revocationCaseOut, 0, len(cases))
	for _, c := range cases {
		o := revocationCaseOut{ID: c.ID, DocumentID: c.DocumentID, Status: c.Status, StatusLabel: award.DocStatus(c.Status).LabelVI(),
			Ground: c.Ground, Reason: c.Reason, RequestedBy: c.RequestedBy, RequestedAt: c.RequestedAt, Proposals: c.Proposals,
			IssuedID: c.IssuedID, UpdatedAt: c.UpdatedAt}
		if g, ok := org.Agency.Revocation.Ground(c.Ground); ok {
			o.GroundLabel = g.LabelVI
		}
		if o.OriginalNumber, err = number(c.DocumentID); err != nil {
			return err
		}
		if o.IssuedNumber, err = number(c.IssuedID); err != nil {
			return err
		}
		out = append(out, o)
	}
	writeJSON(w, http.StatusOK, map[string]any{"revocations": out, "grounds": org.Agency.Revocation.Grounds})
	return nil
}

type revocationActionRequest struct {
	Reason string `json:"reason,omitempty"`
	Ground string `json:"ground,omitempty"`
}

// revocationAction runs one lifecycle update on a revocation.
func (s *Server) revocationAction(name string) func(http.ResponseWriter, *http.Request, award.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a award.Actor) error {
		org, err := s.orgOf(r.Context())
		if err != nil {
			return err
		}
		id, err := pathID(r, revocationPrefix, nounRevocation)
		if err != nil {
			return err
		}
		var req revocationActionRequest
		if r.ContentLength != 0 {
			if err := decode(w, r, &req); err != nil {
				return err
			}
		}
		if req.Reason, err = award.CleanLine(award.FieldComment, req.Reason); err != nil {
			return err
		}
		in := workflows.RevocationActionInput{Actor: a, Reason: req.Reason, Ground: req.Ground}
		var view workflows.RevocationView
		if err := s.update(r, a, id, name, nounRevocation, "", in, &view); err != nil {
			return s.explainEndedMandate(r.Context(), a, officeRole(name), err)
		}
		writeJSON(w, http.StatusOK, s.revocationOut(r.Context(), org, view, a))
		return nil
	}
}

// revocationPDF streams a file of the revocation decision: its draft, the signed file
// or the issued one.
func (s *Server) revocationPDF(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	org, err := s.orgOf(r.Context())
	if err != nil {
		return err
	}
	if err := canSeeRevocations(a, org.HeadSigner().ID); err != nil {
		return err
	}
	id, err := pathID(r, revocationPrefix, nounRevocation)
	if err != nil {
		return err
	}
	file := r.PathValue("file")
	if !slices.Contains([]string{"draft", "signed", "issued"}, file) {
		return award.NotFound("Không có bản “%s” (draft, signed, issued)", "no file %q (draft, signed, issued)", file)
	}
	view, err := s.revocationView(r, id)
	if err != nil {
		return err
	}
	d := view.Revocation.Document
	var ref *award.DocumentRef
	name := id
	switch file {
	case "draft":
		ref, name = d.Draft, "du-thao-"+id
	case "signed":
		ref, name = d.Signed, "da-ky-"+id
	case "issued":
		if d.Issued != nil {
			ref = &d.Issued.DocumentRef
		}
	}
	if ref == nil || ref.Key == "" {
		return award.WrongStage("Văn bản chưa có bản này (%[1]s)", "the document has no %[2]s file yet", d.Status.LabelVI(), file)
	}
	return s.streamObject(w, r, ref.Key, name+".pdf", "application/pdf")
}

// markRecovered answers POST /api/v1/register/documents/{id}/awardees/{proposal}/recovered:
// the văn thư or an admin records that a revoked award's bonus was paid back.
func (s *Server) markRecovered(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	if _, clerk := a.ActsAs(award.RoleClerk); !clerk && !a.Has(award.RoleAdmin) {
		return award.Forbidden("Chỉ văn thư hoặc quản trị mới ghi nhận việc nộp lại tiền thưởng", "only the clerk or an admin may record a recovered bonus")
	}
	if s.Records == nil {
		return award.Unavailable(0, "Sổ khen thưởng chưa được cấu hình", "the award register is not configured")
	}
	doc, prop := r.PathValue("id"), r.PathValue("proposal")
	err := s.Records.MarkRecovered(r.Context(), doc, prop, s.Now())
	if errors.Is(err, store.ErrNotFound) {
		return award.NotFound("Khen thưởng của %[1]s theo văn bản %[2]s chưa bị huỷ bỏ", "the award of %[1]s by %[2]s is not revoked", prop, doc)
	}
	if err != nil {
		return err
	}
	list, err := s.Records.AwardeeRevocations(r.Context(), doc)
	if err != nil {
		return err
	}
	for _, x := range list {
		if x.ProposalID == prop {
			writeJSON(w, http.StatusOK, map[string]any{"document_id": doc, "proposal_id": prop, "recover": x.Recover, "recovered_at": x.RecoveredAt})
			return nil
		}
	}
	return award.NotFound("Khen thưởng của %[1]s theo văn bản %[2]s chưa bị huỷ bỏ", "the award of %[1]s by %[2]s is not revoked", prop, doc)
}
