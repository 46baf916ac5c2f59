package award

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Stage is where a proposal stands in its life.
type Stage string

const (
	StageDraft      Stage = "draft"       // being prepared by the proposer
	StageSubmitted  Stage = "submitted"   // waits for the department head
	StageReturned   Stage = "returned"    // sent back to the proposer for revision
	StageRejected   Stage = "rejected"    // refused by the department head (final)
	StageEndorsed   Stage = "endorsed"    // waits for a council session
	StageInSession  Stage = "in_session"  // on the agenda of an open council session
	StageAwarded    Stage = "awarded"     // the council passed it (final)
	StageNotAwarded Stage = "not_awarded" // the council did not pass it (final)
	// StageProposedUpward: the council passed an award above the agency's authority and
	// the agency proposed it upward with a submission (tờ trình); the higher body decides
	// outside this system (final here).
	StageProposedUpward Stage = "proposed_upward"
)

// Final reports whether no further human step can change the stage.
func (s Stage) Final() bool {
	return s == StageRejected || s == StageAwarded || s == StageNotAwarded || s == StageProposedUpward || s == StageDeleted
}

// NomineeKind says whether an award goes to a person or to a collective.
type NomineeKind string

const (
	KindIndividual NomineeKind = "individual"
	KindCollective NomineeKind = "collective"
)

// CriterionAnswer is the nominee's self-assessment of one criterion.
type CriterionAnswer struct {
	CriterionID string   `json:"criterion_id"`
	Met         bool     `json:"met"`
	Note        string   `json:"note,omitempty"`
	Evidence    []string `json:"evidence,omitempty"` // SHA-256 of attached evidence files
}

// Evidence is a file kept in object storage; the proposal holds only its reference.
type Evidence struct {
	SHA256      string    `json:"sha256"`
	Key         string    `json:"key"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	AddedBy     string    `json:"added_by"`
	AddedAt     time.Time `json:"added_at"`
}

// Event is one line of the proposal's history: who did what, when.
type Event struct {
	At      time.Time `json:"at"`
	ActorID string    `json:"actor_id"`
	Actor   string    `json:"actor"`
	Action  Action    `json:"action"`
	Comment string    `json:"comment,omitempty"`
	Stage   Stage     `json:"stage"`
	// OnBehalfOf: the actor acted for this person under a delegation (thay mặt).
	OnBehalfOfID string `json:"on_behalf_of_id,omitempty"`
	OnBehalfOf   string `json:"on_behalf_of,omitempty"`
}

// Outcome is what the council decided on a proposal.
type Outcome struct {
	SessionID  string `json:"session_id"`
	Passed     bool   `json:"passed"`
	Yes        int    `json:"yes"`
	No         int    `json:"no"`
	Abstain    int    `json:"abstain"`
	Reason     string `json:"reason"`
	DecisionID string `json:"decision_id,omitempty"`
	NumberText string `json:"decision_number,omitempty"`
	// Upward: the award is above the agency's authority; DecisionID/NumberText then name
	// the submission (tờ trình) that proposed it upward.
	Upward bool `json:"upward,omitempty"`
	// Excluded: the secretary took the proposal off the session after the vote, because
	// its documents could not be issued; it waits for the council again.
	Excluded bool `json:"excluded,omitempty"`
	// Revote: the proposal passed the vote but was tied with others at a quota's cut;
	// it waits for the council to vote on it again.
	Revote bool `json:"revote,omitempty"`
}

// Draft is what a proposer files or revises.
type Draft struct {
	AwardType   string      `json:"award_type"`
	MovementID  string      `json:"movement_id"`
	Kind        NomineeKind `json:"kind"`
	NomineeName string      `json:"nominee_name"`
	// NomineeID links an individual nominee to a person of the directory (see
	// ResolveNominee); empty for collectives and people without an account.
	NomineeID       string `json:"nominee_id,omitempty"`
	NomineePosition string `json:"nominee_position"`
	Department      string `json:"department"`
	Achievements    string `json:"achievements"`
}

// Limits on free text, so a proposal stays far below Temporal's payload limits.
const (
	maxNameLen = 200
	maxTextLen = 20000
	// MaxEvidence is the number of files one proposal may carry.
	MaxEvidence = 50
)

// Validate checks the shape of a draft (not the catalogue: see Catalog.CheckDraft).
func (d Draft) Validate() error {
	if strings.TrimSpace(d.AwardType) == "" {
		return Invalid("Chưa chọn hình thức khen thưởng", "award_type is required")
	}
	if strings.TrimSpace(d.MovementID) == "" {
		return Invalid("Chưa chọn phong trào thi đua", "movement_id is required")
	}
	if d.Kind != KindIndividual && d.Kind != KindCollective {
		return Invalid("Đối tượng phải là cá nhân hoặc tập thể", "kind must be individual or collective")
	}
	if strings.TrimSpace(d.NomineeName) == "" {
		return Invalid("Chưa nhập tên cá nhân/tập thể được đề nghị", "nominee_name is required")
	}
	if utf8.RuneCountInString(d.NomineeName) > maxNameLen || utf8.RuneCountInString(d.NomineePosition) > maxNameLen {
		return Invalid("Tên hoặc chức vụ quá dài (tối đa %d ký tự)", "name or position longer than %d characters", maxNameLen)
	}
	if utf8.RuneCountInString(d.Achievements) > maxTextLen {
		return Invalid("Phần thành tích quá dài (tối đa %d ký tự)", "achievements longer than %d characters", maxTextLen)
	}
	if !utf8.ValidString(d.NomineeName + d.NomineePosition + d.Achievements) {
		return Invalid("Văn bản không phải UTF-8 hợp lệ", "text is not valid UTF-8")
	}
	return nil
}

// Clean normalises the draft's text (CleanLine, CleanBlock: NFC, printable on the
// document) and checks its shape.
func (d Draft) Clean() (Draft, error) {
	var err error
	if d.NomineeName, err = CleanLine(FieldNomineeName, d.NomineeName); err != nil {
		return d, err
	}
	if d.NomineePosition, err = CleanLine(FieldNomineePosition, d.NomineePosition); err != nil {
		return d, err
	}
	if d.Achievements, err = CleanBlock(FieldAchievements, d.Achievements); err != nil {
		return d, err
	}
	return d, d.Validate()
}

// Proposal is one request for one award for one nominee (hồ sơ đề nghị khen thưởng).
type Proposal struct {
	ID             string            `json:"id"`
	Draft                            // the nominee and the award asked for
	ProposerID     string            `json:"proposer_id"`
	ProposerName   string            `json:"proposer_name"`
	RuleSet        string            `json:"rule_set"` // which effective-dated rule set judges it
	SelfAssessment []CriterionAnswer `json:"self_assessment"`
	Evidence       []Evidence        `json:"evidence"`
	Stage          Stage             `json:"stage"`
	SessionID      string            `json:"session_id,omitempty"`
	Outcome        *Outcome          `json:"outcome,omitempty"`
	// Overdue: the department head let the review deadline pass; the review was
	// escalated (it stays the head's to do, others now see it in their inbox too).
	Overdue bool `json:"overdue,omitempty"`
	// EscalatedTo: the people the overdue review was escalated to (the agency's
	// EscalateTo roles, none concerned by the proposal). They may review it too, in
	// their own right, while it waits (ReviewingFor).
	EscalatedTo []string `json:"escalated_to,omitempty"`
	// Reviewers may endorse, return or reject it (see Reviewers).
	Reviewers []string  `json:"reviewers,omitempty"`
	History   []Event   `json:"history"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// legacy: filed before text checks and configured reviewers existed. Its workflow
	// replays under the rules it ran with (see NewLegacyProposal).
	legacy bool
}

// NewProposal files a proposal in the draft stage.
func NewProposal(id string, d Draft, proposer Actor, ruleSet string, now time.Time) (*Proposal, error) {
	return newProposal(id, d, proposer, ruleSet, now, false)
}

// NewLegacyProposal rebuilds a proposal filed before text was checked on entry and before
// reviewers were configured: workflows started then replay with it, so that their recorded
// steps give the same results. New proposals use NewProposal.
func NewLegacyProposal(id string, d Draft, proposer Actor, ruleSet string, now time.Time) (*Proposal, error) {
	return newProposal(id, d, proposer, ruleSet, now, true)
}

func newProposal(id string, d Draft, proposer Actor, ruleSet string, now time.Time, legacy bool) (*Proposal, error) {
	p := &Proposal{ID: id, ProposerID: proposer.ID, ProposerName: proposer.Name, RuleSet: ruleSet, Stage: StageDraft, CreatedAt: now, legacy: legacy}
	d, err := p.cleanDraft(d)
	if err != nil {
		return nil, err
	}
	if d.Department == "" {
		d.Department = proposer.Department
	}
	p.Draft = d
	p.record(proposer, now, ActionCreate, "")
	return p, nil
}

func (p *Proposal) cleanDraft(d Draft) (Draft, error) {
	if p.legacy {
		return d, d.Validate()
	}
	return d.Clean()
}

func (p *Proposal) cleanText(f TextField, s string, multiline bool) (string, error) {
	switch {
	case p.legacy:
		return s, nil
	case multiline:
		return CleanBlock(f, s)
	}
	return CleanLine(f, s)
}

// Legacy reports whether the proposal was filed before text checks and configured
// reviewers existed (see NewLegacyProposal).
func (p *Proposal) Legacy() bool { return p.legacy }

// CheckFiledBy reports whether the actor filed the proposal: only they may repeat the
// filing request and get the proposal back.
func (p *Proposal) CheckFiledBy(a Actor) error {
	if a.ID != p.ProposerID {
		return Forbidden("Hồ sơ này do người khác lập", "the proposal belongs to someone else")
	}
	return nil
}

// SetReviewers works out who reviews the proposal from the heads of its department and
// the reviewers of heads' proposals (see Reviewers). Legacy proposals keep the old rule.
func (p *Proposal) SetReviewers(heads, headReviewers []string) {
	if !p.legacy {
		p.Reviewers = Reviewers(p.ProposerID, p.NomineeID, heads, headReviewers)
	}
}

// Concerns reports whether the proposal is the person's own: they filed it or it
// nominates them.
func (p *Proposal) Concerns(id string) bool {
	return id == p.ProposerID || (p.NomineeID != "" && id == p.NomineeID)
}

func (p *Proposal) record(a Actor, now time.Time, action Action, comment string) {
	p.History = append(p.History, Event{At: now, ActorID: a.ID, Actor: a.Name, Action: action, Comment: comment, Stage: p.Stage})
	p.UpdatedAt = now
}

// CanView reports whether the actor may see the proposal and its evidence: the proposer,
// the nominee, its reviewers, the heads of its department, the council and admins.
func (p *Proposal) CanView(a Actor) bool {
	switch {
	case p.Concerns(a.ID), a.Has(RoleAdmin), a.OnCouncil(), slices.Contains(p.Reviewers, a.ID):
		return true
	case !p.legacy && slices.ContainsFunc(a.ActingFor(DelegationReview), func(id string) bool { return slices.Contains(p.Reviewers, id) }):
		return true // a delegate of one of its reviewers
	case a.Has(RoleHead) && a.Department == p.Department:
		return true
	}
	return false
}

func (p *Proposal) editable() bool { return p.Stage == StageDraft || p.Stage == StageReturned }

// CheckEdit reports whether the actor may change the draft, self-assessment or evidence.
func (p *Proposal) CheckEdit(a Actor) error {
	if a.ID != p.ProposerID {
		return Forbidden("Chỉ người lập hồ sơ mới được sửa hồ sơ", "only the proposer may change the proposal")
	}
	if !p.editable() {
		return WrongStage("Hồ sơ đang ở bước “%[1]s”, không thể sửa", "the proposal is %[2]s and cannot be changed", p.Stage.LabelVI(), p.Stage)
	}
	return nil
}

// CheckRevise reports whether the actor may replace the draft with d, and returns d
// cleaned as Revise would keep it.
func (p *Proposal) CheckRevise(a Actor, d Draft) (Draft, error) {
	if err := p.CheckEdit(a); err != nil {
		return d, err
	}
	d, err := p.cleanDraft(d)
	if err != nil {
		return d, err
	}
	if d.Department == "" {
		d.Department = p.Department
	}
	if d.Department != p.Department {
		return d, Invalid("Không thể chuyển hồ sơ sang phòng khác", "the department of a proposal cannot change")
	}
	return d, nil
}

// Revise replaces the draft data.
func (p *Proposal) Revise(a Actor, d Draft, now time.Time) error {
	d, err := p.CheckRevise(a, d)
	if err != nil {
		return err
	}
	p.Draft = d
	p.record(a, now, ActionRevise, "")
	return nil
}

// CheckSelfAssess validates a self-assessment against the criteria the movement sets
// for the nominee's kind.
func (p *Proposal) CheckSelfAssess(a Actor, answers []CriterionAnswer, criteria []Criterion) error {
	if err := p.CheckEdit(a); err != nil {
		return err
	}
	_, err := p.checkAnswers(answers, criteria)
	return err
}

// checkAnswers checks the answers and returns them with their notes cleaned.
func (p *Proposal) checkAnswers(answers []CriterionAnswer, criteria []Criterion) ([]CriterionAnswer, error) {
	out := make([]CriterionAnswer, 0, len(answers))
	known := map[string]bool{}
	for _, c := range criteria {
		known[c.ID] = true
	}
	seen := map[string]bool{}
	for _, ans := range answers {
		if !known[ans.CriterionID] {
			return nil, Invalid("Tiêu chí “%s” không thuộc phong trào này", "criterion %q is not part of this movement", ans.CriterionID)
		}
		if seen[ans.CriterionID] {
			return nil, Invalid("Tiêu chí “%s” được đánh giá hai lần", "criterion %q answered twice", ans.CriterionID)
		}
		seen[ans.CriterionID] = true
		if utf8.RuneCountInString(ans.Note) > maxTextLen {
			return nil, Invalid("Ghi chú quá dài", "note too long")
		}
		note, err := p.cleanText(FieldNote, ans.Note, true)
		if err != nil {
			return nil, err
		}
		for _, sha := range ans.Evidence {
			if p.evidence(sha) == nil {
				return nil, Invalid("Minh chứng %s chưa được tải lên hồ sơ này", "evidence %s is not attached to this proposal", short(sha))
			}
		}
		ans.Note = note
		ans.Evidence = slices.Clone(ans.Evidence)
		out = append(out, ans)
	}
	if len(seen) != len(known) {
		return nil, Invalid("Cần tự đánh giá đủ %d tiêu chí (mới có %d)", "all %d criteria must be answered (got %d)", len(known), len(seen))
	}
	return out, nil
}

// SelfAssess records the nominee's self-assessment.
func (p *Proposal) SelfAssess(a Actor, answers []CriterionAnswer, criteria []Criterion, now time.Time) error {
	if err := p.CheckEdit(a); err != nil {
		return err
	}
	answers, err := p.checkAnswers(answers, criteria)
	if err != nil {
		return err
	}
	p.SelfAssessment = answers
	p.record(a, now, ActionSelfAssess, "")
	return nil
}

func (p *Proposal) evidence(sha string) *Evidence {
	for i := range p.Evidence {
		if p.Evidence[i].SHA256 == sha {
			return &p.Evidence[i]
		}
	}
	return nil
}

// CheckUpload reports whether the actor may upload evidence now. The HTTP layer calls
// it before streaming the file, so a refused upload never reaches storage.
func (p *Proposal) CheckUpload(a Actor) error {
	if err := p.CheckEdit(a); err != nil {
		return err
	}
	if len(p.Evidence) >= MaxEvidence {
		return Invalid("Hồ sơ đã có tối đa %d minh chứng", "the proposal already has the maximum of %d files", MaxEvidence)
	}
	return nil
}

// CheckAttach reports whether the actor may list the uploaded file e on the proposal,
// and returns e as Attach would list it. Content already listed needs only the right to
// edit (attaching it again changes nothing).
func (p *Proposal) CheckAttach(a Actor, e Evidence) (Evidence, error) {
	if p.evidence(e.SHA256) != nil {
		return e, p.CheckEdit(a)
	}
	if err := p.CheckUpload(a); err != nil {
		return e, err
	}
	if len(e.SHA256) != 64 || e.Key == "" {
		return e, Invalid("Thông tin minh chứng không hợp lệ", "evidence reference is incomplete")
	}
	name, err := p.cleanText(FieldFileName, e.Name, false)
	if err != nil {
		return e, err
	}
	if !p.legacy && (name == "" || utf8.RuneCountInString(name) > maxNameLen) {
		return e, Invalid("Tên tệp minh chứng trống hoặc dài quá %d ký tự", "evidence file name empty or longer than %d characters", maxNameLen)
	}
	e.Name = name
	return e, nil
}

// Attach lists an uploaded file on the proposal. Attaching the same content twice is a no-op
// that returns false, so a retried upload never duplicates the list.
func (p *Proposal) Attach(a Actor, e Evidence, now time.Time) (bool, error) {
	e, err := p.CheckAttach(a, e)
	if err != nil || p.evidence(e.SHA256) != nil {
		return false, err
	}
	e.AddedBy, e.AddedAt = a.ID, now
	p.Evidence = append(p.Evidence, e)
	p.record(a, now, ActionAttachEvidence, e.Name)
	return true, nil
}

// CheckSubmit reports whether the proposer may send the proposal to the department head.
func (p *Proposal) CheckSubmit(a Actor, criteria []Criterion) error {
	if err := p.CheckEdit(a); err != nil {
		return err
	}
	if len(criteria) > 0 && len(p.SelfAssessment) != len(criteria) {
		return Invalid("Cần hoàn thành tự đánh giá theo các tiêu chí trước khi gửi", "complete the self-assessment before submitting")
	}
	if !p.legacy && len(p.Reviewers) == 0 {
		return Invalid("Không có ai được phân công xác nhận hồ sơ này (người lập và người được đề nghị không tự xác nhận); cần bổ sung người xác nhận trong cấu hình cơ quan",
			"nobody may review this proposal (its proposer and nominee cannot); the organisation config must name a reviewer")
	}
	return nil
}

// Submit sends the proposal to the department head.
func (p *Proposal) Submit(a Actor, criteria []Criterion, now time.Time) error {
	if err := p.CheckSubmit(a, criteria); err != nil {
		return err
	}
	p.Stage, p.Overdue = StageSubmitted, false
	p.record(a, now, ActionSubmit, "")
	return nil
}

// MarkOverdue records that the review deadline passed without a decision. It is a no-op
// unless the proposal still waits for its head.
// escalateTo are the people the review is escalated to; those concerned by the proposal
// are left out (nobody reviews a proposal they filed or that nominates them).
func (p *Proposal) MarkOverdue(now time.Time, days int, escalateTo ...string) bool {
	if p.Stage != StageSubmitted || p.Overdue {
		return false
	}
	p.Overdue = true
	p.EscalatedTo = nil
	for _, id := range escalateTo {
		if id != "" && !p.Concerns(id) && !slices.Contains(p.EscalatedTo, id) {
			p.EscalatedTo = append(p.EscalatedTo, id)
		}
	}
	p.record(Actor{ID: "system", Name: "Hệ thống"}, now, ActionReviewOverdue,
		"Quá hạn xác nhận "+itoa(days)+" ngày; đã báo cáo lãnh đạo cơ quan")
	return true
}

// HeadDecision is what a department head does with a submitted proposal.
type HeadDecision string

const (
	HeadEndorse HeadDecision = "endorse"
	HeadReturn  HeadDecision = "return"
	HeadReject  HeadDecision = "reject"
)

// CheckReview reports whether the actor may endorse, return or reject the proposal.
func (p *Proposal) CheckReview(a Actor, d HeadDecision, comment string) error {
	switch d {
	case HeadEndorse, HeadReturn, HeadReject:
	default:
		return Invalid("Thao tác xét duyệt “%s” không hợp lệ", "unknown review action %q", d)
	}
	if p.Concerns(a.ID) {
		return Forbidden("Không được tự xác nhận hồ sơ do mình lập hoặc đề nghị khen thưởng chính mình", "nobody may review a proposal they filed or that nominates them")
	}
	if p.legacy {
		if !a.Has(RoleHead) {
			return Forbidden("Chỉ lãnh đạo phòng mới được xác nhận hồ sơ", "only a department head may review proposals")
		}
		if a.Department != p.Department {
			return Forbidden("Chỉ lãnh đạo phòng của người được đề nghị mới được xác nhận", "only the head of the nominee's department may review")
		}
	} else if _, ok := p.ReviewingFor(a); !ok {
		if len(a.ActingFor(DelegationReview)) > 0 {
			return Forbidden("Bạn không phải người xác nhận hồ sơ này, và không ai trong số người xác nhận đang ủy quyền cho bạn", "you are not a reviewer of this proposal, and none of its reviewers has delegated the review to you")
		}
		return Forbidden("Bạn không phải người xác nhận hồ sơ này", "you are not a reviewer of this proposal")
	}
	if p.Stage != StageSubmitted {
		return WrongStage("Hồ sơ đang ở bước “%[1]s”, không chờ xác nhận", "the proposal is %[2]s, not waiting for review", p.Stage.LabelVI(), p.Stage)
	}
	if (d == HeadReturn || d == HeadReject) && strings.TrimSpace(comment) == "" {
		return Invalid("Cần ghi rõ lý do khi trả lại hoặc không xác nhận", "a comment is required to return or reject")
	}
	if utf8.RuneCountInString(comment) > maxTextLen {
		return Invalid("Ý kiến quá dài", "comment too long")
	}
	_, err := p.cleanText(FieldComment, comment, true)
	return err
}

// Review applies the department head's decision.
func (p *Proposal) Review(a Actor, d HeadDecision, comment string, now time.Time) error {
	if err := p.CheckReview(a, d, comment); err != nil {
		return err
	}
	comment, _ = p.cleanText(FieldComment, comment, true)
	p.Overdue = false
	switch d {
	case HeadEndorse:
		p.Stage = StageEndorsed
	case HeadReturn:
		p.Stage = StageReturned
	case HeadReject:
		p.Stage = StageRejected
	}
	p.record(a, now, d.Action(), comment)
	if m, ok := p.ReviewingFor(a); ok && m.ForID != "" {
		e := &p.History[len(p.History)-1]
		e.OnBehalfOfID, e.OnBehalfOf = m.ForID, m.ForName
	}
	return nil
}

// ReviewingFor reports whether the actor reviews the proposal: as one of its reviewers
// (the zero Mandate), or for one of them under a live delegation. Either way the actor
// themselves must not be concerned (CheckReview refuses that first), and neither is the
// reviewer they act for (Reviewers never lists a concerned person). Legacy proposals
// are reviewed by role and take no delegation.
func (p *Proposal) ReviewingFor(a Actor) (Mandate, bool) {
	if p.legacy {
		return Mandate{}, false
	}
	if slices.Contains(p.Reviewers, a.ID) {
		return Mandate{}, true
	}
	if p.Overdue && p.Stage == StageSubmitted && slices.Contains(p.EscalatedTo, a.ID) {
		return Mandate{}, true // escalated: the review is theirs too, in their own right
	}
	m, ok := a.mandateFor(DelegationReview, p.Reviewers)
	if !ok || p.Concerns(m.ForID) {
		return Mandate{}, false
	}
	return m, true
}

// CheckJoinSession reports whether the proposal can be put on a council session's agenda.
func (p *Proposal) CheckJoinSession(sessionID string) error {
	if p.Stage == StageInSession && p.SessionID == sessionID {
		return nil // a retried assignment
	}
	if p.Stage != StageEndorsed {
		return WrongStage("Hồ sơ đề nghị khen thưởng %[1]s đang ở bước “%[2]s”, chưa thể đưa ra Hội đồng", "the proposal for %[1]s is %[3]s, not waiting for the council", p.NomineeName, p.Stage.LabelVI(), p.Stage)
	}
	return nil
}

// JoinSession puts the proposal on a session's agenda.
func (p *Proposal) JoinSession(a Actor, sessionID string, now time.Time) error {
	if err := p.CheckJoinSession(sessionID); err != nil {
		return err
	}
	if p.Stage == StageInSession {
		return nil
	}
	p.Stage, p.SessionID = StageInSession, sessionID
	p.record(a, now, ActionCouncilSession, sessionID)
	return nil
}

// CheckOutcome reports whether the session's outcome may be applied.
func (p *Proposal) CheckOutcome(o Outcome) error {
	if p.Outcome != nil && p.Outcome.SessionID == o.SessionID {
		return nil // a retried delivery
	}
	if p.Stage != StageInSession || p.SessionID != o.SessionID {
		return WrongStage("Hồ sơ không thuộc phiên họp %s", "the proposal is not on session %s", o.SessionID)
	}
	return nil
}

// ApplyOutcome records the council's decision. Without a quorum the proposal goes back
// to waiting for a council session instead of being refused.
func (p *Proposal) ApplyOutcome(a Actor, o Outcome, quorumMet bool, now time.Time) error {
	if err := p.CheckOutcome(o); err != nil {
		return err
	}
	if p.Outcome != nil && p.Outcome.SessionID == o.SessionID {
		return nil
	}
	switch {
	case o.Excluded:
		p.Stage, p.SessionID = StageEndorsed, ""
		p.record(a, now, ActionCouncilExcluded, o.Reason)
		return nil
	case !quorumMet:
		p.Stage, p.SessionID = StageEndorsed, ""
		p.record(a, now, ActionCouncilNoQuorum, o.Reason)
		return nil
	case o.Revote:
		p.Stage, p.SessionID = StageEndorsed, ""
		p.record(a, now, ActionCouncilRevote, o.Reason)
		return nil
	case o.Passed && o.Upward:
		p.Stage = StageProposedUpward
	case o.Passed:
		p.Stage = StageAwarded
	default:
		p.Stage = StageNotAwarded
	}
	oc := o
	p.Outcome = &oc
	p.record(a, now, ActionCouncilOutcome, o.Reason)
	return nil
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
