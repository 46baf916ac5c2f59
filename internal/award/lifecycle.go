package award

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// From the council's vote to an issued document (Luật Thi đua, khen thưởng 2022 Điều 90;
// NĐ 30/2020/NĐ-CP Điều 15–16): the council only advises, so closing a session produces
// DRAFTS; the competent signer (the head, or a deputy signing "KT." where the organisation
// delegates a type of decision) approves and signs each one or sends it back; the văn thư
// (clerk) then takes the number from the register, dates it, applies the agency's seal
// signature and issues it. A number is taken only at issue, so a draft sent back or
// abandoned never burns one.

// DocKind is what a pending document is.
type DocKind string

const (
	// DocKindDecision is a quyết định khen thưởng for an award the agency grants.
	DocKindDecision DocKind = "decision"
	// DocKindSubmission is a tờ trình upward for an award above the agency's authority.
	DocKindSubmission DocKind = "submission"
)

// DocStatus is where a pending document stands.
type DocStatus string

const (
	DocAwaitingSignature DocStatus = "awaiting_signature" // the draft waits for its signer
	DocSentBack          DocStatus = "sent_back"          // the signer sent it back: the secretary revises or abandons it
	DocAwaitingIssue     DocStatus = "awaiting_issue"     // signed; waits for the văn thư to number, seal and issue it
	DocIssued            DocStatus = "issued"             // numbered, dated, sealed: final
	DocAbandoned         DocStatus = "abandoned"          // dropped by the secretary after a send-back: final, no number taken
)

// Final reports whether the document's life is over.
func (s DocStatus) Final() bool { return s == DocIssued || s == DocAbandoned }

// SignerRef is who signs a kind of document and how the signature block reads, snapshot
// when the session opens. A deputy signs "KT." (NĐ30) / "K/T" (HD36) for the head: Prefix
// and Body then print above the deputy's own Title.
type SignerRef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Title  string `json:"title"`            // "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"
	Prefix string `json:"prefix,omitempty"` // "KT." / "K/T" when a deputy signs
	Body   string `json:"body,omitempty"`   // "TRƯỞNG BAN" under the prefix
}

// DocAction is a step of a document's history.
type DocAction string

const (
	DocActionDrafted  DocAction = "drafted"
	DocActionApproved DocAction = "approved"
	DocActionSentBack DocAction = "sent_back"
	DocActionRevised  DocAction = "revised"
	DocActionAbandon  DocAction = "abandoned"
	DocActionIssued   DocAction = "issued"
	DocActionOverdue  DocAction = "overdue"
)

// DocEvent is one step of a document's history.
type DocEvent struct {
	At       time.Time `json:"at"`
	ActorID  string    `json:"actor_id"`
	Actor    string    `json:"actor"`
	Action   DocAction `json:"action"`
	Revision int       `json:"revision"`
	Reason   string    `json:"reason,omitempty"`
	Dropped  []string  `json:"dropped,omitempty"` // proposals taken off the list at a revision
	// OnBehalfOf: the actor did the secretary's or the văn thư's task for this person
	// under a delegation (thay mặt; Actor.ActsAs).
	OnBehalfOfID string `json:"on_behalf_of_id,omitempty"`
	OnBehalfOf   string `json:"on_behalf_of,omitempty"`
}

// PendingDocument is one decision or submission on its way from draft to issue.
type PendingDocument struct {
	ID        string  `json:"id"`
	Kind      DocKind `json:"kind"`
	AwardType string  `json:"award_type"`
	// Awardees are the proposal ids the document names, in agenda order.
	Awardees []string  `json:"awardees"`
	Revision int       `json:"revision"` // 1 for the first draft, +1 at each revision
	Status   DocStatus `json:"status"`
	Signer   SignerRef `json:"signer"`
	// Draft is the unsigned dự thảo of the current revision.
	Draft *DocumentRef `json:"draft,omitempty"`
	// Signed is the signer's signed file, still without number and date.
	Signed   *DocumentRef `json:"signed,omitempty"`
	SignedAt time.Time    `json:"signed_at,omitzero"`
	// Issued is the final file: numbered, dated and sealed.
	Issued  *DecisionRef `json:"issued,omitempty"`
	DueAt   time.Time    `json:"due_at,omitzero"` // when the signer should have decided
	Overdue bool         `json:"overdue,omitempty"`
	// SentBackReason is the signer's latest reason for sending the draft back.
	SentBackReason string     `json:"sent_back_reason,omitempty"`
	History        []DocEvent `json:"history"`
}

// Document finds a pending document of the session by id.
func (s *Session) Document(id string) (*PendingDocument, error) {
	for i := range s.Documents {
		if s.Documents[i].ID == id {
			return &s.Documents[i], nil
		}
	}
	return nil, NotFound("Không tìm thấy văn bản %s trong phiên họp", "document %s is not part of this session", id)
}

// Deciding reports whether the session still has documents on their way to issue.
func (s *Session) Deciding() bool {
	for _, d := range s.Documents {
		if !d.Status.Final() {
			return true
		}
	}
	return false
}

func (d *PendingDocument) record(a Actor, now time.Time, action DocAction, reason string, dropped []string) {
	d.History = append(d.History, DocEvent{At: now, ActorID: a.ID, Actor: a.Name, Action: action, Revision: d.Revision,
		Reason: reason, Dropped: dropped})
}

// NewPendingDocument is the first draft of a document, waiting for its signer until due.
// recordAs records an action of the secretary or the văn thư (role r), saying for whom
// the actor did it when they acted under a delegation.
func (d *PendingDocument) recordAs(a Actor, r Role, now time.Time, action DocAction, reason string, dropped []string) {
	d.record(a, now, action, reason, dropped)
	if m, ok := a.ActsAs(r); ok && m.ForID != "" {
		e := &d.History[len(d.History)-1]
		e.OnBehalfOfID, e.OnBehalfOf = m.ForID, m.ForName
	}
}

// CheckClerk reports whether the actor may number, seal and issue the document as its
// văn thư: one who holds the role, or a delegate of one who is not its signer — the
// signer signs and the văn thư then numbers and seals, two steps by two people
// (DOMAIN.md "Digital signatures"; NĐ 30/2020 Điều 15–16).
func (d *PendingDocument) CheckClerk(a Actor) error {
	if err := CanIssue(a); err != nil {
		return err
	}
	if m, _ := a.ActsAs(RoleClerk); m.ForID != "" && a.ID == d.Signer.ID {
		return Forbidden("Bạn đã ký văn bản này nên không cấp số, đóng dấu thay văn thư %s được: người ký và văn thư là hai bước do hai người làm",
			"you signed this document, so you may not number and seal it for the văn thư %s: the signer and the văn thư are two steps by two people", m.ForName)
	}
	return nil
}

// IssuedBy stamps the issued document with who issued it and, under a delegation, for
// whom (the register shows both).
func (r DecisionRef) IssuedBy(a Actor) DecisionRef {
	r.IssuedByID, r.IssuedByName = a.ID, a.Name
	if m, ok := a.ActsAs(RoleClerk); ok && m.ForID != "" {
		r.OnBehalfOfID, r.OnBehalfOf = m.ForID, m.ForName
	}
	return r
}

func NewPendingDocument(id string, kind DocKind, awardType string, awardees []string, signer SignerRef, draft DocumentRef, now, due time.Time) PendingDocument {
	d := PendingDocument{ID: id, Kind: kind, AwardType: awardType, Awardees: slices.Clone(awardees), Revision: 1,
		Status: DocAwaitingSignature, Signer: signer, Draft: &draft, DueAt: due}
	d.record(Actor{ID: "system", Name: "Hệ thống"}, now, DocActionDrafted, "", nil)
	return d
}

func checkReason(reason, whatVI, whatEN string) error {
	r := strings.TrimSpace(reason)
	if r == "" || utf8.RuneCountInString(r) > maxReason {
		return Invalid("Cần ghi lý do %[1]s (tối đa %[2]d ký tự)", "a reason is required to %[3]s (at most %[2]d characters)", whatVI, maxReason, whatEN)
	}
	return nil
}

func (d *PendingDocument) checkSigner(a Actor) error {
	if a.ID != d.Signer.ID {
		return Forbidden("Chỉ %[1]s mới được ký duyệt văn bản này", "only %[1]s may sign this document", d.Signer.Name)
	}
	if d.Status != DocAwaitingSignature {
		return WrongStage("Văn bản đang ở bước “%[1]s”, không chờ ký duyệt", "the document is %[2]s, not waiting for signature", d.Status.LabelVI(), d.Status)
	}
	return nil
}

// CheckApprove reports whether the actor may approve and sign the document now: its
// signer, while it waits for signature.
func (s *Session) CheckApprove(a Actor, docID string) error {
	d, err := s.Document(docID)
	if err != nil {
		return err
	}
	return d.checkSigner(a)
}

// Approve records the signer's signature on the current draft.
func (s *Session) Approve(a Actor, docID string, signed DocumentRef, now time.Time) error {
	if err := s.CheckApprove(a, docID); err != nil {
		return err
	}
	d, _ := s.Document(docID)
	d.Status, d.Signed, d.SignedAt, d.Overdue = DocAwaitingIssue, &signed, now, false
	d.record(a, now, DocActionApproved, "", nil)
	return nil
}

// CheckSendBack reports whether the actor may send the draft back: its signer, with a
// reason, while it waits for signature.
func (s *Session) CheckSendBack(a Actor, docID, reason string) error {
	d, err := s.Document(docID)
	if err != nil {
		return err
	}
	if err := d.checkSigner(a); err != nil {
		return err
	}
	return checkReason(reason, "trả lại dự thảo", "send the draft back")
}

// SendBack returns the draft to the council's secretary with the signer's reason.
func (s *Session) SendBack(a Actor, docID, reason string, now time.Time) error {
	if err := s.CheckSendBack(a, docID, reason); err != nil {
		return err
	}
	d, _ := s.Document(docID)
	d.Status, d.SentBackReason, d.Overdue = DocSentBack, strings.TrimSpace(reason), false
	d.record(a, now, DocActionSentBack, d.SentBackReason, nil)
	return nil
}

func (s *Session) checkSentBack(a Actor, docID string) (*PendingDocument, error) {
	if !a.actsAs(RoleSecretary) {
		return nil, Forbidden("Chỉ thư ký Hội đồng mới được sửa dự thảo bị trả lại", "only the council secretary may revise a draft that was sent back")
	}
	d, err := s.Document(docID)
	if err != nil {
		return nil, err
	}
	if d.Status != DocSentBack {
		return nil, WrongStage("Văn bản đang ở bước “%[1]s”, không bị trả lại", "the document is %[2]s, not sent back", d.Status.LabelVI(), d.Status)
	}
	return d, nil
}

// CheckRevise reports whether the secretary may revise a draft that was sent back:
// drop some awardees (each on the document; at least one must stay — to drop them all,
// abandon the draft) and regenerate it, with a reason.
func (s *Session) CheckRevise(a Actor, docID string, drop []string, reason string) error {
	d, err := s.checkSentBack(a, docID)
	if err != nil {
		return err
	}
	if err := checkReason(reason, "sửa dự thảo", "revise the draft"); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, id := range drop {
		if !slices.Contains(d.Awardees, id) || seen[id] {
			return Invalid("Hồ sơ %[1]s không có trong dự thảo (hoặc bị chọn hai lần)", "proposal %[1]s is not on the draft (or is listed twice)", id)
		}
		seen[id] = true
	}
	if len(drop) >= len(d.Awardees) {
		return Invalid("Dự thảo phải còn ít nhất một trường hợp; để bỏ tất cả, hãy huỷ dự thảo", "at least one awardee must stay; to drop them all, abandon the draft")
	}
	return nil
}

// Revise takes the dropped awardees off the document and puts the regenerated draft
// before the signer again, with a new deadline.
func (s *Session) Revise(a Actor, docID string, drop []string, reason string, draft DocumentRef, now, due time.Time) error {
	if err := s.CheckRevise(a, docID, drop, reason); err != nil {
		return err
	}
	d, _ := s.Document(docID)
	drop = slices.Clone(drop) // the caller's slice may alias d.Awardees
	d.Awardees = slices.DeleteFunc(d.Awardees, func(id string) bool { return slices.Contains(drop, id) })
	d.Revision++
	d.Status, d.Draft, d.DueAt, d.Overdue = DocAwaitingSignature, &draft, due, false
	d.recordAs(a, RoleSecretary, now, DocActionRevised, strings.TrimSpace(reason), drop)
	return nil
}

// CheckAbandon reports whether the secretary may abandon a draft that was sent back:
// its nominees are then not awarded by this session, and no number is taken.
func (s *Session) CheckAbandon(a Actor, docID, reason string) error {
	if _, err := s.checkSentBack(a, docID); err != nil {
		return err
	}
	return checkReason(reason, "huỷ dự thảo", "abandon the draft")
}

// Abandon ends a draft that was sent back.
func (s *Session) Abandon(a Actor, docID, reason string, now time.Time) error {
	if err := s.CheckAbandon(a, docID, reason); err != nil {
		return err
	}
	d, _ := s.Document(docID)
	d.Status = DocAbandoned
	d.recordAs(a, RoleSecretary, now, DocActionAbandon, strings.TrimSpace(reason), nil)
	return nil
}

// CanIssue reports whether the actor may issue documents: the văn thư.
func CanIssue(a Actor) error {
	if a.actsAs(RoleClerk) {
		return nil
	}
	return Forbidden("Chỉ văn thư mới được cấp số, đóng dấu và phát hành văn bản", "only the clerk (văn thư) may number, seal and issue documents")
}

// CheckIssue reports whether the actor may issue the document now: a clerk, once the
// signer has signed it.
func (s *Session) CheckIssue(a Actor, docID string) error {
	if err := CanIssue(a); err != nil {
		return err
	}
	d, err := s.Document(docID)
	if err != nil {
		return err
	}
	if err := d.CheckClerk(a); err != nil {
		return err
	}
	if d.Status != DocAwaitingIssue {
		return WrongStage("Văn bản đang ở bước “%[1]s”, không chờ phát hành", "the document is %[2]s, not waiting to be issued", d.Status.LabelVI(), d.Status)
	}
	return nil
}

// Issue records the numbered, dated and sealed document.
func (s *Session) Issue(a Actor, docID string, issued DecisionRef, now time.Time) error {
	if err := s.CheckIssue(a, docID); err != nil {
		return err
	}
	d, _ := s.Document(docID)
	issued = issued.IssuedBy(a)
	d.Status, d.Issued = DocIssued, &issued
	d.recordAs(a, RoleClerk, now, DocActionIssued, issued.NumberText, nil)
	switch d.Kind {
	case DocKindSubmission:
		s.Submissions = append(s.Submissions, issued)
	default:
		s.Decisions = append(s.Decisions, issued)
	}
	return nil
}

// MarkOverdue flags the drafts whose signer let the deadline pass; it reports whether
// any changed. The draft stays the signer's to decide; others are told (escalation).
func (s *Session) MarkOverdue(now time.Time) bool {
	changed := false
	for i := range s.Documents {
		d := &s.Documents[i]
		if d.Status == DocAwaitingSignature && !d.Overdue && !d.DueAt.IsZero() && !now.Before(d.DueAt) {
			d.Overdue = true
			d.record(Actor{ID: "system", Name: "Hệ thống"}, now, DocActionOverdue, "", nil)
			changed = true
		}
	}
	return changed
}

// NextDue is the earliest deadline of a draft still waiting for signature and not yet
// overdue; zero when there is none.
func (s *Session) NextDue() time.Time {
	var next time.Time
	for _, d := range s.Documents {
		if d.Status == DocAwaitingSignature && !d.Overdue && !d.DueAt.IsZero() && (next.IsZero() || d.DueAt.Before(next)) {
			next = d.DueAt
		}
	}
	return next
}

// DocumentWaiters lists who must act on the session's pending documents: each draft's
// signer (and, once overdue, the people escalated to), the secretary for drafts sent
// back, the clerks for signed documents.
func (s *Session) DocumentWaiters(secretaries, clerks, escalate []string) []string {
	var out []string
	add := func(ids ...string) {
		for _, id := range ids {
			if id != "" && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	for _, d := range s.Documents {
		switch d.Status {
		case DocAwaitingSignature:
			add(d.Signer.ID)
			if d.Overdue {
				add(escalate...)
			}
		case DocSentBack:
			add(secretaries...)
		case DocAwaitingIssue:
			add(clerks...)
		}
	}
	return out
}

// SignerFor picks who signs documents of an award type: the first delegation that names
// the type, else the head.
func SignerFor(awardType string, head SignerRef, delegations map[string]SignerRef) SignerRef {
	if d, ok := delegations[awardType]; ok && d.ID != "" {
		return d
	}
	return head
}
