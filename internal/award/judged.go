package award

// Judged names what an eligibility judgement was made for: the nominee (a person, or
// the unit for a collective), the award type and the achievement year.
//
// Why it exists: submitting asks whether the nominee qualifies, which needs the records
// store (annual ratings, past awards). The server judges from the store's list row of
// the proposal instead of asking the workflow for its state first (a query costs a
// round trip through the worker, a third of the action's time), and sends what it
// judged with the submit. The row may lag a revision by moments, so the workflow
// compares: if the proposal is no longer what was judged, it refuses with
// StaleJudgement and the server judges again from the workflow's own state.
type Judged struct {
	Kind      NomineeKind `json:"kind"`
	Nominee   string      `json:"nominee"`
	AwardType string      `json:"award_type"`
	Year      int         `json:"year"`
}

// JudgedFor is what a judgement of p for the given achievement year covers.
func (p *Proposal) JudgedFor(year int) Judged {
	j := Judged{Kind: p.Kind, Nominee: p.NomineeID, AwardType: p.AwardType, Year: year}
	if p.Kind == KindCollective {
		j.Nominee = p.Department
	}
	return j
}

// CheckJudged refuses a judgement made for something p (of that year) no longer is.
// Nil means the caller judged from the workflow's own state: nothing to compare.
func (p *Proposal) CheckJudged(j *Judged, year int) error {
	if j == nil || *j == p.JudgedFor(year) {
		return nil
	}
	return StaleJudgement()
}

// StaleJudgement is the refusal of a submit judged for a proposal that has changed since.
// People see it only if the server's second judgement races yet another revision.
func StaleJudgement() *Error {
	return WrongStage("Hồ sơ vừa được sửa trong lúc kiểm tra tiêu chuẩn khen thưởng, vui lòng gửi lại",
		"the proposal changed while its eligibility was being checked; submit it again")
}
