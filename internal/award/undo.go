package award

import (
	"slices"
	"time"
)

// StageDeleted: the proposer deleted the proposal before anyone decided on it (final).
// It frees the nominee's place for the award and year (see Stage.Live).
const StageDeleted Stage = "deleted"

// Actions of the undo steps.
const (
	ActionDelete         Action = "delete"          // the proposer deleted a draft
	ActionRemoveEvidence Action = "remove_evidence" // the proposer removed a file before submitting
	ActionWithdraw       Action = "withdraw"        // the proposer took a submitted proposal back to draft
)

// CheckDelete reports whether the actor may delete the proposal: only its proposer, and
// only while it is theirs to edit (a draft, or returned to them). Once it is submitted
// it must be withdrawn first; once a head endorsed or rejected it, it cannot be deleted.
func (p *Proposal) CheckDelete(a Actor) error {
	if a.ID != p.ProposerID {
		return Forbidden("Chỉ người lập hồ sơ mới được xoá hồ sơ", "only the proposer may delete the proposal")
	}
	if !p.editable() {
		return WrongStage("Hồ sơ đang ở bước “%[1]s”, không thể xoá (chỉ xoá được hồ sơ đang soạn hoặc bị trả lại)",
			"the proposal is %[2]s and cannot be deleted (only a draft or a returned proposal can)", p.Stage.LabelVI(), p.Stage)
	}
	return nil
}

// Delete ends the proposal in the deleted stage; the history keeps what it was.
func (p *Proposal) Delete(a Actor, now time.Time) error {
	if err := p.CheckDelete(a); err != nil {
		return err
	}
	p.Stage, p.Overdue = StageDeleted, false
	p.record(a, now, ActionDelete, "")
	return nil
}

// CheckRemoveEvidence reports whether the actor may remove the file sha from the
// proposal: the proposer, before submitting (draft or returned), a file it lists.
func (p *Proposal) CheckRemoveEvidence(a Actor, sha string) error {
	if err := p.CheckEdit(a); err != nil {
		return err
	}
	if p.evidence(sha) == nil {
		return NotFound("Không tìm thấy minh chứng này trong hồ sơ", "no such evidence on this proposal")
	}
	return nil
}

// RemoveEvidence takes the file off the proposal and off every criterion it supported;
// the history records its name.
func (p *Proposal) RemoveEvidence(a Actor, sha string, now time.Time) error {
	if err := p.CheckRemoveEvidence(a, sha); err != nil {
		return err
	}
	name := p.evidence(sha).Name
	p.Evidence = slices.DeleteFunc(p.Evidence, func(e Evidence) bool { return e.SHA256 == sha })
	for i := range p.SelfAssessment {
		ev := slices.DeleteFunc(slices.Clone(p.SelfAssessment[i].Evidence), func(s string) bool { return s == sha })
		if len(ev) == 0 {
			ev = nil
		}
		p.SelfAssessment[i].Evidence = ev
	}
	p.record(a, now, ActionRemoveEvidence, name)
	return nil
}

// CheckWithdraw reports whether the actor may take the submitted proposal back to draft:
// its proposer, while it still waits for the head (not once the head decided).
func (p *Proposal) CheckWithdraw(a Actor) error {
	if a.ID != p.ProposerID {
		return Forbidden("Chỉ người lập hồ sơ mới được rút hồ sơ", "only the proposer may withdraw the proposal")
	}
	if p.Stage != StageSubmitted {
		return WrongStage("Hồ sơ đang ở bước “%[1]s”, không thể rút về (chỉ rút được hồ sơ đang chờ lãnh đạo phòng xác nhận)",
			"the proposal is %[2]s and cannot be withdrawn (only one waiting for the head can)", p.Stage.LabelVI(), p.Stage)
	}
	return nil
}

// Withdraw takes the submitted proposal back to draft, in the history.
func (p *Proposal) Withdraw(a Actor, now time.Time) error {
	if err := p.CheckWithdraw(a); err != nil {
		return err
	}
	p.Stage, p.Overdue = StageDraft, false
	p.record(a, now, ActionWithdraw, "")
	return nil
}

// SubmitRules are what an award type asks of a proposal before it may be submitted
// (organisation config, per award type).
type SubmitRules struct {
	// EvidenceRequired: at least one evidence file must be attached.
	EvidenceRequired bool `json:"evidence_required,omitempty"`
}

// SubmitRulesOf are the submission rules of an award type.
func SubmitRulesOf(t AwardType) SubmitRules {
	return SubmitRules{EvidenceRequired: t.EvidenceRequired}
}

// CheckSubmitRules reports whether the proposal meets its award type's submission rules.
func (p *Proposal) CheckSubmitRules(r SubmitRules) error {
	if r.EvidenceRequired && len(p.Evidence) == 0 {
		return Invalid("Hình thức khen thưởng này cần ít nhất một tệp minh chứng: hãy tải minh chứng lên trước khi gửi",
			"this award type needs at least one evidence file: upload evidence before submitting")
	}
	return nil
}

// CheckSubmitWith is CheckSubmit and then the award type's rules.
func (p *Proposal) CheckSubmitWith(a Actor, criteria []Criterion, r SubmitRules) error {
	if err := p.CheckSubmit(a, criteria); err != nil {
		return err
	}
	return p.CheckSubmitRules(r)
}

// SubmitWith is Submit under the award type's rules.
func (p *Proposal) SubmitWith(a Actor, criteria []Criterion, r SubmitRules, now time.Time) error {
	if err := p.CheckSubmitWith(a, criteria, r); err != nil {
		return err
	}
	return p.Submit(a, criteria, now)
}
