package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/workflows"
)

// The decision lifecycle (award/lifecycle.go): the signer approves or sends back a
// draft, the secretary revises or abandons a draft sent back, the văn thư issues a
// signed document. Each is an update of the session's workflow, whose validator asks
// the same award check as documentActions below.

// documentActions lists what the actor may do with the document now.
func documentActions(s *award.Session, d award.PendingDocument, a award.Actor) []string {
	out := []string{}
	if s.CheckApprove(a, d.ID) == nil {
		out = append(out, "approve", "send_back")
	}
	if s.CheckAbandon(a, d.ID, "-") == nil { // the secretary (or their delegate), once sent back
		out = append(out, "revise", "abandon")
	}
	if s.CheckIssue(a, d.ID) == nil {
		out = append(out, "issue")
	}
	return out
}

// officeRole is the role whose tasks a document action is: the văn thư issues, the
// secretary revises and abandons (the signer's approve and send back are not
// delegable: RoleChair has no delegation scope).
func officeRole(action string) award.Role {
	switch action {
	case workflows.UpdateIssueDocument:
		return award.RoleClerk
	case workflows.UpdateReviseDocument, workflows.UpdateAbandonDocument:
		return award.RoleSecretary
	}
	return award.RoleChair
}

// canReadDocument reports whether the actor may open the document's files at a stage:
// drafts and signed files are for the council, the signer and the văn thư; the issued
// file for every signed-in person (decisions are public within the agency).
func canReadDocument(d award.PendingDocument, a award.Actor, file string) bool {
	if file == "issued" {
		return true
	}
	_, clerk := a.ActsAs(award.RoleClerk)
	return a.OnCouncil() || clerk || a.Has(award.RoleAdmin) || a.ID == d.Signer.ID
}

// numbers are the proposals' case numbers (HS-2026-0042), for the award list.
func (s *Server) documentOut(ctx context.Context, sess *award.Session, d award.PendingDocument, a award.Actor, numbers map[string]string) documentOut {
	l := s.labels(ctx)
	out := documentOut{PendingDocument: d, StatusLabel: d.Status.LabelVI(), KindLabel: d.Kind.LabelVI(),
		AwardTypeLabel: l.awardType(d.AwardType), SignerLabel: award.PersonLabel(d.Signer.Name, d.Signer.Title, ""),
		AwardeeItems: []agendaOut{}, History: []docEventOut{}, Actions: documentActions(sess, d, a), Links: map[string]string{}}
	for _, it := range sess.Agenda {
		if slices.Contains(d.Awardees, it.ProposalID) {
			out.AwardeeItems = append(out.AwardeeItems, agendaOut{AgendaItem: it, KindLabel: it.Kind.LabelVI(),
				AwardTypeLabel: l.awardType(it.AwardType), DepartmentLabel: l.department(it.Department),
				CaseNumber: numbers[it.ProposalID]})
		}
	}
	for _, e := range d.History {
		out.History = append(out.History, l.docEventOf(e))
	}
	base := "/api/v1/sessions/" + sess.ID + "/documents/" + d.ID + "/"
	for file, ok := range map[string]bool{"draft": d.Draft != nil, "signed": d.Signed != nil, "issued": d.Issued != nil} {
		if ok && canReadDocument(d, a, file) {
			out.Links[file] = base + file + ".pdf"
		}
	}
	return out
}

type documentActionRequest struct {
	Reason string   `json:"reason"`
	Drop   []string `json:"drop"`
}

// documentAction runs one lifecycle update on a session's document.
func (s *Server) documentAction(name string) func(http.ResponseWriter, *http.Request, award.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a award.Actor) error {
		id, err := pathID(r, sessionPrefix, award.NounSession)
		if err != nil {
			return err
		}
		docID := r.PathValue("doc")
		if !strings.HasPrefix(docID, id+".") || strings.ContainsAny(docID, "/ ") {
			return award.NotFound("Không tìm thấy văn bản “%s” trong phiên họp", "document %q is not part of this session", docID)
		}
		var req documentActionRequest
		if r.ContentLength != 0 {
			if err := decode(w, r, &req); err != nil {
				return err
			}
		}
		// Reasons go into the history and the proposals' histories: checked like any text typed in.
		if req.Reason, err = award.CleanBlock(award.FieldComment, req.Reason); err != nil {
			return err
		}
		if name == workflows.UpdateApproveDocument && s.Records != nil {
			// A list being posted (công khai) holds approval; a required posting must have
			// ended first.
			org, err := s.orgOf(r.Context())
			if err != nil {
				return err
			}
			p, err := s.Records.PostingOf(r.Context(), id)
			if err != nil {
				return err
			}
			if err := award.CheckApproveAfterPosting(org.Agency.Posting, p, s.Now(), org.Location()); err != nil {
				return err
			}
		}
		in := workflows.DocumentActionInput{Actor: a, DocumentID: docID, Reason: req.Reason, Drop: req.Drop}
		var view workflows.SessionView
		if err := s.update(r, a, id, name, award.NounSession, "", in, &view); err != nil {
			return s.explainEndedMandate(r.Context(), a, officeRole(name), err)
		}
		writeJSON(w, http.StatusOK, s.sessionOut(r.Context(), view, a))
		return nil
	}
}

// documentPDF streams one file of a pending document: the draft, the signed file or
// the issued one.
func (s *Server) documentPDF(file string) func(http.ResponseWriter, *http.Request, award.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a award.Actor) error {
		id, err := pathID(r, sessionPrefix, award.NounSession)
		if err != nil {
			return err
		}
		v, err := s.Temporal.QueryWorkflow(r.Context(), id, "", workflows.QueryState)
		var view workflows.SessionView
		if err == nil {
			err = v.Get(&view)
		}
		if err != nil {
			return s.temporalErr(r.Context(), err, id, award.NounSession)
		}
		d, err := view.Session.Document(r.PathValue("doc"))
		if err != nil {
			return err
		}
		if !canReadDocument(*d, a, file) {
			return award.Forbidden("Chỉ Hội đồng, người ký và văn thư mới xem được dự thảo", "only the council, the signer and the clerk may open drafts")
		}
		var ref *award.DocumentRef
		name := d.ID
		switch file {
		case "draft":
			ref, name = d.Draft, "du-thao-"+name
		case "signed":
			ref, name = d.Signed, "da-ky-"+name
		case "issued":
			if d.Issued != nil {
				ref = &d.Issued.DocumentRef
			}
		}
		if ref == nil {
			return award.WrongStage("Văn bản chưa có bản này (%[1]s)", "the document has no %[2]s file yet", d.Status.LabelVI(), file)
		}
		return s.streamObject(w, r, ref.Key, name+".pdf", "application/pdf")
	}
}
