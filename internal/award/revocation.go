package award

import (
	"slices"
	"strings"
	"time"
)

// Revocation of an award (huỷ bỏ quyết định khen thưởng, Luật Thi đua, khen thưởng 2022
// Điều 93): the person who decided the award decides its revocation, by a decision of its
// own that goes the same way as the award decision — a draft, the signer approves and
// signs it (or sends it back), the văn thư numbers, dates, seals and issues it. Only then
// is the register changed: the original stays, its revoked awardees are marked with the
// revocation decision, and their bonus is marked for recovery (Điều 93 k2). A revocation
// may name some of a decision's awardees (one person found to have falsified a record
// does not take the title from the others) or all of them.

// DocKindRevocation is a quyết định huỷ bỏ quyết định khen thưởng.
const DocKindRevocation DocKind = "revocation"

// RevocationGround is one legal ground for revoking an award, as the organisation
// configures it (never a constant in code: the grounds and their articles change with
// the law).
type RevocationGround struct {
	Code     string `yaml:"code" json:"code"`
	LabelVI  string `yaml:"label_vi" json:"label_vi"`
	LabelEN  string `yaml:"label_en" json:"label_en"`
	Citation string `yaml:"citation" json:"citation"`
	// Verified is false while nobody has checked the citation against the legal text.
	Verified bool `yaml:"verified" json:"verified"`
}

// RevocationRules are the organisation's grounds for revocation and the legal basis of
// recovering money and items.
type RevocationRules struct {
	Grounds []RevocationGround `yaml:"grounds" json:"grounds"`
	// Bases are the agency's own căn cứ / xét đề nghị lines of a revocation decision;
	// the laws' lines come first, from the rule set in force on the day.
	Bases []string `yaml:"bases" json:"bases"`
	// RecoveryCitation is printed in the article on recovering the bonus.
	RecoveryCitation string `yaml:"recovery_citation" json:"recovery_citation"`
	RecoveryVerified bool   `yaml:"recovery_verified" json:"recovery_verified"`
}

// Ground finds a ground by code.
func (r RevocationRules) Ground(code string) (RevocationGround, bool) {
	i := slices.IndexFunc(r.Grounds, func(g RevocationGround) bool { return g.Code == code })
	if i < 0 {
		return RevocationGround{}, false
	}
	return r.Grounds[i], true
}

// CheckRevocationRules validates the configured grounds: codes unique and well formed,
// labels in both languages, a citation for each.
func CheckRevocationRules(r RevocationRules) error {
	seen := map[string]bool{}
	for i, g := range r.Grounds {
		switch {
		case !validCode(g.Code):
			return Invalid("Căn cứ thu hồi thứ %[1]d: mã “%[2]s” không hợp lệ", "revocation ground %[1]d: code %[2]q is not valid", i+1, g.Code)
		case seen[g.Code]:
			return Invalid("Căn cứ thu hồi “%[1]s” bị khai báo hai lần", "revocation ground %[1]q is declared twice", g.Code)
		case strings.TrimSpace(g.LabelVI) == "" || strings.TrimSpace(g.LabelEN) == "":
			return Invalid("Căn cứ thu hồi “%[1]s” cần tên bằng tiếng Việt và tiếng Anh", "revocation ground %[1]q needs a Vietnamese and an English label", g.Code)
		case strings.TrimSpace(g.Citation) == "":
			return Invalid("Căn cứ thu hồi “%[1]s” cần trích dẫn điều khoản", "revocation ground %[1]q needs the article it rests on", g.Code)
		}
		seen[g.Code] = true
	}
	return nil
}

func validCode(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// RevokedAwardee is one awardee a revocation names, with the bonus to recover.
type RevokedAwardee struct {
	ProposalID string      `json:"proposal_id"`
	Name       string      `json:"name"`
	Position   string      `json:"position,omitempty"`
	UnitID     string      `json:"unit_id,omitempty"`
	PersonID   string      `json:"person_id,omitempty"`
	Kind       NomineeKind `json:"kind"`
	Year       int         `json:"year"`
	Amount     int64       `json:"amount"` // đồng, as the original decision awarded it
}

// RevocationTarget is the issued decision a revocation is asked for, as the register
// keeps it: its awardees and which of them are revoked already.
type RevocationTarget struct {
	DocumentID string
	Kind       string // the register's document kind; only "decision" can be revoked
	NumberText string
	IssuedAt   time.Time
	AwardType  string
	Awardees   []RevokedAwardee
	Revoked    []string // proposal ids already revoked
}

// RevocationRequest is what the requester asks: which awardees (empty: every awardee
// still in force), on which ground, and why.
type RevocationRequest struct {
	DocumentID string   `json:"document_id"`
	Awardees   []string `json:"awardees,omitempty"`
	Ground     string   `json:"ground"`
	Reason     string   `json:"reason"`
}

// CanRequestRevocation reports whether the actor may ask for a revocation: the head who
// decides the awards, or the council's secretary (the standing body that prepares it).
func CanRequestRevocation(a Actor, headID string) error {
	if a.actsAs(RoleSecretary) || (headID != "" && a.ID == headID) {
		return nil
	}
	return Forbidden("Chỉ Thủ trưởng cơ quan hoặc thư ký Hội đồng Thi đua – Khen thưởng mới được đề nghị huỷ bỏ quyết định khen thưởng",
		"only the head of the agency or the council secretary may ask for an award to be revoked")
}

// CheckRevocationRequest checks a request against the decision it names and the rules,
// and answers the awardees it revokes (in the decision's order).
func CheckRevocationRequest(a Actor, headID string, t RevocationTarget, req RevocationRequest, rules RevocationRules) ([]RevokedAwardee, error) {
	if err := CanRequestRevocation(a, headID); err != nil {
		return nil, err
	}
	if t.Kind != "decision" {
		return nil, WrongStage("Chỉ huỷ bỏ được quyết định khen thưởng (văn bản %[1]s không phải quyết định khen thưởng)",
			"only award decisions can be revoked (%[1]s is not one)", t.NumberText)
	}
	if _, ok := rules.Ground(req.Ground); !ok {
		return nil, Invalid("Cần chọn một căn cứ huỷ bỏ theo quy định (mã “%[1]s” không có trong danh mục)",
			"choose one of the configured legal grounds (%[1]q is not one)", req.Ground)
	}
	if err := checkReason(req.Reason, "huỷ bỏ khen thưởng", "revoke an award"); err != nil {
		return nil, err
	}
	inForce := slices.DeleteFunc(slices.Clone(t.Awardees), func(x RevokedAwardee) bool { return slices.Contains(t.Revoked, x.ProposalID) })
	if len(inForce) == 0 {
		return nil, Duplicate("Mọi trường hợp của quyết định %[1]s đã bị huỷ bỏ", "every award of decision %[1]s is revoked already", t.NumberText)
	}
	if len(req.Awardees) == 0 {
		return inForce, nil
	}
	seen := map[string]bool{}
	for _, id := range req.Awardees {
		switch {
		case seen[id]:
			return nil, Invalid("Trường hợp %[1]s được chọn hai lần", "awardee %[1]s is listed twice", id)
		case slices.Contains(t.Revoked, id):
			return nil, Duplicate("Khen thưởng của trường hợp %[1]s đã bị huỷ bỏ", "the award of %[1]s is revoked already", id)
		case !slices.ContainsFunc(t.Awardees, func(x RevokedAwardee) bool { return x.ProposalID == id }):
			return nil, Invalid("Trường hợp %[1]s không có trong quyết định %[2]s", "%[1]s is not an awardee of decision %[2]s", id, t.NumberText)
		}
		seen[id] = true
	}
	return slices.DeleteFunc(inForce, func(x RevokedAwardee) bool { return !seen[x.ProposalID] }), nil
}

// Revocation is one revocation on its way from draft to issue.
type Revocation struct {
	ID             string           `json:"id"`
	DocumentID     string           `json:"document_id"` // the original decision
	OriginalNumber string           `json:"original_number"`
	OriginalIssued time.Time        `json:"original_issued"`
	AwardType      string           `json:"award_type"`
	Awardees       []RevokedAwardee `json:"awardees"`
	Ground         string           `json:"ground"`
	Reason         string           `json:"reason"`
	RequestedBy    string           `json:"requested_by"`
	RequestedAt    time.Time        `json:"requested_at"`
	// Document is the revocation decision itself, through the same lifecycle as an award
	// decision (its Awardees are the proposal ids revoked).
	Document PendingDocument `json:"document"`
}

// Recovery is the total bonus to recover.
func (r *Revocation) Recovery() int64 {
	var n int64
	for _, x := range r.Awardees {
		n += x.Amount
	}
	return n
}

// NewRevocation starts a revocation with its first draft before the signer.
func NewRevocation(id string, t RevocationTarget, awardees []RevokedAwardee, req RevocationRequest, by Actor, signer SignerRef, draft DocumentRef, now, due time.Time) Revocation {
	ids := make([]string, len(awardees))
	for i, x := range awardees {
		ids[i] = x.ProposalID
	}
	r := Revocation{ID: id, DocumentID: t.DocumentID, OriginalNumber: t.NumberText, OriginalIssued: t.IssuedAt, AwardType: t.AwardType,
		Awardees: slices.Clone(awardees), Ground: req.Ground, Reason: strings.TrimSpace(req.Reason), RequestedBy: by.ID, RequestedAt: now}
	r.Document = NewPendingDocument(id, DocKindRevocation, t.AwardType, ids, signer, draft, now, due)
	return r
}

// CheckApprove reports whether the actor may approve and sign the revocation decision.
func (r *Revocation) CheckApprove(a Actor) error { return r.Document.checkSigner(a) }

// Approve records the signer's signature.
func (r *Revocation) Approve(a Actor, signed DocumentRef, now time.Time) error {
	if err := r.CheckApprove(a); err != nil {
		return err
	}
	d := &r.Document
	d.Status, d.Signed, d.SignedAt, d.Overdue = DocAwaitingIssue, &signed, now, false
	d.record(a, now, DocActionApproved, "", nil)
	return nil
}

// CheckSendBack reports whether the signer may send the draft back, with a reason.
func (r *Revocation) CheckSendBack(a Actor, reason string) error {
	if err := r.Document.checkSigner(a); err != nil {
		return err
	}
	return checkReason(reason, "trả lại dự thảo", "send the draft back")
}

// SendBack returns the draft to whoever asked for the revocation.
func (r *Revocation) SendBack(a Actor, reason string, now time.Time) error {
	if err := r.CheckSendBack(a, reason); err != nil {
		return err
	}
	d := &r.Document
	d.Status, d.SentBackReason, d.Overdue = DocSentBack, strings.TrimSpace(reason), false
	d.record(a, now, DocActionSentBack, d.SentBackReason, nil)
	return nil
}

// checkRequester: after a send-back, the person who asked (or a council secretary)
// revises or abandons the request.
func (r *Revocation) checkRequester(a Actor) error {
	if a.ID != r.RequestedBy && !a.actsAs(RoleSecretary) {
		return Forbidden("Chỉ người đề nghị huỷ bỏ hoặc thư ký Hội đồng mới được sửa hoặc huỷ đề nghị này",
			"only the person who asked for the revocation or the council secretary may revise or drop it")
	}
	if r.Document.Status != DocSentBack {
		return WrongStage("Văn bản đang ở bước “%[1]s”, không bị trả lại", "the document is %[2]s, not sent back", r.Document.Status.LabelVI(), r.Document.Status)
	}
	return nil
}

// recordRequester records the requester's act, or the secretary's (for whom, under a
// delegation).
func (r *Revocation) recordRequester(a Actor, now time.Time, action DocAction, reason string) {
	if a.ID == r.RequestedBy {
		r.Document.record(a, now, action, reason, nil)
		return
	}
	r.Document.recordAs(a, RoleSecretary, now, action, reason, nil)
}

// CheckRevise reports whether the actor may revise the request after a send-back: a new
// reason (and optionally another ground from the rules).
func (r *Revocation) CheckRevise(a Actor, ground, reason string, rules RevocationRules) error {
	if err := r.checkRequester(a); err != nil {
		return err
	}
	if ground != "" {
		if _, ok := rules.Ground(ground); !ok {
			return Invalid("Cần chọn một căn cứ huỷ bỏ theo quy định (mã “%[1]s” không có trong danh mục)",
				"choose one of the configured legal grounds (%[1]q is not one)", ground)
		}
	}
	return checkReason(reason, "huỷ bỏ khen thưởng", "revoke an award")
}

// Revise puts the revised draft before the signer again.
func (r *Revocation) Revise(a Actor, ground, reason string, rules RevocationRules, draft DocumentRef, now, due time.Time) error {
	if err := r.CheckRevise(a, ground, reason, rules); err != nil {
		return err
	}
	if ground != "" {
		r.Ground = ground
	}
	r.Reason = strings.TrimSpace(reason)
	d := &r.Document
	d.Revision++
	d.Status, d.Draft, d.DueAt, d.Overdue = DocAwaitingSignature, &draft, due, false
	r.recordRequester(a, now, DocActionRevised, r.Reason)
	return nil
}

// CheckAbandon reports whether the actor may drop the request after a send-back.
func (r *Revocation) CheckAbandon(a Actor, reason string) error {
	if err := r.checkRequester(a); err != nil {
		return err
	}
	return checkReason(reason, "huỷ dự thảo", "abandon the draft")
}

// Abandon ends the request: the awards stay in force and no number is taken.
func (r *Revocation) Abandon(a Actor, reason string, now time.Time) error {
	if err := r.CheckAbandon(a, reason); err != nil {
		return err
	}
	r.Document.Status = DocAbandoned
	r.recordRequester(a, now, DocActionAbandon, strings.TrimSpace(reason))
	return nil
}

// CheckIssue reports whether the actor may issue the signed revocation: a văn thư.
func (r *Revocation) CheckIssue(a Actor) error {
	if err := r.Document.CheckClerk(a); err != nil {
		return err
	}
	if r.Document.Status != DocAwaitingIssue {
		return WrongStage("Văn bản đang ở bước “%[1]s”, không chờ phát hành", "the document is %[2]s, not waiting to be issued", r.Document.Status.LabelVI(), r.Document.Status)
	}
	return nil
}

// Issue records the numbered, dated and sealed revocation decision.
func (r *Revocation) Issue(a Actor, issued DecisionRef, now time.Time) error {
	if err := r.CheckIssue(a); err != nil {
		return err
	}
	issued = issued.IssuedBy(a)
	r.Document.Status, r.Document.Issued = DocIssued, &issued
	r.Document.recordAs(a, RoleClerk, now, DocActionIssued, issued.NumberText, nil)
	return nil
}

// MarkOverdue flags a draft whose signer let the deadline pass.
func (r *Revocation) MarkOverdue(now time.Time) bool {
	d := &r.Document
	if d.Status == DocAwaitingSignature && !d.Overdue && !d.DueAt.IsZero() && !now.Before(d.DueAt) {
		d.Overdue = true
		d.record(Actor{ID: "system", Name: "Hệ thống"}, now, DocActionOverdue, "", nil)
		return true
	}
	return false
}

// Waiters lists who must act now: the signer (and, overdue, those escalated to), the
// requester and secretaries after a send-back, the văn thư once signed.
func (r *Revocation) Waiters(secretaries, clerks, escalate []string) []string {
	var out []string
	add := func(ids ...string) {
		for _, id := range ids {
			if id != "" && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	switch r.Document.Status {
	case DocAwaitingSignature:
		add(r.Document.Signer.ID)
		if r.Document.Overdue {
			add(escalate...)
		}
	case DocSentBack:
		add(r.RequestedBy)
		add(secretaries...)
	case DocAwaitingIssue:
		add(clerks...)
	}
	return out
}

// RevocationActions lists what the actor may do with the revocation now (the pages show
// these buttons; the workflow's validators run the same checks).
func (r *Revocation) Actions(a Actor) []string {
	var out []string
	if r.CheckApprove(a) == nil {
		out = append(out, "approve", "send_back")
	}
	if r.checkRequester(a) == nil {
		out = append(out, "revise", "abandon")
	}
	if r.CheckIssue(a) == nil {
		out = append(out, "issue")
	}
	return out
}
