package award

import (
	"slices"
	"strings"
	"time"
)

// Delegation (ủy quyền xử lý công việc): a person going on leave hands the tasks they
// hold by their role to a colleague for a period. The colleague (the delegate) sees the
// tasks in their inbox and acts on them; the history says "Y (thay mặt X)"; the
// delegation ends by itself after its last day and can be withdrawn early.
//
// What is delegable, and what is not:
//
//   - The review of proposals (xác nhận hồ sơ) that a department head, or a reviewer of
//     heads' proposals, holds by role: DelegationReview. It goes to a person of the same
//     unit (the deputy head, phó trưởng phòng), who is bound by the same conflict-of-
//     interest rule as the holder: nobody reviews a proposal they filed or that nominates
//     them, acting for someone or not.
//   - The council secretary's tasks (thư ký Hội đồng): DelegationSecretary. The council
//     advises the head as a collective body (Luật Thi đua, khen thưởng 2022 Điều 90;
//     DOMAIN.md "From the vote to an issued decision"); its secretary prepares that work —
//     opening a session over the proposals that wait (the agenda), posting the list for
//     comment, revising or abandoning a draft the signer sent back, taking a proposal off
//     a failed session, asking for a revocation — and none of these is a vote, the
//     chair's close or a signature, so a colleague may do them for a period. Not the
//     chair: the chair closes the session and (as the agency head) signs or sends back
//     what the secretary prepares, and one person must not do both sides.
//   - The văn thư's tasks: DelegationClerk — numbering, dating, sealing and issuing a
//     signed document, and entering a higher body's answer in the register (DOMAIN.md:
//     "the văn thư numbers, dates, seals … and issues (NĐ30 Điều 15–16)"). They go to
//     another person of the văn thư's own unit (the office, văn phòng). DOMAIN.md puts
//     the signer and the văn thư at two distinct steps ("the authorised signer signs
//     first; then the văn thư assigns number and date and applies the agency
//     signature"): a delegate never numbers and seals a document they signed
//     (PendingDocument.CheckClerk).
//   - Council votes are not: members vote in person, by secret ballot (Luật Thi đua, khen
//     thưởng 2022 Điều 90: the council advises as a collective body; Nghị định 98/2023
//     on the councils' working rules). The chair's closing of a session is not either.
//   - Signing a decision is not a task delegation: a deputy signs "KT." for the head
//     under NĐ 30/2020/NĐ-CP Điều 13 (the signer and deputy rules of the organisation
//     configuration, orgconfig Delegations), with their own title and certificate.
//   - A delegate cannot pass on what was delegated to them (no chains): a delegation
//     covers only the tasks the delegator holds by their own role, and the server
//     resolves only the delegations made to the actor directly.

// DelegationScope is which tasks a delegation hands over.
type DelegationScope string

const (
	// DelegationReview: endorsing, returning and rejecting proposals (Reviewers).
	DelegationReview DelegationScope = "review"
	// DelegationSecretary: the council secretary's preparing work (not votes, not the
	// chair's close, not signing).
	DelegationSecretary DelegationScope = "secretary"
	// DelegationClerk: the văn thư's numbering, sealing, issuing and register entries.
	DelegationClerk DelegationScope = "clerk"
)

// DelegationScopes are the scopes a delegation may have.
var DelegationScopes = []DelegationScope{DelegationReview, DelegationSecretary, DelegationClerk}

// ScopeOfRole is the delegation scope that hands over the tasks of role r (false for a
// role whose tasks are not delegable: votes, the chair's close, admin).
func ScopeOfRole(r Role) (DelegationScope, bool) {
	switch r {
	case RoleSecretary:
		return DelegationSecretary, true
	case RoleClerk:
		return DelegationClerk, true
	}
	return "", false
}

// LabelVI names the scope for people.
func (s DelegationScope) LabelVI() string {
	switch s {
	case DelegationReview:
		return "Xác nhận hồ sơ đề nghị khen thưởng"
	case DelegationSecretary:
		return "Công việc thư ký Hội đồng"
	case DelegationClerk:
		return "Công việc văn thư"
	}
	return string(s)
}

// HintVI says in a sentence what the scope hands over and to whom (the delegation
// form shows it under the scope's choice).
func (s DelegationScope) HintVI() string {
	switch s {
	case DelegationReview:
		return "xác nhận (đồng ý, trả lại, không đồng ý) hồ sơ đề nghị khen thưởng; người nhận là người cùng đơn vị"
	case DelegationSecretary:
		return "mở phiên họp, công khai danh sách, sửa hoặc huỷ dự thảo bị trả lại, xử lý phiên họp lập văn bản không thành công, đề nghị huỷ bỏ khen thưởng; người nhận không là Chủ tịch Hội đồng"
	case DelegationClerk:
		return "cấp số, đóng dấu, phát hành văn bản đã ký và vào sổ kết quả khen thưởng của cấp trên; người nhận là người của Văn phòng và không cấp số văn bản do chính mình ký"
	}
	return ""
}

// FieldDelegationReason names the reason of a delegation in messages.
var FieldDelegationReason = TextField{"Lý do ủy quyền", "reason"}

// DefaultMaxDelegationDays bounds a delegation's period when the agency sets none.
const DefaultMaxDelegationDays = 90

// Delegation is one handing over of tasks. Start and End are days of the agency's
// calendar, both included: the delegation is live from the start of Start to the end of
// End, unless withdrawn.
type Delegation struct {
	ID          string          `json:"id"`
	FromID      string          `json:"from_id"`
	FromName    string          `json:"from_name"`
	ToID        string          `json:"to_id"`
	ToName      string          `json:"to_name"`
	Scope       DelegationScope `json:"scope"`
	Start       Date            `json:"start"`
	End         Date            `json:"end"`
	Reason      string          `json:"reason"`
	CreatedBy   string          `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
	WithdrawnAt time.Time       `json:"withdrawn_at,omitzero"`
	WithdrawnBy string          `json:"withdrawn_by,omitempty"`
}

// LiveOn reports whether the delegation is in force on day.
func (d Delegation) LiveOn(day Date) bool {
	return d.WithdrawnAt.IsZero() && !day.Before(d.Start) && !day.After(d.End)
}

// Ended reports whether the delegation is over on day: withdrawn or past its last day.
func (d Delegation) Ended(day Date) bool { return !d.WithdrawnAt.IsZero() || day.After(d.End) }

// Overlaps reports whether the periods of d and o share a day.
func (d Delegation) Overlaps(o Delegation) bool {
	return !d.End.Before(o.Start) && !o.End.Before(d.Start)
}

// Mandate is a live delegation as the actor carries it: the server resolves, at request
// time, the delegations made to the actor that are in force today, and puts them in the
// actor of the command; the workflow checks and records them from there (so a replay
// sees the same facts).
type Mandate struct {
	DelegationID string          `json:"delegation_id"`
	ForID        string          `json:"for_id"`
	ForName      string          `json:"for_name"`
	Scope        DelegationScope `json:"scope"`
}

// Mandate is the delegation as the delegate carries it.
func (d Delegation) Mandate() Mandate {
	return Mandate{DelegationID: d.ID, ForID: d.FromID, ForName: d.FromName, Scope: d.Scope}
}

// ActingFor lists the people whose scope tasks the actor holds by a live delegation.
func (a Actor) ActingFor(scope DelegationScope) []string {
	var out []string
	for _, m := range a.Acting {
		if m.Scope == scope && m.ForID != a.ID && !slices.Contains(out, m.ForID) {
			out = append(out, m.ForID)
		}
	}
	return out
}

// ActsAs reports whether the actor may do the tasks of role r: by holding it (the zero
// Mandate), or for its holder under a live delegation of the role's scope (the Mandate
// says for whom). Every secretary and văn thư check calls it — the HTTP handlers and the
// workflows' update validators alike, with the mandates the command carries. The server
// puts a mandate in the command only while the delegation is in force and its delegator
// still holds the role (LiveMandates), so a withdrawn or ended delegation, or one whose
// delegator lost the role, stops at the next command.
func (a Actor) ActsAs(r Role) (Mandate, bool) {
	if a.Has(r) {
		return Mandate{}, true
	}
	scope, ok := ScopeOfRole(r)
	if !ok {
		return Mandate{}, false
	}
	for _, m := range a.Acting {
		if m.Scope == scope && m.ForID != "" && m.ForID != a.ID {
			return m, true
		}
	}
	return Mandate{}, false
}

// actsAs is ActsAs without the mandate.
func (a Actor) actsAs(r Role) bool {
	_, ok := a.ActsAs(r)
	return ok
}

// LiveMandates are the mandates the delegate carries on day: the delegations made to
// them that are in force, whose delegator is still an active person holding the scope's
// tasks by their own role (a delegate never acts for a role the delegator lost).
// party looks a person up in the directory.
func LiveMandates(delegateID string, ds []Delegation, day Date, party func(id string) DelegationParty, headReviewers []string) []Mandate {
	f := DelegationFacts{HeadReviewers: headReviewers}
	var out []Mandate
	for _, d := range ds {
		if d.ToID != delegateID || d.FromID == delegateID || !d.LiveOn(day) {
			continue
		}
		from := party(d.FromID)
		if !from.Active || !f.holds(d.Scope, from) {
			continue
		}
		out = append(out, d.Mandate())
	}
	return out
}

// mandateFor is the actor's mandate of scope for one of holders, if any.
func (a Actor) mandateFor(scope DelegationScope, holders []string) (Mandate, bool) {
	for _, m := range a.Acting {
		if m.Scope == scope && m.ForID != a.ID && slices.Contains(holders, m.ForID) {
			return m, true
		}
	}
	return Mandate{}, false
}

// DelegationParty is a person of the directory as a delegation sees them.
type DelegationParty struct {
	ID         string
	Name       string
	Department string
	Roles      []Role
	Active     bool // found in the directory and not deactivated
}

// DelegationFacts is what CheckDelegation judges a delegation against.
type DelegationFacts struct {
	From, To DelegationParty
	// HeadReviewers review heads' proposals (orgconfig Agency.HeadProposalReviewers):
	// they hold the review by configuration, not by the department head role.
	HeadReviewers []string
	// Existing: the delegations not withdrawn and not ended today that involve From or
	// To (either side).
	Existing []Delegation
	// MaxDays bounds the period (DefaultMaxDelegationDays when 0).
	MaxDays int
}

// holds reports whether the person holds the scope's tasks by their own role.
func (f DelegationFacts) holds(scope DelegationScope, p DelegationParty) bool {
	switch scope {
	case DelegationReview:
		return slices.Contains(p.Roles, RoleHead) || slices.Contains(f.HeadReviewers, p.ID)
	case DelegationSecretary:
		return slices.Contains(p.Roles, RoleSecretary)
	case DelegationClerk:
		return slices.Contains(p.Roles, RoleClerk)
	}
	return false
}

// ScopesHeld are the scopes whose tasks the person holds by their own role, in the order
// of DelegationScopes (what they may delegate).
func ScopesHeld(p DelegationParty, headReviewers []string) []DelegationScope {
	f := DelegationFacts{HeadReviewers: headReviewers}
	var out []DelegationScope
	for _, s := range DelegationScopes {
		if f.holds(s, p) {
			out = append(out, s)
		}
	}
	return out
}

// checkParties: the delegator holds the scope's tasks by their own role, and the
// delegate is someone the domain lets do them.
func (f DelegationFacts) checkParties(scope DelegationScope) error {
	switch scope {
	case DelegationReview:
		if !f.holds(scope, f.From) {
			return Forbidden("%s không giữ việc xác nhận hồ sơ (chỉ lãnh đạo phòng và người xét hồ sơ của lãnh đạo phòng): không có việc để ủy quyền; việc được ủy quyền không được ủy quyền tiếp",
				"%s does not review proposals by their role (department heads and reviewers of heads' proposals do): nothing to delegate; a delegate cannot pass on what was delegated to them", f.From.Name)
		}
		if f.To.Department != f.From.Department {
			return Invalid("Chỉ ủy quyền xác nhận hồ sơ cho người cùng đơn vị (ví dụ cấp phó): %s không thuộc đơn vị của %s",
				"the review may only be delegated to a person of the same unit (e.g. the deputy head): %s is not in %s's unit", f.To.Name, f.From.Name)
		}
	case DelegationSecretary:
		if !f.holds(scope, f.From) {
			return Forbidden("%s không phải thư ký Hội đồng: không có công việc thư ký để ủy quyền; việc được ủy quyền không được ủy quyền tiếp",
				"%s is not the council secretary: no secretary's tasks to delegate; a delegate cannot pass on what was delegated to them", f.From.Name)
		}
		if slices.Contains(f.To.Roles, RoleChair) {
			return Invalid("Không ủy quyền công việc thư ký cho Chủ tịch Hội đồng (%s): Chủ tịch kết thúc phiên họp và ký duyệt những gì thư ký chuẩn bị",
				"the secretary's tasks may not go to the council chair (%s): the chair closes the session and approves what the secretary prepares", f.To.Name)
		}
	case DelegationClerk:
		if !f.holds(scope, f.From) {
			return Forbidden("%s không phải văn thư: không có công việc văn thư để ủy quyền; việc được ủy quyền không được ủy quyền tiếp",
				"%s is not a văn thư: no văn thư's tasks to delegate; a delegate cannot pass on what was delegated to them", f.From.Name)
		}
		if f.To.Department != f.From.Department {
			return Invalid("Chỉ ủy quyền công việc văn thư cho người cùng đơn vị với văn thư (văn phòng): %s không thuộc đơn vị của %s",
				"the văn thư's tasks may only go to a person of the văn thư's unit (the office): %s is not in %s's unit", f.To.Name, f.From.Name)
		}
	}
	return nil
}

// CanRecordDelegation reports whether the actor may record or withdraw a delegation from
// the person fromID: that person, or an admin (for someone who could not do it before
// leaving).
func CanRecordDelegation(a Actor, fromID string) error {
	if a.ID == fromID || a.Has(RoleAdmin) {
		return nil
	}
	return Forbidden("Chỉ người ủy quyền hoặc quản trị mới được ghi hoặc thu hồi ủy quyền này", "only the delegator or an admin may record or withdraw this delegation")
}

// CheckDelegation reports whether the actor may record d on day today (the agency's
// calendar), and returns it cleaned with the names of the directory.
func CheckDelegation(f DelegationFacts, a Actor, d Delegation, today Date) (Delegation, error) {
	if err := CanRecordDelegation(a, d.FromID); err != nil {
		return d, err
	}
	if !slices.Contains(DelegationScopes, d.Scope) {
		return d, Invalid("Phạm vi ủy quyền “%s” không hợp lệ: chỉ ủy quyền được việc xác nhận hồ sơ, công việc thư ký Hội đồng và công việc văn thư (phiếu bầu của Hội đồng, việc kết thúc phiên họp của Chủ tịch và việc ký quyết định không ủy quyền được)",
			"unknown delegation scope %q: only the review of proposals, the council secretary's and the văn thư's tasks are delegable (council votes, the chair's close and signing decisions are not)", d.Scope)
	}
	if !f.From.Active {
		return d, Invalid("Không tìm thấy người ủy quyền “%s” trong danh bạ", "delegator %q is not an active person of the directory", d.FromID)
	}
	if !f.To.Active {
		return d, Invalid("Người được ủy quyền “%s” không có trong danh bạ hoặc đã nghỉ", "delegate %q is not an active person of the directory", d.ToID)
	}
	if d.ToID == d.FromID {
		return d, Invalid("Không thể tự ủy quyền cho chính mình", "nobody may delegate to themselves")
	}
	if err := f.checkParties(d.Scope); err != nil {
		return d, err
	}
	if d.Start.IsZero() || d.End.IsZero() {
		return d, Invalid("Cần ghi ngày bắt đầu và ngày kết thúc ủy quyền", "a delegation needs a first and a last day")
	}
	if d.End.Before(d.Start) {
		return d, Invalid("Ngày kết thúc (%[1]s) trước ngày bắt đầu (%[2]s)", "the last day (%[1]s) is before the first (%[2]s)", d.End.VI(), d.Start.VI())
	}
	if d.Start.Before(today) {
		return d, Invalid("Ngày bắt đầu ủy quyền (%s) đã qua", "the first day of the delegation (%s) is in the past", d.Start.VI())
	}
	maxDays := f.MaxDays
	if maxDays <= 0 {
		maxDays = DefaultMaxDelegationDays
	}
	if n := d.Start.DaysUntil(d.End) + 1; n > maxDays {
		return d, Invalid("Thời hạn ủy quyền tối đa %[1]d ngày (đang ghi %[2]d ngày)", "a delegation lasts at most %[1]d days (this one %[2]d)", maxDays, n)
	}
	reason, err := CleanLine(FieldDelegationReason, d.Reason)
	if err != nil {
		return d, err
	}
	if strings.TrimSpace(reason) == "" {
		return d, Invalid("Cần ghi lý do ủy quyền (ví dụ: nghỉ phép, đi công tác)", "a delegation needs a reason (e.g. leave, a mission)")
	}
	d.Reason, d.FromName, d.ToName = reason, f.From.Name, f.To.Name
	for _, o := range f.Existing {
		if !o.WithdrawnAt.IsZero() || o.Ended(today) || o.Scope != d.Scope || !o.Overlaps(d) {
			continue
		}
		switch {
		case o.FromID == d.FromID:
			return d, Duplicate("%[1]s đã ủy quyền việc này từ %[2]s đến %[3]s: thu hồi ủy quyền đó trước",
				"%[1]s has delegated these tasks from %[2]s to %[3]s already: withdraw that delegation first", d.FromName, o.Start.VI(), o.End.VI())
		case o.FromID == d.ToID:
			return d, Invalid("%[1]s cũng vắng (đã ủy quyền việc này từ %[2]s đến %[3]s): chọn người khác",
				"%[1]s is away too (has delegated these tasks from %[2]s to %[3]s): choose someone else", d.ToName, o.Start.VI(), o.End.VI())
		case o.ToID == d.FromID:
			return d, Invalid("%[1]s đang nhận ủy quyền của %[2]s trong thời gian này: việc được ủy quyền không được ủy quyền tiếp",
				"%[1]s holds a delegation from %[2]s in that period: what was delegated cannot be passed on", d.FromName, o.FromName)
		}
	}
	return d, nil
}

// CheckWithdrawDelegation reports whether the actor may withdraw d on day today: the
// delegator, the delegate (declining it) or an admin, while it is not over.
func CheckWithdrawDelegation(a Actor, d Delegation, today Date) error {
	if a.ID != d.ToID {
		if err := CanRecordDelegation(a, d.FromID); err != nil {
			return err
		}
	}
	if !d.WithdrawnAt.IsZero() {
		return WrongStage("Ủy quyền này đã được thu hồi", "the delegation was withdrawn already")
	}
	if today.After(d.End) {
		return WrongStage("Ủy quyền này đã hết hạn ngày %s", "the delegation ended on %s", d.End.VI())
	}
	return nil
}

// CanSeeDelegation reports whether the actor may read d: its two people, whoever recorded
// it, and admins.
func CanSeeDelegation(a Actor, d Delegation) bool {
	return a.ID == d.FromID || a.ID == d.ToID || a.ID == d.CreatedBy || a.Has(RoleAdmin)
}
